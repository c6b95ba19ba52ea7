// The jobs as DuckDB SQL over table t (x, y, z DOUBLE, k, cat VARCHAR), one
// statement each, with Sift's bin rule written out (README "One bin rule"):
// t = (v - lo) * (n / (hi - lo)); NaN → nan; v >= hi → over; floor(t) < 0 → under;
// else min(floor(t), n - 1). Each histogram is a GROUPING SET over its slot
// (0 NaN, 1 under, 2 + bin, n + 2 over — the plain-JS layout), so Q4 is one
// scan like Sift's one pass; the cut-flow is one more set.
import { Q2, R, X, XY, type JobName } from '../jobs';
import type { Axis1, PlainHist, PlainResult } from '../plain';

export const AXES = { x: X, r: R, xy: XY, zMin: Q2.zMin } as const;

/** A double literal DuckDB reads exactly (a bare 0.5 would be a DECIMAL). */
const num = (v: number) => `CAST('${String(v)}' AS DOUBLE)`;

function slot(v: string, a: Axis1): string {
  const t = `floor((${v} - ${num(a.lo)}) * ${num(a.bins / (a.hi - a.lo))})`;
  return `CASE WHEN isnan(${v}) THEN 0 WHEN ${v} >= ${num(a.hi)} THEN ${a.bins + 2} ` +
    `WHEN ${t} < 0 THEN 1 ELSE CAST(least(${t}, ${a.bins - 1}) AS INTEGER) + 2 END`;
}

const CUT = `CASE WHEN z > ${num(AXES.zMin)} THEN (CASE WHEN cat = 'beta' THEN 2 ELSE 1 END) ELSE 0 END`;
const PART = {
  x: slot('x', X),
  r: `CASE WHEN z > ${num(AXES.zMin)} AND cat = 'beta' THEN ${slot('sqrt(x*x + y*y)', R)} END`,
  xy: `(${slot('x', XY)}) * ${XY.bins + 3} + (${slot('y', XY)})`,
  cut: CUT,
} as const;
type Part = keyof typeof PART;

/** What each job groups by, histograms first in the document's order. */
export const JOB_PARTS: Record<JobName, Part[]> = {
  Q1: ['x'], Q2: ['r', 'cut'], Q3: ['xy'], Q4: ['x', 'r', 'xy', 'cut'],
};

/** One statement returning rows (g: which part, s: its slot, n: rows); read them with fromGroups. */
export function jobSql(job: JobName, table = 't'): string {
  const parts = JOB_PARTS[job];
  const cols = parts.map((p, i) => `${PART[p]} AS p${i}`).join(', ');
  const names = parts.map((_, i) => `p${i}`);
  return `SELECT CAST(grouping(${names.join(', ')}) AS INTEGER) AS g, ` +
    `CAST(coalesce(${names.join(', ')}, -1) AS INTEGER) AS s, CAST(count(*) AS DOUBLE) AS n ` +
    `FROM (SELECT ${cols} FROM ${table}) GROUP BY GROUPING SETS (${names.map((n) => `(${n})`).join(', ')})`;
}

export interface GroupRow { g: number; s: number; n: number }

function hist1(c: Map<number, number>, n: number): PlainHist {
  const bins = new Float64Array(n);
  for (let b = 0; b < n; b++) bins[b] = c.get(b + 2) ?? 0;
  return { bins, nan: c.get(0) ?? 0, underflow: c.get(1) ?? 0, overflow: c.get(n + 2) ?? 0 };
}

function hist2(c: Map<number, number>, nx: number, ny: number): PlainHist {
  const h: PlainHist = { bins: new Float64Array(nx * ny), nan: 0, underflow: 0, overflow: 0 };
  for (const [cell, n] of c) {
    const i = Math.floor(cell / (ny + 3)), j = cell % (ny + 3);
    if (i === 0 || j === 0) h.nan += n;
    else if (i === 1 || j === 1) h.underflow += n;
    else if (i === nx + 2 || j === ny + 2) h.overflow += n;
    else h.bins[(i - 2) * ny + (j - 2)] = n;
  }
  return h;
}

/** The query's rows as the plain-JS result shape: histograms in order, then the cut-flow. */
export function fromGroups(job: JobName, rows: Iterable<GroupRow>): PlainResult {
  const parts = JOB_PARTS[job];
  const m = parts.length;
  const counts = parts.map(() => new Map<number, number>());
  for (const { g, s, n } of rows) {
    // grouping() sets bit (m - 1 - i) for every column the row is not grouped by
    const i = parts.findIndex((_, k) => g === (2 ** m - 1) - 2 ** (m - 1 - k));
    if (i < 0) throw new Error(`${job}: unexpected grouping id ${g}`);
    if (s >= 0) counts[i]!.set(s, (counts[i]!.get(s) ?? 0) + n);
  }
  const histograms: PlainHist[] = [];
  let cutflow: number[] = [];
  parts.forEach((p, i) => {
    const c = counts[i]!;
    if (p === 'x') histograms.push(hist1(c, X.bins));
    else if (p === 'r') histograms.push(hist1(c, R.bins));
    else if (p === 'xy') histograms.push(hist2(c, XY.bins, XY.bins));
    else cutflow = [(c.get(1) ?? 0) + (c.get(2) ?? 0), c.get(2) ?? 0];
  });
  return { histograms, cutflow };
}
