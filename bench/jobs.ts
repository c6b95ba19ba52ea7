// The benchmark jobs on the toy dataset: each as an analysis document for Sift,
// the columns it reads (for the bandwidth floor) and the same job in plain JS.
import { TOY } from '../workers/demo/datasets';
import type { AnalysisInput, Histogram } from '../workers/analysis/document';
import { plainQ1, plainQ2, plainQ3, plainQ4, type Axis1, type PlainResult, type Q2Spec } from './plain';
import type { ToyTable } from './toy-table';

export type JobName = 'Q1' | 'Q2' | 'Q3' | 'Q4';

export interface Job {
  name: JobName;
  what: string;
  doc: AnalysisInput;
  /** columns the job reads: what the floor scans */
  columns: string[];
  plain(t: ToyTable): PlainResult;
}

export const X: Axis1 = { bins: 100, lo: -5, hi: 5 };
export const R: Axis1 = { bins: 100, lo: 0, hi: 5 };
export const XY: Axis1 = { bins: 50, lo: -5, hi: 5 };
const BETA = TOY.columns.find((c) => c.name === 'cat')!.dictionary!.indexOf('beta');
export const Q2: Q2Spec = { zMin: 0.5, cat: BETA, r: R };

const hx: Histogram = { name: 'x', x: { expr: 'x', ...X } };
const hr: Histogram = { name: 'r', x: { expr: 'r', ...R }, after: 'beta' };
const hxy: Histogram = { name: 'xy', x: { expr: 'x', ...XY }, y: { expr: 'y', ...XY } };
const defines = [{ name: 'r', expr: 'sqrt(x*x + y*y)' }];
const filters = [{ name: 'z_cut', expr: `z > ${Q2.zMin}` }, { name: 'beta', expr: 'cat == "beta"' }];

export function jobs(rows: number, seed: number): Job[] {
  const dataset = { kind: 'demo' as const, name: TOY.name, rows, seed };
  return [
    {
      name: 'Q1', what: 'histogram of x, 100 bins',
      doc: { version: 1, dataset, histograms: [hx] },
      columns: ['x'],
      plain: (t) => plainQ1(t, X),
    },
    {
      name: 'Q2', what: 'sqrt(x*x + y*y) where z > 0.5 and cat == "beta", 100 bins',
      doc: { version: 1, dataset, defines, filters, histograms: [hr] },
      columns: ['x', 'y', 'z', 'cat'],
      plain: (t) => plainQ2(t, Q2),
    },
    {
      name: 'Q3', what: '2D histogram of (x, y), 50×50',
      doc: { version: 1, dataset, histograms: [hxy] },
      columns: ['x', 'y'],
      plain: (t) => plainQ3(t, XY, XY),
    },
    {
      name: 'Q4', what: 'Q1 + Q2 + Q3 in one document',
      doc: { version: 1, dataset, defines, filters, histograms: [hx, hr, hxy] },
      columns: ['x', 'y', 'z', 'cat'],
      plain: (t) => plainQ4(t, X, Q2, XY, XY),
    },
  ];
}
