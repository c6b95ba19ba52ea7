// What the histogram fills share (hist.ts: the entry points; hist-dense.ts, hist-sparse.ts:
// the two paths): the bin rule as the kernels compute it, the scratch constants, slots.
// Bin rule and slot layout: layout.ts `Hist`.
//
// Slots are computed in f64 as 2^52 + slot, whose low 32 bits are the slot, so one
// shuffle packs four slots into an i32x4 (i32x4.trunc_sat_f64x2_s_zero is a long
// sequence on x64). NaN rides along and becomes slot 0 in a last pmax:
// pmax(a, b) = a < b ? b : a and pmin(a, b) = b < a ? b : a both return `a` when
// either operand is NaN, so the operand order decides whether NaN survives.
//
// Overflow is x >= hi. t = (x - lo) * inv is monotonic in x, so when t(hi) >= n >
// t(nextDown(hi)) (the usual case: checked per call) x >= hi exactly when t >= n, and
// floor(clamp(t, -1, n)) is the axis position -1 (under), 0..n-1, n (over) on its own;
// otherwise the position clamps at n - 1 and a compare with hi marks the overflow.
//
// The loops read their splatted constants from the scratch (`C`) rather than hold
// them in locals: V8's TurboFan (Node 20) re-materialises every v128 constant and
// splat inside the loop (3 instructions each), and more live values than the 16 xmm
// registers spill; one load per use is cheaper than either.
import { Hist } from "./layout";

export const BIAS: f64 = 4503599627370496; // 2^52

// Splatted constants at the start of the scratch, in units of 16 bytes. Per axis: lo, inv,
// hi, the clamp top (n - 1, or n on the fast path), the overflow value of the slow path.
export const LO = 0, INV = 1, HI = 2, TOP = 3, OVER = 4;
export const YLO = 5, YINV = 6, YHI = 7, YTOP = 8, YOVER = 9;
export const M1 = 10, ONE = 11, ZERO = 12, BASE = 13, ADD = 14, ROW = 15, TRASH = 16, SCALE = 17;
// in-range bounds of the encoded slot, and (2D) of the x position
export const SMIN = 18, SMAX = 19, XMIN = 20, XMAX = 21;
// f64x2 sums of the range statistics, then the check accumulators; BASES: i32x4 of the
// addresses of copy (l & (COPIES - 1)) for lane l of a 4-row block
export const SUMS = 22, CHECK = 27, BASES = 31;

// @ts-ignore: decorator
@inline export function C(c: usize, k: i32): v128 {
  return v128.load(c + (<usize>k << 4));
}

// @ts-ignore: decorator
@inline export function field(h: usize, k: i32): f64 {
  return load<f64>(h + (<usize>k << 3));
}

// Integer value of a small nonnegative integer-valued f64 (no float->int conversion,
// which V8 lowers with branches that keep it from being hoisted out of loops).
// @ts-ignore: decorator
@inline export function int(v: f64): i32 {
  return <i32>reinterpret<u64>(v + BIAS);
}

// The largest f64 below v (v finite).
// @ts-ignore: decorator
@inline export function nextDown(v: f64): f64 {
  if (v == 0) return -5e-324;
  const b = reinterpret<i64>(v);
  return reinterpret<f64>(v > 0 ? b - 1 : b + 1);
}

// Whether x >= hi gives (x - lo) * inv >= n, computed as the loops do (t is monotonic in x).
// @ts-ignore: decorator
@inline export function topOk(lo: f64, hi: f64, inv: f64, n: f64): bool {
  return (hi - lo) * inv >= n;
}

// Whether x >= hi exactly when (x - lo) * inv >= n, computed as the loops do.
// @ts-ignore: decorator
@inline export function exactTop(lo: f64, hi: f64, inv: f64, n: f64): bool {
  return (hi - lo) * inv >= n && (nextDown(hi) - lo) * inv < n;
}

// Writes the constants of histogram h, whose slots start at data, to the scratch c;
// returns whether the fast path holds.
// @ts-ignore: decorator
@inline export function setup(h: usize, c: usize, data: usize, twoD: bool): bool {
  const nx = field(h, Hist.NX), ny = twoD ? field(h, Hist.NY) : 0;
  const xlo = field(h, Hist.XLO), xhi = field(h, Hist.XHI), xinv = field(h, Hist.XINV);
  const ylo = field(h, Hist.YLO), yhi = field(h, Hist.YHI), yinv = field(h, Hist.YINV);
  const fast = exactTop(xlo, xhi, xinv, nx) && (!twoD || exactTop(ylo, yhi, yinv, ny));
  const row = nx + 2, slotMax = twoD ? 1 + ny * row + nx : 1 + nx;
  v128.store(c, f64x2.splat(xlo), LO << 4);
  v128.store(c, f64x2.splat(xinv), INV << 4);
  v128.store(c, f64x2.splat(xhi), HI << 4);
  v128.store(c, f64x2.splat(fast ? nx : nx - 1), TOP << 4);
  v128.store(c, f64x2.splat(BIAS + 2 + nx), OVER << 4);
  v128.store(c, f64x2.splat(ylo), YLO << 4);
  v128.store(c, f64x2.splat(yinv), YINV << 4);
  v128.store(c, f64x2.splat(yhi), YHI << 4);
  v128.store(c, f64x2.splat(fast ? ny : ny - 1), YTOP << 4);
  v128.store(c, f64x2.splat(ny + 1), YOVER << 4);
  v128.store(c, f64x2.splat(-1), M1 << 4);
  v128.store(c, f64x2.splat(1), ONE << 4);
  v128.store(c, f64x2.splat(0), ZERO << 4);
  v128.store(c, f64x2.splat(BIAS), BASE << 4);
  // fast 2D: slot = fy * row + fx + (2 + row); otherwise the x part carries the 2
  v128.store(c, f64x2.splat(BIAS + 2 + (fast && twoD ? row : 0)), ADD << 4);
  v128.store(c, f64x2.splat(row), ROW << 4);
  v128.store(c, f64x2.splat(BIAS + field(h, Hist.N_SLOTS) - 1), TRASH << 4);
  v128.store(c, i32x4.splat(int(field(h, Hist.STRIDE)) << 3), SCALE << 4);
  v128.store(c, f64x2.splat(BIAS + (twoD ? 2 + row : 2)), SMIN << 4);
  v128.store(c, f64x2.splat(BIAS + slotMax), SMAX << 4);
  v128.store(c, f64x2.splat(fast ? 0 : BIAS + 2), XMIN << 4);
  v128.store(c, f64x2.splat(fast ? nx - 1 : BIAS + 1 + nx), XMAX << 4);
  const mask = copyMask(h), copy = copyBytes(h);
  v128.store(c, i32x4(<i32>data, <i32>(data + (1 & mask) * copy), <i32>(data + (2 & mask) * copy), <i32>(data + (3 & mask) * copy)), BASES << 4);
  memory.fill(c + (SUMS << 4), 0, 5 << 4);
  return fast;
}

// (x - lo) * inv for the x axis (y: the YLO, YINV constants).
// @ts-ignore: decorator
@inline export function scaled(x: v128, c: usize, lo: i32): v128 {
  return f64x2.mul(f64x2.sub(x, C(c, lo)), C(c, lo + 1));
}

// floor of t clamped to [-1, top]; NaN stays NaN.
// @ts-ignore: decorator
@inline export function floorClamp(c: usize, t: v128, top: i32): v128 {
  return f64x2.floor(f64x2.pmin(f64x2.pmax(t, C(c, M1)), C(c, top)));
}

// Slow path: add + position (clamped at n - 1), or `over` where x >= hi (g). `add` >= 1,
// so the overflow pmax only meets values >= 0.
// @ts-ignore: decorator
@inline export function slowPos(c: usize, t: v128, g: v128, top: i32, over: i32, add: i32): v128 {
  return f64x2.pmax(f64x2.add(floorClamp(c, t, top), C(c, add)), v128.and(g, C(c, over)));
}

// The x position of 2 rows: fast, the floor itself (-1..n); slow, with the 2^52 + 2 offset
// and the overflow (see slowPos). `opt`: unclamped, no overflow test.
// @ts-ignore: decorator
@inline export function xpos(c: usize, x0: v128, fast: bool, opt: bool = false): v128 {
  const t = scaled(x0, c, LO);
  if (opt) return fast ? f64x2.floor(t) : f64x2.add(f64x2.floor(t), C(c, ADD));
  return fast ? floorClamp(c, t, TOP) : slowPos(c, t, f64x2.ge(x0, C(c, HI)), TOP, OVER, ADD);
}

// The encoded slot of 2 rows from their x position (and y when twoD), NaN -> slot 0.
// @ts-ignore: decorator
@inline export function slotOf(c: usize, sx: v128, y0: v128, twoD: bool, fast: bool, opt: bool = false): v128 {
  if (!twoD) return f64x2.pmax(C(c, BASE), fast ? f64x2.add(sx, C(c, ADD)) : sx);
  const u = scaled(y0, c, YLO);
  if (fast) {
    const fy = opt ? f64x2.floor(u) : floorClamp(c, u, YTOP);
    return f64x2.pmax(C(c, BASE), f64x2.add(f64x2.add(f64x2.mul(fy, C(c, ROW)), sx), C(c, ADD)));
  }
  const py = opt ? f64x2.add(f64x2.floor(u), C(c, ONE)) : slowPos(c, u, f64x2.ge(y0, C(c, YHI)), YTOP, YOVER, ONE);
  return f64x2.pmax(C(c, BASE), f64x2.add(f64x2.mul(py, C(c, ROW)), sx));
}

// COPIES - 1 (COPIES is 1, 2 or 4), and the bytes of one copy.
// @ts-ignore: decorator
@inline export function copyMask(h: usize): usize {
  return <usize>(min(max(int(field(h, Hist.COPIES)), 1), 4) - 1);
}

// @ts-ignore: decorator
@inline export function copyBytes(h: usize): usize {
  return <usize>(int(field(h, Hist.N_SLOTS)) * int(field(h, Hist.STRIDE))) << 3;
}

// Four encoded slots -> four i32 byte offsets into one copy.
// @ts-ignore: decorator
@inline export function pack(a: v128, b: v128, scale: v128): v128 {
  return i32x4.mul(i8x16.shuffle(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), scale);
}

// Four encoded slots of rows j..j + 3 (j a multiple of 4) -> the addresses of their slots.
// @ts-ignore: decorator
@inline export function packAt(c: usize, a: v128, b: v128): v128 {
  return i32x4.add(pack(a, b, C(c, SCALE)), C(c, BASES));
}

// All-ones lanes whose row number (first, first + 1 from the start of the block) is below lim.
// @ts-ignore: decorator
@inline export function live(lim: v128, first: f64): v128 {
  return f64x2.lt(f64x2(first, first + 1), lim);
}

// All-ones lanes of 2 rows in a real bin: t >= 0 (false for NaN) and x < hi (and the same
// for y), and not masked out.
// @ts-ignore: decorator
@inline export function inRange(c: usize, x0: v128, y0: v128, m0: v128, twoD: bool, hasM: bool): v128 {
  let i = v128.andnot(f64x2.ge(scaled(x0, c, LO), C(c, ZERO)), f64x2.ge(x0, C(c, HI)));
  if (twoD) i = v128.and(i, v128.andnot(f64x2.ge(scaled(y0, c, YLO), C(c, ZERO)), f64x2.ge(y0, C(c, YHI))));
  return hasM ? v128.andnot(i, f64x2.eq(m0, C(c, ZERO))) : i;
}

// One row into the slot at p: count += 1 (and sum w += w[j], sum w^2 += w[j]^2).
// @ts-ignore: decorator
@inline export function bump(p: usize, w: usize, j: i32, hasW: bool): void {
  if (hasW) {
    const v = load<f64>(w + (<usize>j << 3));
    v128.store(p, f64x2.add(v128.load(p), f64x2.replace_lane(f64x2.splat(1), 1, v)));
    store<f64>(p, load<f64>(p, 16) + v * v, 16);
  } else {
    store<f64>(p, load<f64>(p) + 1);
  }
}

// @ts-ignore: decorator
@inline export function lo2(v: v128): f64 {
  return min(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
}

// @ts-ignore: decorator
@inline export function hi2(v: v128): f64 {
  return max(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
}

// Adds a loop's f64x2 range sums to the scratch's (SUMS): x, x^2, and for 2D y, y^2, xy.
// @ts-ignore: decorator
@inline export function addSums(c: usize, sx: v128, sxx: v128, sy: v128, syy: v128, sxy: v128, twoD: bool): void {
  const s = c + (SUMS << 4);
  v128.store(s, f64x2.add(v128.load(s), sx));
  v128.store(s, f64x2.add(v128.load(s, 16), sxx), 16);
  if (twoD) {
    v128.store(s, f64x2.add(v128.load(s, 32), sy), 32);
    v128.store(s, f64x2.add(v128.load(s, 48), syy), 48);
    v128.store(s, f64x2.add(v128.load(s, 64), sxy), 64);
  }
}
