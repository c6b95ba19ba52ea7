// ROOT compresses a basket as blocks, each a 9-byte header (algorithm, sizes)
// and a payload. zlib payloads, by far the most common, go to the platform's
// DecompressionStream: native, ~10× jsroot's JavaScript inflate, and it checks
// the stream's Adler-32, so corruption is caught. Other algorithms (lzma, lz4,
// zstd, ROOT's old format) go to jsroot's R__unzip.
// see: https://root.cern/doc/master/RZip_8cxx.html (block header layout)
import { R__unzip } from 'jsroot/io';
import { timeBox } from './time-box';

const HEADER = 9;
const INFLATE_TIME_LIMIT_MS = 30_000;

/** The `size` bytes packed in `src` from byte `shift` on, or why they do not decompress to exactly that. */
export async function inflate(src: DataView, shift: number, size: number, file: string): Promise<DataView | string> {
  const blocks = zlibBlocks(src, shift, size);
  if (blocks && typeof DecompressionStream === 'function') {
    const out = new Uint8Array(size);
    let at = 0;
    try {
      for (const b of blocks) {
        const n = await inflateZlib(new Uint8Array(src.buffer, src.byteOffset + b.from, b.bytes), out.subarray(at, at + b.size));
        if (n !== b.size) return 'zlib: wrong size';
        at += n;
      }
    } catch (e) {
      return `zlib: ${(e as Error).message}`;
    }
    return new DataView(out.buffer);
  }
  try {
    const result = await timeBox(R__unzip(src, size, true, shift), INFLATE_TIME_LIMIT_MS, file, 'decompressing a basket');
    return result && result.byteLength === size ? result : 'wrong size';
  } catch (e) {
    // a codec that failed to load says so here; the caller names the branch and basket
    return (e as Error).message.replace(`${file}: `, '');
  }
}

interface Block { from: number; bytes: number; size: number }

/** The blocks, when every one is zlib ("ZL", method 8); null otherwise. */
function zlibBlocks(src: DataView, shift: number, size: number): Block[] | null {
  const blocks: Block[] = [];
  let p = shift;
  let total = 0;
  while (total < size) {
    if (p + HEADER > src.byteLength) return null;
    if (src.getUint8(p) !== 0x5a || src.getUint8(p + 1) !== 0x4c || src.getUint8(p + 2) !== 8) return null;
    const bytes = src.getUint8(p + 3) | (src.getUint8(p + 4) << 8) | (src.getUint8(p + 5) << 16);
    const unpacked = src.getUint8(p + 6) | (src.getUint8(p + 7) << 8) | (src.getUint8(p + 8) << 16);
    if (p + HEADER + bytes > src.byteLength || unpacked === 0) return null;
    blocks.push({ from: p + HEADER, bytes, size: unpacked });
    total += unpacked;
    p += HEADER + bytes;
  }
  return total === size ? blocks : null;
}

/** Inflates one zlib stream into `out`; returns the bytes produced (more than fit → -1). */
async function inflateZlib(src: Uint8Array, out: Uint8Array): Promise<number> {
  const ds = new DecompressionStream('deflate');
  const writer = ds.writable.getWriter();
  // errors surface on the reading side
  writer.write(src as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = ds.readable.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    if (n + value.byteLength > out.byteLength) {
      reader.cancel().catch(() => {});
      return -1;
    }
    out.set(value, n);
    n += value.byteLength;
  }
}
