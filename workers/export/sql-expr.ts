// Expressions as SQL with Sift's semantics. Numbers are DOUBLE, booleans are
// BOOLEAN (never NULL). Where SQL engines differ from Sift, the translation
// says so in the SQL it writes:
// - DuckDB, Spark and PostgreSQL order NaN above every number and make
//   NaN = NaN true; Sift (like C) makes every comparison with NaN false except
//   `!=`. So `a < b` becomes `(a < b AND NOT isnan(b))` and so on.
// - DuckDB raises errors where C returns NaN or ±Inf (sqrt and log of
//   negatives, log(0), asin(2), sin(inf)), so those are guarded.
// - sign, min/max (NaN and -0) and hypot are written out; DuckDB has no hypot.
// - `0.5` is a DECIMAL literal in DuckDB; every number is written with an
//   exponent (`5e-1`), which is a DOUBLE in DuckDB, Spark and standard SQL.
// An operand needed twice is computed once: `share` hoists a long one into a
// column of an earlier step (see sql.ts), so the text stays linear in size.

import type { Expr } from '../expr/ast';
import { constantCall, constantName, lookupFunction } from '../expr/functions';
import { exprType, type ExprType } from './prepare';

/** A piece of SQL and the step level of the newest column it reads (0: source columns only). */
export interface Frag { sql: string; level: number }

export interface SqlScope {
  /** The SQL column holding a column's or define's value, and its level. */
  ref(name: string): Frag;
  typeOf(name: string): ExprType;
  /** Computes `f` once, as a column of a later step, and returns that column. */
  hoist(f: Frag, type: 'num' | 'bool'): Frag;
}

/** `"name"` with quotes doubled: any column name is a valid SQL identifier so. */
export function sqlIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

export function sqlString(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

const NAN = "CAST('NaN' AS DOUBLE)";
const INF = "CAST('Infinity' AS DOUBLE)";
const NEG_INF = "CAST('-Infinity' AS DOUBLE)";

/** A DOUBLE literal that reads back as exactly `v`, never starting with `-` next to another `-` (`--` opens a comment). */
export function sqlNumber(v: number): string {
  if (Number.isNaN(v)) return NAN;
  if (v === Infinity) return INF;
  if (v === -Infinity) return NEG_INF;
  if (Object.is(v, -0)) return "CAST('-0.0' AS DOUBLE)";
  const text = v.toExponential().replace('e+', 'e');
  return v < 0 ? `(${text})` : text;
}

const leaf = (sql: string, level = 0): Frag => ({ sql, level });
const join = (parts: Frag[], make: (...s: string[]) => string): Frag =>
  ({ sql: make(...parts.map((p) => p.sql)), level: Math.max(0, ...parts.map((p) => p.level)) });

/** Short or atomic SQL may be written twice; longer SQL is hoisted so each operand is written once. */
const SHARE_LIMIT = 40;

export class SqlExpr {
  constructor(private readonly scope: SqlScope) {}

  private type(e: Expr): ExprType {
    return exprType(e, (n) => this.scope.typeOf(n));
  }

  private share(f: Frag, type: 'num' | 'bool'): Frag {
    return f.sql.length <= SHARE_LIMIT ? f : this.scope.hoist(f, type);
  }

  /** The value as a DOUBLE (booleans 1 and 0). */
  num(e: Expr): Frag {
    if (this.type(e) === 'bool') return join([this.bool(e)], (b) => `CASE WHEN ${b} THEN 1e0 ELSE 0e0 END`);
    switch (e.kind) {
      case 'num': return leaf(sqlNumber(e.value));
      case 'name': {
        const k = constantName(e.name);
        return k !== undefined ? leaf(sqlNumber(k)) : this.scope.ref(e.name);
      }
      case 'unary': return e.op === '-' ? join([this.num(e.arg)], (a) => `(-${a})`) : this.num(e.arg);
      case 'binary': {
        const op = e.op === '%' ? '%' : e.op;
        return join([this.num(e.left), this.num(e.right)], (a, b) => `(${a} ${op} ${b})`);
      }
      case 'cond': return join([this.bool(e.test), this.num(e.then), this.num(e.else)], (t, a, b) => `CASE WHEN ${t} THEN ${a} ELSE ${b} END`);
      case 'call': return this.call(e);
      default: throw new Error(`sql: no number from ${e.kind}`);
    }
  }

  /** The truth of the value as a BOOLEAN: numbers are true when != 0, NaN included, as in C. */
  bool(e: Expr): Frag {
    if (this.type(e) === 'num') return join([this.num(e)], (a) => `(${a} <> 0e0)`);
    switch (e.kind) {
      case 'bool': return leaf(e.value ? 'TRUE' : 'FALSE');
      case 'name': return this.scope.ref(e.name);
      case 'unary': return e.op === '!' ? join([this.bool(e.arg)], (a) => `(NOT ${a})`) : this.bool(e.arg);
      case 'binary': return this.binaryBool(e);
      case 'cond': return join([this.bool(e.test), this.bool(e.then), this.bool(e.else)], (t, a, b) => `CASE WHEN ${t} THEN ${a} ELSE ${b} END`);
      case 'call': {
        const fn = lookupFunction(e.fn)!.canonical;
        return join([this.num(e.args[0]!)], (a) => `${fn}(${a})`); // isnan, isinf
      }
      default: throw new Error(`sql: no boolean from ${e.kind}`);
    }
  }

  private binaryBool(e: Extract<Expr, { kind: 'binary' }>): Frag {
    const { op, left, right } = e;
    if (op === '&&' || op === '||') {
      return join([this.bool(left), this.bool(right)], (a, b) => `(${a} ${op === '&&' ? 'AND' : 'OR'} ${b})`);
    }
    if (left.kind === 'str' || right.kind === 'str') {
      const [col, str] = left.kind === 'str' ? [right, left] : [left, right];
      const value = sqlString((str as { value: string }).value);
      const column = col.kind === 'name' ? this.scope.ref(col.name) : leaf(sqlString((col as { value: string }).value));
      return join([column], (c) => `(${c} ${op === '==' ? '=' : '<>'} ${value})`);
    }
    // Two booleans can't be NaN: compare them as they are.
    if ((op === '==' || op === '!=') && this.type(left) === 'bool' && this.type(right) === 'bool') {
      return join([this.bool(left), this.bool(right)], (a, b) => `(${a} ${op === '==' ? '=' : '<>'} ${b})`);
    }
    const a = this.share(this.num(left), 'num');
    const b = this.share(this.num(right), 'num');
    // The operand that can be NaN and would make the SQL comparison true.
    const nanOk = (f: Frag, expr: Expr) => expr.kind === 'num' && !Number.isNaN(expr.value) ? undefined : f;
    const guard = (sql: string, f: Frag | undefined, extra: Frag[]): Frag =>
      join([...extra], () => (f ? `(${sql} AND NOT isnan(${f.sql}))` : `(${sql})`));
    switch (op) {
      case '<': return guard(`${a.sql} < ${b.sql}`, nanOk(b, right), [a, b]);
      case '<=': return guard(`${a.sql} <= ${b.sql}`, nanOk(b, right), [a, b]);
      case '>': return guard(`${a.sql} > ${b.sql}`, nanOk(a, left), [a, b]);
      case '>=': return guard(`${a.sql} >= ${b.sql}`, nanOk(a, left), [a, b]);
      case '==': return guard(`${a.sql} = ${b.sql}`, nanOk(a, left) && nanOk(b, right) ? a : undefined, [a, b]);
      case '!=': {
        const both = nanOk(a, left) && nanOk(b, right);
        return join([a, b], () => (both ? `(${a.sql} <> ${b.sql} OR isnan(${a.sql}))` : `(${a.sql} <> ${b.sql})`));
      }
      default: throw new Error(`sql: ${op} is not a comparison`);
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Frag {
    const k = constantCall(e.fn);
    if (k !== undefined) return leaf(sqlNumber(k));
    const fn = lookupFunction(e.fn)!.canonical;
    const args = e.args.map((x) => this.num(x));
    const [x] = args;
    const once = () => this.share(x!, 'num');
    switch (fn) {
      case 'abs': case 'exp': case 'atan': case 'floor': case 'ceil': case 'trunc': case 'round':
        // DuckDB's round is C's (halves away from zero), on DOUBLE in and out.
        return join(args, (a) => `${fn}(${a})`);
      case 'pow': case 'atan2': return join(args, (a, b) => `${fn}(${a}, ${b})`);
      case 'fmod': return join(args, (a, b) => `(${a} % ${b})`);
      case 'sqrt': return join([once()], (a) => `CASE WHEN ${a} < 0e0 THEN ${NAN} ELSE sqrt(${a}) END`);
      case 'log': case 'log10': {
        const f = fn === 'log' ? 'ln' : 'log10';
        return join([once()], (a) => `CASE WHEN ${a} = 0e0 THEN ${NEG_INF} WHEN ${a} < 0e0 THEN ${NAN} ELSE ${f}(${a}) END`);
      }
      case 'sin': case 'cos': case 'tan': return join([once()], (a) => `CASE WHEN isinf(${a}) THEN ${NAN} ELSE ${fn}(${a}) END`);
      case 'asin': case 'acos': return join([once()], (a) => `CASE WHEN abs(${a}) <= 1e0 THEN ${fn}(${a}) ELSE ${NAN} END`);
      case 'sign':
        return join([once()], (a) => `CASE WHEN isnan(${a}) THEN ${a} WHEN ${a} > 0e0 THEN 1e0 WHEN ${a} < 0e0 THEN -1e0 ELSE ${a} END`);
      case 'min': case 'max': {
        const a = this.share(x!, 'num');
        const b = this.share(args[1]!, 'num');
        const [lt, zero] = fn === 'min' ? ['<', `-((-${a.sql}) + (-${b.sql}))`] : ['>', `(${a.sql} + ${b.sql})`];
        // Equal zeros: min(-0, 0) is -0 and max(-0, 0) is 0, as wasm's f64.min/max; the sum picks the sign.
        return join([a, b], () => `CASE WHEN isnan(${a.sql}) OR isnan(${b.sql}) THEN ${NAN} WHEN ${a.sql} ${lt} ${b.sql} THEN ${a.sql} ` +
          `WHEN ${b.sql} ${lt} ${a.sql} THEN ${b.sql} WHEN ${a.sql} = 0e0 THEN ${zero} ELSE ${a.sql} END`);
      }
      case 'hypot': {
        const a = this.share(x!, 'num');
        const b = this.share(args[1]!, 'num');
        const m = this.share(join([a, b], (p, q) => `greatest(abs(${p}), abs(${q}))`), 'num');
        // Scaled so that squares neither overflow nor underflow; may differ from C's hypot in the last bit.
        return join([a, b, m], (p, q, r) => `CASE WHEN isinf(${p}) OR isinf(${q}) THEN ${INF} WHEN isnan(${p}) OR isnan(${q}) THEN ${NAN} ` +
          `WHEN ${r} = 0e0 THEN 0e0 ELSE ${r} * sqrt((${p} / ${r}) * (${p} / ${r}) + (${q} / ${r}) * (${q} / ${r})) END`);
      }
      default: throw new Error(`sql: no translation of ${e.fn}`);
    }
  }
}
