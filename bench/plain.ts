// The same jobs as plain-JS typed-array loops on one thread: the baseline Sift
// must beat, and the reference its bins must equal exactly.
// Bin rule (kernels/layout.ts): NaN → no bin; x >= hi → overflow;
// b = floor((x - lo) * (n / (hi - lo))); b < 0 → underflow; else min(b, n - 1).
import type { ToyTable } from './toy-table';

export interface Axis1 { bins: number; lo: number; hi: number }

/** One histogram as HistogramResult reports it; 2D bins are row-major, index ix * ny + iy. */
export interface PlainHist {
  bins: Float64Array;
  underflow: number;
  overflow: number;
  nan: number;
}

export interface PlainResult {
  histograms: PlainHist[];
  /** rows passing each filter, in order */
  cutflow: number[];
}

// Counts are laid out [nan, under, bin 0 .. bin n-1, over] so a fill is one increment.

/** Index into such a layout: 0 NaN, 1 under, 2 + b a bin, n + 2 over. */
function slot(v: number, lo: number, hi: number, scale: number, n: number): number {
  if (v !== v) return 0;
  if (v >= hi) return n + 2;
  const b = Math.floor((v - lo) * scale);
  return b < 0 ? 1 : (b < n ? b : n - 1) + 2;
}

function finish1d(c: Float64Array, n: number): PlainHist {
  return { bins: c.slice(2, n + 2), nan: c[0]!, underflow: c[1]!, overflow: c[n + 2]! };
}

/** 2D: counts over the grid of slot pairs, cell i * (ny + 3) + j, combined at the end as the engine does. */
function finish2d(c: Float64Array, nx: number, ny: number): PlainHist {
  const h: PlainHist = { bins: new Float64Array(nx * ny), nan: 0, underflow: 0, overflow: 0 };
  for (let i = 0; i < nx + 3; i++) {
    for (let j = 0; j < ny + 3; j++) {
      const n = c[i * (ny + 3) + j]!;
      if (i === 0 || j === 0) h.nan += n;
      else if (i === 1 || j === 1) h.underflow += n;
      else if (i === nx + 2 || j === ny + 2) h.overflow += n;
      else h.bins[(i - 2) * ny + (j - 2)] = n;
    }
  }
  return h;
}

export interface Q2Spec { zMin: number; cat: number; r: Axis1 }

/** Q1: histogram of x. */
export function plainQ1(t: ToyTable, a: Axis1): PlainResult {
  const { x, rows } = t;
  const { bins: n, lo, hi } = a;
  const scale = n / (hi - lo);
  const c = new Float64Array(n + 3);
  for (let i = 0; i < rows; i++) c[slot(x[i]!, lo, hi, scale, n)]!++;
  return { histograms: [finish1d(c, n)], cutflow: [] };
}

/** Q2: r = sqrt(x*x + y*y) for rows with z > zMin, then cat == code. */
export function plainQ2(t: ToyTable, q: Q2Spec): PlainResult {
  const { x, y, z, cat, rows } = t;
  const { zMin, cat: code } = q;
  const { bins: n, lo, hi } = q.r;
  const scale = n / (hi - lo);
  const c = new Float64Array(n + 3);
  let passZ = 0, passCat = 0;
  for (let i = 0; i < rows; i++) {
    if (!(z[i]! > zMin)) continue;
    passZ++;
    if (cat[i] !== code) continue;
    passCat++;
    const xi = x[i]!, yi = y[i]!;
    c[slot(Math.sqrt(xi * xi + yi * yi), lo, hi, scale, n)]!++;
  }
  return { histograms: [finish1d(c, n)], cutflow: [passZ, passCat] };
}

/** Q3: 2D histogram of (x, y). */
export function plainQ3(t: ToyTable, ax: Axis1, ay: Axis1): PlainResult {
  const { x, y, rows } = t;
  const nx = ax.bins, xlo = ax.lo, xhi = ax.hi, sx = nx / (xhi - xlo);
  const ny = ay.bins, ylo = ay.lo, yhi = ay.hi, sy = ny / (yhi - ylo), row = ny + 3;
  const c = new Float64Array((nx + 3) * row);
  for (let i = 0; i < rows; i++) c[slot(x[i]!, xlo, xhi, sx, nx) * row + slot(y[i]!, ylo, yhi, sy, ny)]!++;
  return { histograms: [finish2d(c, nx, ny)], cutflow: [] };
}

/** Q4: Q1, Q2 and Q3 in one pass over the rows. */
export function plainQ4(t: ToyTable, a1: Axis1, q: Q2Spec, ax: Axis1, ay: Axis1): PlainResult {
  const { x, y, z, cat, rows } = t;
  const { zMin, cat: code } = q;
  const n1 = a1.bins, lo1 = a1.lo, hi1 = a1.hi, s1 = n1 / (hi1 - lo1);
  const n2 = q.r.bins, lo2 = q.r.lo, hi2 = q.r.hi, s2 = n2 / (hi2 - lo2);
  const nx = ax.bins, xlo = ax.lo, xhi = ax.hi, sx = nx / (xhi - xlo);
  const ny = ay.bins, ylo = ay.lo, yhi = ay.hi, sy = ny / (yhi - ylo), row = ny + 3;
  const c1 = new Float64Array(n1 + 3), c2 = new Float64Array(n2 + 3), c3 = new Float64Array((nx + 3) * row);
  let passZ = 0, passCat = 0;
  for (let i = 0; i < rows; i++) {
    const xi = x[i]!, yi = y[i]!;
    c1[slot(xi, lo1, hi1, s1, n1)]!++;
    c3[slot(xi, xlo, xhi, sx, nx) * row + slot(yi, ylo, yhi, sy, ny)]!++;
    if (!(z[i]! > zMin)) continue;
    passZ++;
    if (cat[i] !== code) continue;
    passCat++;
    c2[slot(Math.sqrt(xi * xi + yi * yi), lo2, hi2, s2, n2)]!++;
  }
  return { histograms: [finish1d(c1, n1), finish1d(c2, n2), finish2d(c3, nx, ny)], cutflow: [passZ, passCat] };
}
