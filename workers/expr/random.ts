// Seeded random well-typed expressions, for property tests: the VM against
// the reference evaluator, print/parse round trips, checker acceptance.
// Every compound sub-expression is parenthesized, so the text is unambiguous
// whatever the precedence rules; printExpr gives the minimal form.

import { functionNames, lookupFunction, type FunctionSpec } from './functions';
import { quoteName } from './names';

export interface RandomColumn {
  name: string;
  type: 'num' | 'bool' | 'dict';
  dictionary?: readonly string[];
}

export interface RandomExprOptions {
  seed: number;
  /** Nesting limit (default 4). */
  maxDepth?: number;
  /** The expression's type (default: either). */
  type?: 'num' | 'bool';
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Constants that stress the edges: zeros of both signs, tiny and huge values,
 * halves (for round), every literal form, and NaN/Infinity producers.
 */
const CONSTANTS = [
  '0', '1', '2', '3', '10', '0.5', '.5', '5.', '2.5', '0.1', '1e-3', '2.5f', '1.f', '1e300', '1e-300',
  '5e-324', '1e308', '1.7976931348623157e308', '0.49999999999999994', '4503599627370495.5', '-1', '-2.5', '-0.0',
  '1e999', 'M_PI', 'TMath::Pi()', 'log(-1)', 'sqrt(-2)', 'acos(2)', '(0.0 / 0)', '(1 / 0.0)', '(-1 / 0.0)', 'log(0)',
];
const ARITHMETIC = ['+', '-', '*', '/', '%'];
const RELATIONAL = ['<', '<=', '>', '>=', '==', '!='];
const ABSENT = 'no such value';

const specs = functionNames().map(lookupFunction).filter((s): s is FunctionSpec => s !== undefined);
const UNARY_NUM = specs.filter((s) => s.arity === 1 && s.result === 'num').map((s) => s.name);
const BINARY_NUM = specs.filter((s) => s.arity === 2).map((s) => s.name);
const UNARY_BOOL = specs.filter((s) => s.arity === 1 && s.result === 'bool').map((s) => s.name);

function literal(s: string, quote: '"' | "'"): string {
  return quote + s.replace(/[\\"']/g, (c) => '\\' + c).replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')
    .replace(/[\x00-\x1f\x7f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')) + quote;
}

class Generator {
  private readonly nums: string[];
  private readonly bools: string[];
  private readonly dicts: RandomColumn[];

  constructor(columns: readonly RandomColumn[], private readonly rng: () => number, private readonly maxDepth: number) {
    this.nums = columns.filter((c) => c.type === 'num').map((c) => quoteName(c.name));
    this.bools = columns.filter((c) => c.type === 'bool').map((c) => quoteName(c.name));
    this.dicts = columns.filter((c) => c.type === 'dict');
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rng() * xs.length)];
  }

  private leaf(d: number): boolean {
    return d >= this.maxDepth || this.rng() < 0.2;
  }

  num(d: number): string {
    if (this.leaf(d)) {
      const r = this.rng();
      if (r < 0.45 || (this.nums.length === 0 && this.bools.length === 0)) return this.pick(CONSTANTS);
      if (r < 0.85 && this.nums.length > 0) return this.pick(this.nums);
      return this.bools.length > 0 ? this.pick(this.bools) : this.pick(this.nums);
    }
    const n = d + 1;
    switch (Math.floor(this.rng() * 7)) {
      case 0:
      case 1: return `(${this.num(n)} ${this.pick(ARITHMETIC)} ${this.num(n)})`;
      case 2: return `${this.pick(['-', '+'])}(${this.num(n)})`;
      case 3: return `${this.pick(UNARY_NUM)}(${this.num(n)})`;
      case 4: return `${this.pick(BINARY_NUM)}(${this.num(n)}, ${this.num(n)})`;
      case 5: return `(${this.truth(n)} ? ${this.num(n)} : ${this.num(n)})`;
      default: return `(${this.bool(n)})`; // a boolean in arithmetic counts 0 or 1
    }
  }

  bool(d: number): string {
    if (this.leaf(d)) {
      const r = this.rng();
      if (r < 0.4 && this.dicts.length > 0) return this.dictCompare();
      if (r < 0.8 && this.bools.length > 0) return this.pick(this.bools);
      return this.pick(['true', 'false']);
    }
    const n = d + 1;
    switch (Math.floor(this.rng() * 7)) {
      case 0:
      case 1: return `(${this.num(n)} ${this.pick(RELATIONAL)} ${this.num(n)})`;
      case 2: return `(${this.truth(n)} ${this.pick(['&&', '||'])} ${this.truth(n)})`;
      case 3: return `!(${this.truth(n)})`;
      case 4: return `${this.pick(UNARY_BOOL)}(${this.num(n)})`;
      case 5: return `(${this.truth(n)} ? ${this.bool(n)} : ${this.bool(n)})`;
      default: return this.dicts.length > 0 ? this.dictCompare() : `(${this.bool(n)} == ${this.bool(n)})`;
    }
  }

  /** An operand of `&& || ! ?:`: a boolean, or a number meaning != 0. */
  truth(d: number): string {
    return this.rng() < 0.7 ? this.bool(d) : this.num(d);
  }

  private dictCompare(): string {
    const c = this.pick(this.dicts);
    const values = c.dictionary ?? [];
    const value = values.length > 0 && this.rng() < 0.85 ? this.pick(values) : ABSENT;
    const lit = literal(value, this.pick(['"', "'"] as const));
    const op = this.pick(['==', '!=']);
    const name = quoteName(c.name);
    return this.rng() < 0.8 ? `(${name} ${op} ${lit})` : `(${lit} ${op} ${name})`;
  }
}

/** One random expression drawn from `rng`. */
export function randomExpr(columns: readonly RandomColumn[], rng: () => number, opts: Omit<RandomExprOptions, 'seed'> = {}): string {
  const g = new Generator(columns, rng, opts.maxDepth ?? 4);
  const type = opts.type ?? (rng() < 0.5 ? 'num' : 'bool');
  return type === 'num' ? g.num(0) : g.bool(0);
}

/** `count` random expressions; the same seed gives the same list. */
export function randomExprs(columns: readonly RandomColumn[], count: number, opts: RandomExprOptions): string[] {
  const rng = seededRandom(opts.seed);
  return Array.from({ length: count }, () => randomExpr(columns, rng, opts));
}
