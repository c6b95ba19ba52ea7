import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../node/platform';
import type { Engine } from './Engine';
import type { RunResult } from '../protocol';
import { ROWS, DOC, makeTable, expectMatchesReference, asColumns } from '../testing/engine-fixtures';

describe('engine over loaded columns', () => {
  const table = makeTable(ROWS, 7);
  const columns = asColumns(table);
  const engines: Engine[] = [];
  afterAll(async () => { await Promise.all(engines.map((e) => e.close())); });

  for (const workers of [1, 2, 4]) {
    it(`matches the plain-JS reference with ${workers} worker(s)`, async () => {
      const engine = await createNodeEngine({ workers, chunkRows: 4096, vecLen: 256 });
      engines.push(engine);
      await engine.openColumns('table', ROWS, columns);
      expectMatchesReference(await engine.run(DOC), table);
    });
  }
});

describe('engine over the demo dataset', () => {
  let engine: Engine;
  beforeAll(async () => { engine = await createNodeEngine({ workers: 2 }); });
  afterAll(async () => { await engine.close(); });

  const toyDoc = (expr: string) => ({
    version: 1, dataset: { kind: 'demo', name: 'toy', rows: 0, seed: 3 },
    filters: [{ name: 'z', expr: 'z > 0.5' }, { name: 'beta', expr: 'cat == "beta"' }],
    histograms: [
      { name: 'q1', x: { expr: 'x', bins: 100, lo: -5, hi: 5 } },
      { name: 'q2', x: { expr, bins: 100, lo: 0, hi: 5 }, after: 'beta' },
      { name: 'q3', x: { expr: 'x', bins: 50, lo: -5, hi: 5 }, y: { expr: 'y', bins: 50, lo: -5, hi: 5 } },
    ],
  });

  // `expr` booked before the filters, so that every row computes it (after them, only the 12% they keep would)
  const slowDoc = (expr: string) => {
    const doc = toyDoc('x');
    return { ...doc, histograms: [...doc.histograms, { name: 'slow', x: { expr, bins: 100, lo: 0, hi: 5 } }] };
  };

  it('gives identical counts for 1, 2 and 4 workers', async () => {
    const results: RunResult[] = [];
    for (const workers of [1, 2, 4]) {
      const e = await createNodeEngine({ workers });
      try {
        await e.openDemo({ name: 'toy', rows: 300_001, seed: 3 });
        results.push(await e.run(toyDoc('sqrt(x*x+y*y)')));
      } finally { await e.close(); }
    }
    for (const r of results.slice(1)) {
      expect(r.cutflow).toEqual(results[0]!.cutflow);
      r.histograms.forEach((h, i) => expect(h.bins).toEqual(results[0]!.histograms[i]!.bins));
    }
    expect(results[0]!.cutflow[0]!.total).toBe(300_001);
  });

  it('cancels a run within 100 ms, and the next run is exact', async () => {
    await engine.openDemo({ name: 'toy', rows: 6_000_000, seed: 3 });
    const slow = slowDoc('pow(exp(sin(x) * cos(y)), 1.5) + atan2(y, x) * log(z + 1)');
    const first = engine.run(slow);
    await new Promise((r) => setTimeout(r, 150));
    const t0 = performance.now();
    engine.cancel();
    const cancelled = await first;
    const stopMs = performance.now() - t0;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.rowsDone).toBeLessThan(6_000_000);
    expect(stopMs).toBeLessThan(100);
    const again = await engine.run(slow);
    expect(again.status).toBe('done');
    expect(again.rowsDone).toBe(6_000_000);
    const fresh = await createNodeEngine({ workers: 1 });
    try {
      await fresh.openDemo({ name: 'toy', rows: 6_000_000, seed: 3 });
      const ref = await fresh.run(slow);
      expect(again.cutflow).toEqual(ref.cutflow);
      again.histograms.forEach((h, i) => expect(h.bins).toEqual(ref.histograms[i]!.bins));
    } finally { await fresh.close(); }
  });

  it('an edit mid-run cancels the stale run; its partials never reach the new run', async () => {
    await engine.openDemo({ name: 'toy', rows: 6_000_000, seed: 5 });
    const heavy = 'pow(exp(sin(x) * cos(y)), 1.5) + atan2(y, x) * log(z + 1) + hypot(tan(x), exp(-z))';
    const seen: number[] = [];
    let edited: () => void = () => {};
    const editNow = new Promise<void>((r) => { edited = r; });
    const stale = engine.run(slowDoc(heavy), { onPartial: (r) => seen.push(r.gen), onProgress: () => edited() });
    await editNow;
    const partialsOfNew: RunResult[] = [];
    const fresh = engine.run(toyDoc('abs(x) + abs(y)'), { onPartial: (r) => partialsOfNew.push(r) });
    const [a, b] = await Promise.all([stale, fresh]);
    expect(a.status).toBe('cancelled');
    expect(a.rowsDone).toBeLessThan(6_000_000);
    expect(b.status).toBe('done');
    expect(partialsOfNew.every((p) => p.gen === b.gen)).toBe(true);
    expect(seen.every((g) => g === a.gen)).toBe(true);
    expect(b.cutflow[0]!.total).toBe(6_000_000);
  });

  it('publishes consistent, growing partial results while running', async () => {
    await engine.openDemo({ name: 'toy', rows: 8_000_000, seed: 9 });
    const partials: RunResult[] = [];
    const t0 = performance.now();
    const res = await engine.run(slowDoc('pow(exp(sin(x) * cos(y)), 1.5) + atan2(y, x) * log(z + 1)'), {
      onPartial: (r) => partials.push(r),
    });
    const seconds = (performance.now() - t0) / 1000;
    expect(partials.length).toBeGreaterThanOrEqual(Math.floor(seconds * 2.5));
    let last = 0;
    for (const p of partials) {
      expect(p.status).toBe('partial');
      const q1 = p.histograms[0]!;
      // a snapshot is taken between chunks: every row seen was filled into q1 exactly once
      expect(q1.entries + q1.nan).toBe(p.cutflow[0]!.total);
      expect(p.cutflow[0]!.total).toBeGreaterThanOrEqual(last);
      last = p.cutflow[0]!.total;
    }
    expect(res.histograms[0]!.entries).toBe(8_000_000);
  });

  it('keeps memory flat over 200 runs with distinct expressions (after 100 to warm up)', async () => {
    await engine.openDemo({ name: 'toy', rows: 100_000, seed: 1 });
    const gc = (globalThis as { gc?: () => void }).gc;
    const rss = () => { gc?.(); return process.memoryUsage().rss; };
    // warm-up: the heaps of this process and its worker threads settle at their working size
    // (they grew by 5-7 MB over the first 200 runs here, then stayed)
    for (let i = 0; i < 100; i++) await engine.run(toyDoc(`sqrt(x*x + y*y) * ${1 + i / 1000}`));
    const before = rss();
    const mem0 = engine.memory();
    for (let i = 100; i < 300; i++) await engine.run(toyDoc(`sqrt(x*x + y*${i}) + ${i} * z`));
    const growth = rss() - before;
    expect(engine.memory().memoryBytes).toBe(mem0.memoryBytes);
    expect(growth).toBeLessThan(5 * 1024 * 1024);
  });
});
