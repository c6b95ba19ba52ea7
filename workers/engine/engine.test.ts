import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../node/platform';
import type { Engine } from './Engine';
import type { RunResult } from '../protocol';
import { referenceRun, type RefColumn, type RefDoc } from '../testing/reference-run';
import { seededRandom } from '../expr/random';

const ROWS = 50_003; // not a multiple of anything the engine uses

/** Awkward data: NaN, ±Inf, ±0, exact bin edges, huge and tiny values. */
function makeTable(rows: number, seed: number): Record<string, RefColumn> {
  const rnd = seededRandom(seed);
  const special = [NaN, Infinity, -Infinity, 0, -0, 1e300, -1e300, 5e-324, -2, 2, 0.5, -0.5];
  const x = new Float64Array(rows), y = new Float64Array(rows), f = new Float32Array(rows);
  const k = new Int32Array(rows), u = new Uint32Array(rows), b = new Uint8Array(rows), cat = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = rnd();
    x[i] = r < 0.05 ? special[Math.floor(rnd() * special.length)]! : (rnd() - 0.5) * 6;
    y[i] = r > 0.97 ? NaN : Math.round((rnd() - 0.5) * 8 * 4) / 4; // quarter steps: many exact edges
    f[i] = (rnd() - 0.3) * 100;
    k[i] = Math.floor(rnd() * 21) - 10;
    u[i] = Math.floor(rnd() * 4e9);
    b[i] = rnd() < 0.4 ? 1 : 0;
    cat[i] = Math.floor(rnd() * 4);
  }
  return {
    x: { type: 'f64', values: x }, y: { type: 'f64', values: y }, f: { type: 'f32', values: f },
    k: { type: 'i32', values: k }, u: { type: 'u32', values: u }, b: { type: 'bool', values: b },
    cat: { type: 'dict', values: cat, dictionary: ['alpha', 'beta', 'gamma', ''] },
  };
}

const DOC: RefDoc & { version: 1; dataset: object } = {
  version: 1,
  dataset: { kind: 'file', name: 'table', size: 0 },
  defines: [
    { name: 'r', expr: 'sqrt(x*x + y*y)' },
    { name: 'g', expr: 'f > 10 ? log(f) : -f / 3' },
  ],
  filters: [
    { name: 'finite', expr: '!isnan(x) && !isinf(x)' },
    { name: 'beta', expr: 'cat == "beta" || b' },
    { name: 'k', expr: 'k % 3 != 0 && u > 1e9' },
  ],
  histograms: [
    { name: 'r', x: { expr: 'r', bins: 40, lo: 0, hi: 4 }, after: 'finite', weight: 'f' },
    { name: 'g', x: { expr: 'g', bins: 50, lo: -20, hi: 5 }, after: 'beta' },
    { name: 'xy', x: { expr: 'x', bins: 12, lo: -3, hi: 3 }, y: { expr: 'y', bins: 16, lo: -4, hi: 4 }, after: 'k', weight: 'b + 0.5' },
    { name: 'flag', x: { expr: 'b', bins: 2, lo: 0, hi: 2 }, after: 'k' },
    // booked in the first stage but listed last: document order and fill order differ
    { name: 'x', x: { expr: 'x', bins: 24, lo: -3, hi: 3 } },
  ],
};

function expectMatchesReference(res: RunResult, table: Record<string, RefColumn>) {
  const ref = referenceRun(DOC, table, ROWS);
  expect(res.rows).toBe(ROWS);
  expect(res.cutflow).toEqual(ref.cutflow);
  for (const [i, h] of res.histograms.entries()) {
    const r = ref.histograms[i]!;
    expect(h.name).toBe(r.name);
    expect(h.bins).toEqual(r.bins);
    expect([h.underflow, h.overflow, h.nan, h.entries]).toEqual([r.underflow, r.overflow, r.nan, r.entries]);
    h.sumw.forEach((s, j) => expect(s).toBeCloseTo(r.sumw[j]!, 6));
    h.sumw2.forEach((s, j) => expect(s).toBeCloseTo(r.sumw2[j]!, 6));
    if (r.sumwIn !== 0) expect(h.mean).toBeCloseTo(r.sumwx / r.sumwIn, 9);
  }
}

describe('engine over loaded columns', () => {
  const table = makeTable(ROWS, 7);
  const columns = Object.entries(table).map(([name, c]) => ({
    info: { name, type: c.type, ...(c.dictionary ? { dictionary: c.dictionary } : {}) },
    values: c.values,
  }));
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
    const slow = toyDoc('pow(exp(sin(x) * cos(y)), 1.5) + atan2(y, x) * log(z + 1)');
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
    const stale = engine.run(toyDoc(heavy), { onPartial: (r) => seen.push(r.gen), onProgress: () => edited() });
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
    const res = await engine.run(toyDoc('pow(exp(sin(x) * cos(y)), 1.5) + atan2(y, x) * log(z + 1)'), {
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

  it('keeps memory flat over 200 runs with distinct expressions', async () => {
    await engine.openDemo({ name: 'toy', rows: 100_000, seed: 1 });
    const gc = (globalThis as { gc?: () => void }).gc;
    const rss = () => { gc?.(); return process.memoryUsage().rss; };
    for (let i = 0; i < 10; i++) await engine.run(toyDoc(`sqrt(x*x + y*y) * ${1 + i / 1000}`));
    const before = rss();
    const mem0 = engine.memory();
    for (let i = 10; i < 200; i++) await engine.run(toyDoc(`sqrt(x*x + y*${i}) + ${i} * z`));
    const growth = rss() - before;
    expect(engine.memory().memoryBytes).toBe(mem0.memoryBytes);
    expect(growth).toBeLessThan(5 * 1024 * 1024);
  });
});
