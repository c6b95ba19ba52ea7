// The CSV decoder's fast path: one chunk of plain, quote-free records parsed
// straight into its pages. It takes only what it is sure of and answers
// CSV_BAIL for anything else (a quote, a wrong field count, a field that is
// not a plain decimal number, a lone CR, a number it cannot round exactly), so
// the JS decoder (workers/sources/csv/decode.ts), the reference, decides every
// error, retype and warning. Two passes, a slice of the chunk at a time: the
// offsets of every delimiter, line end and quote, then the fields between them. Numbers are bit-identical to
// Number(): exact digits and Clinger's fast path, or for 16 to 19 significant
// digits the double-double scaling numbers.ts uses, bailing where that cannot
// be sure.
// see: W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990
// see: T. J. Dekker, "A floating-point technique for extending the available precision", 1971
import { Csv, CsvCol, CsvEntry, CsvKind, CSV_BAIL } from "./layout";

const LF: u32 = 10;
const CR: u32 = 13;
/** intern's answer when the column's entries are full (CsvCol.CAP) */
const FULL: u32 = 0xffffffff;
/** Veltkamp's splitter, 2^27 + 1 */
const SPLIT: f64 = 134217729.0;
/** beyond this the double-double steps could near the subnormals or overflow (numbers.ts MAX_EXP) */
const MAX_EXP: i32 = 264;

/**
 * Decodes the chunk a CsvDesc at `desc` describes: numbers into their pages,
 * codes and entries per DICT column. The rows read, or CSV_BAIL. The field
 * ends come from the index, so no field waits for the one before it to parse.
 * The index covers a slice of the chunk at a time (cut after the slice's last
 * line end), so it is sized by the records of a slice, not by the chunk.
 */
export function csv_decode(desc: usize): i32 {
  const base = <usize>load<u32>(desc, Csv.BYTES << 2);
  const end = base + <usize>load<u32>(desc, Csv.N_BYTES << 2);
  const delim = load<u32>(desc, Csv.DELIM << 2);
  const ncols = load<i32>(desc, Csv.N_COLS << 2);
  const cap = load<i32>(desc, Csv.ROWS << 2);
  const cols = <usize>load<u32>(desc, Csv.COLS << 2);
  const pw = <usize>load<u32>(desc, Csv.POW10 << 2);
  const index = <usize>load<u32>(desc, Csv.INDEX << 2);
  const indexEnd = index + (<usize>load<u32>(desc, Csv.INDEX_CAP << 2) << 2);
  for (let c = 0; c < ncols; c++) {
    const col = cols + (<usize>c << 5);
    store<u32>(col, 0, CsvCol.COUNT << 2);
    if (load<i32>(col, CsvCol.KIND << 2) == CsvKind.DICT) memory.fill(<usize>load<u32>(col, CsvCol.SMALL << 2), 0, 257 << 2);
  }
  store<u32>(desc, 0, Csv.DICT_COUNT << 2);
  if (load<u32>(desc, Csv.DICT_CAP << 2) != 0) {
    memory.fill(<usize>load<u32>(desc, Csv.DICT_TABLE << 2), 0, (<usize>load<u32>(desc, Csv.DICT_MASK << 2) + 1) << 2);
  }
  const last = ncols - 1;
  let p = base;
  let row = 0;
  while (p <= end) {
    // index a slice from p; records up to its last line end parse, the rest waits for the next slice
    const filled = structurals(base, p, end, delim, index, indexEnd);
    let limit = end;
    // the sentinel LF at end is the last entry exactly when the slice reached the chunk's end
    if (filled == index || base + <usize>load<u32>(filled - 4) != end) {
      let k = filled;
      while (k > index && <u32>load<u8>(base + <usize>load<u32>(k - 4)) != LF) k -= 4;
      if (k == index) return CSV_BAIL;
      limit = base + <usize>load<u32>(k - 4) + 1;
    }
    let i = index;
    while (p < limit) {
      let q = base + <usize>load<u32>(i);
      if (q == p) {
        // blank lines are not records
        const b = <u32>load<u8>(p);
        if (b == LF) { p++; i += 4; continue; }
        if (b == CR) {
          if (p + 1 < end && <u32>load<u8>(p, 1) == LF) { p += 2; i += 8; continue; }
          return CSV_BAIL;
        }
      }
      if (row >= cap) return CSV_BAIL;
      for (let c = 0; c < ncols; c++) {
        const col = cols + (<usize>c << 5);
        const kind = load<i32>(col, CsvCol.KIND << 2);
        const dest = <usize>load<u32>(col, CsvCol.DEST << 2);
        q = base + <usize>load<u32>(i);
        i += 4;
        if (kind == CsvKind.DICT) {
          const code = intern(desc, <u32>c, col, base, p, q);
          if (code == FULL) return CSV_BAIL;
          store<u16>(dest + (<usize>row << 1), <u16>code);
        } else if (kind != CsvKind.SKIP) {
          if (!number(p, q, kind, dest, row, pw)) return CSV_BAIL;
        }
        // after the field: the delimiter, or the end of the record after the last field
        const b = <u32>load<u8>(q);
        if (c < last) {
          // (the sentinel LF at end is no delimiter)
          if (b != delim) return CSV_BAIL;
          p = q + 1;
        } else if (b == LF) {
          p = q + 1;
        } else if (b == CR && q + 1 < end && <u32>load<u8>(q, 1) == LF) {
          p = q + 2;
          i += 4;
        } else {
          return CSV_BAIL;
        }
      }
      row++;
    }
    if (limit == end) break;
  }
  return row;
}

/**
 * Writes the offset from base (the chunk's) of every delimiter, LF, CR and quote in
 * [from, end] (the sentinel LF at end last) as u32s at out, 32 bytes a step,
 * until the next step might not fit before outEnd. The end of what it wrote.
 */
// @ts-ignore: decorator
@inline function structurals(base: usize, from: usize, end: usize, delim: u32, out: usize, outEnd: usize): usize {
  const vd = i8x16.splat(<i8>delim);
  const vl = i8x16.splat(10);
  const vc = i8x16.splat(13);
  const vq = i8x16.splat(34);
  let o = out;
  let b = from;
  for (; b <= end; b += 32) {
    // a step writes at most 32 entries
    if (o + 128 > outEnd) break;
    const v = v128.load(b);
    const w = v128.load(b, 16);
    let m = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, vd), i8x16.eq(v, vl)), v128.or(i8x16.eq(v, vc), i8x16.eq(v, vq))))
      | (i8x16.bitmask(v128.or(v128.or(i8x16.eq(w, vd), i8x16.eq(w, vl)), v128.or(i8x16.eq(w, vc), i8x16.eq(w, vq)))) << 16);
    if (b + 32 > end) m &= <i32>((<u64>1 << <u64>(end - b + 1)) - 1);
    const n = popcnt(m);
    const at = <u32>(b - base);
    // eight offsets whatever the count (a 36-byte row holds five): no branch waits on it
    store<u32>(o, at + <u32>ctz(m)); m &= m - 1;
    store<u32>(o, at + <u32>ctz(m), 4); m &= m - 1;
    store<u32>(o, at + <u32>ctz(m), 8); m &= m - 1;
    store<u32>(o, at + <u32>ctz(m), 12); m &= m - 1;
    store<u32>(o, at + <u32>ctz(m), 16); m &= m - 1;
    store<u32>(o, at + <u32>ctz(m), 20); m &= m - 1;
    store<u32>(o, at + <u32>ctz(m), 24); m &= m - 1;
    store<u32>(o, at + <u32>ctz(m), 28); m &= m - 1;
    if (n > 8) {
      for (let k = o + 32; m != 0; k += 4) {
        store<u32>(k, at + <u32>ctz(m));
        m &= m - 1;
      }
    }
    o += <usize>n << 2;
  }
  return o;
}

/**
 * Column c's code for bytes [p, q): found by hash and bytes in the chunk's
 * one table (every text column's), or added as the column's next code. Fields
 * of up to 16 bytes are one masked 16-byte vector: hashed, compared and stored
 * without a loop. Empty and one-byte fields (genotypes, flags) skip the hash:
 * the column's SMALL slots hold their codes by byte.
 */
// @ts-ignore: decorator
@inline function intern(desc: usize, c: u32, col: usize, base: usize, p: usize, q: usize): u32 {
  const len = <u32>(q - p);
  let small: usize = 0;
  if (len <= 1) {
    small = <usize>load<u32>(col, CsvCol.SMALL << 2) + (<usize>(len == 0 ? 256 : <u32>load<u8>(p)) << 2);
    const known = load<u32>(small);
    if (known != 0) return known - 1;
    return add(desc, c, col, base, p, len, i8x16.replace_lane(i8x16.splat(0), 0, len == 0 ? 0 : load<i8>(p)), 0, small);
  }
  const keep = i8x16.gt_u(i8x16.splat(<i8>min(len, 16)), i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  const v = v128.and(v128.load(p), keep);
  const key = <u64>len | (<u64>c << 32);
  let h = i64x2.extract_lane(v, 0) ^ (i64x2.extract_lane(v, 1) * 0x9e3779b97f4a7c15) ^ (key * 0xc2b2ae3d27d4eb4f);
  if (len > 16) for (let i = p + 16; i < q; i++) h = (h ^ <u64>load<u8>(i)) * 0x100000001b3;
  h *= 0xff51afd7ed558ccd;
  const table = <usize>load<u32>(desc, Csv.DICT_TABLE << 2);
  const mask = load<u32>(desc, Csv.DICT_MASK << 2);
  const entries = <usize>load<u32>(desc, Csv.DICT_ENTRIES << 2);
  let slot = <u32>(h >> 32) & mask;
  for (;;) {
    const k = load<u32>(table + (<usize>slot << 2));
    if (k == 0) break;
    const e = entries + (<usize>(k - 1) << 5);
    if (load<u64>(e, CsvEntry.LEN) == key && i8x16.all_true(i8x16.eq(v128.load(e), v))
      && (len <= 16 || same(base + <usize>load<u32>(e, CsvEntry.START) + 16, p + 16, len - 16))) return load<u32>(e, CsvEntry.CODE);
    slot = (slot + 1) & mask;
  }
  return add(desc, c, col, base, p, len, v, table + (<usize>slot << 2), 0);
}

/**
 * Adds bytes [p, p + len) (their first 16 in v) as column c's next code: an
 * entry, and its number + 1 in the hash table's slot or the column's SMALL
 * slot (whichever is not 0); FULL when the entries are.
 */
function add(desc: usize, c: u32, col: usize, base: usize, p: usize, len: u32, v: v128, slot: usize, small: usize): u32 {
  const n = load<u32>(desc, Csv.DICT_COUNT << 2);
  if (n >= load<u32>(desc, Csv.DICT_CAP << 2)) return FULL;
  store<u32>(desc, n + 1, Csv.DICT_COUNT << 2);
  const id = load<u32>(col, CsvCol.COUNT << 2);
  store<u32>(col, id + 1, CsvCol.COUNT << 2);
  const entries = <usize>load<u32>(desc, Csv.DICT_ENTRIES << 2);
  const e = entries + (<usize>n << 5);
  v128.store(e, v);
  store<u32>(e, <u32>(p - base), CsvEntry.START);
  store<u64>(e, <u64>len | (<u64>c << 32), CsvEntry.LEN);
  store<u32>(e, id, CsvEntry.CODE);
  if (slot != 0) store<u32>(slot, n + 1);
  else store<u32>(small, id + 1);
  return id;
}

/** Whether len bytes at a and b are equal. */
// @ts-ignore: decorator
@inline function same(a: usize, b: usize, len: u32): bool {
  let i: usize = 0;
  const n = <usize>len;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  for (; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/**
 * The number in [p, q) into row `row` of dest; false to bail. The common
 * case, a plain decimal of up to 15 digits and 16 bytes, without a loop or a
 * data-dependent branch: digit and point lanes from one 16-byte load, the
 * point squeezed out with a swizzle, digits to an integer by pairwise
 * multiply-adds. Everything else (empty, long, exponents) in numberFull.
 */
// @ts-ignore: decorator
@inline function number(p: usize, q: usize, kind: i32, dest: usize, row: i32, pw: usize): bool {
  const b = <u32>load<u8>(p);
  const neg = b == 45;
  const s = p + <usize>(<u32>neg | <u32>(b == 43));
  const len = <i32>(q - s);
  if (len > 16 && kind != CsvKind.I32) return numberLong(p, s, q, neg, kind, dest, row, pw);
  if (len <= 0 || len > 16) return numberFull(p, kind, dest, row, pw) == q;
  const v = v128.load(s);
  const t = i8x16.sub(v, i8x16.splat(48));
  const valid = (1 << len) - 1;
  const digits = i8x16.bitmask(i8x16.le_u(t, i8x16.splat(9))) & valid;
  const dots = i8x16.bitmask(i8x16.eq(v, i8x16.splat(46))) & valid;
  const ndots = popcnt(dots);
  const n = len - ndots;
  if ((digits | dots) != valid || ndots > 1 || n == 0 || n > 15) return numberFull(p, kind, dest, row, pw) == q;
  const intLen = ndots != 0 ? ctz(dots) : len;
  // lane j of the digits, right-aligned: digit k = j + n - 16 of the number, read past the point when k >= intLen
  const k = i8x16.add(i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), i8x16.splat(<i8>(n - 16)));
  const src = i8x16.sub(k, i8x16.gt_s(k, i8x16.splat(<i8>(intLen - 1))));
  // negative lanes (before the first digit) index nothing: swizzle gives 0
  const d = i8x16.swizzle(t, src);
  const d2 = i16x8.add(i16x8.mul(v128.and(d, i16x8.splat(0xff)), i16x8.splat(10)), i16x8.shr_u(d, 8));
  const d4 = i32x4.dot_i16x8_s(d2, i16x8(100, 1, 100, 1, 100, 1, 100, 1));
  const hi = <u64>(i32x4.extract_lane(d4, 0) * 10000 + i32x4.extract_lane(d4, 1));
  const lo = <u64>(i32x4.extract_lane(d4, 2) * 10000 + i32x4.extract_lane(d4, 3));
  // signed: i64 to f64 is one instruction, u64 to f64 is not (and m < 10^15)
  const m = <i64>(hi * 100000000 + lo);
  if (kind == CsvKind.I32) {
    const iv = select<i64>(-m, m, neg);
    if (ndots != 0 || iv < -2147483648 || iv > 2147483647) return false;
    store<i32>(dest + (<usize>row << 2), <i32>iv);
    return true;
  }
  const y = <f64>m / load<f64>(pw + (<usize>(n - intLen) << 3));
  const x = select<f64>(-y, y, neg);
  if (kind == CsvKind.F64) store<f64>(dest + (<usize>row << 3), x);
  else store<f32>(dest + (<usize>row << 2), <f32>x);
  return true;
}

/**
 * A plain decimal in [s, q) longer than 16 bytes (what JS and pandas print for
 * doubles: 17 significant digits), of up to 19 digits, into a float page; the
 * digits in one u64, then Clinger's fast path or scaleExact as numbers.ts
 * would. Exponents and anything else: numberFull.
 */
function numberLong(p: usize, s: usize, q: usize, neg: bool, kind: i32, dest: usize, row: i32, pw: usize): bool {
  let m: u64 = 0;
  let n = 0;
  let dot: usize = 0;
  for (let i = s; i < q; i++) {
    const d = <u32>load<u8>(i) - 48;
    if (d <= 9) {
      m = m * 10 + <u64>d;
      n++;
    } else if (d == <u32>-2 && dot == 0) {
      dot = i;
    } else {
      return numberFull(p, kind, dest, row, pw) == q;
    }
  }
  if (n > 19) return numberFull(p, kind, dest, row, pw) == q;
  let e10 = dot != 0 ? -<i32>(q - dot - 1) : 0;
  // trailing zeros scale instead (numbers.ts counts them apart from the digits too)
  if (m > 9007199254740992) {
    while (m % 10 == 0) { m /= 10; e10++; }
  }
  let v: f64;
  if (m <= 9007199254740992) {
    // exact in a double: one correctly rounded multiply or divide (|e10| <= 19)
    v = e10 >= 0 ? <f64><i64>m * load<f64>(pw + (<usize>e10 << 3)) : <f64><i64>m / load<f64>(pw + (<usize>(-e10) << 3));
  } else {
    // 16 to 19 significant digits: the first 15 and the rest, as numbers.ts splits them
    let nlo = 1;
    let div: u64 = 10;
    while (m / div >= 1000000000000000) { div *= 10; nlo++; }
    v = scaleExact(<f64><i64>(m / div), nlo, <f64><i64>(m % div), e10, pw);
    if (isNaN(v)) return false;
  }
  if (neg) v = -v;
  if (kind == CsvKind.F64) store<f64>(dest + (<usize>row << 3), v);
  else store<f32>(dest + (<usize>row << 2), <f32>v);
  return true;
}

/**
 * Parses `[+-]digits[.digits][(e|E)[+-]digits]` at p (numbers.ts parseNumber's
 * grammar, no spaces) and stores it as `kind` at row `row` of dest; an empty
 * field is NaN in float columns. The position after it, or 0 to bail.
 */
function numberFull(p: usize, kind: i32, dest: usize, row: i32, pw: usize): usize {
  const s = p;
  let neg = false;
  let b = <u32>load<u8>(p);
  if (b == 45) { neg = true; p++; } else if (b == 43) p++;
  // significant digits: the first 15 in m, up to 4 more in lo (zeros between pending), `over` past that
  let m: u64 = 0;
  let n = 0;
  let digits = 0;
  let lo: f64 = 0;
  let nlo = 0;
  let zeros = 0;
  let over = false;
  let dot: usize = 0;
  for (;;) {
    b = <u32>load<u8>(p);
    const d = b - 48;
    if (d > 9) {
      if (b == 46 && dot == 0) { dot = p++; continue; }
      break;
    }
    p++;
    digits++;
    if (n < 15) {
      if (n != 0 || d != 0) { m = m * 10 + <u64>d; n++; }
    } else if (d == 0) {
      zeros++;
    } else if (nlo + zeros < 4) {
      lo = lo * load<f64>(pw + (<usize>(zeros + 1) << 3)) + <f64>d;
      nlo += zeros + 1;
      zeros = 0;
    } else {
      over = true;
    }
  }
  if (digits == 0) {
    if (p != s || kind == CsvKind.I32) return 0;
    if (kind == CsvKind.F64) store<f64>(dest + (<usize>row << 3), NaN);
    else store<f32>(dest + (<usize>row << 2), <f32>NaN);
    return p;
  }
  let e10 = dot != 0 ? -<i32>(p - dot - 1) : 0;
  let isInt = dot == 0;
  if ((<u32>load<u8>(p) | 0x20) == 101) {
    let q = p + 1;
    let eneg = false;
    b = <u32>load<u8>(q);
    if (b == 45) { eneg = true; q++; } else if (b == 43) q++;
    const x0 = q;
    let x = 0;
    for (;;) {
      const d = <u32>load<u8>(q) - 48;
      if (d > 9) break;
      if (x < 100000) x = x * 10 + <i32>d;
      q++;
    }
    // "1e" or "1e+" is no exponent: p stays at the 'e', which then ends nothing and bails
    if (q > x0) {
      isInt = false;
      e10 += eneg ? -x : x;
      p = q;
    }
  }
  if (over || (kind == CsvKind.I32 && !isInt)) return 0;
  e10 += zeros;
  let v: f64;
  if (m == 0) v = 0;
  else if (nlo == 0 && e10 >= 0 && e10 <= 22) v = <f64>m * load<f64>(pw + (<usize>e10 << 3));
  else if (nlo == 0 && e10 < 0 && e10 >= -22) v = <f64>m / load<f64>(pw + (<usize>(-e10) << 3));
  else if (e10 < -MAX_EXP || e10 > MAX_EXP) return 0;
  else {
    v = scaleExact(<f64>m, nlo, lo, e10, pw);
    if (isNaN(v)) return 0;
  }
  if (neg) v = -v;
  if (kind == CsvKind.F64) store<f64>(dest + (<usize>row << 3), v);
  else if (kind == CsvKind.F32) store<f32>(dest + (<usize>row << 2), <f32>v);
  else {
    if (!(v >= -2147483648.0 && v <= 2147483647.0)) return 0;
    store<i32>(dest + (<usize>row << 2), <i32>v);
  }
  return p;
}

/** Low half of a*b (the error of fl(a*b)), exactly: Dekker's product without FMA. */
// @ts-ignore: decorator
@inline function prodErr(a: f64, b: f64, p: f64): f64 {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/**
 * (hi·10^nlo + lo)·10^e10 correctly rounded, or NaN when too near a rounding
 * midpoint to be sure: numbers.ts scaleExact, step for step.
 */
function scaleExact(hi: f64, nlo: i32, lo: f64, e10: i32, pw: usize): f64 {
  const t0 = load<f64>(pw + (<usize>nlo << 3));
  const p = hi * t0;
  const pe = prodErr(hi, t0, p);
  let x = p + lo;
  const bb = x - p;
  let xe = (p - (x - bb)) + (lo - bb) + pe;
  const x0 = x + xe;
  xe -= x0 - x;
  x = x0;
  while (e10 != 0) {
    const k = e10 > 22 ? 22 : e10 < -22 ? -22 : e10;
    e10 -= k;
    if (k > 0) {
      const t = load<f64>(pw + (<usize>k << 3));
      const y = x * t;
      xe = prodErr(x, t, y) + xe * t;
      x = y;
    } else {
      const t = load<f64>(pw + (<usize>(-k) << 3));
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
  const bits = reinterpret<u64>(x);
  const exp = (bits >> 52) & 0x7ff;
  const pow2 = (bits & 0xfffffffffffff) == 0;
  const ulp = reinterpret<f64>((exp - 52) << 52);
  const half = (xe < 0 && pow2 ? ulp / 2 : ulp) / 2;
  return abs(xe) < half - x * 2.5e-29 ? x : NaN;
}
