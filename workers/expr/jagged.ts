// Reductions over list ("jagged") columns, like NanoAOD's `Jet_pt[nJet]`. The
// checker turns each reduction into a derived column named by its canonical
// text; the engine computes those columns with evalDerived before the VM runs,
// and the compiled program reads them as ordinary columns.

import type { Expr, Span } from './ast';
import type { Env } from './check';
import { exprNames } from './ast';
import { constantCall, constantName, lookupFunction, reductionOf, type Reduction } from './functions';
import { evalExpr } from './reference';

export interface DerivedColumn {
  /** The reduction's canonical text (`sum(Jet_pt * 2)`, `Jet_pt[0]`): the IR reads it as `{ t: 'col', name }`. */
  name: string;
  type: 'num' | 'bool';
  reduce: Reduction | 'index';
  /** For 'index': which element (NaN where the list is shorter). */
  index?: number;
  /**
   * The element-wise expression (absent for size and index), with defines
   * written out, constants as numbers and functions under their canonical names,
   * so it reads only `jagged` and `scalars`. Spans point into various sources.
   */
  element?: Expr;
  /** The list columns it reads. */
  jagged: string[];
  /** The one-value-per-row columns it reads. */
  scalars: string[];
}

/** A list column over `rows` rows: row r holds values[offsets[r] .. offsets[r + 1]). */
export interface JaggedColumn {
  offsets: Uint32Array;
  values: Float64Array;
}

/** An index written as a whole number ≥ 0 that fits the u32 offsets, else undefined. */
export function literalIndex(e: Expr): number | undefined {
  return e.kind === 'num' && Number.isInteger(e.value) && e.value >= 0 && e.value <= 0xffffffff ? e.value : undefined;
}

/** Bounds on an element expression once defines are written out: a chain of defines could double it at each step. */
const MAX_ELEMENT_NODES = 10_000;
const MAX_ELEMENT_HEIGHT = 1_000;

class Fail {
  constructor(readonly message: string, readonly at: Span) {}
}

export type ResolveResult = { ok: true; ast: Expr } | { ok: false; message: string; at: Span };

/**
 * The element expression of `fn(e)` as the evaluator needs it: defines written
 * out (they must not reduce lists themselves), `x[0]` that names a column
 * turned into that name, constants into numbers, function aliases into their
 * canonical names (so `fabs` and `abs` give one derived column). `e` has been
 * type-checked: what is left to find are reductions hidden in defines.
 */
export function resolveElement(e: Expr, env: Env, fn: string): ResolveResult {
  const done = new Map<string, Expr>();
  const open = new Set<string>();
  const nested = (via: string | undefined, what: string, at: Span) => new Fail(via === undefined
    ? `${what} can't be used inside ${fn}(…): reductions can't be nested`
    : `define '${via}' ${what}, so it can't be used inside ${fn}(…): reductions can't be nested`, at);

  const define = (name: string, at: Span, depth: number): Expr => {
    const ready = done.get(name);
    if (ready) return ready;
    const info = env.lookup(name);
    if (open.has(name) || !info?.expr) throw new Fail(`define '${name}' can't be written out inside ${fn}(…)`, at);
    open.add(name);
    const out = walk(info.expr, name, at, depth);
    open.delete(name);
    done.set(name, out);
    return out;
  };

  // `at`: where the expression being resolved is, in the text the user is editing.
  const walk = (x: Expr, via: string | undefined, at: Span | undefined, depth: number): Expr => {
    const here = at ?? x.span;
    if (depth > MAX_ELEMENT_HEIGHT) throw tooLarge();
    const sub = (y: Expr) => walk(y, via, at, depth + 1);
    switch (x.kind) {
      case 'num': case 'bool': case 'str': return x;
      case 'name': {
        const k = constantName(x.name);
        if (k !== undefined) return { kind: 'num', value: k, span: x.span };
        return env.lookup(x.name)?.kind === 'define' ? define(x.name, here, depth) : x;
      }
      case 'unary': return { ...x, arg: sub(x.arg) };
      case 'binary': return { ...x, left: sub(x.left), right: sub(x.right) };
      case 'cond': return { ...x, test: sub(x.test), then: sub(x.then), else: sub(x.else) };
      case 'call': {
        if (reductionOf(x.fn, x.args.length)) throw nested(via, via === undefined ? `${x.fn}(…)` : `reduces a list column with ${x.fn}(…)`, here);
        const k = constantCall(x.fn);
        if (k !== undefined) return { kind: 'num', value: k, span: x.span };
        return { ...x, fn: lookupFunction(x.fn)?.canonical ?? x.fn, args: x.args.map(sub) };
      }
      case 'index': {
        const k = literalIndex(x.index);
        const flat = `${x.name}[${String(k)}]`;
        if (k !== undefined && !env.lookup(x.name)?.jagged && env.lookup(flat)?.kind === 'column') return { kind: 'name', name: flat, span: x.span };
        throw nested(via, via === undefined ? `${x.name}[…]` : `takes an element of the list '${x.name}'`, here);
      }
    }
  };

  const tooLarge = () => new Fail(`the argument of ${fn} is too large once the defines it uses are written out (over ${MAX_ELEMENT_NODES} terms or ${MAX_ELEMENT_HEIGHT} levels); simplify those defines`, e.span);
  try {
    const ast = walk(e, undefined, undefined, 1);
    const { nodes, height } = measure(ast);
    if (nodes > MAX_ELEMENT_NODES || height > MAX_ELEMENT_HEIGHT) throw tooLarge();
    return { ok: true, ast };
  } catch (f) {
    if (f instanceof Fail) return { ok: false, message: f.message, at: f.at };
    throw f;
  }
}

/** Size and height of a tree whose subtrees may be shared (written-out defines), counted as if copied. */
function measure(root: Expr): { nodes: number; height: number } {
  const memo = new Map<Expr, { nodes: number; height: number }>();
  const visit = (x: Expr, depth: number): { nodes: number; height: number } => {
    const seen = memo.get(x);
    if (seen) return seen;
    if (depth > MAX_ELEMENT_HEIGHT) return { nodes: Infinity, height: Infinity };
    const kids = x.kind === 'unary' ? [x.arg] : x.kind === 'binary' ? [x.left, x.right]
      : x.kind === 'cond' ? [x.test, x.then, x.else] : x.kind === 'call' ? x.args : [];
    let nodes = 1;
    let height = 0;
    for (const k of kids) {
      const m = visit(k, depth + 1);
      nodes += m.nodes;
      height = Math.max(height, m.height);
    }
    const out = { nodes, height: height + 1 };
    memo.set(x, out);
    return out;
  };
  return visit(root, 1);
}

/** The columns a resolved element expression reads, each once, in first-use order. */
export function elementColumns(ast: Expr, env: Env): { jagged: string[]; scalars: string[] } {
  const jagged = new Set<string>();
  const scalars = new Set<string>();
  for (const n of exprNames(ast)) (env.lookup(n.name)?.jagged ? jagged : scalars).add(n.name);
  return { jagged: [...jagged], scalars: [...scalars] };
}

/**
 * The derived column `spec` over `rows` rows, one value per row, computed row by
 * row in plain JS. The element expression has the semantics of the reference
 * evaluator (evalExpr), applied to each element: a list column reads as the
 * element, a scalar column as the row's value. When the lists of one row have
 * different lengths, the shortest decides how many elements there are.
 * Empty lists: size and sum and count give 0, min max mean give NaN, any false,
 * all true; an index past the end gives NaN. A NaN element makes sum, min, max
 * and mean NaN (as min(a, b) does); as a test, NaN is true (as in C).
 * `dictionaries` holds the strings of dictionary-encoded columns, whose values are codes.
 */
export function evalDerived(
  spec: DerivedColumn,
  rows: number,
  jagged: (name: string) => JaggedColumn,
  scalar: (name: string) => ArrayLike<number>,
  dictionaries?: Record<string, readonly string[]>,
): Float64Array {
  const out = new Float64Array(rows);
  const lists = spec.jagged.map((n) => checked(n, jagged(n), rows));
  if (lists.length === 0) throw new Error(`evalDerived: '${spec.name}' reads no list column`);
  if (spec.reduce === 'size' || spec.reduce === 'index') {
    const { offsets, values } = lists[0];
    const k = spec.index ?? 0;
    for (let r = 0; r < rows; r++) {
      const n = offsets[r + 1] - offsets[r];
      out[r] = spec.reduce === 'size' ? n : k < n ? values[offsets[r] + k] : NaN;
    }
    return out;
  }
  const element = spec.element;
  if (!element) throw new Error(`evalDerived: '${spec.name}' has no element expression`);
  const listOf = new Map(spec.jagged.map((n, i) => [n, lists[i]] as const));
  const scalarOf = new Map(spec.scalars.map((n) => [n, scalar(n)] as const));
  let row = 0;
  let k = 0;
  const lookup = (name: string): number => {
    const l = listOf.get(name);
    if (l) return l.values[l.offsets[row] + k];
    const s = scalarOf.get(name);
    if (s) return s[row];
    throw new ReferenceError(`evalDerived: '${spec.name}' reads '${name}', which it does not list`);
  };
  const opts = dictionaries ? { dictionaries } : {};
  // sum(Jet_pt) and the like are most reductions: read those elements without the tree walk.
  const bare = element.kind === 'name' ? listOf.get(element.name) : undefined;
  const at = bare ? () => bare.values[bare.offsets[row] + k] : () => evalExpr(element, lookup, opts);
  for (row = 0; row < rows; row++) {
    let n = Infinity;
    for (const l of lists) n = Math.min(n, l.offsets[row + 1] - l.offsets[row]);
    let v: number;
    switch (spec.reduce) {
      case 'sum': case 'mean': {
        let s = 0;
        for (k = 0; k < n; k++) s += at();
        v = spec.reduce === 'sum' ? s : n === 0 ? NaN : s / n;
        break;
      }
      case 'min': case 'max': {
        const pick = spec.reduce === 'min' ? Math.min : Math.max;
        v = n === 0 ? NaN : spec.reduce === 'min' ? Infinity : -Infinity;
        for (k = 0; k < n; k++) v = pick(v, at());
        break;
      }
      case 'any':
        v = 0;
        for (k = 0; k < n && v === 0; k++) if (at() !== 0) v = 1;
        break;
      case 'all':
        v = 1;
        for (k = 0; k < n && v === 1; k++) if (at() === 0) v = 0;
        break;
      case 'count':
        v = 0;
        for (k = 0; k < n; k++) if (at() !== 0) v++;
        break;
      default: throw new Error(`evalDerived: unknown reduction '${String(spec.reduce)}'`);
    }
    out[row] = v;
  }
  return out;
}

/** Offsets that stay inside the values: a bad column is the engine's bug, and must not read garbage. */
function checked(name: string, c: JaggedColumn, rows: number): JaggedColumn {
  const { offsets, values } = c;
  if (offsets.length < rows + 1) throw new RangeError(`evalDerived: '${name}' has ${offsets.length} offsets for ${rows} rows (needs rows + 1)`);
  for (let r = 0; r < rows; r++) {
    if (offsets[r + 1] < offsets[r]) throw new RangeError(`evalDerived: the offsets of '${name}' decrease at row ${r}`);
  }
  if (offsets[rows] > values.length) throw new RangeError(`evalDerived: the offsets of '${name}' run past its ${values.length} values`);
  return c;
}
