// The functions an expression may call, each with its arity and VM instruction,
// and the spellings from C, C++ and ROOT that mean the same thing.
//
// NaN: Sift's min/max (and so fmin, fmax, std::min, TMath::Min…) return NaN
// when either argument is NaN, like wasm f64.min and JS Math.min. C's fmin/fmax
// return the other argument instead, and std::min(a, b) returns a unless b < a.
// We keep one rule for all spellings: a NaN in the data should stay visible.

import { Op } from '../../kernels/opcodes';

export interface FunctionSpec {
  /** The name as written (`TMath::Sqrt`). */
  name: string;
  /** The function it means (`sqrt`). */
  canonical: string;
  arity: number;
  op: Op;
  result: 'num' | 'bool';
}

type Base = [canonical: string, arity: number, op: Op, result?: 'bool'];

const BASE: Base[] = [
  ['abs', 1, Op.ABS], ['sqrt', 1, Op.SQRT], ['exp', 1, Op.EXP], ['log', 1, Op.LOG], ['log10', 1, Op.LOG10],
  ['pow', 2, Op.POW], ['sin', 1, Op.SIN], ['cos', 1, Op.COS], ['tan', 1, Op.TAN],
  ['asin', 1, Op.ASIN], ['acos', 1, Op.ACOS], ['atan', 1, Op.ATAN], ['atan2', 2, Op.ATAN2], ['hypot', 2, Op.HYPOT],
  ['min', 2, Op.MIN], ['max', 2, Op.MAX], ['floor', 1, Op.FLOOR], ['ceil', 1, Op.CEIL], ['round', 1, Op.ROUND],
  ['trunc', 1, Op.TRUNC], ['isnan', 1, Op.ISNAN, 'bool'], ['isinf', 1, Op.ISINF, 'bool'], ['sign', 1, Op.SIGN],
  // C fmod is exactly the `%` operator (sign of the dividend).
  ['fmod', 2, Op.MOD],
];

/** C spellings of the same functions. */
const C_ALIASES: Record<string, string> = { fabs: 'abs', fmin: 'min', fmax: 'max' };

/** ROOT's TMath spellings (case as in ROOT). */
const TMATH: Record<string, string> = {
  Abs: 'abs', Sqrt: 'sqrt', Exp: 'exp', Log: 'log', Log10: 'log10', Power: 'pow',
  Sin: 'sin', Cos: 'cos', Tan: 'tan', ASin: 'asin', ACos: 'acos', ATan: 'atan', ATan2: 'atan2',
  Hypot: 'hypot', Min: 'min', Max: 'max', Floor: 'floor', Ceil: 'ceil', IsNaN: 'isnan',
};

/** Zero-argument calls that are constants. */
const CONSTANT_CALLS: Record<string, number> = { 'TMath::Pi': Math.PI };
/** Names that are constants (macros in C++: they win over a column of the same name). */
const CONSTANT_NAMES: Record<string, number> = { M_PI: Math.PI };

const TABLE = new Map<string, FunctionSpec>();
for (const [canonical, arity, op, result] of BASE) {
  const spec = { canonical, arity, op, result: result ?? 'num' } as const;
  TABLE.set(canonical, { name: canonical, ...spec });
  TABLE.set(`std::${canonical}`, { name: `std::${canonical}`, ...spec });
}
for (const [alias, canonical] of Object.entries(C_ALIASES)) {
  const base = TABLE.get(canonical)!;
  TABLE.set(alias, { ...base, name: alias });
  TABLE.set(`std::${alias}`, { ...base, name: `std::${alias}` });
}
for (const [root, canonical] of Object.entries(TMATH)) {
  TABLE.set(`TMath::${root}`, { ...TABLE.get(canonical)!, name: `TMath::${root}` });
}

export function lookupFunction(name: string): FunctionSpec | undefined {
  return TABLE.get(name);
}

/** The value of a zero-argument constant call like `TMath::Pi()`. */
export function constantCall(name: string): number | undefined {
  return Object.hasOwn(CONSTANT_CALLS, name) ? CONSTANT_CALLS[name] : undefined;
}

/** The value of a constant name like `M_PI`. */
export function constantName(name: string): number | undefined {
  return Object.hasOwn(CONSTANT_NAMES, name) ? CONSTANT_NAMES[name] : undefined;
}

/**
 * Reductions of a list column to one value per row (see jagged.ts). They are
 * not in the table: the checker turns each into a derived column, not an op.
 */
export const REDUCTIONS = ['size', 'sum', 'min', 'max', 'mean', 'any', 'all', 'count'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

/** Whether a call is a reduction: min and max are one only with a single argument (else the scalar functions). */
export function reductionOf(fn: string, argCount: number): Reduction | undefined {
  if (!(REDUCTIONS as readonly string[]).includes(fn)) return undefined;
  return (fn === 'min' || fn === 'max') && argCount !== 1 ? undefined : fn as Reduction;
}

/** Every callable spelling, for suggestions, completion and the docs. */
export function functionNames(): string[] {
  return [...new Set([...TABLE.keys(), ...Object.keys(CONSTANT_CALLS), ...REDUCTIONS])];
}

/** Constant names, for suggestions. */
export function constantNames(): string[] {
  return Object.keys(CONSTANT_NAMES);
}

/** The short list shown when an unknown function has no close match. */
export function canonicalFunctionNames(): string[] {
  return BASE.map((b) => b[0]);
}
