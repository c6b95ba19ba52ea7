// Expressions as C++ for RDataFrame's Define/Filter strings, with Sift's
// semantics. C++ already agrees on NaN comparisons, C truth, fmod, pow and
// round (halves away from zero). What differs is made explicit:
// - integer columns: `k / 2` divides integers in C++; every column is read as
//   double(k), and booleans used as numbers as double(b), so `/` is always Sift's;
// - `%` on doubles is no C++ operator: std::fmod (the sign of the dividend);
// - min/max: std::min/std::fmin drop or keep a NaN by argument order; sift::min
//   returns NaN when either is NaN (and min(-0, 0) is -0, as wasm's f64.min);
// - sign: no such function in C++; sift::sign returns ±1, or x for ±0 and NaN;
// - strings: `cat == "beta"` compares text as std::string, whatever the column's type (std::string, const char*, TString).

import type { Expr } from '../expr/ast';
import { constantName, lookupFunction } from '../expr/functions';
import { exprType, type ExprType } from './prepare';

const NAN = 'std::numeric_limits<double>::quiet_NaN()';
const INF = 'std::numeric_limits<double>::infinity()';

export function cppNumber(v: number): string {
  if (Number.isNaN(v)) return NAN;
  if (v === Infinity) return INF;
  if (v === -Infinity) return `(-${INF})`;
  if (Object.is(v, -0)) return '(-0.0)';
  const text = v.toExponential();
  return v < 0 ? `(${text})` : text;
}

/** A C++ string literal holding exactly `s` (octal escapes, which can't swallow the next character as \x can). */
export function cppString(s: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(s)) {
    if (byte === 0x22 || byte === 0x5c) out += '\\' + String.fromCharCode(byte);
    else if (byte < 0x20 || byte >= 0x7f || byte === 0x3f) out += '\\' + byte.toString(8).padStart(3, '0'); // ? too: no trigraphs
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}

/** The helper functions the emitted expressions call, declared once to the interpreter. */
export const CPP_HELPERS = `#include <cmath>
#include <limits>
namespace sift {
// NaN if either is NaN; -0 is below 0 (as wasm's f64.min and f64.max).
inline double min(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
inline double max(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
// 1 or -1; x itself for +0, -0 and NaN.
inline double sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
// Sift's bin rule, as the centre of the bin x falls in: t = (x - lo) * (n / (hi - lo));
// NaN stays NaN; x >= hi gives +inf (overflow); floor(t) < 0 gives -inf (underflow).
// Filling the centre makes ROOT's own bin search agree with Sift at every edge.
inline double centre(double x, double lo, double hi, int n) {
  if (std::isnan(x)) return x;
  if (x >= hi) return std::numeric_limits<double>::infinity();
  const double t = std::floor((x - lo) * (n / (hi - lo)));
  if (t < 0) return -std::numeric_limits<double>::infinity();
  const double b = t < n - 1 ? t : n - 1;
  return lo + (b + 0.5) * ((hi - lo) / n);
}
}
`;

const FUNCTIONS: Record<string, string> = {
  abs: 'std::fabs', sqrt: 'std::sqrt', exp: 'std::exp', log: 'std::log', log10: 'std::log10', pow: 'std::pow',
  sin: 'std::sin', cos: 'std::cos', tan: 'std::tan', asin: 'std::asin', acos: 'std::acos', atan: 'std::atan',
  atan2: 'std::atan2', hypot: 'std::hypot', min: 'sift::min', max: 'sift::max', floor: 'std::floor', ceil: 'std::ceil',
  round: 'std::round', trunc: 'std::trunc', isnan: 'std::isnan', isinf: 'std::isinf', sign: 'sift::sign', fmod: 'std::fmod',
};

export class CppExpr {
  /** `column` maps a column name to the identifier RDF knows it by (an Alias when the name is no identifier). */
  constructor(private readonly typeOf: (name: string) => ExprType, private readonly column: (name: string) => string) {}

  private type(e: Expr): ExprType { return exprType(e, this.typeOf); }

  private ident(name: string): string { return this.column(name); }

  /** As a double. */
  num(e: Expr): string {
    if (this.type(e) === 'bool') return `double(${this.bool(e)})`;
    switch (e.kind) {
      case 'num': return cppNumber(e.value);
      case 'name': {
        if (constantName(e.name) !== undefined) return e.name;
        return `double(${this.ident(e.name)})`;
      }
      case 'unary': return e.op === '-' ? `(-${this.num(e.arg)})` : this.num(e.arg);
      case 'binary':
        if (e.op === '%') return `std::fmod(${this.num(e.left)}, ${this.num(e.right)})`;
        return `(${this.num(e.left)} ${e.op} ${this.num(e.right)})`;
      case 'cond': return `(${this.bool(e.test)} ? ${this.num(e.then)} : ${this.num(e.else)})`;
      case 'call': {
        if (e.fn === 'TMath::Pi') return 'TMath::Pi()';
        const fn = FUNCTIONS[lookupFunction(e.fn)!.canonical]!;
        return `${fn}(${e.args.map((a) => this.num(a)).join(', ')})`;
      }
      default: throw new Error(`c++: no number from ${e.kind}`);
    }
  }

  /** As a bool: numbers are true when != 0, NaN included, as in C. */
  bool(e: Expr): string {
    if (this.type(e) === 'num') return `(${this.num(e)} != 0.0)`;
    switch (e.kind) {
      case 'bool': return e.value ? 'true' : 'false';
      case 'name': return `bool(${this.ident(e.name)})`;
      case 'unary': return e.op === '!' ? `(!${this.bool(e.arg)})` : this.bool(e.arg);
      case 'cond': return `(${this.bool(e.test)} ? ${this.bool(e.then)} : ${this.bool(e.else)})`;
      case 'call': return `${FUNCTIONS[lookupFunction(e.fn)!.canonical]}(${this.num(e.args[0]!)})`;
      case 'binary': {
        const { op, left, right } = e;
        if (op === '&&' || op === '||') return `(${this.bool(left)} ${op} ${this.bool(right)})`;
        if (left.kind === 'str' || right.kind === 'str') {
          const [col, str] = left.kind === 'str' ? [right, left] : [left, right];
          const text = cppString((str as { value: string }).value);
          const c = col.kind === 'name' ? `std::string(${this.column(col.name)})` : `std::string(${cppString((col as { value: string }).value)})`;
          return `(${c} ${op} ${text})`;
        }
        if ((op === '==' || op === '!=') && this.type(left) === 'bool' && this.type(right) === 'bool') return `(${this.bool(left)} ${op} ${this.bool(right)})`;
        return `(${this.num(left)} ${op} ${this.num(right)})`;
      }
      default: throw new Error(`c++: no boolean from ${e.kind}`);
    }
  }
}
