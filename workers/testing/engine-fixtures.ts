// Shared by the engine's tests: an awkward table, an analysis that exercises
// every path, and the comparison with the row-at-a-time reference.
import { expect } from 'vitest';
import type { RunResult } from '../protocol';
import type { ColumnData } from '../sources/columns';
import { referenceRun, type RefColumn, type RefDoc } from './reference-run';
import { seededRandom } from '../expr/random';

export const ROWS = 50_003; // not a multiple of anything the engine uses

/** Awkward data: NaN, ±Inf, ±0, exact bin edges, huge and tiny values. */
export function makeTable(rows: number, seed: number): Record<string, RefColumn> {
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

export const DOC: RefDoc & { version: 1; dataset: object } = {
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

export function expectMatchesReference(res: RunResult, table: Record<string, RefColumn>, rows = ROWS, doc: RefDoc = DOC) {
  const ref = referenceRun(doc, table, rows);
  expect(res.rows).toBe(rows);
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


/** The table as the engine takes it. */
export function asColumns(table: Record<string, RefColumn>): ColumnData[] {
  return Object.entries(table).map(([name, c]) => ({
    info: { name, type: c.type, ...(c.dictionary ? { dictionary: c.dictionary } : {}) },
    values: c.values,
  }));
}
