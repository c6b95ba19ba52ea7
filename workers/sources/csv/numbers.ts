// Numbers straight from bytes, bit-identical to Number() on the same text.
// Up to 15 significant digits: Clinger's fast path (the digits and 10^k,
// k ≤ 22, are exact doubles, so one IEEE multiply or divide rounds
// correctly). 16 to 19 digits (what JS and pandas write for doubles): the
// digits as an exact double-double, scaled with error-free products, then
// rounded; when the result lies too near a rounding boundary to be sure, or
// anything else is unusual (more digits, larger exponents, inf/nan spellings,
// surrounding spaces), Number() on the field's text decides.
// see: W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990
// see: T. J. Dekker, "A floating-point technique for extending the available precision", 1971

import { DateKind, dateValue, parseDateTime } from './dates';

export const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Flags left by parseNumber: the digits held a '.' or an exponent. */
export const NOT_INT = 1;
/** the fast path cannot give a correctly rounded value: use Number() on the text */
export const SLOW = 2;
/** an integer written with a leading zero ("007"): looks like an identifier */
export const LEADING_ZERO = 4;

/**
 * What the last parseNumber saw: where it stopped (the first byte not part of
 * the number), NOT_INT | SLOW | LEADING_ZERO, and how many digits (0: no
 * number at all). An object rather than exported `let`s: a property load stays
 * cheap under every bundler, a live binding may not.
 */
export const num = { end: 0, flags: 0, digits: 0 };
/** The last parseNumber's value: a typed array slot, so no double is boxed on the way out. */
export const numValue = new Float64Array(1);

/**
 * Parses `[+-]digits[.digits][(e|E)[+-]digits]` (either digit run may be
 * empty, not both) from `p`; fills `num` and numValue[0]. The value is
 * meaningless when num.flags has SLOW or num.digits is 0.
 */
export function parseNumber(u8: Uint8Array, p: number, end: number): void {
  let neg = false;
  if (p < end) {
    const s = u8[p]!;
    if (s === 45) { neg = true; p++; } else if (s === 43) p++;
  }
  acc.g1 = acc.g2 = acc.n = acc.lo = acc.nlo = acc.zeros = 0;
  acc.over = false;
  const i0 = p;
  p = digitRun(u8, p, end);
  const nInt = p - i0;
  let flags = nInt > 1 && u8[i0] === 48 ? LEADING_ZERO : 0;
  let nFrac = 0;
  if (p < end && u8[p] === 46) {
    flags |= NOT_INT;
    const f0 = ++p;
    p = digitRun(u8, p, end);
    nFrac = p - f0;
  }
  const digits = nInt + nFrac;
  let e10 = 0;
  if (digits > 0 && p < end && (u8[p]! | 0x20) === 101) {
    let q = p + 1;
    let eneg = false;
    if (q < end) {
      const s = u8[q]!;
      if (s === 45) { eneg = true; q++; } else if (s === 43) q++;
    }
    const x0 = q;
    let x = 0;
    while (q < end) {
      const d = u8[q]! - 48;
      if (d < 0 || d > 9) break;
      if (x < 100000) x = x * 10 + d;
      q++;
    }
    // "1e" or "1e+" is not a number with an exponent; leave p at the 'e'
    if (q > x0) {
      flags |= NOT_INT;
      e10 = eneg ? -x : x;
      p = q;
    }
  }
  num.end = p;
  num.digits = digits;
  num.flags = flags;
  if (digits === 0) return;
  if (acc.over) {
    num.flags = flags | SLOW;
    return;
  }
  // trailing zeros beyond the first 15 significant digits scale instead
  e10 += acc.zeros - nFrac;
  const n = acc.n;
  const hi = n <= 9 ? acc.g1 : acc.g1 * POW10[n - 9]! + acc.g2;
  const nlo = acc.nlo;
  let v: number;
  if (hi === 0) v = 0;
  else if (nlo === 0 && e10 >= 0 && e10 <= 22) v = hi * POW10[e10]!;
  else if (nlo === 0 && e10 < 0 && e10 >= -22) v = hi / POW10[-e10]!;
  else if (e10 < -MAX_EXP || e10 > MAX_EXP || (v = scaleExact(hi, nlo, acc.lo, e10)) !== v) {
    num.flags = flags | SLOW;
    return;
  }
  numValue[0] = neg ? -v : v;
}

/**
 * Significant digits as parseNumber gathers them: the first 15 in two int32
 * groups (g1: up to 9, g2: up to 6; integer multiply-adds are cheaper than a
 * chain of double ones), up to 4 more in lo, zeros after those pending;
 * `over` when a nonzero digit comes later still.
 */
const acc = { g1: 0, g2: 0, n: 0, lo: 0, nlo: 0, zeros: 0, over: false };

function digitRun(u8: Uint8Array, p: number, end: number): number {
  let g1 = acc.g1;
  let g2 = acc.g2;
  let n = acc.n;
  while (p < end) {
    const d = u8[p]! - 48;
    if (d < 0 || d > 9) break;
    p++;
    if (n < 9) {
      if (n === 0 && d === 0) continue;
      g1 = g1 * 10 + d;
      n++;
    } else if (n < 15) {
      g2 = g2 * 10 + d;
      n++;
    } else if (d === 0) acc.zeros++;
    else if (acc.nlo + acc.zeros < 4) {
      acc.lo = acc.lo * POW10[acc.zeros + 1]! + d;
      acc.nlo += acc.zeros + 1;
      acc.zeros = 0;
    } else acc.over = true;
  }
  acc.g1 = g1;
  acc.g2 = g2;
  acc.n = n;
  return p;
}

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HI = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Low half of a*b (the error of fl(a*b)), exactly: Dekker's product without FMA. */
function prodErr(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** Beyond this the double-double steps could near the subnormals or overflow: Number() decides. */
const MAX_EXP = 264;

/**
 * (hi·10^nlo + lo)·10^e10 correctly rounded, for hi < 10^15, nlo ≤ 4 and
 * |e10| ≤ MAX_EXP; NaN when the double-double result (error below 2^-100 of
 * it after at most 12 scaling steps) is too close to a point halfway between
 * two doubles to round with certainty.
 */
function scaleExact(hi: number, nlo: number, lo: number, e10: number): number {
  // m = hi·10^nlo + lo as x + xe, exactly
  const pw = POW10[nlo]!;
  const p = hi * pw;
  const pe = prodErr(hi, pw, p);
  let x = p + lo;
  const bb = x - p;
  let xe = (p - (x - bb)) + (lo - bb) + pe;
  const x0 = x + xe;
  xe -= x0 - x;
  x = x0;
  while (e10 !== 0) {
    const k = e10 > 22 ? 22 : e10 < -22 ? -22 : e10;
    e10 -= k;
    if (k > 0) {
      const t = POW10[k]!;
      const y = x * t;
      xe = prodErr(x, t, y) + xe * t;
      x = y;
    } else {
      const t = POW10[-k]!;
      const q = x / t;
      const pp = q * t;
      xe = (((x - pp) - prodErr(q, t, pp)) + xe) / t;
      x = q;
    }
    const s = x + xe;
    xe -= s - x;
    x = s;
  }
  // ulp(x) from its exponent bits; below a power of two the step down is half as big
  bits[0] = x;
  const exp = (words[HI]! >>> 20) & 0x7ff;
  const pow2 = (words[HI]! & 0xfffff) === 0 && words[1 - HI] === 0;
  words[HI] = (exp - 52) << 20;
  words[1 - HI] = 0;
  const half = (xe < 0 && pow2 ? bits[0]! / 2 : bits[0]!) / 2;
  return Math.abs(xe) < half - x * 2.5e-29 ? x : NaN; // 2.5e-29 ≈ 2^-95
}

/** The field's bytes as a JS string, for Number() and messages (Latin-1 is enough for both). */
export function asciiText(u8: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i += 4096) {
    out += String.fromCharCode.apply(null, u8.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  }
  return out;
}

/** What a field holds, as type inference sees it. */
export const Class = {
  /** an integer that fits int32 */
  INT: 1,
  /** an integer with a leading zero (zip codes, identifiers) */
  LEADING_ZERO: 2,
  /** any other number, including inf/nan spellings and integers beyond int32 */
  FLOAT: 4,
  /** empty, or a null spelling (NA, N/A, #N/A, NULL, null, None) */
  NULL: 8,
  /** anything else */
  STRING: 16,
  /** an ISO date, YYYY-MM-DD (dates.ts) */
  DATE: 32,
  /** an ISO date with a time of day and maybe a zone */
  TIMESTAMP: 64,
} as const;

/** Set by classify: the field's value when it is a number or a date in seconds (NaN for NULL); unboxed, as numValue. */
export const classified = new Float64Array(1);

const isSpace = (b: number) => b === 32 || b === 9;

/**
 * Classifies a field's bytes (already unquoted) and leaves its numeric value in
 * classified[0]. Spaces and tabs around a number are allowed, as Number() allows them.
 */
export function classify(u8: Uint8Array, s: number, e: number): number {
  while (s < e && isSpace(u8[s]!)) s++;
  while (e > s && isSpace(u8[e - 1]!)) e--;
  if (s === e) { classified[0] = NaN; return Class.NULL; }
  parseNumber(u8, s, e);
  if (num.end === e && num.digits > 0) {
    const x = (num.flags & SLOW) !== 0 ? Number(asciiText(u8, s, e)) : numValue[0]!;
    classified[0] = x;
    if ((num.flags & NOT_INT) !== 0 || x !== (x | 0)) return Class.FLOAT;
    return (num.flags & LEADING_ZERO) !== 0 ? Class.LEADING_ZERO : Class.INT;
  }
  classified[0] = NaN;
  if (e - s >= 10 && (u8[s + 4] === 45 || u8[s + 4] === 47)) {
    const kind = parseDateTime(u8, s, e);
    if (kind !== DateKind.NONE) {
      classified[0] = dateValue[0]!;
      return kind === DateKind.DATE ? Class.DATE : Class.TIMESTAMP;
    }
  }
  if (e - s > 9) return Class.STRING;
  const word = asciiText(u8, s, e);
  const special = SPECIAL.get(word.toLowerCase());
  if (special !== undefined) { classified[0] = special; return Class.FLOAT; }
  return NULLS.has(word) ? Class.NULL : Class.STRING;
}

/** inf/nan spellings, case-insensitive, with an optional sign (Number() accepts only "Infinity"). */
const SPECIAL = new Map<string, number>();
for (const [w, v] of [['inf', Infinity], ['infinity', Infinity], ['nan', NaN]] as const) {
  SPECIAL.set(w, v);
  SPECIAL.set(`+${w}`, v);
  SPECIAL.set(`-${w}`, -v);
}

/** Spellings of a missing value in numeric columns (pandas' common ones); in string columns they stay text. */
const NULLS = new Set(['NA', 'N/A', '#N/A', 'NULL', 'null', 'None']);
