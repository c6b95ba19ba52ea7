// Reductions over one column chunk: sum, and [min, max, count] for auto-range.
// minmax_* write three f64 at out: min, max, and the number of non-NaN values;
// NaN is skipped, an empty (or all-NaN) input gives [+Inf, -Inf, 0] (the identity
// of the merge), and -0 sorts below +0.

/** Sum of n f64 at p (SIMD, two accumulators). */
export function sum_f64(p: usize, n: i32): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = p + (<usize>i << 3);
    a = f64x2.add(a, v128.load(q));
    b = f64x2.add(b, v128.load(q, 16));
  }
  a = f64x2.add(a, b);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) s += load<f64>(p + (<usize>i << 3));
  return s;
}

// @ts-ignore: decorator
@inline function put(out: usize, lo: f64, hi: f64, count: f64): void {
  store<f64>(out, lo);
  store<f64>(out, hi, 8);
  store<f64>(out, count, 16);
}

/** [min, max, non-NaN count] of n f64 at p, into out (3 f64). */
export function minmax_f64(p: usize, n: i32, out: usize): void {
  const inf = f64x2.splat(Infinity), ninf = f64x2.splat(-Infinity);
  let lo0 = inf, lo1 = inf, hi0 = ninf, hi1 = ninf, c0 = i64x2.splat(0), c1 = c0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = p + (<usize>i << 3);
    const a = v128.load(q), b = v128.load(q, 16);
    const ea = f64x2.eq(a, a), eb = f64x2.eq(b, b);
    lo0 = f64x2.min(lo0, v128.bitselect(a, inf, ea));
    lo1 = f64x2.min(lo1, v128.bitselect(b, inf, eb));
    hi0 = f64x2.max(hi0, v128.bitselect(a, ninf, ea));
    hi1 = f64x2.max(hi1, v128.bitselect(b, ninf, eb));
    c0 = i64x2.sub(c0, ea);
    c1 = i64x2.sub(c1, eb);
  }
  lo0 = f64x2.min(lo0, lo1);
  hi0 = f64x2.max(hi0, hi1);
  c0 = i64x2.add(c0, c1);
  let lo = min(f64x2.extract_lane(lo0, 0), f64x2.extract_lane(lo0, 1));
  let hi = max(f64x2.extract_lane(hi0, 0), f64x2.extract_lane(hi0, 1));
  let c = i64x2.extract_lane(c0, 0) + i64x2.extract_lane(c0, 1);
  for (; i < n; i++) {
    const v = load<f64>(p + (<usize>i << 3));
    if (v == v) {
      lo = min(lo, v);
      hi = max(hi, v);
      c++;
    }
  }
  put(out, lo, hi, <f64>c);
}

/** [min, max, non-NaN count] of n f32 at p, into out (3 f64). */
export function minmax_f32(p: usize, n: i32, out: usize): void {
  const inf = f32x4.splat(Infinity), ninf = f32x4.splat(-Infinity);
  let lo0 = inf, lo1 = inf, hi0 = ninf, hi1 = ninf, c0 = i32x4.splat(0), c1 = c0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + (<usize>i << 2);
    const a = v128.load(q), b = v128.load(q, 16);
    const ea = f32x4.eq(a, a), eb = f32x4.eq(b, b);
    lo0 = f32x4.min(lo0, v128.bitselect(a, inf, ea));
    lo1 = f32x4.min(lo1, v128.bitselect(b, inf, eb));
    hi0 = f32x4.max(hi0, v128.bitselect(a, ninf, ea));
    hi1 = f32x4.max(hi1, v128.bitselect(b, ninf, eb));
    c0 = i32x4.sub(c0, ea);
    c1 = i32x4.sub(c1, eb);
  }
  lo0 = f32x4.min(lo0, lo1);
  hi0 = f32x4.max(hi0, hi1);
  lo0 = f32x4.min(lo0, i8x16.shuffle(lo0, lo0, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  hi0 = f32x4.max(hi0, i8x16.shuffle(hi0, hi0, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  let lo = <f64>min(f32x4.extract_lane(lo0, 0), f32x4.extract_lane(lo0, 1));
  let hi = <f64>max(f32x4.extract_lane(hi0, 0), f32x4.extract_lane(hi0, 1));
  c0 = i32x4.add(c0, c1);
  let c = <f64>i32x4.extract_lane(c0, 0) + <f64>i32x4.extract_lane(c0, 1) +
    <f64>i32x4.extract_lane(c0, 2) + <f64>i32x4.extract_lane(c0, 3);
  for (; i < n; i++) {
    const v = <f64>load<f32>(p + (<usize>i << 2));
    if (v == v) {
      lo = min(lo, v);
      hi = max(hi, v);
      c++;
    }
  }
  put(out, lo, hi, c);
}

// Lane permutations that fold a vector onto lane 0 in log2(lanes) min/max steps.
// @ts-ignore: decorator
@inline function halves(v: v128): v128 {
  return i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
}
// @ts-ignore: decorator
@inline function quarters(v: v128): v128 {
  return i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
}
// @ts-ignore: decorator
@inline function eighths(v: v128): v128 {
  return i8x16.shuffle(v, v, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
}
// @ts-ignore: decorator
@inline function sixteenths(v: v128): v128 {
  return i8x16.shuffle(v, v, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
}

/** [min, max, n] of n i32 at p, into out (3 f64). */
export function minmax_i32(p: usize, n: i32, out: usize): void {
  let lo = i32x4.splat(i32.MAX_VALUE), hi = i32x4.splat(i32.MIN_VALUE);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + (<usize>i << 2);
    const a = v128.load(q), b = v128.load(q, 16);
    lo = i32x4.min_s(lo, i32x4.min_s(a, b));
    hi = i32x4.max_s(hi, i32x4.max_s(a, b));
  }
  lo = i32x4.min_s(lo, halves(lo)); lo = i32x4.min_s(lo, quarters(lo));
  hi = i32x4.max_s(hi, halves(hi)); hi = i32x4.max_s(hi, quarters(hi));
  let l = i32x4.extract_lane(lo, 0), h = i32x4.extract_lane(hi, 0);
  for (; i < n; i++) {
    const v = load<i32>(p + (<usize>i << 2));
    l = min(l, v);
    h = max(h, v);
  }
  if (n > 0) put(out, l, h, n);
  else put(out, Infinity, -Infinity, 0);
}

/** [min, max, n] of n u32 at p, into out (3 f64). */
export function minmax_u32(p: usize, n: i32, out: usize): void {
  let lo = i32x4.splat(-1), hi = i32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + (<usize>i << 2);
    const a = v128.load(q), b = v128.load(q, 16);
    lo = i32x4.min_u(lo, i32x4.min_u(a, b));
    hi = i32x4.max_u(hi, i32x4.max_u(a, b));
  }
  lo = i32x4.min_u(lo, halves(lo)); lo = i32x4.min_u(lo, quarters(lo));
  hi = i32x4.max_u(hi, halves(hi)); hi = i32x4.max_u(hi, quarters(hi));
  let l = <u32>i32x4.extract_lane(lo, 0), h = <u32>i32x4.extract_lane(hi, 0);
  for (; i < n; i++) {
    const v = load<u32>(p + (<usize>i << 2));
    l = min(l, v);
    h = max(h, v);
  }
  if (n > 0) put(out, l, h, n);
  else put(out, Infinity, -Infinity, 0);
}

/** [min, max, n] of n u16 at p, into out (3 f64). */
export function minmax_u16(p: usize, n: i32, out: usize): void {
  let lo = i16x8.splat(-1), hi = i16x8.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const q = p + (<usize>i << 1);
    const a = v128.load(q), b = v128.load(q, 16);
    lo = i16x8.min_u(lo, i16x8.min_u(a, b));
    hi = i16x8.max_u(hi, i16x8.max_u(a, b));
  }
  lo = i16x8.min_u(lo, halves(lo)); lo = i16x8.min_u(lo, quarters(lo)); lo = i16x8.min_u(lo, eighths(lo));
  hi = i16x8.max_u(hi, halves(hi)); hi = i16x8.max_u(hi, quarters(hi)); hi = i16x8.max_u(hi, eighths(hi));
  let l = <u32>i16x8.extract_lane_u(lo, 0), h = <u32>i16x8.extract_lane_u(hi, 0);
  for (; i < n; i++) {
    const v = <u32>load<u16>(p + (<usize>i << 1));
    l = min(l, v);
    h = max(h, v);
  }
  if (n > 0) put(out, l, h, n);
  else put(out, Infinity, -Infinity, 0);
}

/** [min, max, n] of n u8 at p, into out (3 f64). */
export function minmax_u8(p: usize, n: i32, out: usize): void {
  let lo = i8x16.splat(-1), hi = i8x16.splat(0);
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const q = p + <usize>i;
    const a = v128.load(q), b = v128.load(q, 16);
    lo = i8x16.min_u(lo, i8x16.min_u(a, b));
    hi = i8x16.max_u(hi, i8x16.max_u(a, b));
  }
  lo = i8x16.min_u(lo, halves(lo)); lo = i8x16.min_u(lo, quarters(lo));
  lo = i8x16.min_u(lo, eighths(lo)); lo = i8x16.min_u(lo, sixteenths(lo));
  hi = i8x16.max_u(hi, halves(hi)); hi = i8x16.max_u(hi, quarters(hi));
  hi = i8x16.max_u(hi, eighths(hi)); hi = i8x16.max_u(hi, sixteenths(hi));
  let l = <u32>i8x16.extract_lane_u(lo, 0), h = <u32>i8x16.extract_lane_u(hi, 0);
  for (; i < n; i++) {
    const v = <u32>load<u8>(p + <usize>i);
    l = min(l, v);
    h = max(h, v);
  }
  if (n > 0) put(out, l, h, n);
  else put(out, Infinity, -Infinity, 0);
}
