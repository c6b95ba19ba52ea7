// Type checker: AST + the names in scope → typed IR, or diagnostics.
// Errors are collected across independent subtrees; a subtree that failed has
// type 'error', which its parents accept silently so one mistake is reported once.

import { Op } from '../../kernels/opcodes';
import type { BinaryOp, Expr } from './ast';
import { sortDiagnostics, type Diagnostic } from './diagnostic';
import { canonicalFunctionNames, constantCall, constantName, constantNames, functionNames, lookupFunction, reductionOf, type Reduction } from './functions';
import { retype, type IR, type ValueType } from './ir';
import { elementColumns, literalIndex, resolveElement, type DerivedColumn } from './jagged';
import { quoteName } from './names';
import { printExpr, quoteString } from './print';
import { suggest } from './suggest';

export type NameType = 'num' | 'bool' | 'dict';

export interface NameInfo {
  kind: 'column' | 'define';
  /** 'error': the name exists but its own definition failed; uses of it are not reported again. */
  type: NameType | 'error';
  /** For 'dict' columns: the dictionary; a value's code is its index. */
  dictionary?: readonly string[];
  /** A column that holds a list per row; `type` is its elements'. Only reductions may read it. */
  jagged?: boolean;
  /** A define's tree, written out in place when a reduction's element expression uses the define. */
  expr?: Expr;
}

/** The names in scope: `lookup` resolves one, `names` lists them all for suggestions. */
export interface Env {
  lookup(name: string): NameInfo | undefined;
  names(): Iterable<string>;
}

export interface CheckOptions {
  /** What the expression is, for the message when it gives a string: "a filter". */
  role?: string;
  /** The define's name, when the expression is a define's: it may not hold a list per row. */
  define?: string;
}

export type CheckResult =
  /** `derived`: the reductions the IR reads as `col` nodes, each once. */
  | { ok: true; ir: IR; type: ValueType; derived: DerivedColumn[]; diagnostics: [] }
  | { ok: false; diagnostics: Diagnostic[] };

/** An Env over a fixed list of names. */
export function envFrom(entries: Iterable<{ name: string } & NameInfo>): Env {
  const map = new Map<string, NameInfo>();
  for (const e of entries) {
    if (!map.has(e.name)) map.set(e.name, { kind: e.kind, type: e.type, dictionary: e.dictionary, jagged: e.jagged, expr: e.expr });
  }
  return { lookup: (n) => map.get(n), names: () => map.keys() };
}

export function checkExpr(ast: Expr, env: Env, opts: CheckOptions = {}): CheckResult {
  const c = new Checker(env, opts);
  const t = c.check(ast);
  if (t.type === 'str' || t.type === 'dict') {
    c.report(ast, `${opts.role ?? 'the expression'} must give a number or a boolean, but ${c.stringHint(t)}`);
  }
  if (c.diagnostics.length > 0 || t.type === 'error' || t.type === 'str' || t.type === 'dict') {
    return { ok: false, diagnostics: sortDiagnostics(c.diagnostics) };
  }
  return { ok: true, ir: t.ir, type: t.type, derived: c.derivedColumns(), diagnostics: [] };
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

/** What a reduction does, for the message when its argument reads no list. */
const REDUCES: Record<Reduction, string> = {
  size: 'counts the elements of a list column', sum: 'adds up a list column', min: 'takes the smallest element of a list column',
  max: 'takes the largest element of a list column', mean: 'averages a list column', any: 'tests the elements of a list column',
  all: 'tests the elements of a list column', count: 'counts the elements of a list column that pass a test',
};

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly unknown = new Set<string>();
  private readonly listsReported = new Set<string>();
  private quietLists = false;
  private readonly derived = new Map<string, DerivedColumn>();
  /** Set while checking a reduction's element expression, where list columns are read element by element. */
  private within?: { fn: string; readsList: boolean };
  constructor(private readonly env: Env, private readonly opts: CheckOptions = {}) {}

  derivedColumns(): DerivedColumn[] { return [...this.derived.values()]; }

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
      if (info?.kind === 'column' && info.type === 'dict' && !info.jagged) return n;
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
      case 'index': return this.index(e);
    }
  }

  private name(e: Extract<Expr, { kind: 'name' }>): Typed {
    // M_PI is a macro in C++, so it wins over a column of the same name there too.
    const k = constantName(e.name);
    if (k !== undefined) return { type: 'num', ir: { t: 'const', value: k, type: 'num' } };
    const info = this.env.lookup(e.name);
    if (info) {
      if (info.jagged) {
        if (!this.within) return this.listOutsideReduction(e);
        this.within.readsList = true;
      }
      if (info.type === 'error') return ERROR;
      if (info.type === 'dict') {
        return info.kind === 'column' ? { type: 'dict', column: e.name, dictionary: info.dictionary ?? [] } : ERROR;
      }
      return { type: info.type, ir: { t: info.kind === 'column' ? 'col' : 'ref', name: e.name, type: info.type } };
    }
    if (lookupFunction(e.name) || constantCall(e.name) !== undefined || reductionOf(e.name, 1)) {
      const example = constantCall(e.name) !== undefined ? `${e.name}()`
        : lookupFunction(e.name) ? `${e.name}(x)` : `${e.name}(${this.listExample()})`;
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
    const reduction = reductionOf(e.fn, e.args.length);
    if (reduction) return this.reduction(e, reduction);
    const spec = lookupFunction(e.fn);
    // `summ(Jet_pt)`: the unknown function is the mistake, not the list in it.
    const quiet = this.quietLists;
    if (!spec) this.quietLists = true;
    const args = e.args.map((a) => this.check(a));
    this.quietLists = quiet;
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

  /** A list column used where one value per row is needed. Once per name. */
  private listOutsideReduction(e: Extract<Expr, { kind: 'name' }>): Typed {
    if (this.listsReported.has(e.name) || this.quietLists) return ERROR;
    this.listsReported.add(e.name);
    const q = quoteName(e.name);
    const info = this.env.lookup(e.name);
    const hint = info?.type === 'dict' ? `size(${q}) or any(${q} == "value")` : `max(${q}), size(${q}) or ${q}[0]`;
    if (this.opts.define !== undefined) {
      return this.report(e, `define '${this.opts.define}' would hold a list per row ('${e.name}' does), which is not supported; reduce it, e.g. ${hint}, or write the list expression inside the reduction that needs it, like sum(${q} * 2)`, { name: e.name });
    }
    return this.report(e, `'${e.name}' holds a list per row; reduce it, e.g. ${hint}`, { name: e.name });
  }

  /** A list column of the dataset to show in examples. */
  private listExample(): string {
    for (const n of this.env.names()) if (this.env.lookup(n)?.jagged) return quoteName(n);
    return 'Jet_pt';
  }

  private nested(e: Expr, inner: string): Typed {
    return this.report(e, `\`${inner}\` is inside ${this.within!.fn}(…): reductions can't be nested; a reduction's argument works on one element at a time`);
  }

  private derive(spec: DerivedColumn): Typed {
    if (!this.derived.has(spec.name)) this.derived.set(spec.name, spec);
    return { type: spec.type, ir: { t: 'col', name: spec.name, type: spec.type } };
  }

  /** sum(E), any(P), size(J)…: a derived column computed from the lists before the VM runs. */
  private reduction(e: Extract<Expr, { kind: 'call' }>, fn: Reduction): Typed {
    if (this.within) return this.nested(e, `${e.fn}(…)`);
    const example = `${fn}(${fn === 'any' || fn === 'all' || fn === 'count' ? `${this.listExample()} > 30` : this.listExample()})`;
    if (e.args.length !== 1) return this.report(e, `${fn} takes 1 argument, a list expression like ${example}, got ${e.args.length}`, { name: fn });
    const arg = e.args[0];
    if (fn === 'size') {
      const info = arg.kind === 'name' ? this.env.lookup(arg.name) : undefined;
      if (arg.kind === 'name' && !info && constantName(arg.name) === undefined) return this.name(arg);
      if (arg.kind !== 'name' || !info?.jagged) return this.report(arg, `size counts the elements of a list column, like size(${this.listExample()}); \`${printExpr(arg)}\` is not a list column`);
      if (info.type === 'error') return ERROR;
      return this.derive({ name: `size(${quoteName(arg.name)})`, type: 'num', reduce: 'size', jagged: [arg.name], scalars: [] });
    }
    const within = { fn, readsList: false };
    this.within = within;
    const t = this.check(arg);
    this.within = undefined;
    if (!this.numeric(t, arg, `as the argument of ${fn}`)) return ERROR;
    if (!within.readsList) {
      const pair = fn === 'min' ? '; for the smaller of two values write min(a, b)' : fn === 'max' ? '; for the larger of two values write max(a, b)' : '';
      return this.report(arg, `${fn} ${REDUCES[fn]}, like ${example}, but \`${printExpr(arg)}\` reads none${pair}`, { name: fn });
    }
    const r = resolveElement(arg, this.env, fn);
    if (!r.ok) return this.report({ span: r.at }, r.message);
    const { jagged, scalars } = elementColumns(r.ast, this.env);
    const call: Expr = { kind: 'call', fn, args: [r.ast], fnSpan: e.fnSpan, span: e.span };
    const type = fn === 'any' || fn === 'all' ? 'bool' : 'num';
    return this.derive({ name: printExpr(call), type, reduce: fn, element: r.ast, jagged, scalars });
  }

  /**
   * `J[i]` on a list column J; otherwise `x[0]` is the column named so (ROOT
   * names the columns of a fixed-size array that way), which backticks reach too.
   */
  private index(e: Extract<Expr, { kind: 'index' }>): Typed {
    if (constantName(e.name) !== undefined) return this.report({ span: e.nameSpan }, `'${e.name}' is a number; only list columns can be indexed`);
    const info = this.env.lookup(e.name);
    const k = literalIndex(e.index);
    const q = quoteName(e.name);
    if (info?.jagged) {
      if (k === undefined) return this.report(e.index, `the index of '${e.name}' must be a whole number from 0 written out, like ${q}[0]; got \`${printExpr(e.index)}\``);
      if (info.type === 'error') return ERROR;
      if (this.within) return this.nested(e, `${q}[${k}]`);
      if (info.type === 'dict') return this.report(e, `'${e.name}' holds a list of strings, whose elements can't be taken one by one; compare them inside a reduction, like any(${q} == "value")`);
      return this.derive({ name: `${q}[${k}]`, type: 'num', reduce: 'index', index: k, jagged: [e.name], scalars: [] });
    }
    const flat = k === undefined ? undefined : `${e.name}[${k}]`;
    const column = flat === undefined ? undefined : this.env.lookup(flat);
    if (flat !== undefined && column?.kind === 'column') return this.name({ kind: 'name', name: flat, span: e.span });
    if (info) {
      if (info.type === 'error') return ERROR;
      return this.report({ span: e.nameSpan }, `'${e.name}' is a ${info.kind} with one value per row; only list columns can be indexed`, { name: e.name });
    }
    // `x[2]` when the dataset has `x[0]` and `x[1]`: suggest a whole name.
    const close = flat === undefined ? undefined : suggest(flat, this.env.names());
    if (flat !== undefined && close !== undefined && suggest(e.name, this.env.names()) === undefined) {
      return this.report(e, `unknown column '${flat}'; did you mean '${close}'?`, { name: flat, suggestion: close });
    }
    return this.name({ kind: 'name', name: e.name, span: e.nameSpan });
  }
}
