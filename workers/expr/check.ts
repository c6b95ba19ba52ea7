// Type checker: AST + the names in scope → typed IR, or diagnostics.
// Errors are collected across independent subtrees; a subtree that failed has
// type 'error', which its parents accept silently so one mistake is reported once.

import { Op } from '../../kernels/opcodes';
import type { BinaryOp, Expr } from './ast';
import { sortDiagnostics, type Diagnostic } from './diagnostic';
import { canonicalFunctionNames, constantCall, constantName, constantNames, functionNames, lookupFunction } from './functions';
import { retype, type IR, type ValueType } from './ir';
import { quoteName } from './names';
import { quoteString } from './print';
import { suggest } from './suggest';

export type NameType = 'num' | 'bool' | 'dict';

export interface NameInfo {
  kind: 'column' | 'define';
  /** 'error': the name exists but its own definition failed; uses of it are not reported again. */
  type: NameType | 'error';
  /** For 'dict' columns: the dictionary; a value's code is its index. */
  dictionary?: readonly string[];
}

/** The names in scope: `lookup` resolves one, `names` lists them all for suggestions. */
export interface Env {
  lookup(name: string): NameInfo | undefined;
  names(): Iterable<string>;
}

export interface CheckOptions {
  /** What the expression is, for the message when it gives a string: "a filter". */
  role?: string;
}

export type CheckResult =
  | { ok: true; ir: IR; type: ValueType; diagnostics: [] }
  | { ok: false; diagnostics: Diagnostic[] };

/** An Env over a fixed list of names. */
export function envFrom(entries: Iterable<{ name: string } & NameInfo>): Env {
  const map = new Map<string, NameInfo>();
  for (const e of entries) if (!map.has(e.name)) map.set(e.name, { kind: e.kind, type: e.type, dictionary: e.dictionary });
  return { lookup: (n) => map.get(n), names: () => map.keys() };
}

export function checkExpr(ast: Expr, env: Env, opts: CheckOptions = {}): CheckResult {
  const c = new Checker(env);
  const t = c.check(ast);
  if (t.type === 'str' || t.type === 'dict') {
    c.report(ast, `${opts.role ?? 'the expression'} must give a number or a boolean, but ${c.stringHint(t)}`);
  }
  if (c.diagnostics.length > 0 || t.type === 'error' || t.type === 'str' || t.type === 'dict') {
    return { ok: false, diagnostics: sortDiagnostics(c.diagnostics) };
  }
  return { ok: true, ir: t.ir, type: t.type, diagnostics: [] };
}

type Typed =
  | { type: ValueType; ir: IR }
  | { type: 'str'; value: string }
  | { type: 'dict'; column: string; dictionary: readonly string[] }
  | { type: 'error' };

const ERROR: Typed = { type: 'error' };
const ARITHMETIC: Partial<Record<BinaryOp, Op>> = { '+': Op.ADD, '-': Op.SUB, '*': Op.MUL, '/': Op.DIV, '%': Op.MOD };
const RELATIONAL: Partial<Record<BinaryOp, Op>> = { '<': Op.LT, '<=': Op.LE, '>': Op.GT, '>=': Op.GE };

const op = (code: Op, args: IR[], type: ValueType): IR => ({ t: 'op', op: code, args, type });

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly unknown = new Set<string>();
  constructor(private readonly env: Env) {}

  report(at: Expr | { span: { start: number; end: number } }, message: string, extra: Partial<Diagnostic> = {}): Typed {
    this.diagnostics.push({ message, start: at.span.start, end: at.span.end, ...extra });
    return ERROR;
  }

  /** Why a string can't go here, and what to write instead. */
  stringHint(t: Typed): string {
    if (t.type === 'dict') return `column '${t.column}' holds strings; compare it with a value, like ${this.example(t.column, t.dictionary)}`;
    if (t.type === 'str') return `${quoteString(t.value)} is a string; ${this.literalHint(t.value)}`;
    return '';
  }

  private example(column: string, dictionary: readonly string[], value?: string): string {
    return `${quoteName(column)} == ${quoteString(value ?? dictionary.find((v) => v !== '∅') ?? 'value')}`;
  }

  /** `cat == "value"` for a string column or literal, using a string column of this dataset when there is one. */
  private exampleFor(t: Typed): string {
    if (t.type === 'dict') return this.example(t.column, t.dictionary);
    const value = t.type === 'str' ? t.value : 'value';
    const column = this.stringColumn();
    return column !== undefined ? this.example(column, [], value) : `column == ${quoteString(value)}`;
  }

  private stringColumn(): string | undefined {
    for (const n of this.env.names()) {
      const info = this.env.lookup(n);
      if (info?.kind === 'column' && info.type === 'dict') return n;
    }
    return undefined;
  }

  /** Where a string literal can go. */
  private literalHint(value: string): string {
    return this.stringColumn() !== undefined
      ? `strings can only be compared with a string column, like ${this.exampleFor({ type: 'str', value })}`
      : 'strings can only be compared with a string column, and this dataset has none';
  }

  /** The IR of a number or boolean operand, or a report of why a string can't be `where`. */
  private numeric(t: Typed, e: Expr, where: string): IR | undefined {
    if (t.type === 'num' || t.type === 'bool') return t.ir;
    if (t.type === 'dict' || t.type === 'str') this.report(e, `a number is needed ${where}, but ${this.stringHint(t)}`);
    return undefined;
  }

  /** As a condition: numbers mean != 0 (NaN counts as true, as in C). */
  private truthy(t: Typed, e: Expr, where: string): IR | undefined {
    const ir = this.numeric(t, e, where);
    return ir && ir.type === 'num' ? op(Op.TRUTH, [ir], 'bool') : ir;
  }

  check(e: Expr): Typed {
    switch (e.kind) {
      case 'num': return { type: 'num', ir: { t: 'const', value: e.value, type: 'num' } };
      case 'bool': return { type: 'bool', ir: { t: 'const', value: e.value ? 1 : 0, type: 'bool' } };
      case 'str': return { type: 'str', value: e.value };
      case 'name': return this.name(e);
      case 'unary': {
        const t = this.check(e.arg);
        if (e.op === '!') {
          const a = this.truthy(t, e.arg, 'after `!`');
          return a ? { type: 'bool', ir: op(Op.NOT, [a], 'bool') } : ERROR;
        }
        const a = this.numeric(t, e.arg, `after unary \`${e.op}\``);
        if (!a) return ERROR;
        return { type: 'num', ir: e.op === '-' ? op(Op.NEG, [a], 'num') : retype(a, 'num') };
      }
      case 'binary': return this.binary(e);
      case 'cond': {
        const test = this.truthy(this.check(e.test), e.test, 'as the condition of `?:`');
        const a = this.numeric(this.check(e.then), e.then, 'in a branch of `?:`');
        const b = this.numeric(this.check(e.else), e.else, 'in a branch of `?:`');
        if (!test || !a || !b) return ERROR;
        const type = a.type === 'bool' && b.type === 'bool' ? 'bool' : 'num';
        return { type, ir: op(Op.SELECT, [test, a, b], type) };
      }
      case 'call': return this.call(e);
    }
  }

  private name(e: Extract<Expr, { kind: 'name' }>): Typed {
    // M_PI is a macro in C++, so it wins over a column of the same name there too.
    const k = constantName(e.name);
    if (k !== undefined) return { type: 'num', ir: { t: 'const', value: k, type: 'num' } };
    const info = this.env.lookup(e.name);
    if (info) {
      if (info.type === 'error') return ERROR;
      if (info.type === 'dict') {
        return info.kind === 'column' ? { type: 'dict', column: e.name, dictionary: info.dictionary ?? [] } : ERROR;
      }
      return { type: info.type, ir: { t: info.kind === 'column' ? 'col' : 'ref', name: e.name, type: info.type } };
    }
    if (lookupFunction(e.name) || constantCall(e.name) !== undefined) {
      const example = constantCall(e.name) !== undefined ? `${e.name}()` : `${e.name}(x)`;
      return this.report(e, `'${e.name}' is a function; call it with arguments in parentheses, like ${example}`, { name: e.name });
    }
    // Once per name: `pz*pz` is one mistake.
    if (this.unknown.has(e.name)) return ERROR;
    this.unknown.add(e.name);
    const known = [...this.env.names()];
    const suggestion = suggest(e.name, [...known, 'true', 'false', ...constantNames()]);
    const tail = suggestion !== undefined ? `; did you mean '${suggestion}'?`
      : known.length > 0 && known.length <= 12 ? `; the known names are ${known.map((n) => `'${n}'`).join(', ')}` : '';
    return this.report(e, `unknown column '${e.name}'${tail}`, { name: e.name, ...(suggestion !== undefined ? { suggestion } : {}) });
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Typed {
    if (e.op === '==' || e.op === '!=') {
      const forgotQuotes = this.unquotedValue(e.left, e.right) ?? this.unquotedValue(e.right, e.left);
      if (forgotQuotes) return forgotQuotes;
    }
    const l = this.check(e.left);
    const r = this.check(e.right);
    const arith = ARITHMETIC[e.op];
    if (arith !== undefined) {
      const a = this.numeric(l, e.left, 'in arithmetic');
      const b = this.numeric(r, e.right, 'in arithmetic');
      return a && b ? { type: 'num', ir: op(arith, [a, b], 'num') } : ERROR;
    }
    const rel = RELATIONAL[e.op];
    if (rel !== undefined) {
      const text = l.type === 'dict' || l.type === 'str' ? l : r.type === 'dict' || r.type === 'str' ? r : undefined;
      if (text) {
        const dict = l.type === 'dict' ? l : r.type === 'dict' ? r : undefined;
        const str = l.type === 'str' ? l : r.type === 'str' ? r : undefined;
        const like = dict && str ? this.example(dict.column, [], str.value) : this.exampleFor(text);
        return this.report(e, `\`${e.op}\` can't order strings; strings can only be compared with == and !=, like ${like}`);
      }
      const a = this.numeric(l, e.left, `on the left of \`${e.op}\``);
      const b = this.numeric(r, e.right, `on the right of \`${e.op}\``);
      return a && b ? { type: 'bool', ir: op(rel, [a, b], 'bool') } : ERROR;
    }
    if (e.op === '&&' || e.op === '||') {
      const where = `on each side of \`${e.op}\``;
      const a = this.truthy(l, e.left, where);
      const b = this.truthy(r, e.right, where);
      return a && b ? { type: 'bool', ir: op(e.op === '&&' ? Op.AND : Op.OR, [a, b], 'bool') } : ERROR;
    }
    return this.equality(e, l, r);
  }

  private equality(e: Extract<Expr, { kind: 'binary' }>, l: Typed, r: Typed): Typed {
    if (l.type === 'error' || r.type === 'error') return ERROR;
    const negate = e.op === '!=';
    if ((l.type === 'num' || l.type === 'bool') && (r.type === 'num' || r.type === 'bool')) {
      return { type: 'bool', ir: op(negate ? Op.NE : Op.EQ, [l.ir, r.ir], 'bool') };
    }
    const dict = l.type === 'dict' ? l : r.type === 'dict' ? r : undefined;
    const str = l.type === 'str' ? l : r.type === 'str' ? r : undefined;
    if (dict && str) {
      const code = dict.dictionary.indexOf(str.value);
      // A value the column never holds: == is false on every row, != true.
      if (code < 0) return { type: 'bool', ir: { t: 'const', value: negate ? 1 : 0, type: 'bool' } };
      const eq: IR = { t: 'code', column: dict.column, code, type: 'bool' };
      return { type: 'bool', ir: negate ? op(Op.NOT, [eq], 'bool') : eq };
    }
    if (l.type === 'dict' && r.type === 'dict') {
      return this.report(e, `comparing two string columns ('${l.column}' and '${r.column}') is not supported; compare each with a string, like ${quoteName(l.column)} == "value"`);
    }
    if (l.type === 'str' && r.type === 'str') {
      return this.report(e, `comparing two strings is not supported; ${this.literalHint(l.value)}`);
    }
    if (dict) {
      return this.report(e, `column '${dict.column}' holds strings and can't be compared with a number; compare it with a value, like ${this.example(dict.column, dict.dictionary)}`);
    }
    const strExpr = l.type === 'str' ? e.left : e.right;
    return this.report(strExpr, `the string ${quoteString(str!.value)} can't be compared with a number; ${this.literalHint(str!.value)}`);
  }

  /** `cat == beta` where beta is no column but a value of cat: the quotes were forgotten. */
  private unquotedValue(value: Expr, other: Expr): Typed | undefined {
    if (value.kind !== 'name' || other.kind !== 'name' || this.env.lookup(value.name)) return undefined;
    const info = this.env.lookup(other.name);
    if (info?.type !== 'dict' || !(info.dictionary ?? []).includes(value.name)) return undefined;
    return this.report(value, `unknown column '${value.name}'; to compare with the string, put it in quotes: ${quoteName(other.name)} == ${quoteString(value.name)}`, { name: value.name });
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Typed {
    const args = e.args.map((a) => this.check(a));
    const spec = lookupFunction(e.fn);
    const where = `as an argument of ${e.fn}`;
    if (!spec) {
      const k = constantCall(e.fn);
      if (k !== undefined) {
        if (e.args.length > 0) return this.report(e, `${e.fn}() takes no arguments, got ${e.args.length}`);
        return { type: 'num', ir: { t: 'const', value: k, type: 'num' } };
      }
      const info = this.env.lookup(e.fn);
      if (info) return this.report({ span: e.fnSpan }, `'${e.fn}' is a ${info.kind}, not a function; remove the parentheses after it`, { name: e.fn });
      const suggestion = suggest(e.fn, functionNames());
      const tail = suggestion !== undefined ? `; did you mean '${suggestion}'?` : `; the functions are ${canonicalFunctionNames().join(', ')}`;
      return this.report({ span: e.fnSpan }, `unknown function '${e.fn}'${tail}`, { name: e.fn, ...(suggestion !== undefined ? { suggestion } : {}) });
    }
    const irs = args.map((t, i) => this.numeric(t, e.args[i], where));
    if (args.length !== spec.arity) {
      const plural = spec.arity === 1 ? 'argument' : 'arguments';
      return this.report(e, `${e.fn} takes ${spec.arity} ${plural}, got ${args.length}`, { name: e.fn });
    }
    if (irs.some((x) => x === undefined)) return ERROR;
    return { type: spec.result, ir: op(spec.op, irs as IR[], spec.result) };
  }
}
