import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RangeStream } from './stream';
import type { ByteHandle } from './source';

const SIZE = 3_000_017;
const data = Uint8Array.from({ length: SIZE }, (_, i) => (i * 2654435761) >>> 24);

/** Parts that cover the range with gaps, of sizes around the stream's own chunks and the buffer's start size. */
function parts(start: number, end: number, seed: number): { offset: number; length: number }[] {
  const out: { offset: number; length: number }[] = [];
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  let at = start;
  while (at < end) {
    const gap = rand() < 0.3 ? Math.floor(rand() * 5000) : 0;
    const length = Math.min(end - at - gap, 1 + Math.floor(rand() * 1_500_000));
    if (length <= 0) break;
    out.push({ offset: at + gap, length });
    at += gap + length;
  }
  return out;
}

async function readAll(h: ByteHandle, start: number, end: number, seed: number): Promise<void> {
  const ps = parts(start, end, seed);
  const s = await RangeStream.open(h, start, end);
  try {
    for (const p of ps) {
      const got = await s.read(p.offset, p.length);
      expect(got.length).toBe(p.length);
      // compare by value without 1.5M expect calls
      const want = data.subarray(p.offset, p.offset + p.length);
      expect(Buffer.compare(Buffer.from(got), Buffer.from(want))).toBe(0);
    }
  } finally {
    s.close();
  }
}

describe('RangeStream', () => {
  const blob: ByteHandle = { kind: 'blob', blob: new Blob([data]), name: 'b.bin' };

  it('reads parts of a Blob in order, skipping the bytes between them', async () => {
    for (const [start, end, seed] of [[0, SIZE, 1], [12345, SIZE - 7, 2], [999_999, 1_000_001, 3]] as const) {
      await readAll(blob, start, end, seed);
    }
  });

  it('works with a stream that is not a byte stream (chunks copied)', async () => {
    const plain = new Blob([data]);
    // a Blob whose stream() has no BYOB reader, as on platforms without byte streams
    const shim = {
      size: plain.size,
      slice: (a: number, b: number) => {
        const inner = plain.slice(a, b);
        return { stream: () => new ReadableStream<Uint8Array>({
          async start(c) {
            const u = new Uint8Array(await inner.arrayBuffer());
            for (let i = 0; i < u.length; i += 70_000) c.enqueue(u.slice(i, i + 70_000));
            c.close();
          },
        }) };
      },
    } as unknown as Blob;
    await readAll({ kind: 'blob', blob: shim, name: 'shim' }, 5, SIZE, 4);
  });

  it('says the file ended when it is shorter than the range', async () => {
    const s = await RangeStream.open({ kind: 'blob', blob: new Blob([data.subarray(0, 1000)]), name: 'short.csv' }, 0, 2000);
    await expect(s.read(0, 2000)).rejects.toThrow(/short\.csv: the file ended at byte 0 before 2000/);
  });

  it('says a file that cannot be read any more could not be read', async () => {
    const failing = { slice: () => ({ stream: () => new ReadableStream({ pull(c) { c.error(new Error('NotReadableError')); } }) }) } as unknown as Blob;
    const s = await RangeStream.open({ kind: 'blob', blob: failing, name: 'gone.csv' }, 0, 100);
    await expect(s.read(0, 100)).rejects.toThrow('gone.csv: the file could not be read (NotReadableError); was it moved or changed?');
  });

  it('refuses to go backwards', async () => {
    const s = await RangeStream.open(blob, 0, SIZE);
    await s.read(100, 10);
    await expect(s.read(50, 10)).rejects.toThrow(/behind/);
    s.close();
  });

  describe('over HTTP', () => {
    let server: Server;
    let base = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
        if (m && req.url === '/ranged') {
          const a = Number(m[1]), b = Number(m[2]) + 1;
          res.writeHead(206, { 'Content-Range': `bytes ${a}-${b - 1}/${SIZE}`, 'Content-Length': b - a });
          res.end(data.subarray(a, b));
        } else {
          // a server that ignores Range: the whole file from byte 0
          res.writeHead(200, { 'Content-Length': SIZE });
          res.end(data);
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address();
      base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('reads a range with a Range request', async () => {
      await readAll({ kind: 'url', url: `${base}/ranged`, name: 'r.bin', size: SIZE }, 4321, SIZE, 5);
    });

    it('skips to the range when the server sends the whole file', async () => {
      await readAll({ kind: 'url', url: `${base}/whole`, name: 'w.bin', size: SIZE }, 777_777, SIZE - 3, 6);
    });
  });
});
