// The analysis document against the open dataset: names, cycles, types, and
// the typed IR the planner compiles. Collects every problem it can find.

import { Op } from '../../kernels/opcodes';
import { exprNames, type Expr } from '../expr/ast';
import { checkExpr, type Env, type NameInfo } from '../expr/check';
import { atPath, type Diagnostic } from '../expr/diagnostic';
import { foldIR } from '../expr/fold';
import { irNames, type IR } from '../expr/ir';
import { orderDefines } from './define-order';
import type { DerivedColumn } from '../expr/jagged';
import type { CheckedAnalysis, CheckedAxis, ColumnType, DatasetSchema } from './document';
import { checkShape } from './shape';

export type ValidateResult = { ok: true; analysis: CheckedAnalysis } | { ok: false; diagnostics: Diagnostic[] };

const columnInfo = (type: ColumnType, dictionary?: readonly string[]): NameInfo =>
  type === 'dict' ? { kind: 'column', type: 'dict', dictionary: dictionary ?? [] }
  : { kind: 'column', type: type === 'bool' ? 'bool' : 'num' };

export function validate(input: unknown, schema: DatasetSchema): ValidateResult {
  const shape = checkShape(input);
  const doc = shape.doc;
  if (!doc) return { ok: false, diagnostics: [...shape.structural, ...shape.syntax] };
  const diagnostics: Diagnostic[] = [...shape.syntax];
  const report = (path: string, message: string, extra: Partial<Diagnostic> = {}) => diagnostics.push({ path, message, ...extra });

  const columns = new Map<string, NameInfo>();
  for (const c of schema.columns) if (!columns.has(c.name)) columns.set(c.name, columnInfo(c.type, c.dictionary));
  for (const c of schema.jagged ?? []) if (!columns.has(c.name)) columns.set(c.name, { ...columnInfo(c.elementType, c.dictionary), jagged: true });

  // Defines: a define may not shadow a column; the rest form a graph by the defines they use.
  const defineAt = new Map<string, number>();
  doc.defines.forEach((d, i) => {
    if (columns.has(d.name)) report(`defines[${i}].name`, `define '${d.name}' has the same name as a column of the dataset; choose another name`, { name: d.name });
    else defineAt.set(d.name, i);
  });
  const ast = (i: number): Expr | undefined => shape.asts.get(`defines[${i}].expr`);
  const refs = doc.defines.map((_, i) => {
    const a = ast(i);
    return a ? exprNames(a).filter((n) => defineAt.has(n.name)) : [];
  });
  const uses = refs.map((rs) => [...new Set(rs.map((r) => defineAt.get(r.name)!))]);
  const { order, cycles, cyclic } = orderDefines(uses);
  for (const cycle of cycles) {
    const [a, b] = cycle;
    const at = refs[a].find((r) => r.name === doc.defines[b].name)!;
    const names = cycle.map((i) => doc.defines[i].name).join(' → ');
    const message = cycle.length === 2
      ? `define '${doc.defines[a].name}' uses itself; a define can only use columns and other defines`
      : `defines form a cycle: ${names}; a define can't use itself, directly or through others`;
    report(`defines[${a}].expr`, message, { start: at.span.start, end: at.span.end, name: doc.defines[a].name });
  }

  // Types, in dependency order: each define is checked once the defines it uses are.
  const defineInfo = new Map<string, NameInfo>();
  const env: Env = {
    lookup: (n) => columns.get(n) ?? defineInfo.get(n) ?? (defineAt.has(n) ? { kind: 'define', type: 'error' } : undefined),
    names: () => [...columns.keys(), ...defineAt.keys()],
  };
  // Reductions of list columns, each once across the document; a name a column already has would be ambiguous.
  const derived = new Map<string, DerivedColumn>();
  const check = (e: Expr | undefined, path: string, role: string, define?: string) => {
    if (!e) return undefined;
    const r = checkExpr(e, env, { role, ...(define !== undefined ? { define } : {}) });
    if (!r.ok) { diagnostics.push(...atPath(r.diagnostics, path)); return undefined; }
    for (const d of r.derived) {
      if (derived.has(d.name)) continue;
      derived.set(d.name, d);
      if (columns.has(d.name)) report(path, `the dataset has a column named '${d.name}', the same text as the reduction written here, which Sift can't tell apart; this dataset can't use this reduction`, { name: d.name });
    }
    return { ir: foldIR(r.ir), type: r.type };
  };

  const defines: CheckedAnalysis['defines'] = [];
  for (const i of order) {
    const d = doc.defines[i];
    if (defineAt.get(d.name) !== i || cyclic.has(i)) continue;
    const r = check(ast(i), `defines[${i}].expr`, `define '${d.name}'`, d.name);
    if (!r) continue;
    defineInfo.set(d.name, { kind: 'define', type: r.type, expr: ast(i) });
    defines.push({ name: d.name, ir: r.ir, deps: irNames(r.ir).refs });
  }

  const filters: CheckedAnalysis['filters'] = [];
  doc.filters.forEach((f, i) => {
    const path = `filters[${i}].expr`;
    const r = check(shape.asts.get(path), path, `filter '${f.name}'`);
    // A number as a filter keeps the rows where it is non-zero, as in C.
    if (r) filters.push({ name: f.name, ir: r.type === 'bool' ? r.ir : foldIR({ t: 'op', op: Op.TRUTH, args: [r.ir], type: 'bool' }) });
  });

  const histograms: CheckedAnalysis['histograms'] = [];
  doc.histograms.forEach((h, i) => {
    const path = `histograms[${i}]`;
    const axis = (which: 'x' | 'y'): CheckedAxis | undefined => {
      const a = h[which]!;
      const r = check(shape.asts.get(`${path}.${which}.expr`), `${path}.${which}.expr`, `the ${which} axis of histogram '${h.name}'`);
      return r && { ir: r.ir, bins: a.bins, lo: a.lo, hi: a.hi };
    };
    const x = axis('x');
    const y = h.y ? axis('y') : undefined;
    const weight: IR | undefined = h.weight === undefined ? undefined : check(shape.asts.get(`${path}.weight`), `${path}.weight`, `the weight of histogram '${h.name}'`)?.ir;
    if (!x || (h.y && !y) || (h.weight !== undefined && !weight)) return;
    const after = h.after === undefined ? -1 : doc.filters.findIndex((f) => f.name === h.after);
    histograms.push({ name: h.name, x, ...(y ? { y } : {}), ...(weight ? { weight } : {}), after });
  });

  if (diagnostics.length > 0) return { ok: false, diagnostics: byPath(diagnostics) };
  return { ok: true, analysis: { doc, defines, filters, histograms, derived: [...derived.values()] } };
}

/** Document order (defines, filters, histograms, by index), then source order within an expression. */
function byPath(ds: Diagnostic[]): Diagnostic[] {
  const rank = (p = '') => {
    const m = /^(defines|filters|histograms)\[(\d+)\]/.exec(p);
    return m ? ['defines', 'filters', 'histograms'].indexOf(m[1]) * 1e9 + Number(m[2]) : -1;
  };
  const seen = new Map<string, number>();
  for (const d of ds) if (!seen.has(d.path ?? '')) seen.set(d.path ?? '', seen.size);
  return ds.map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d.path) - rank(b.d.path) || seen.get(a.d.path ?? '')! - seen.get(b.d.path ?? '')!
      || (a.d.start ?? -1) - (b.d.start ?? -1) || a.i - b.i)
    .map(({ d }) => d);
}
