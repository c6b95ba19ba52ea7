// The indexing pass on the workers, range by range, against the one-thread
// pass and a byte-at-a-time reference: the same records, in chunks that start
// at records on the right lines, however small the ranges and wherever quotes,
// newlines in quotes, CRLF and blank lines fall.
import { describe, expect, test } from 'vitest';
import { blobReader, memoryReader } from '../bytes';
import { seededRandom } from '../../expr/random';
import { indexInParallel } from './parallel-index';
import { indexRows, type ChunkIndex } from './row-index';
import { firstRecordEnd, memoryContext, randomCsv, readAll } from './testing';
import { openCsv } from './open';
import { loadKernels, type Kernels } from '../../../kernels/test/wasm';

const LF = 10;

/** Records of u8[from, to) split at newlines outside quotes, blank ones left out. */
function records(u8: Uint8Array, from: number, to: number): string[] {
  const out: string[] = [];
  const dec = new TextDecoder();
  let inQ = false;
  let s = from;
  const push = (e: number) => {
    const t = dec.decode(u8.subarray(s, e));
    if (t !== '' && t !== '\r') out.push(t);
  };
  for (let i = from; i < to; i++) {
    if (u8[i] === 34) inQ = !inQ;
    else if (u8[i] === LF && !inQ) { push(i); s = i + 1; }
  }
  if (s < to) push(to);
  return out;
}

const linesBefore = (u8: Uint8Array, pos: number) => 1 + u8.subarray(0, pos).filter((b) => b === LF).length;

function expectSameRecords(u8: Uint8Array, start: number, ix: ChunkIndex, chunkRows: number, what: string): void {
  const want = records(u8, start, u8.length);
  const got: string[] = [];
  ix.starts.forEach((s, c) => {
    const r = records(u8, s, ix.ends[c]!);
    expect(r.length, `${what}: rows of chunk ${c}`).toBe(ix.rows[c]);
    expect(ix.rows[c]!, `${what}: chunk ${c}`).toBeLessThanOrEqual(chunkRows);
    expect(ix.rows[c]!, `${what}: chunk ${c}`).toBeGreaterThan(0);
    expect(ix.lines[c], `${what}: line of chunk ${c}`).toBe(linesBefore(u8, s));
    if (c > 0) expect(s, `${what}: chunk ${c} starts after the one before`).toBeGreaterThanOrEqual(ix.ends[c - 1]!);
    got.push(...r);
  });
  expect(got, what).toEqual(want);
  expect(ix.total, what).toBe(want.length);
}

/** Kernels whose csv_scan counts its calls, so a test knows the ranges went through it. */
function countingKernels(): Kernels & { scans: () => number } {
  const k = loadKernels();
  let calls = 0;
  const scan = k.exports.csv_scan!;
  return { ...k, exports: { ...k.exports, csv_scan: (...a: number[]) => (calls++, scan(...a)) }, scans: () => calls };
}

const scanners = [
  { name: 'the JS scanner', make: () => ({ ctx: memoryContext(new WebAssembly.Memory({ initial: 1 })).ctx, kernels: null }) },
  { name: 'the kernel scanner', make: () => { const k = countingKernels(); return { ctx: memoryContext(k.memory, k).ctx, kernels: k }; } },
];

describe.each(scanners)('indexInParallel with $name', ({ make }) => {
  const { ctx, kernels } = make();
  const scanned = (what: string) => { if (kernels) expect(kernels.scans(), what).toBeGreaterThan(0); };

  test('the same records as the one-thread pass, in ranges of every awkward size', async () => {
    const rnd = seededRandom(41);
    for (let trial = 0; trial < 50; trial++) {
      const u8 = new TextEncoder().encode(randomCsv(rnd, 1 + Math.floor(rnd() * 60)));
      const start = rnd() < 0.3 ? 0 : firstRecordEnd(u8);
      if (start >= u8.length) continue;
      const line = linesBefore(u8, start);
      const chunkRows = 1 + Math.floor(rnd() * 9);
      const serial = await indexRows(memoryReader(u8, 'r.csv'), { start, line, chunkRows, delim: 44, names: [], skipBadRows: false });
      // a stream per byte is slow: the tiniest ranges on the first trials only
      for (const rangeBytes of trial < 12 ? [1, 2, 3, 7, 16, 61, 1 << 20] : [7, 16, 61, 1 << 20]) {
        const ix = await indexInParallel(blobReader(new Blob([u8]), 'r.csv'), ctx, { start, line, chunkRows, rangeBytes });
        const what = `trial ${trial}, ranges of ${rangeBytes}`;
        expectSameRecords(u8, start, ix, chunkRows, what);
        expect(ix.total, what).toBe(serial.total);
        // one range: exactly the one-thread chunks
        if (rangeBytes >= u8.length) expect({ ...ix, bad: [] }, what).toEqual({ ...serial, bad: [] });
      }
    }
    scanned('range scans through csv_scan');
  });

  test('an unclosed quote names the line it opens on, as the one-thread pass does', async () => {
    const rnd = seededRandom(43);
    for (let trial = 0; trial < 20; trial++) {
      const text = `a,b\n${randomCsv(rnd, 1 + Math.floor(rnd() * 20))}\n1,"open\n2,3\n`;
      const u8 = new TextEncoder().encode(text);
      const start = firstRecordEnd(u8);
      const serial = await indexRows(memoryReader(u8, 'q.csv'), { start, line: 2, chunkRows: 4, delim: 44, names: [], skipBadRows: false }).catch((e: Error) => e.message);
      expect(serial).toMatch(/^q\.csv, line \d+: a quoted field starting on this line is never closed$/);
      for (const rangeBytes of [1, 5, 33, 1 << 20]) {
        const got = await indexInParallel(blobReader(new Blob([u8]), 'q.csv'), ctx, { start, line: 2, chunkRows: 4, rangeBytes }).catch((e: Error) => e.message);
        expect(got, `trial ${trial}, ranges of ${rangeBytes}`).toBe(serial);
      }
    }
  });

  test('a file opened through the workers reads the same values as one read inline', async () => {
    const rnd = seededRandom(47);
    const lines = ['x,note,k'];
    for (let i = 0; i < 3000; i++) lines.push(`${rnd().toFixed(5)},${rnd() < 0.2 ? '"multi\nline, ""q"""' : 'plain'},${i}`);
    const u8 = new TextEncoder().encode(lines.join('\r\n') + '\r\n');
    const { ctx: c2, alloc } = kernels ? memoryContext(kernels.memory, kernels) : memoryContext(new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true }));
    const src = await openCsv(blobReader(new Blob([u8]), 'p.csv'), { chunkRows: 500, rangeBytes: 4000, ctx: c2 });
    const inline = await readAll(await openCsv(memoryReader(u8, 'p.csv'), { chunkRows: 500 }));
    expect(src.schema.rows).toBe(3000);
    // ranges cut chunks short at their boundaries
    expect(src.schema.chunkRows.length).toBeGreaterThan(6);
    expect(await readAll(src, alloc)).toEqual(inline);
    scanned('range scans through csv_scan');
  });
});
