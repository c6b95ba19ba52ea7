// The parallel path: read() hands DecodeTasks to a DecodeContext; the worker
// decoder writes numeric pages into the shared memory at the given pointers.
// Here the context runs decodeCsv inline over a test memory, as a kernel
// worker would, and must give what the inline path gives.
import { describe, expect, test } from 'vitest';
import { blobReader, memoryReader } from '../bytes';
import type { DecodeTask } from '../../protocol';
import { decoders } from '../decoders';
import { openCsv } from './open';
import { memoryContext, readAll } from './testing';
import { seededRandom } from '../../expr/random';
import { loadKernels } from '../../../kernels/test/wasm';

function fixture(rows: number): string {
  const rnd = seededRandom(9);
  const cats = ['alpha', 'beta', 'gamma, quoted', 'delta'];
  const lines = ['x,y,k,cat'];
  for (let i = 0; i < rows; i++) {
    const c = cats[Math.floor(rnd() * 4)]!;
    lines.push(`${(rnd() - 0.5) * 100},${rnd().toFixed(4)},${Math.floor(rnd() * 10)},${c.includes(',') ? `"${c}"` : c}`);
  }
  // a late surprise: an integer column meets a fraction
  lines.push('1,2,2.5,alpha');
  return lines.join('\n') + '\n';
}

describe('parallel decoding through a DecodeContext', () => {
  const text = fixture(5000);
  const bytes = new TextEncoder().encode(text);

  test('the "csv" decoder is registered for kernel workers', () => {
    expect(decoders.csv).toBeTypeOf('function');
  });

  test.each([
    ['a plain memory', () => new WebAssembly.Memory({ initial: 64 })],
    ['a shared memory', () => new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true })],
  ])('same values as inline, in %s', async (_, makeMemory) => {
    const inline = await readAll(await openCsv(memoryReader(bytes, 'p.csv'), { chunkRows: 700, sampleBytes: 4096 }));
    const { ctx, alloc, tasks } = memoryContext(makeMemory());
    const src = await openCsv(memoryReader(bytes, 'p.csv'), { chunkRows: 700, sampleBytes: 4096, ctx });
    const parallel = await readAll(src, alloc);
    expect(parallel).toEqual(inline);
    expect(parallel.retypes).toEqual(['p.csv, line 5002, column 3 (k): "2.5" is not a 32-bit integer']);
    // memory readers have no handle: the bytes travel with the task, in a buffer of their own
    expect(tasks.length).toBeGreaterThan(8);
    expect(tasks.every((t) => t.bytes && !t.handle && t.decoder === 'csv')).toBe(true);
    expect(tasks.every((t) => t.bytes!.byteLength === t.bytes!.buffer.byteLength && t.bytes!.byteLength === t.length)).toBe(true);
  });

  test('numeric pages land at the dest pointers; dict pages come back with their dictionary', async () => {
    const memory = new WebAssembly.Memory({ initial: 64 });
    const { ctx, alloc, tasks } = memoryContext(memory);
    const src = await openCsv(memoryReader(bytes, 'p.csv'), { chunkRows: 700, ctx });
    const x = alloc('f64', 700);
    const k = alloc('i32', 700);
    const [px, pcat, pk] = await src.read(2, [{ column: 0, dest: x }, { column: 3, dest: null }, { column: 2, dest: k }]);
    expect(tasks[0]!.dest).toEqual([x.byteOffset, 0, k.byteOffset]);
    expect(px).toEqual({ kind: 'written' });
    expect(pk).toEqual({ kind: 'written' });
    expect(pcat!.kind).toBe('dict');
    const want = text.split('\n').slice(1 + 1400, 1 + 2100).map((l) => Number(l.split(',')[0]));
    expect(Array.from(new Float64Array(memory.buffer, x.byteOffset, 700))).toEqual(want);
  });

  test('many chunks at once, as the engine asks', async () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true });
    const { ctx, alloc } = memoryContext(memory);
    const src = await openCsv(memoryReader(bytes, 'p.csv'), { chunkRows: 500, ctx });
    const dests = src.schema.chunkRows.map((n) => alloc('f64', n));
    await Promise.all(dests.map((d, c) => src.read(c, [{ column: 1, dest: d }])));
    const got = dests.flatMap((d) => Array.from(d));
    expect(got).toEqual(text.trim().split('\n').slice(1).map((l) => Number(l.split(',')[1])));
  });

  test('a Blob travels as a handle; the worker reads its byte range itself', async () => {
    const { ctx, alloc, tasks } = memoryContext(new WebAssembly.Memory({ initial: 64 }));
    const src = await openCsv(blobReader(new Blob([bytes]), 'p.csv'), { chunkRows: 1000, ctx });
    const t = await readAll(src, alloc, [0, 3]);
    expect(t.columns[0]!.length).toBe(5001);
    const task = tasks[0] as DecodeTask;
    expect(task.bytes).toBeUndefined();
    expect(task.handle).toMatchObject({ kind: 'blob', name: 'p.csv' });
    expect(task.offset).toBe(text.indexOf('\n') + 1);
  });

  test('a span of chunks through one stream gives what chunk-by-chunk reads give', async () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true });
    const { ctx, alloc, spans, tasks } = memoryContext(memory);
    const src = await openCsv(blobReader(new Blob([bytes]), 'p.csv'), { chunkRows: 700, ctx });
    const ref = await openCsv(memoryReader(bytes, 'p.csv'), { chunkRows: 700 });
    expect(src.readSpan).toBeTypeOf('function');
    expect(ref.readSpan).toBeUndefined();
    // a gap (chunk 4), and chunk 7 holds the fraction in the integer column k
    const chunks = [1, 2, 3, 5, 6, 7];
    const pagesOf = (c: number, s: typeof src) => {
      const rows = s.schema.chunkRows[c]!;
      return [{ column: 0, dest: alloc('f64', rows) }, { column: 3, dest: null }, { column: 2, dest: alloc('i32', rows) }];
    };
    const pages = chunks.map((c) => pagesOf(c, src));
    const got = await src.readSpan!(chunks, pages);
    expect(spans).toHaveLength(1);
    expect(tasks).toHaveLength(0);
    expect(spans[0]!.parts.map((p) => p.offset)).toEqual(chunks.map((c) => text.split('\n').slice(0, 1 + 700 * c).join('\n').length + 1));
    for (const [i, c] of chunks.entries()) {
      const want = pagesOf(c, ref);
      const results = await ref.read(c, want);
      expect(got[i]).toEqual(results);
      expect(Array.from(pages[i]![0]!.dest!)).toEqual(Array.from(want[0]!.dest!));
      if (results[2]!.kind === 'written') expect(Array.from(pages[i]![2]!.dest!)).toEqual(Array.from(want[2]!.dest!));
    }
    expect(got[5]![2]).toEqual({ kind: 'retype', type: 'f64', reason: 'p.csv, line 5002, column 3 (k): "2.5" is not a 32-bit integer' });
  });

  test('a bad row inside a span fails the span with its line', async () => {
    const bad = new TextEncoder().encode(`${text}1,2\n3,4,5,beta\n`);
    const { ctx, alloc } = memoryContext(new WebAssembly.Memory({ initial: 64 }));
    const src = await openCsv(blobReader(new Blob([bad]), 'bad.csv'), { chunkRows: 1000, sampleBytes: 4096, ctx });
    const chunks = src.schema.chunkRows.map((_, c) => c);
    const pages = chunks.map((c) => [{ column: 0, dest: alloc('f64', src.schema.chunkRows[c]!) }]);
    await expect(src.readSpan!(chunks, pages)).rejects.toThrow('bad.csv, line 5003, column 3 (k): expected 4 fields, found 2');
  });

  test('with the kernels and scratch, chunks decode in WASM, as decodeChunk decodes them, narrow pages too', async () => {
    const rnd = seededRandom(13);
    const lines = ['x,k,big,cat'];
    for (let i = 0; i < 6000; i++) lines.push(`${((rnd() - 0.5) * 100).toFixed(4)},${i % 10},${i * 1000},${['a', 'bb', 'ccc'][i % 3]}`);
    // past the sample: k holds 300 (u8 widens to u16 quietly)
    lines.push('1.5,300,7,a');
    const u8 = new TextEncoder().encode(lines.join('\n') + '\n');
    const inline = await readAll(await openCsv(memoryReader(u8, 'w.csv'), { chunkRows: 700, sampleBytes: 4096 }));
    const k = loadKernels();
    const { ctx, alloc, reports, spans } = memoryContext(k.memory, k);
    const src = await openCsv(blobReader(new Blob([u8]), 'w.csv'), { chunkRows: 700, sampleBytes: 4096, ctx });
    expect(src.schema.columns.map((c) => c.type)).toEqual(['f64', 'u8', 'i32', 'dict']);
    // one chunk at a time (readAll), then every chunk in one span
    expect(await readAll(src, alloc)).toEqual(inline);
    const chunks = src.schema.chunkRows.map((_, c) => c);
    const pages = chunks.map((c) => [{ column: 0, dest: alloc('f64', src.schema.chunkRows[c]!) }, { column: 3, dest: null }]);
    const got = await src.readSpan!(chunks, pages);
    expect(spans).toHaveLength(1);
    expect(pages.flatMap((p) => Array.from(p[0]!.dest!))).toEqual(inline.columns[0]);
    expect(got.flatMap((r) => (r[1]!.kind === 'dict' ? Array.from(r[1]!.codes, (code) => r[1]!.kind === 'dict' && r[1]!.dictionary[code]) : []))).toEqual(inline.columns[3]);
    expect(reports.length).toBeGreaterThan(20);
    expect(reports.every((r) => (r.info as { wasm?: boolean }).wasm)).toBe(true);
    expect(inline.retypes).toEqual(['']);
  });
});

