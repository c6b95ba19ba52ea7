// Arrow IPC body compression: apache-arrow decodes compressed batches only
// with codecs registered by the application. pyarrow compresses Feather files
// with LZ4 frames by default, so Sift registers LZ4_FRAME (decoded here) and
// ZSTD (fzstd, through hyparquet-compressors) once, without replacing codecs
// someone else registered.
import { compressionRegistry, CompressionType } from 'apache-arrow';
import { decompressZstd } from 'hyparquet-compressors';

export function registerCodecs(): void {
  if (!compressionRegistry.get(CompressionType.LZ4_FRAME)) compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: lz4Frames });
  if (!compressionRegistry.get(CompressionType.ZSTD)) compressionRegistry.set(CompressionType.ZSTD, { decode: (b) => decompressZstd(b) });
}

const FRAME_MAGIC = 0x184d2204;
const BLOCK_MAX = [0, 0, 0, 0, 1 << 16, 1 << 18, 1 << 20, 1 << 22];

// see: https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md
export function lz4Frames(src: Uint8Array): Uint8Array {
  let out: Uint8Array<ArrayBuffer> = new Uint8Array(Math.max(1024, src.length * 4));
  let o = 0;
  let s = 0;
  const u32 = (at: number) => (src[at]! | (src[at + 1]! << 8) | (src[at + 2]! << 16) | (src[at + 3]! << 24)) >>> 0;
  while (s + 4 <= src.length) {
    const magic = u32(s);
    if ((magic & 0xfffffff0) === 0x184d2a50) { s += 8 + u32(s + 4); continue; } // skippable frame
    if (magic !== FRAME_MAGIC) throw new Error('lz4: not an LZ4 frame');
    const flg = src[s + 4]!, bd = src[s + 5]!;
    s += 6;
    if (flg & 0x08) {
      const size = u32(s) + u32(s + 4) * 4294967296;
      if (o + size > out.length) out = grow(out, o + size);
      s += 8;
    }
    if (flg & 0x01) s += 4;
    s += 1; // header checksum
    const blockMax = BLOCK_MAX[(bd >> 4) & 7] || 1 << 22;
    for (;;) {
      const word = u32(s);
      s += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (s + size > src.length) throw new Error('lz4: block runs past the end');
      if (o + blockMax > out.length) out = grow(out, o + blockMax);
      if (word & 0x80000000) { out.set(src.subarray(s, s + size), o); o += size; }
      else o = lz4Block(src, s, s + size, out, o);
      s += size;
      if (flg & 0x10) s += 4; // block checksum
    }
    if (flg & 0x04) s += 4; // content checksum
  }
  return out.subarray(0, o);
}

/** One LZ4 block, src[s, e) → out[o…]; matches may reach back into earlier blocks of the frame. */
function lz4Block(src: Uint8Array, s: number, e: number, out: Uint8Array, o: number): number {
  while (s < e) {
    const token = src[s++]!;
    let literals = token >> 4;
    if (literals === 15) { let b; do { b = src[s++]!; literals += b; } while (b === 255); }
    out.set(src.subarray(s, s + literals), o);
    o += literals;
    s += literals;
    if (s >= e) break; // the last sequence is literals only
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    if (offset === 0 || offset > o) throw new Error('lz4: match offset out of range');
    let length = token & 15;
    if (length === 15) { let b; do { b = src[s++]!; length += b; } while (b === 255); }
    length += 4;
    let p = o - offset;
    if (offset >= length) { out.copyWithin(o, p, p + length); o += length; }
    else for (const end = o + length; o < end;) out[o++] = out[p++]!;
  }
  return o;
}

function grow(buf: Uint8Array, need: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.max(need, buf.length * 2));
  next.set(buf);
  return next;
}
