// 1D/2D histogram fill (bin rule and slot layout: layout.ts `Hist`). Dense path, in
// two phases per call:
//  1. SIMD, 8 rows per iteration: the slot of every row as a byte offset into one copy
//     of the slot array, stored in the i32 `idx` scratch; plus the range statistics.
//  2. scalar scatter: row j adds to copy (j & (COPIES - 1)); several copies break
//     the store-to-load chain when many consecutive rows hit the same slot.
// Sparse path, for masks that keep few rows: the row numbers of the kept rows go to
// `idx`, then those rows are gathered, binned with the same SIMD code and scattered.
// Phase 1 computes each slot in f64 as 2^52 + slot, whose low 32 bits are the slot,
// so one shuffle packs four slots into an i32x4 (i32x4.trunc_sat_f64x2_s_zero is a
// long sequence on x64). NaN rides along and becomes slot 0 in a last pmax:
// pmax(a, b) = a < b ? b : a and pmin(a, b) = b < a ? b : a both return `a` when
// either operand is NaN, so the operand order decides whether NaN survives.
// Measured shapes and numbers: bench/kernels.mjs.
import { Hist, HIST_STATS } from "./layout";

const BIAS: f64 = 4503599627370496; // 2^52

// @ts-ignore: decorator
@inline function field(h: usize, k: i32): f64 {
  return load<f64>(h + (<usize>k << 3));
}

// add + (floor of t clamped to [-1, n - 1], or n where over: x >= hi); NaN stays NaN.
// `add` >= 1, so the overflow pmax only meets values >= 0.
// @ts-ignore: decorator
@inline function pos(t: v128, over: v128, top: v128, nv: v128, add: v128): v128 {
  const v = f64x2.add(f64x2.floor(f64x2.pmin(f64x2.pmax(t, f64x2.splat(-1)), top)), add);
  return f64x2.pmax(v, v128.and(over, f64x2.add(nv, add)));
}

// Masked-out rows (mask == 0) go to the trash slot, the largest.
// @ts-ignore: decorator
@inline function drop(s: v128, zero: v128, trash: v128): v128 {
  return f64x2.pmax(v128.and(zero, trash), s);
}

// Four encoded slots -> four i32 byte offsets.
// @ts-ignore: decorator
@inline function pack(a: v128, b: v128, scale: v128): v128 {
  return i32x4.mul(i8x16.shuffle(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), scale);
}

// @ts-ignore: decorator
@inline function lanes(v: v128, lim: v128, first: f64): v128 {
  return v128.and(v, f64x2.lt(f64x2(first, first + 1), lim));
}

// @ts-ignore: decorator
@inline function sum4(a: v128, b: v128, c: v128, d: v128): v128 {
  return f64x2.add(f64x2.add(a, b), f64x2.add(c, d));
}

// @ts-ignore: decorator
@inline function addTo(p: usize, v: v128): void {
  store<f64>(p, load<f64>(p) + (f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1)));
}

// Integer value of a small nonnegative integer-valued f64 (no float->int conversion,
// which V8 lowers with branches that keep it from being hoisted out of loops).
// @ts-ignore: decorator
@inline function int(v: f64): i32 {
  return <i32>reinterpret<u64>(v + BIAS);
}

// Rows [j0, j1) of a 1D fill, j1 - j0 a multiple of 8; `tail`: only rows < n count in the stats.
// @ts-ignore: decorator
@inline function rows1d(
  h: usize, stats: usize, idx: usize, x: usize, m: usize, w: usize, j0: i32, j1: i32, n: i32,
  hasM: bool, hasW: bool, tail: bool,
): void {
  const lo = f64x2.splat(field(h, Hist.XLO)), hi = f64x2.splat(field(h, Hist.XHI));
  const inv = f64x2.splat(field(h, Hist.XINV)), nx = field(h, Hist.NX);
  const top = f64x2.splat(nx - 1), nv = f64x2.splat(nx), add = f64x2.splat(BIAS + 2), base = f64x2.splat(BIAS);
  const trash = f64x2.splat(BIAS + field(h, Hist.N_SLOTS) - 1), zero = f64x2.splat(0);
  const scale = i32x4.splat(int(field(h, Hist.STRIDE)) << 3);
  let sx = f64x2.splat(0), sxx = sx;
  for (let j = j0; j < j1; j += 8) {
    const q = <usize>j << 3;
    const x0 = v128.load(x + q), x1 = v128.load(x + q, 16), x2 = v128.load(x + q, 32), x3 = v128.load(x + q, 48);
    const t0 = f64x2.mul(f64x2.sub(x0, lo), inv), t1 = f64x2.mul(f64x2.sub(x1, lo), inv);
    const t2 = f64x2.mul(f64x2.sub(x2, lo), inv), t3 = f64x2.mul(f64x2.sub(x3, lo), inv);
    const g0 = f64x2.ge(x0, hi), g1 = f64x2.ge(x1, hi), g2 = f64x2.ge(x2, hi), g3 = f64x2.ge(x3, hi);
    let s0 = f64x2.pmax(base, pos(t0, g0, top, nv, add)), s1 = f64x2.pmax(base, pos(t1, g1, top, nv, add));
    let s2 = f64x2.pmax(base, pos(t2, g2, top, nv, add)), s3 = f64x2.pmax(base, pos(t3, g3, top, nv, add));
    // in a real bin: t >= 0 (false for NaN) and x < hi
    let i0 = v128.andnot(f64x2.ge(t0, zero), g0), i1 = v128.andnot(f64x2.ge(t1, zero), g1);
    let i2 = v128.andnot(f64x2.ge(t2, zero), g2), i3 = v128.andnot(f64x2.ge(t3, zero), g3);
    if (hasM) {
      const z0 = f64x2.eq(v128.load(m + q), zero), z1 = f64x2.eq(v128.load(m + q, 16), zero);
      const z2 = f64x2.eq(v128.load(m + q, 32), zero), z3 = f64x2.eq(v128.load(m + q, 48), zero);
      s0 = drop(s0, z0, trash); s1 = drop(s1, z1, trash); s2 = drop(s2, z2, trash); s3 = drop(s3, z3, trash);
      i0 = v128.andnot(i0, z0); i1 = v128.andnot(i1, z1); i2 = v128.andnot(i2, z2); i3 = v128.andnot(i3, z3);
    }
    if (tail) {
      const lim = f64x2.splat(<f64>(n - j));
      i0 = lanes(i0, lim, 0); i1 = lanes(i1, lim, 2); i2 = lanes(i2, lim, 4); i3 = lanes(i3, lim, 6);
    }
    const o = idx + (<usize>j << 2);
    v128.store(o, pack(s0, s1, scale));
    v128.store(o, pack(s2, s3, scale), 16);
    // x of the rows in a bin (0 elsewhere), then w * x of those rows
    const p0 = v128.and(x0, i0), p1 = v128.and(x1, i1), p2 = v128.and(x2, i2), p3 = v128.and(x3, i3);
    const a0 = hasW ? v128.and(f64x2.mul(v128.load(w + q), x0), i0) : p0;
    const a1 = hasW ? v128.and(f64x2.mul(v128.load(w + q, 16), x1), i1) : p1;
    const a2 = hasW ? v128.and(f64x2.mul(v128.load(w + q, 32), x2), i2) : p2;
    const a3 = hasW ? v128.and(f64x2.mul(v128.load(w + q, 48), x3), i3) : p3;
    sx = f64x2.add(sx, sum4(a0, a1, a2, a3));
    sxx = f64x2.add(sxx, sum4(f64x2.mul(a0, p0), f64x2.mul(a1, p1), f64x2.mul(a2, p2), f64x2.mul(a3, p3)));
  }
  addTo(stats, sx);
  addTo(stats + 8, sxx);
}

// @ts-ignore: decorator
@inline function index1d(
  h: usize, stats: usize, idx: usize, x: usize, m: usize, w: usize, n: i32, hasM: bool, hasW: bool,
): void {
  const n8 = n & ~7;
  rows1d(h, stats, idx, x, m, w, 0, n8, n, hasM, hasW, false);
  if (n8 < n) rows1d(h, stats, idx, x, m, w, n8, n8 + 8, n, hasM, hasW, true);
}

// Rows [j0, j1) of a 2D fill; see rows1d.
// @ts-ignore: decorator
@inline function rows2d(
  h: usize, stats: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, j0: i32, j1: i32, n: i32,
  hasM: bool, hasW: bool, tail: bool,
): void {
  const xlo = f64x2.splat(field(h, Hist.XLO)), xhi = f64x2.splat(field(h, Hist.XHI));
  const xinv = f64x2.splat(field(h, Hist.XINV)), nx = field(h, Hist.NX);
  const ylo = f64x2.splat(field(h, Hist.YLO)), yhi = f64x2.splat(field(h, Hist.YHI));
  const yinv = f64x2.splat(field(h, Hist.YINV)), ny = field(h, Hist.NY);
  // slot = 1 + sy * (nx + 2) + sx, with sx, sy = floor + 1
  const xtop = f64x2.splat(nx - 1), nxv = f64x2.splat(nx), xadd = f64x2.splat(BIAS + 2);
  const ytop = f64x2.splat(ny - 1), nyv = f64x2.splat(ny), yadd = f64x2.splat(1), row = f64x2.splat(nx + 2);
  const trash = f64x2.splat(BIAS + field(h, Hist.N_SLOTS) - 1), zero = f64x2.splat(0), base = f64x2.splat(BIAS);
  const scale = i32x4.splat(int(field(h, Hist.STRIDE)) << 3);
  let sx = f64x2.splat(0), sxx = sx, sy = sx, syy = sx, sxy = sx;
  for (let j = j0; j < j1; j += 8) {
    const q = <usize>j << 3;
    const x0 = v128.load(x + q), x1 = v128.load(x + q, 16), x2 = v128.load(x + q, 32), x3 = v128.load(x + q, 48);
    const y0 = v128.load(y + q), y1 = v128.load(y + q, 16), y2 = v128.load(y + q, 32), y3 = v128.load(y + q, 48);
    const t0 = f64x2.mul(f64x2.sub(x0, xlo), xinv), t1 = f64x2.mul(f64x2.sub(x1, xlo), xinv);
    const t2 = f64x2.mul(f64x2.sub(x2, xlo), xinv), t3 = f64x2.mul(f64x2.sub(x3, xlo), xinv);
    const u0 = f64x2.mul(f64x2.sub(y0, ylo), yinv), u1 = f64x2.mul(f64x2.sub(y1, ylo), yinv);
    const u2 = f64x2.mul(f64x2.sub(y2, ylo), yinv), u3 = f64x2.mul(f64x2.sub(y3, ylo), yinv);
    const g0 = f64x2.ge(x0, xhi), g1 = f64x2.ge(x1, xhi), g2 = f64x2.ge(x2, xhi), g3 = f64x2.ge(x3, xhi);
    const e0 = f64x2.ge(y0, yhi), e1 = f64x2.ge(y1, yhi), e2 = f64x2.ge(y2, yhi), e3 = f64x2.ge(y3, yhi);
    let s0 = f64x2.pmax(base, f64x2.add(f64x2.mul(pos(u0, e0, ytop, nyv, yadd), row), pos(t0, g0, xtop, nxv, xadd)));
    let s1 = f64x2.pmax(base, f64x2.add(f64x2.mul(pos(u1, e1, ytop, nyv, yadd), row), pos(t1, g1, xtop, nxv, xadd)));
    let s2 = f64x2.pmax(base, f64x2.add(f64x2.mul(pos(u2, e2, ytop, nyv, yadd), row), pos(t2, g2, xtop, nxv, xadd)));
    let s3 = f64x2.pmax(base, f64x2.add(f64x2.mul(pos(u3, e3, ytop, nyv, yadd), row), pos(t3, g3, xtop, nxv, xadd)));
    let i0 = v128.and(v128.andnot(f64x2.ge(t0, zero), g0), v128.andnot(f64x2.ge(u0, zero), e0));
    let i1 = v128.and(v128.andnot(f64x2.ge(t1, zero), g1), v128.andnot(f64x2.ge(u1, zero), e1));
    let i2 = v128.and(v128.andnot(f64x2.ge(t2, zero), g2), v128.andnot(f64x2.ge(u2, zero), e2));
    let i3 = v128.and(v128.andnot(f64x2.ge(t3, zero), g3), v128.andnot(f64x2.ge(u3, zero), e3));
    if (hasM) {
      const z0 = f64x2.eq(v128.load(m + q), zero), z1 = f64x2.eq(v128.load(m + q, 16), zero);
      const z2 = f64x2.eq(v128.load(m + q, 32), zero), z3 = f64x2.eq(v128.load(m + q, 48), zero);
      s0 = drop(s0, z0, trash); s1 = drop(s1, z1, trash); s2 = drop(s2, z2, trash); s3 = drop(s3, z3, trash);
      i0 = v128.andnot(i0, z0); i1 = v128.andnot(i1, z1); i2 = v128.andnot(i2, z2); i3 = v128.andnot(i3, z3);
    }
    if (tail) {
      const lim = f64x2.splat(<f64>(n - j));
      i0 = lanes(i0, lim, 0); i1 = lanes(i1, lim, 2); i2 = lanes(i2, lim, 4); i3 = lanes(i3, lim, 6);
    }
    const o = idx + (<usize>j << 2);
    v128.store(o, pack(s0, s1, scale));
    v128.store(o, pack(s2, s3, scale), 16);
    const p0 = v128.and(x0, i0), p1 = v128.and(x1, i1), p2 = v128.and(x2, i2), p3 = v128.and(x3, i3);
    const r0 = v128.and(y0, i0), r1 = v128.and(y1, i1), r2 = v128.and(y2, i2), r3 = v128.and(y3, i3);
    const w0 = hasW ? v128.load(w + q) : zero, w1 = hasW ? v128.load(w + q, 16) : zero;
    const w2 = hasW ? v128.load(w + q, 32) : zero, w3 = hasW ? v128.load(w + q, 48) : zero;
    const a0 = hasW ? v128.and(f64x2.mul(w0, x0), i0) : p0, a1 = hasW ? v128.and(f64x2.mul(w1, x1), i1) : p1;
    const a2 = hasW ? v128.and(f64x2.mul(w2, x2), i2) : p2, a3 = hasW ? v128.and(f64x2.mul(w3, x3), i3) : p3;
    const b0 = hasW ? v128.and(f64x2.mul(w0, y0), i0) : r0, b1 = hasW ? v128.and(f64x2.mul(w1, y1), i1) : r1;
    const b2 = hasW ? v128.and(f64x2.mul(w2, y2), i2) : r2, b3 = hasW ? v128.and(f64x2.mul(w3, y3), i3) : r3;
    sx = f64x2.add(sx, sum4(a0, a1, a2, a3));
    sxx = f64x2.add(sxx, sum4(f64x2.mul(a0, p0), f64x2.mul(a1, p1), f64x2.mul(a2, p2), f64x2.mul(a3, p3)));
    sy = f64x2.add(sy, sum4(b0, b1, b2, b3));
    syy = f64x2.add(syy, sum4(f64x2.mul(b0, r0), f64x2.mul(b1, r1), f64x2.mul(b2, r2), f64x2.mul(b3, r3)));
    sxy = f64x2.add(sxy, sum4(f64x2.mul(a0, r0), f64x2.mul(a1, r1), f64x2.mul(a2, r2), f64x2.mul(a3, r3)));
  }
  addTo(stats, sx);
  addTo(stats + 8, sxx);
  addTo(stats + 16, sy);
  addTo(stats + 24, syy);
  addTo(stats + 32, sxy);
}

// @ts-ignore: decorator
@inline function index2d(
  h: usize, stats: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, hasM: bool, hasW: bool,
): void {
  const n8 = n & ~7;
  rows2d(h, stats, idx, x, y, m, w, 0, n8, n, hasM, hasW, false);
  if (n8 < n) rows2d(h, stats, idx, x, y, m, w, n8, n8 + 8, n, hasM, hasW, true);
}

// One row into the slot at p: count += 1 (and sum w += w[j], sum w^2 += w[j]^2).
// @ts-ignore: decorator
@inline function bump(p: usize, w: usize, j: i32, hasW: bool): void {
  if (hasW) {
    const v = load<f64>(w + (<usize>j << 3));
    v128.store(p, f64x2.add(v128.load(p), f64x2.replace_lane(f64x2.splat(1), 1, v)));
    store<f64>(p, load<f64>(p, 16) + v * v, 16);
  } else {
    store<f64>(p, load<f64>(p) + 1);
  }
}

// @ts-ignore: decorator
@inline function scatter(h: usize, data: usize, idx: usize, w: usize, n: i32, hasW: bool): void {
  const mask = max(int(field(h, Hist.COPIES)), 1) - 1;
  const copy = <usize>(int(field(h, Hist.N_SLOTS)) * int(field(h, Hist.STRIDE))) << 3;
  if (mask > 7) {
    for (let j = 0; j < n; j++) {
      bump(data + <usize>(j & mask) * copy + load<u32>(idx + (<usize>j << 2)), w, j, hasW);
    }
    return;
  }
  const b1 = data + <usize>(1 & mask) * copy, b2 = data + <usize>(2 & mask) * copy;
  const b3 = data + <usize>(3 & mask) * copy, b4 = data + <usize>(4 & mask) * copy;
  const b5 = data + <usize>(5 & mask) * copy, b6 = data + <usize>(6 & mask) * copy;
  const b7 = data + <usize>(7 & mask) * copy;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const q = idx + (<usize>j << 2);
    bump(data + load<u32>(q), w, j, hasW);
    bump(b1 + load<u32>(q, 4), w, j + 1, hasW);
    bump(b2 + load<u32>(q, 8), w, j + 2, hasW);
    bump(b3 + load<u32>(q, 12), w, j + 3, hasW);
    bump(b4 + load<u32>(q, 16), w, j + 4, hasW);
    bump(b5 + load<u32>(q, 20), w, j + 5, hasW);
    bump(b6 + load<u32>(q, 24), w, j + 6, hasW);
    bump(b7 + load<u32>(q, 28), w, j + 7, hasW);
  }
  const q = idx + (<usize>j << 2);
  if (j < n) bump(data + load<u32>(q), w, j, hasW);
  if (j + 1 < n) bump(b1 + load<u32>(q, 4), w, j + 1, hasW);
  if (j + 2 < n) bump(b2 + load<u32>(q, 8), w, j + 2, hasW);
  if (j + 3 < n) bump(b3 + load<u32>(q, 12), w, j + 3, hasW);
  if (j + 4 < n) bump(b4 + load<u32>(q, 16), w, j + 4, hasW);
  if (j + 5 < n) bump(b5 + load<u32>(q, 20), w, j + 5, hasW);
  if (j + 6 < n) bump(b6 + load<u32>(q, 24), w, j + 6, hasW);
}

// ---- Sparse masks: when few rows pass, gather just those rows instead of sending the
// others to the trash slot one by one. (The trash slot's content is unspecified.)

// The sparse path is taken when fewer than 1/3 (1D) or 1/2 (2D) of the rows pass,
// about where it stops paying (measured on x64, Node 20).

// Bit i set where m[j + i] != 0 (NaN passes, as in the dense path), for i < n - j.
// @ts-ignore: decorator
@inline function bits8(m: usize, j: i32, n: i32): i32 {
  const p = m + (<usize>j << 3), zero = f64x2.splat(0);
  const b = v128.bitmask<i64>(f64x2.ne(v128.load(p), zero))
    | v128.bitmask<i64>(f64x2.ne(v128.load(p, 16), zero)) << 2
    | v128.bitmask<i64>(f64x2.ne(v128.load(p, 32), zero)) << 4
    | v128.bitmask<i64>(f64x2.ne(v128.load(p, 48), zero)) << 6;
  return n - j >= 8 ? b : b & ((1 << (n - j)) - 1);
}

// Row numbers of the selected rows into sel; returns their number, or -1 as soon as it
// reaches `limit`. Branch-free (a row's number is stored at the cursor, which advances
// only if the row passes): a mask that is neither sparse nor dense costs no mispredictions.
function compact(m: usize, n: i32, sel: usize, limit: i32): i32 {
  let k = 0;
  for (let j = 0; j < n; j += 8) {
    if (k >= limit) return -1;
    const b = bits8(m, j, n);
    store<i32>(sel + (<usize>k << 2), j); k += b & 1;
    store<i32>(sel + (<usize>k << 2), j + 1); k += (b >> 1) & 1;
    store<i32>(sel + (<usize>k << 2), j + 2); k += (b >> 2) & 1;
    store<i32>(sel + (<usize>k << 2), j + 3); k += (b >> 3) & 1;
    store<i32>(sel + (<usize>k << 2), j + 4); k += (b >> 4) & 1;
    store<i32>(sel + (<usize>k << 2), j + 5); k += (b >> 5) & 1;
    store<i32>(sel + (<usize>k << 2), j + 6); k += (b >> 6) & 1;
    store<i32>(sel + (<usize>k << 2), j + 7); k += b >> 7;
  }
  return k < limit ? k : -1;
}

// f64x2 of p[a], p[b].
// @ts-ignore: decorator
@inline function gather(p: usize, a: i32, b: i32): v128 {
  return f64x2.replace_lane(f64x2.splat(load<f64>(p + (<usize>a << 3))), 1, load<f64>(p + (<usize>b << 3)));
}

// Fills from the k selected rows listed in sel, four per iteration; 1D, or 2D with y.
// Scatters each row right away into copy (row & (COPIES - 1)).
// @ts-ignore: decorator
@inline function sparse(
  h: usize, stats: usize, sel: usize, x: usize, y: usize, w: usize, k: i32, twoD: bool, hasW: bool,
): void {
  const xlo = f64x2.splat(field(h, Hist.XLO)), xhi = f64x2.splat(field(h, Hist.XHI));
  const xinv = f64x2.splat(field(h, Hist.XINV)), nx = field(h, Hist.NX);
  const ylo = f64x2.splat(field(h, Hist.YLO)), yhi = f64x2.splat(field(h, Hist.YHI));
  const yinv = f64x2.splat(field(h, Hist.YINV)), ny = field(h, Hist.NY);
  const xtop = f64x2.splat(nx - 1), nxv = f64x2.splat(nx), xadd = f64x2.splat(BIAS + 2);
  const ytop = f64x2.splat(ny - 1), nyv = f64x2.splat(ny), yadd = f64x2.splat(1), row = f64x2.splat(nx + 2);
  const zero = f64x2.splat(0), base = f64x2.splat(BIAS);
  const stride = int(field(h, Hist.STRIDE)), scale = i32x4.splat(stride << 3);
  const mask = max(int(field(h, Hist.COPIES)), 1) - 1, copy = <usize>(int(field(h, Hist.N_SLOTS)) * stride) << 3;
  const data = stats + (HIST_STATS << 3);
  let sx = f64x2.splat(0), sxx = sx, sy = sx, syy = sx, sxy = sx;
  for (let g = 0; g < k; g += 4) {
    const q = sel + (<usize>g << 2);
    const j0 = load<i32>(q), j1 = load<i32>(q, 4), j2 = load<i32>(q, 8), j3 = load<i32>(q, 12);
    const x0 = gather(x, j0, j1), x1 = gather(x, j2, j3);
    const t0 = f64x2.mul(f64x2.sub(x0, xlo), xinv), t1 = f64x2.mul(f64x2.sub(x1, xlo), xinv);
    const g0 = f64x2.ge(x0, xhi), g1 = f64x2.ge(x1, xhi);
    let s0 = pos(t0, g0, xtop, nxv, xadd), s1 = pos(t1, g1, xtop, nxv, xadd);
    let i0 = v128.andnot(f64x2.ge(t0, zero), g0), i1 = v128.andnot(f64x2.ge(t1, zero), g1);
    let y0 = zero, y1 = zero;
    if (twoD) {
      y0 = gather(y, j0, j1); y1 = gather(y, j2, j3);
      const u0 = f64x2.mul(f64x2.sub(y0, ylo), yinv), u1 = f64x2.mul(f64x2.sub(y1, ylo), yinv);
      const e0 = f64x2.ge(y0, yhi), e1 = f64x2.ge(y1, yhi);
      s0 = f64x2.add(f64x2.mul(pos(u0, e0, ytop, nyv, yadd), row), s0);
      s1 = f64x2.add(f64x2.mul(pos(u1, e1, ytop, nyv, yadd), row), s1);
      i0 = v128.and(i0, v128.andnot(f64x2.ge(u0, zero), e0));
      i1 = v128.and(i1, v128.andnot(f64x2.ge(u1, zero), e1));
    }
    if (g + 4 > k) {
      const lim = f64x2.splat(<f64>(k - g));
      i0 = lanes(i0, lim, 0); i1 = lanes(i1, lim, 2);
    }
    const o = pack(f64x2.pmax(base, s0), f64x2.pmax(base, s1), scale);
    const p0 = v128.and(x0, i0), p1 = v128.and(x1, i1);
    const w0 = hasW ? gather(w, j0, j1) : zero, w1 = hasW ? gather(w, j2, j3) : zero;
    const a0 = hasW ? v128.and(f64x2.mul(w0, x0), i0) : p0, a1 = hasW ? v128.and(f64x2.mul(w1, x1), i1) : p1;
    sx = f64x2.add(sx, f64x2.add(a0, a1));
    sxx = f64x2.add(sxx, f64x2.add(f64x2.mul(a0, p0), f64x2.mul(a1, p1)));
    if (twoD) {
      const r0 = v128.and(y0, i0), r1 = v128.and(y1, i1);
      const b0 = hasW ? v128.and(f64x2.mul(w0, y0), i0) : r0, b1 = hasW ? v128.and(f64x2.mul(w1, y1), i1) : r1;
      sy = f64x2.add(sy, f64x2.add(b0, b1));
      syy = f64x2.add(syy, f64x2.add(f64x2.mul(b0, r0), f64x2.mul(b1, r1)));
      sxy = f64x2.add(sxy, f64x2.add(f64x2.mul(a0, r0), f64x2.mul(a1, r1)));
    }
    bump(data + <usize>(j0 & mask) * copy + <u32>i32x4.extract_lane(o, 0), w, j0, hasW);
    if (g + 1 < k) bump(data + <usize>(j1 & mask) * copy + <u32>i32x4.extract_lane(o, 1), w, j1, hasW);
    if (g + 2 < k) bump(data + <usize>(j2 & mask) * copy + <u32>i32x4.extract_lane(o, 2), w, j2, hasW);
    if (g + 3 < k) bump(data + <usize>(j3 & mask) * copy + <u32>i32x4.extract_lane(o, 3), w, j3, hasW);
  }
  addTo(stats, sx);
  addTo(stats + 8, sxx);
  if (twoD) {
    addTo(stats + 16, sy);
    addTo(stats + 24, syy);
    addTo(stats + 32, sxy);
  }
}

// The sparse path for n rows with mask m, if few enough pass; false when the dense path should run.
// @ts-ignore: decorator
@inline function fillSparse(
  h: usize, stats: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, twoD: bool,
): bool {
  const k = compact(m, n, idx, twoD ? (n + 1) >> 1 : (n + 2) / 3);
  if (k < 0) return false;
  // 3 more row numbers (row 0 is readable) so the gathering loop can read four at a time;
  // k + 3 <= roundUp(n, 8) since k < n / 2
  const e = idx + (<usize>k << 2);
  store<i32>(e, 0);
  store<i32>(e, 0, 4);
  store<i32>(e, 0, 8);
  if (w) sparse(h, stats, idx, x, y, w, k, twoD, true);
  else sparse(h, stats, idx, x, y, w, k, twoD, false);
  return true;
}

/**
 * Fill 1D histogram `h` (a HistDesc) whose accumulators sit at acc + ACC_OFFSET, from
 * n f64 rows of x, an optional 0/1 mask m and weight w (0 = absent; ignored when
 * STRIDE < 3). idx: i32 scratch for roundUp(n, 8) entries. x, m, w are read up to
 * roundUp(n, 8) rows (the engine pads columns and registers for that).
 */
export function hist_fill1d(h: usize, acc: usize, idx: usize, x: usize, m: usize, w: usize, n: i32): void {
  if (n <= 0) return;
  const stats = acc + <usize>int(field(h, Hist.ACC_OFFSET));
  if (int(field(h, Hist.STRIDE)) < 3) w = 0; // no room for weight sums: count only
  if (m && fillSparse(h, stats, idx, x, 0, m, w, n, false)) return;
  if (m) {
    if (w) index1d(h, stats, idx, x, m, w, n, true, true);
    else index1d(h, stats, idx, x, m, w, n, true, false);
  } else {
    if (w) index1d(h, stats, idx, x, m, w, n, false, true);
    else index1d(h, stats, idx, x, m, w, n, false, false);
  }
  const data = stats + (HIST_STATS << 3);
  if (w) scatter(h, data, idx, w, n, true);
  else scatter(h, data, idx, w, n, false);
}

/** Fill 2D histogram `h` from n rows of (x, y); otherwise as hist_fill1d. */
export function hist_fill2d(
  h: usize, acc: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32,
): void {
  if (n <= 0) return;
  const stats = acc + <usize>int(field(h, Hist.ACC_OFFSET));
  if (int(field(h, Hist.STRIDE)) < 3) w = 0; // no room for weight sums: count only
  if (m && fillSparse(h, stats, idx, x, y, m, w, n, true)) return;
  if (m) {
    if (w) index2d(h, stats, idx, x, y, m, w, n, true, true);
    else index2d(h, stats, idx, x, y, m, w, n, true, false);
  } else {
    if (w) index2d(h, stats, idx, x, y, m, w, n, false, true);
    else index2d(h, stats, idx, x, y, m, w, n, false, false);
  }
  const data = stats + (HIST_STATS << 3);
  if (w) scatter(h, data, idx, w, n, true);
  else scatter(h, data, idx, w, n, false);
}
