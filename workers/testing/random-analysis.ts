// Seeded random analyses over random awkward data, for differential tests
// (Sift against its SQL export run by DuckDB): expression trees from
// expr/random.ts over the columns and earlier defines, cut chains, weights,
// 1D and 2D binnings with edges that the data hits exactly.

import { randomExpr, type RandomColumn } from '../expr/random';
import type { AnalysisInput, Histogram } from '../analysis/document';

/** One column of a case's table: f64/f32/i32 numbers, bool 0/1, or dictionary codes. */
export interface CaseColumn {
  type: 'f64' | 'f32' | 'i32' | 'bool' | 'dict';
  values: number[];
  dictionary?: string[];
}

export interface DiffCase {
  doc: AnalysisInput;
  rows: number;
  table: Record<string, CaseColumn>;
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e300, -1e300, 5e-324, -5e-324, 1e-300, 1.7976931348623157e308, 0.5, -0.5, 2.5, -2.5, 1, -1, 3];
const DICTIONARY = ['alpha', 'beta', '', "it's", 'αβγ', 'a"b'];
const WIDTHS = [1, 2, 2.5, 4, 10, 0.1, 1e-3, 1e6, 3];

export function randomTable(rng: () => number, rows: number): Record<string, CaseColumn> {
  const num = (special: number) => () => {
    const r = rng();
    if (r < special) return SPECIAL[Math.floor(rng() * SPECIAL.length)]!;
    if (r < 0.6) return Math.round((rng() - 0.5) * 40) / 4; // quarter steps: exact bin edges
    return (rng() - 0.5) * 10 ** Math.floor(rng() * 6 - 2);
  };
  const fill = (f: () => number) => Array.from({ length: rows }, f);
  return {
    x: { type: 'f64', values: fill(num(0.2)) },
    y: { type: 'f64', values: fill(num(0.1)) },
    z: { type: 'f64', values: fill(num(0.3)) },
    f: { type: 'f32', values: fill(() => Math.fround((rng() - 0.3) * 100)) },
    k: { type: 'i32', values: fill(() => Math.floor(rng() * 21) - 10) },
    b: { type: 'bool', values: fill(() => (rng() < 0.4 ? 1 : 0)) },
    cat: { type: 'dict', values: fill(() => Math.floor(rng() * DICTIONARY.length)), dictionary: [...DICTIONARY] },
  };
}

const COLUMNS: RandomColumn[] = [
  { name: 'x', type: 'num' }, { name: 'y', type: 'num' }, { name: 'z', type: 'num' }, { name: 'f', type: 'num' },
  { name: 'k', type: 'num' }, { name: 'b', type: 'bool' }, { name: 'cat', type: 'dict', dictionary: DICTIONARY },
];

function axis(rng: () => number, scope: RandomColumn[], depth: number) {
  const lo = rng() < 0.3 ? 0 : Math.round((rng() - 0.6) * 20) / 2;
  const width = WIDTHS[Math.floor(rng() * WIDTHS.length)]!;
  const bins = 1 + Math.floor(rng() * (rng() < 0.2 ? 200 : 12));
  const expr = rng() < 0.35 ? scope[Math.floor(rng() * scope.length)]!.name : randomExpr(scope, rng, { maxDepth: depth, type: 'num' });
  return { expr, bins, lo, hi: lo + width };
}

export function randomCase(rng: () => number, opts: { maxRows?: number; maxDepth?: number } = {}): DiffCase {
  const rows = Math.floor(rng() * (opts.maxRows ?? 300));
  const depth = opts.maxDepth ?? 4;
  const table = randomTable(rng, rows);
  const scope = [...COLUMNS];
  const numeric = () => scope.filter((c) => c.type !== 'dict');
  const defines = Array.from({ length: Math.floor(rng() * 4) }, (_, i) => {
    const type = rng() < 0.7 ? 'num' as const : 'bool' as const;
    const d = { name: `d${i}`, expr: randomExpr(scope, rng, { maxDepth: depth, type }) };
    scope.push({ name: d.name, type });
    return d;
  });
  const filters = Array.from({ length: Math.floor(rng() * 4) }, (_, i) => ({
    name: `cut${i}`,
    expr: randomExpr(scope, rng, { maxDepth: depth - 1, type: rng() < 0.8 ? 'bool' : 'num' }),
  }));
  const histograms: Histogram[] = Array.from({ length: 1 + Math.floor(rng() * 3) }, (_, i) => {
    const h: Histogram = { name: `h${i}`, x: axis(rng, numeric(), depth) };
    if (rng() < 0.3) h.y = axis(rng, numeric(), depth - 1);
    if (rng() < 0.4) h.weight = rng() < 0.5 ? numeric()[Math.floor(rng() * numeric().length)]!.name : randomExpr(scope, rng, { maxDepth: 2, type: 'num' });
    if (filters.length > 0 && rng() < 0.7) h.after = filters[Math.floor(rng() * filters.length)]!.name;
    return h;
  });
  return { doc: { version: 1, dataset: { kind: 'file', name: 'case', size: 0 }, defines, filters, histograms }, rows, table };
}
