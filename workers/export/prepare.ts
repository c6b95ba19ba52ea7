// What every export needs from a document: its expression trees, the defines
// in an order where each follows those it uses, the value type of every
// expression, and which columns hold strings. Needs no dataset: a column is a
// string column exactly when an expression compares it with a string literal
// (the checker allows nothing else of string columns).

import type { Expr } from '../expr/ast';
import { formatDiagnostic } from '../expr/diagnostic';
import { constantCall, constantName, lookupFunction, reductionOf } from '../expr/functions';
import { checkShape } from '../analysis/shape';
import type { AnalysisDoc, Axis, DatasetRef } from '../analysis/document';

export type ExprType = 'num' | 'bool' | 'str';

export interface PreparedAxis { ast: Expr; bins: number; lo: number; hi: number }

export interface Prepared {
  doc: AnalysisDoc;
  dataset: DatasetRef;
  /** Defines in evaluation order. */
  defines: { name: string; ast: Expr; type: ExprType }[];
  filters: { name: string; ast: Expr }[];
  histograms: { name: string; x: PreparedAxis; y?: PreparedAxis; weight?: Expr; after: number }[];
  /** Dataset columns the expressions read, in first-use order. */
  columns: string[];
  /** The subset of `columns` that hold strings. */
  stringColumns: Set<string>;
  /** The type of a column or define. */
  typeOf(name: string): ExprType;
}

/** An error in the document that stops an export, with a message a user can act on. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/** Names a tree reads (columns and defines), in source order. Throws on what no export can express. */
function namesOf(e: Expr, out: string[], where: string): void {
  switch (e.kind) {
    case 'name': if (constantName(e.name) === undefined) out.push(e.name); return;
    case 'unary': namesOf(e.arg, out, where); return;
    case 'binary': namesOf(e.left, out, where); namesOf(e.right, out, where); return;
    case 'cond': namesOf(e.test, out, where); namesOf(e.then, out, where); namesOf(e.else, out, where); return;
    case 'call':
      if (reductionOf(e.fn, e.args.length)) throw new ExportError(`${where}: ${e.fn}(…) reduces a list column; list columns can't be exported yet`);
      if (!lookupFunction(e.fn) && constantCall(e.fn) === undefined) throw new ExportError(`${where}: unknown function ${e.fn}`);
      e.args.forEach((a) => namesOf(a, out, where));
      return;
    case 'index': throw new ExportError(`${where}: \`${e.name}[…]\` reads a list column or an array element; they can't be exported yet`);
    default: return;
  }
}

/** String columns: names on one side of == or != with a string literal on the other. */
function stringNames(e: Expr, out: Set<string>): void {
  switch (e.kind) {
    case 'unary': stringNames(e.arg, out); return;
    case 'cond': stringNames(e.test, out); stringNames(e.then, out); stringNames(e.else, out); return;
    case 'call': e.args.forEach((a) => stringNames(a, out)); return;
    case 'binary':
      if ((e.op === '==' || e.op === '!=') && (e.left.kind === 'str' || e.right.kind === 'str')) {
        const other = e.left.kind === 'str' ? e.right : e.left;
        if (other.kind === 'name') out.add(other.name);
        return;
      }
      stringNames(e.left, out); stringNames(e.right, out);
      return;
    default: return;
  }
}

export function prepare(input: unknown): Prepared {
  const shape = checkShape(input);
  const problems = [...shape.structural, ...shape.syntax];
  if (!shape.doc || problems.length > 0) {
    throw new ExportError(`the analysis is not valid:\n${problems.map((d) => '  ' + formatDiagnostic(d)).join('\n')}`);
  }
  const doc = shape.doc;
  const ast = (path: string): Expr => shape.asts.get(path)!;

  const defineAst = new Map(doc.defines.map((d, i) => [d.name, ast(`defines[${i}].expr`)]));
  const columns: string[] = [];
  const seenColumns = new Set<string>();
  const stringColumns = new Set<string>();
  const visit = (e: Expr, where: string) => {
    const names: string[] = [];
    namesOf(e, names, where);
    for (const n of names) {
      if (!defineAst.has(n) && !seenColumns.has(n)) { seenColumns.add(n); columns.push(n); }
    }
    stringNames(e, stringColumns);
  };

  // Defines in dependency order (depth first), refusing cycles.
  const ordered: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const place = (name: string, chain: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') throw new ExportError(`the defines use each other in a cycle: ${[...chain, name].join(' → ')}`);
    state.set(name, 'open');
    const names: string[] = [];
    namesOf(defineAst.get(name)!, names, `define '${name}'`);
    for (const n of names) if (defineAst.has(n)) place(n, [...chain, name]);
    state.set(name, 'done');
    ordered.push(name);
  };
  for (const d of doc.defines) place(d.name, []);

  doc.defines.forEach((d) => visit(defineAst.get(d.name)!, `define '${d.name}'`));
  const filters = doc.filters.map((f, i) => {
    const e = ast(`filters[${i}].expr`);
    visit(e, `filter '${f.name}'`);
    return { name: f.name, ast: e };
  });
  const axis = (a: Axis, path: string, where: string): PreparedAxis => {
    const e = ast(path);
    visit(e, where);
    return { ast: e, bins: a.bins, lo: a.lo, hi: a.hi };
  };
  const histograms = doc.histograms.map((h, i) => {
    const where = `histogram '${h.name}'`;
    const weight = h.weight !== undefined ? ast(`histograms[${i}].weight`) : undefined;
    if (weight) visit(weight, where);
    return {
      name: h.name,
      x: axis(h.x, `histograms[${i}].x.expr`, where),
      ...(h.y ? { y: axis(h.y, `histograms[${i}].y.expr`, where) } : {}),
      ...(weight ? { weight } : {}),
      after: h.after === undefined ? -1 : doc.filters.findIndex((f) => f.name === h.after),
    };
  });

  const defineTypes = new Map<string, ExprType>();
  const typeOf = (name: string): ExprType =>
    defineTypes.get(name) ?? (stringColumns.has(name) ? 'str' : 'num');
  const defines = ordered.map((name) => {
    const type = exprType(defineAst.get(name)!, typeOf);
    defineTypes.set(name, type);
    return { name, ast: defineAst.get(name)!, type };
  });
  return { doc, dataset: doc.dataset, defines, filters, histograms, columns, stringColumns, typeOf };
}

/** The value type of a tree, as the checker gives it (comparisons, logic and isnan/isinf are booleans). */
export function exprType(e: Expr, typeOf: (name: string) => ExprType): ExprType {
  switch (e.kind) {
    case 'num': return 'num';
    case 'bool': return 'bool';
    case 'str': return 'str';
    case 'name': return constantName(e.name) !== undefined ? 'num' : typeOf(e.name);
    case 'unary': return e.op === '!' ? 'bool' : 'num';
    case 'binary': return ['+', '-', '*', '/', '%'].includes(e.op) ? 'num' : 'bool';
    case 'cond': return exprType(e.then, typeOf) === 'bool' && exprType(e.else, typeOf) === 'bool' ? 'bool' : 'num';
    case 'call': return lookupFunction(e.fn)?.result ?? 'num';
    case 'index': return 'num';
  }
}
