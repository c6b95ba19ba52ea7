// Minimum and maximum of expressions, found with histogram passes: the engine's
// interface has no min/max reduction of an expression yet,
// but a histogram's under/overflow and occupied bins bracket
// the values, so three passes pin them down:
//   A. t = sign(x)·log10(1+|x|) maps every finite double into [-310, 310];
//      6200 bins there bracket x within a tenth of a decade.
//   B. 4096 bins over that bracket: the occupied span, the mean, a shape.
//   C. 4096 bins inside the first and the last occupied bin of B: the ends to span/4096².
import type { EngineClient } from '../../workers/browser/client';
import type { AnalysisDoc, Histogram } from '../../workers/analysis';
import type { HistogramResult } from '../../workers/protocol';

export interface RangeQuery { expr: string; after?: string }

export interface RangeResult {
  /** finite values seen */
  count: number;
  nan: number;
  min: number;
  max: number;
  mean: number;
  /** counts over [shapeLo, shapeHi) in 4096 bins, for sparklines */
  shape: number[];
  shapeLo: number;
  shapeHi: number;
}

const A_BINS = 6200;
const A_LO = -310;
const A_HI = 310;
const FINE = 4096;
const LIMIT = 8e307;

const logMap = (e: string) => `(${e}) >= 0 ? log10(1 + (${e})) : -log10(1 - (${e}))`;
const unLog = (t: number) => Math.max(-LIMIT, Math.min(LIMIT, t >= 0 ? 10 ** t - 1 : -(10 ** -t - 1)));

function occupied(h: HistogramResult): [first: number, last: number] | null {
  const first = h.bins.findIndex((v) => v > 0);
  if (first < 0) return null;
  let last = h.bins.length - 1;
  while (h.bins[last] === 0) last--;
  return [first, last];
}

/** An edge just outside [lo, hi] so values on the edge stay in range despite rounding. */
const widen = (lo: number, hi: number): [number, number] => {
  const pad = (hi - lo) * 1e-6 + Math.max(Math.abs(lo), Math.abs(hi)) * 1e-12 || 1e-300;
  return [lo - pad, hi + pad];
};

/** Runs the passes over `base` (its defines and cuts; its histograms are replaced). */
export async function findRanges(client: EngineClient, base: AnalysisDoc, queries: RangeQuery[]): Promise<(RangeResult | null)[]> {
  if (queries.length === 0) return [];
  const run = async (hists: Histogram[]) => {
    const r = await client.run({ ...base, histograms: hists });
    if (r.status !== 'done') throw new Error('the range pass was cancelled');
    return r.histograms;
  };
  const axis = (expr: string, bins: number, lo: number, hi: number) => ({ expr, bins, lo, hi });
  const after = (q: RangeQuery) => (q.after !== undefined ? { after: q.after } : {});

  const a = await run(queries.map((q, i) => ({ name: `q${i}`, x: axis(logMap(q.expr), A_BINS, A_LO, A_HI), ...after(q) })));
  const w = (A_HI - A_LO) / A_BINS;
  const brackets = a.map((h) => {
    const occ = occupied(h);
    if (!occ) return null;
    return widen(unLog(A_LO + (occ[0] - 1) * w), unLog(A_LO + (occ[1] + 2) * w));
  });

  const live = queries.map((q, i) => ({ q, i, br: brackets[i] })).filter((x) => x.br);
  if (live.length === 0) return a.map((h) => (h.nan > 0 ? { count: 0, nan: h.nan, min: NaN, max: NaN, mean: NaN, shape: [], shapeLo: 0, shapeHi: 1 } : null));
  const b = await run(live.map(({ q, br }, k) => ({ name: `q${k}`, x: axis(q.expr, FINE, br![0], br![1]), ...after(q) })));

  const ends = b.map((h) => {
    const occ = occupied(h)!;
    const bw = (h.x.hi - h.x.lo) / FINE;
    const edge = (k: number) => h.x.lo + k * bw;
    return { h, lo: widen(edge(occ[0]), edge(occ[0] + 1)), hi: widen(edge(occ[1]), edge(occ[1] + 1)) };
  });
  const c = await run(live.flatMap(({ q }, k) => [
    { name: `lo${k}`, x: axis(q.expr, FINE, ends[k]!.lo[0], ends[k]!.lo[1]), ...after(q) },
    { name: `hi${k}`, x: axis(q.expr, FINE, ends[k]!.hi[0], ends[k]!.hi[1]), ...after(q) },
  ]));

  const out: (RangeResult | null)[] = queries.map(() => null);
  live.forEach(({ i }, k) => {
    const lo = c[2 * k]!;
    const hi = c[2 * k + 1]!;
    const occLo = occupied(lo);
    const occHi = occupied(hi);
    const bw = (h: HistogramResult) => (h.x.hi - h.x.lo) / FINE;
    const min = occLo ? lo.x.lo + occLo[0] * bw(lo) : ends[k]!.lo[0];
    const max = occHi ? hi.x.lo + (occHi[1] + 1) * bw(hi) : ends[k]!.hi[1];
    const h = ends[k]!.h;
    out[i] = {
      count: h.entries, nan: h.nan,
      min: snap(min, bw(lo)), max: snap(max, bw(hi)),
      mean: h.mean, shape: h.bins, shapeLo: h.x.lo, shapeHi: h.x.hi,
    };
  });
  return out;
}

/** A value within one fine bin of a round number is that number (integer data, ±1 charges). */
function snap(v: number, binWidth: number): number {
  const digits = Math.max(0, Math.min(15, Math.ceil(-Math.log10(Math.max(binWidth, 1e-300))) - 1));
  const rounded = Number(v.toFixed(digits));
  return Math.abs(rounded - v) <= binWidth ? rounded : v;
}

export function rebin(bins: readonly number[], n: number): number[] {
  if (bins.length === 0) return [];
  const out = new Array<number>(n).fill(0);
  bins.forEach((v, i) => { out[Math.min(n - 1, Math.floor((i * n) / bins.length))]! += v; });
  return out;
}

/**
 * A histogram range from a min and max: integer data gets one bin per value
 * when that fits, otherwise the range is rounded outwards to a tidy step; the
 * max stays strictly inside, since a range is [lo, hi).
 */
export function niceBinning(min: number, max: number, bins: number, integer: boolean, time?: 'date' | 'timestamp'): { bins: number; lo: number; hi: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { bins, lo: 0, hi: 1 };
  if (time && max - min >= 2 * DAY) return dayBinning(min, max, bins, time === 'date');
  if (integer && Number.isInteger(min) && Number.isInteger(max) && max - min + 1 <= Math.max(bins, 200)) {
    return { bins: max - min + 1, lo: min - 0.5, hi: max + 0.5 };
  }
  if (max <= min) return { bins, lo: min - 0.5, hi: min + 0.5 };
  const step = niceStep((max - min) / 10);
  const lo = Math.floor(min / step) * step;
  let hi = Math.ceil(max / step) * step;
  if (hi <= max) hi += step;
  return { bins, lo: clean(lo), hi: clean(hi) };
}

const DAY = 86400;
const DAY_STEPS = [1, 2, 7, 14, 28, 56, 91, 182, 364];

/**
 * Dates and timestamps spanning days: bins of whole days (1, 2, 7… or a multiple
 * of 364) from the midnight before the first value, at most `bins` of them.
 * A range found by histogram passes (findRanges) may lie a few seconds below
 * the true minimum; dates are whole days, so for them that slack is dropped.
 */
function dayBinning(min: number, max: number, bins: number, dates: boolean): { bins: number; lo: number; hi: number } {
  const lo = Math.floor(min / DAY + (dates ? 1e-3 : 0)) * DAY;
  const need = (max - lo) / DAY / bins;
  const days = DAY_STEPS.find((d) => d >= need) ?? Math.ceil(need / 364) * 364;
  const width = days * DAY;
  const n = Math.floor((max - lo) / width) + 1;
  return { bins: n, lo, hi: lo + n * width };
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

const clean = (v: number) => Number(v.toPrecision(12));
