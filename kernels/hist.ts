// 1D/2D histogram fill (bin rule and slot layout: layout.ts `Hist`). Dense path, in
// passes over the rows of one call (they stay in L1 between passes):
//  1. slots: SIMD, 4 rows per iteration, the address of every row's slot in its copy
//     (row j: copy j & (COPIES - 1); the 4 lanes of an iteration add 4 per-lane copy
//     bases), stored in the i32 index scratch. 1D computes the range
//     statistics in the same loop; 2D, with twice the live values, tracks the smallest
//     and largest slot and x position instead, which tell whether every row is in range,
//  2. (2D) range statistics: plain sums when every row is in range (the common case),
//     else with each row's in-range test;
//  3. scalar scatter: one load, add, store per row at the address of pass 1 (copy bases
//     resolved there: a base per copy here cost an add per row and, with 8 bases,
//     spills); several copies break the store-to-load chain when many consecutive rows
//     hit the same slot.
// Sparse path, for masks that keep few rows: the row numbers of the kept rows go to
// the index scratch, then those rows are gathered, binned and scattered one block at a time.
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
// Optimistic pass 1 (no mask, and t(hi) >= n on every axis, so x >= hi gives floor(t) >= n):
// most vectors have every row inside the range, and for those floor(t) needs no clamp nor
// overflow test. Pass 1 then runs without them (2 ops a row per axis, 3 on the slow path;
// 1D also drops the per-row range test of its statistics: 4 ops of ~14 per 2 rows) and
// tracks the slot range, which a row outside the range, NaN or ±Inf leaves (its unclamped
// slot, or x position, is outside the in-range bounds, or NaN's slot is 0; on the slow
// path so does a row just below hi whose t rounds to n); if any row did, its block of
// OPT_BLOCK rows is done again the careful way and the try counts as a miss (blocks, not
// whole vectors: with 0.1% of rows outside, 3 blocks in 4 still pay). Both ways give the
// same slots and the same sums, bit for bit. Per worker and histogram, stats words 6 and 7
// count tries and misses: once misses pass 1/4 of tries (after a few; a miss costs about
// twice what a hit saves), the histogram stops trying for the run.
//
// The loops read their splatted constants from the scratch (`C`) rather than hold
// them in locals: V8's TurboFan (Node 20) re-materialises every v128 constant and
// splat inside the loop (3 instructions each), and more live values than the 16 xmm
// registers spill; one load per use is cheaper than either.
// Measured shapes and numbers: bench/kernels.mjs.
import { Hist, HIST_STATS, Scratch } from "./layout";

const BIAS: f64 = 4503599627370496; // 2^52

// Splatted constants at the start of the scratch, in units of 16 bytes. Per axis: lo, inv,
// hi, the clamp top (n - 1, or n on the fast path), the overflow value of the slow path.
const LO = 0, INV = 1, HI = 2, TOP = 3, OVER = 4;
const YLO = 5, YINV = 6, YHI = 7, YTOP = 8, YOVER = 9;
const M1 = 10, ONE = 11, ZERO = 12, BASE = 13, ADD = 14, ROW = 15, TRASH = 16, SCALE = 17;
// rows per try of the optimistic pass 1 (a multiple of 4)
const OPT_BLOCK = 256;

// in-range bounds of the encoded slot, and (2D) of the x position
const SMIN = 18, SMAX = 19, XMIN = 20, XMAX = 21;
// f64x2 sums of the range statistics, then the check accumulators; BASES: i32x4 of the
// addresses of copy (l & (COPIES - 1)) for lane l of a 4-row block
const SUMS = 22, CHECK = 27, BASES = 31;

// @ts-ignore: decorator
@inline function C(c: usize, k: i32): v128 {
  return v128.load(c + (<usize>k << 4));
}

// @ts-ignore: decorator
@inline function field(h: usize, k: i32): f64 {
  return load<f64>(h + (<usize>k << 3));
}

// Integer value of a small nonnegative integer-valued f64 (no float->int conversion,
// which V8 lowers with branches that keep it from being hoisted out of loops).
// @ts-ignore: decorator
@inline function int(v: f64): i32 {
  return <i32>reinterpret<u64>(v + BIAS);
}

// The largest f64 below v (v finite).
// @ts-ignore: decorator
@inline function nextDown(v: f64): f64 {
  if (v == 0) return -5e-324;
  const b = reinterpret<i64>(v);
  return reinterpret<f64>(v > 0 ? b - 1 : b + 1);
}

// Whether x >= hi gives (x - lo) * inv >= n, computed as the loops do (t is monotonic in x).
// @ts-ignore: decorator
@inline function topOk(lo: f64, hi: f64, inv: f64, n: f64): bool {
  return (hi - lo) * inv >= n;
}

// Whether x >= hi exactly when (x - lo) * inv >= n, computed as the loops do.
// @ts-ignore: decorator
@inline function exactTop(lo: f64, hi: f64, inv: f64, n: f64): bool {
  return (hi - lo) * inv >= n && (nextDown(hi) - lo) * inv < n;
}

// Writes the constants of histogram h, whose slots start at data, to the scratch c;
// returns whether the fast path holds.
// @ts-ignore: decorator
@inline function setup(h: usize, c: usize, data: usize, twoD: bool): bool {
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
@inline function scaled(x: v128, c: usize, lo: i32): v128 {
  return f64x2.mul(f64x2.sub(x, C(c, lo)), C(c, lo + 1));
}

// floor of t clamped to [-1, top]; NaN stays NaN.
// @ts-ignore: decorator
@inline function floorClamp(c: usize, t: v128, top: i32): v128 {
  return f64x2.floor(f64x2.pmin(f64x2.pmax(t, C(c, M1)), C(c, top)));
}

// Slow path: add + position (clamped at n - 1), or `over` where x >= hi (g). `add` >= 1,
// so the overflow pmax only meets values >= 0.
// @ts-ignore: decorator
@inline function slowPos(c: usize, t: v128, g: v128, top: i32, over: i32, add: i32): v128 {
  return f64x2.pmax(f64x2.add(floorClamp(c, t, top), C(c, add)), v128.and(g, C(c, over)));
}

// The x position of 2 rows: fast, the floor itself (-1..n); slow, with the 2^52 + 2 offset
// and the overflow (see slowPos). `opt`: unclamped, no overflow test.
// @ts-ignore: decorator
@inline function xpos(c: usize, x0: v128, fast: bool, opt: bool = false): v128 {
  const t = scaled(x0, c, LO);
  if (opt) return fast ? f64x2.floor(t) : f64x2.add(f64x2.floor(t), C(c, ADD));
  return fast ? floorClamp(c, t, TOP) : slowPos(c, t, f64x2.ge(x0, C(c, HI)), TOP, OVER, ADD);
}

// The encoded slot of 2 rows from their x position (and y when twoD), NaN -> slot 0.
// @ts-ignore: decorator
@inline function slotOf(c: usize, sx: v128, y0: v128, twoD: bool, fast: bool, opt: bool = false): v128 {
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
@inline function copyMask(h: usize): usize {
  return <usize>(min(max(int(field(h, Hist.COPIES)), 1), 4) - 1);
}

// @ts-ignore: decorator
@inline function copyBytes(h: usize): usize {
  return <usize>(int(field(h, Hist.N_SLOTS)) * int(field(h, Hist.STRIDE))) << 3;
}

// Four encoded slots -> four i32 byte offsets into one copy.
// @ts-ignore: decorator
@inline function pack(a: v128, b: v128, scale: v128): v128 {
  return i32x4.mul(i8x16.shuffle(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), scale);
}

// Four encoded slots of rows j..j + 3 (j a multiple of 4) -> the addresses of their slots.
// @ts-ignore: decorator
@inline function packAt(c: usize, a: v128, b: v128): v128 {
  return i32x4.add(pack(a, b, C(c, SCALE)), C(c, BASES));
}

// All-ones lanes whose row number (first, first + 1 from the start of the block) is below lim.
// @ts-ignore: decorator
@inline function live(lim: v128, first: f64): v128 {
  return f64x2.lt(f64x2(first, first + 1), lim);
}

// Pass 1 over rows [j0, j1), 4 per iteration; `tail`: rows from n on are padding.
// Masked-out rows (mask == 0) go to the trash slot, the largest.
// Tracks the range of slots (and x positions) in CHECK, unless hasM. `opt`: unclamped.
// @ts-ignore: decorator
@inline function slots(
  c: usize, idx: usize, x: usize, y: usize, m: usize, j0: i32, j1: i32, n: i32,
  twoD: bool, fast: bool, hasM: bool, tail: bool, opt: bool,
): void {
  const k = c + (CHECK << 4);
  let smin = v128.load(k), smax = v128.load(k, 16), xmin = v128.load(k, 32), xmax = v128.load(k, 48);
  for (let j = j0; j < j1; j += 4) {
    const q = <usize>j << 3;
    let x0 = xpos(c, v128.load(x + q), fast, opt), x1 = xpos(c, v128.load(x + q, 16), fast, opt);
    let s0 = slotOf(c, x0, twoD ? v128.load(y + q) : x0, twoD, fast, opt);
    let s1 = slotOf(c, x1, twoD ? v128.load(y + q, 16) : x1, twoD, fast, opt);
    if (hasM) {
      s0 = f64x2.pmax(v128.and(f64x2.eq(v128.load(m + q), C(c, ZERO)), C(c, TRASH)), s0);
      s1 = f64x2.pmax(v128.and(f64x2.eq(v128.load(m + q, 16), C(c, ZERO)), C(c, TRASH)), s1);
    }
    v128.store(idx + (<usize>j << 2), packAt(c, s0, s1));
    if (!hasM) {
      if (tail) {
        const lim = f64x2.splat(<f64>(n - j)), l0 = live(lim, 0), l1 = live(lim, 2);
        s0 = v128.bitselect(s0, C(c, SMIN), l0);
        s1 = v128.bitselect(s1, C(c, SMIN), l1);
        x0 = v128.bitselect(x0, C(c, XMIN), l0);
        x1 = v128.bitselect(x1, C(c, XMIN), l1);
      }
      smin = f64x2.pmin(f64x2.pmin(smin, s0), s1);
      smax = f64x2.pmax(f64x2.pmax(smax, s0), s1);
      if (twoD) {
        // a NaN x position belongs to slot 0, which the slot range already rejects
        xmin = f64x2.pmin(f64x2.pmin(xmin, x0), x1);
        xmax = f64x2.pmax(f64x2.pmax(xmax, x0), x1);
      }
    }
  }
  if (!hasM) {
    v128.store(k, smin);
    v128.store(k, smax, 16);
    if (twoD) {
      v128.store(k, xmin, 32);
      v128.store(k, xmax, 48);
    }
  }
}

// Pass 1 and 2 at once for 1D over rows [j0, j1) (with few live values, the fused loop
// beats two passes): slots into idx, masked range statistics into the scratch sums.
// @ts-ignore: decorator
@inline function slotsStats1d(
  c: usize, idx: usize, x: usize, m: usize, w: usize, j0: i32, j1: i32, n: i32,
  fast: bool, hasM: bool, hasW: bool, tail: bool,
): void {
  let sx = f64x2.splat(0), sxx = sx;
  for (let j = j0; j < j1; j += 4) {
    const q = <usize>j << 3;
    const x0 = v128.load(x + q), x1 = v128.load(x + q, 16);
    let s0 = slotOf(c, xpos(c, x0, fast), x0, false, fast), s1 = slotOf(c, xpos(c, x1, fast), x1, false, fast);
    let i0 = inRange(c, x0, x0, x0, false, false), i1 = inRange(c, x1, x1, x1, false, false);
    if (hasM) {
      const z0 = f64x2.eq(v128.load(m + q), C(c, ZERO)), z1 = f64x2.eq(v128.load(m + q, 16), C(c, ZERO));
      s0 = f64x2.pmax(v128.and(z0, C(c, TRASH)), s0);
      s1 = f64x2.pmax(v128.and(z1, C(c, TRASH)), s1);
      i0 = v128.andnot(i0, z0);
      i1 = v128.andnot(i1, z1);
    }
    if (tail) {
      const lim = f64x2.splat(<f64>(n - j));
      i0 = v128.and(i0, live(lim, 0));
      i1 = v128.and(i1, live(lim, 2));
    }
    v128.store(idx + (<usize>j << 2), packAt(c, s0, s1));
    const p0 = v128.and(x0, i0), p1 = v128.and(x1, i1);
    const a0 = hasW ? v128.and(f64x2.mul(v128.load(w + q), x0), i0) : p0;
    const a1 = hasW ? v128.and(f64x2.mul(v128.load(w + q, 16), x1), i1) : p1;
    sx = f64x2.add(sx, f64x2.add(a0, a1));
    sxx = f64x2.add(sxx, f64x2.add(f64x2.mul(a0, p0), f64x2.mul(a1, p1)));
  }
  const s = c + (SUMS << 4);
  v128.store(s, f64x2.add(v128.load(s), sx));
  v128.store(s, f64x2.add(v128.load(s, 16), sxx), 16);
}

// Optimistic pass 1 and 2 for 1D over rows [j0, j1), multiples of 4: unclamped slots,
// unmasked sums; returns whether every row was in range, and only then adds the sums.
// @ts-ignore: decorator
@inline function slotsStats1dOpt(c: usize, idx: usize, x: usize, w: usize, j0: i32, j1: i32, fast: bool, hasW: bool): bool {
  let sx = f64x2.splat(0), sxx = sx, smin = C(c, SMAX), smax = C(c, SMIN);
  for (let j = j0; j < j1; j += 4) {
    const q = <usize>j << 3;
    const x0 = v128.load(x + q), x1 = v128.load(x + q, 16);
    const s0 = slotOf(c, xpos(c, x0, fast, true), x0, false, fast, true);
    const s1 = slotOf(c, xpos(c, x1, fast, true), x1, false, fast, true);
    smin = f64x2.pmin(f64x2.pmin(smin, s0), s1);
    smax = f64x2.pmax(f64x2.pmax(smax, s0), s1);
    v128.store(idx + (<usize>j << 2), packAt(c, s0, s1));
    const a0 = hasW ? f64x2.mul(v128.load(w + q), x0) : x0;
    const a1 = hasW ? f64x2.mul(v128.load(w + q, 16), x1) : x1;
    sx = f64x2.add(sx, f64x2.add(a0, a1));
    sxx = f64x2.add(sxx, f64x2.add(f64x2.mul(a0, x0), f64x2.mul(a1, x1)));
  }
  const ok = lo2(smin) >= f64x2.extract_lane(C(c, SMIN), 0) && hi2(smax) <= f64x2.extract_lane(C(c, SMAX), 0);
  if (ok) {
    const s = c + (SUMS << 4);
    v128.store(s, f64x2.add(v128.load(s), sx));
    v128.store(s, f64x2.add(v128.load(s, 16), sxx), 16);
  }
  return ok;
}

// Whether to try the optimistic pass for the histogram whose stats are at `at` (see the header).
// @ts-ignore: decorator
@inline function tryOpt(at: usize): bool {
  return load<f64>(at, 56) * 4 <= load<f64>(at, 48) + 16;
}

// Counts a try (word 6) or a miss (word 7).
// @ts-ignore: decorator
@inline function bumpWord(at: usize, offset: usize): void {
  store<f64>(at + offset, load<f64>(at + offset) + 1);
}

// @ts-ignore: decorator
@inline function lo2(v: v128): f64 {
  return min(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
}

// @ts-ignore: decorator
@inline function hi2(v: v128): f64 {
  return max(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
}

// Pass 1 over rows [j0, n); returns whether every row is in range (never when hasM).
// @ts-ignore: decorator
@inline function allSlots(
  c: usize, idx: usize, x: usize, y: usize, m: usize, j0: i32, n: i32, twoD: bool, fast: bool, hasM: bool, opt: bool,
): bool {
  const k = c + (CHECK << 4);
  v128.store(k, C(c, SMAX));
  v128.store(k, C(c, SMIN), 16);
  v128.store(k, C(c, XMAX), 32);
  v128.store(k, C(c, XMIN), 48);
  const n4 = j0 + ((n - j0) & ~3);
  slots(c, idx, x, y, m, j0, n4, n, twoD, fast, hasM, false, opt);
  if (n4 < n) slots(c, idx, x, y, m, n4, n4 + 4, n, twoD, fast, hasM, true, opt);
  if (hasM) return false;
  const s = f64x2.extract_lane(C(c, SMIN), 0), e = f64x2.extract_lane(C(c, SMAX), 0);
  let ok = lo2(v128.load(k)) >= s && hi2(v128.load(k, 16)) <= e;
  if (twoD) {
    ok = ok && lo2(v128.load(k, 32)) >= f64x2.extract_lane(C(c, XMIN), 0);
    ok = ok && hi2(v128.load(k, 48)) <= f64x2.extract_lane(C(c, XMAX), 0);
  }
  return ok;
}

// All-ones lanes of 2 rows in a real bin: t >= 0 (false for NaN) and x < hi (and the same
// for y), and not masked out.
// @ts-ignore: decorator
@inline function inRange(c: usize, x0: v128, y0: v128, m0: v128, twoD: bool, hasM: bool): v128 {
  let i = v128.andnot(f64x2.ge(scaled(x0, c, LO), C(c, ZERO)), f64x2.ge(x0, C(c, HI)));
  if (twoD) i = v128.and(i, v128.andnot(f64x2.ge(scaled(y0, c, YLO), C(c, ZERO)), f64x2.ge(y0, C(c, YHI))));
  return hasM ? v128.andnot(i, f64x2.eq(m0, C(c, ZERO))) : i;
}

// Pass 2 over rows [j0, j1), 4 per iteration into f64x2 sums kept in locals; `tested`: each
// row's range test (and mask), else every row counts; `tail`: rows from n on are padding.
// @ts-ignore: decorator
@inline function stats(
  c: usize, x: usize, y: usize, m: usize, w: usize, j0: i32, j1: i32, n: i32,
  twoD: bool, hasM: bool, hasW: bool, tested: bool, tail: bool,
): void {
  let sx = f64x2.splat(0), sxx = sx, sy = sx, syy = sx, sxy = sx;
  for (let j = j0; j < j1; j += 4) {
    const q = <usize>j << 3;
    const x0 = v128.load(x + q), x1 = v128.load(x + q, 16);
    const y0 = twoD ? v128.load(y + q) : x0, y1 = twoD ? v128.load(y + q, 16) : x1;
    // i0, i1: all-ones lanes of the rows that count, when some do not
    let i0 = x0, i1 = x1;
    if (tested) {
      i0 = inRange(c, x0, y0, hasM ? v128.load(m + q) : x0, twoD, hasM);
      i1 = inRange(c, x1, y1, hasM ? v128.load(m + q, 16) : x1, twoD, hasM);
    }
    if (tail) {
      const lim = f64x2.splat(<f64>(n - j));
      i0 = tested ? v128.and(i0, live(lim, 0)) : live(lim, 0);
      i1 = tested ? v128.and(i1, live(lim, 2)) : live(lim, 2);
    }
    const some = tested || tail;
    const p0 = some ? v128.and(x0, i0) : x0, p1 = some ? v128.and(x1, i1) : x1;
    let a0 = p0, a1 = p1;
    if (hasW) {
      a0 = f64x2.mul(v128.load(w + q), x0);
      a1 = f64x2.mul(v128.load(w + q, 16), x1);
      if (some) {
        a0 = v128.and(a0, i0);
        a1 = v128.and(a1, i1);
      }
    }
    sx = f64x2.add(sx, f64x2.add(a0, a1));
    sxx = f64x2.add(sxx, f64x2.add(f64x2.mul(a0, p0), f64x2.mul(a1, p1)));
    if (twoD) {
      const r0 = some ? v128.and(y0, i0) : y0, r1 = some ? v128.and(y1, i1) : y1;
      let b0 = r0, b1 = r1;
      if (hasW) {
        b0 = f64x2.mul(v128.load(w + q), y0);
        b1 = f64x2.mul(v128.load(w + q, 16), y1);
        if (some) {
          b0 = v128.and(b0, i0);
          b1 = v128.and(b1, i1);
        }
      }
      sy = f64x2.add(sy, f64x2.add(b0, b1));
      syy = f64x2.add(syy, f64x2.add(f64x2.mul(b0, r0), f64x2.mul(b1, r1)));
      sxy = f64x2.add(sxy, f64x2.add(f64x2.mul(a0, r0), f64x2.mul(a1, r1)));
    }
  }
  const s = c + (SUMS << 4);
  v128.store(s, f64x2.add(v128.load(s), sx));
  v128.store(s, f64x2.add(v128.load(s, 16), sxx), 16);
  if (twoD) {
    v128.store(s, f64x2.add(v128.load(s, 32), sy), 32);
    v128.store(s, f64x2.add(v128.load(s, 48), syy), 48);
    v128.store(s, f64x2.add(v128.load(s, 64), sxy), 64);
  }
}

// @ts-ignore: decorator
@inline function allStats(
  c: usize, x: usize, y: usize, m: usize, w: usize, j0: i32, n: i32, twoD: bool, hasM: bool, hasW: bool, tested: bool,
): void {
  const n4 = j0 + ((n - j0) & ~3);
  stats(c, x, y, m, w, j0, n4, n, twoD, hasM, hasW, tested, false);
  if (n4 < n) stats(c, x, y, m, w, n4, n4 + 4, n, twoD, hasM, hasW, tested, true);
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

// Pass 3: row j adds to the slot at address idx[j].
// @ts-ignore: decorator
@inline function scatter(idx: usize, w: usize, n: i32, hasW: bool): void {
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const q = idx + (<usize>j << 2);
    bump(load<u32>(q), w, j, hasW);
    bump(load<u32>(q, 4), w, j + 1, hasW);
    bump(load<u32>(q, 8), w, j + 2, hasW);
    bump(load<u32>(q, 12), w, j + 3, hasW);
    bump(load<u32>(q, 16), w, j + 4, hasW);
    bump(load<u32>(q, 20), w, j + 5, hasW);
    bump(load<u32>(q, 24), w, j + 6, hasW);
    bump(load<u32>(q, 28), w, j + 7, hasW);
  }
  for (; j < n; j++) bump(load<u32>(idx + (<usize>j << 2)), w, j, hasW);
}

// The three passes of the dense path.
// @ts-ignore: decorator
@inline function dense(
  at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool,
  twoD: bool, fast: bool, hasM: bool, hasW: bool,
): void {
  const opt = optOk && !hasM && tryOpt(at);
  if (twoD) {
    if (!opt) {
      if (allSlots(c, idx, x, y, m, 0, n, twoD, fast, hasM, false)) allStats(c, x, y, m, w, 0, n, twoD, hasM, hasW, false);
      else allStats(c, x, y, m, w, 0, n, twoD, hasM, hasW, true);
    } else {
      for (let j0 = 0; j0 < n; j0 += OPT_BLOCK) {
        const e = min(j0 + OPT_BLOCK, n);
        bumpWord(at, 48);
        let ok = allSlots(c, idx, x, y, m, j0, e, twoD, fast, hasM, true);
        if (!ok) {
          bumpWord(at, 56);
          ok = allSlots(c, idx, x, y, m, j0, e, twoD, fast, hasM, false);
        }
        if (ok) allStats(c, x, y, m, w, j0, e, twoD, hasM, hasW, false);
        else allStats(c, x, y, m, w, j0, e, twoD, hasM, hasW, true);
      }
    }
  } else {
    const n4 = n & ~3;
    if (!opt) slotsStats1d(c, idx, x, m, w, 0, n4, n, fast, hasM, hasW, false);
    else {
      for (let j0 = 0; j0 < n4; j0 += OPT_BLOCK) {
        const e = min(j0 + OPT_BLOCK, n4);
        bumpWord(at, 48);
        if (!slotsStats1dOpt(c, idx, x, w, j0, e, fast, hasW)) {
          bumpWord(at, 56);
          slotsStats1d(c, idx, x, m, w, j0, e, n, fast, hasM, hasW, false);
        }
      }
    }
    if (n4 < n) slotsStats1d(c, idx, x, m, w, n4, n4 + 4, n, fast, hasM, hasW, true);
  }
  scatter(idx, w, n, hasW);
}

// One function per specialisation of dense (2D, fast axes, mask, weight): each is compiled
// on its own; inlined into the two exports they made one body too large for Binaryen
// to optimise in reasonable time (minutes per target).
function dense0(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, false, false, false, false);
}
function dense1(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, false, false, false, true);
}
function dense2(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, false, false, true, false);
}
function dense3(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, false, false, true, true);
}
function dense4(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, false, true, false, false);
}
function dense5(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, false, true, false, true);
}
function dense6(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, false, true, true, false);
}
function dense7(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, false, true, true, true);
}
function dense8(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, true, false, false, false);
}
function dense9(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, true, false, false, true);
}
function dense10(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, true, false, true, false);
}
function dense11(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, true, false, true, true);
}
function dense12(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, true, true, false, false);
}
function dense13(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, true, true, false, true);
}
function dense14(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, true, true, true, false);
}
function dense15(at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  dense(at, c, idx, x, y, m, w, n, optOk, true, true, true, true);
}

// @ts-ignore: decorator
@inline function denseVariant(v: i32, at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
  switch (v) {
    case 0: dense0(at, c, idx, x, y, m, w, n, optOk); break;
    case 1: dense1(at, c, idx, x, y, m, w, n, optOk); break;
    case 2: dense2(at, c, idx, x, y, m, w, n, optOk); break;
    case 3: dense3(at, c, idx, x, y, m, w, n, optOk); break;
    case 4: dense4(at, c, idx, x, y, m, w, n, optOk); break;
    case 5: dense5(at, c, idx, x, y, m, w, n, optOk); break;
    case 6: dense6(at, c, idx, x, y, m, w, n, optOk); break;
    case 7: dense7(at, c, idx, x, y, m, w, n, optOk); break;
    case 8: dense8(at, c, idx, x, y, m, w, n, optOk); break;
    case 9: dense9(at, c, idx, x, y, m, w, n, optOk); break;
    case 10: dense10(at, c, idx, x, y, m, w, n, optOk); break;
    case 11: dense11(at, c, idx, x, y, m, w, n, optOk); break;
    case 12: dense12(at, c, idx, x, y, m, w, n, optOk); break;
    case 13: dense13(at, c, idx, x, y, m, w, n, optOk); break;
    case 14: dense14(at, c, idx, x, y, m, w, n, optOk); break;
    case 15: dense15(at, c, idx, x, y, m, w, n, optOk); break;
  }
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

/**
 * Compacts a selection: of the n lanes, those where m (f64) is nonzero, NaN included,
 * in order. Writes their row numbers to sel (lane j's row is j, or sel[j] when `chained`:
 * sel may then be the list being compacted) and returns how many; stops and returns -1
 * as soon as that reaches `limit`. Branch-free (a row's number is stored at the cursor,
 * which advances only if the row passes): a mask that is neither sparse nor dense costs
 * no mispredictions. sel needs room for roundUp(n, 8) entries.
 */
// @ts-ignore: decorator
@inline function compactRows(m: usize, n: i32, sel: usize, limit: i32, chained: bool): i32 {
  let k = 0;
  for (let j = 0; j < n; j += 8) {
    if (k >= limit) return -1;
    const b = bits8(m, j, n);
    let r0 = j, r1 = j + 1, r2 = j + 2, r3 = j + 3, r4 = j + 4, r5 = j + 5, r6 = j + 6, r7 = j + 7;
    if (chained) {
      const p = sel + (<usize>j << 2);
      r0 = load<i32>(p); r1 = load<i32>(p, 4); r2 = load<i32>(p, 8); r3 = load<i32>(p, 12);
      r4 = load<i32>(p, 16); r5 = load<i32>(p, 20); r6 = load<i32>(p, 24); r7 = load<i32>(p, 28);
    }
    store<i32>(sel + (<usize>k << 2), r0); k += b & 1;
    store<i32>(sel + (<usize>k << 2), r1); k += (b >> 1) & 1;
    store<i32>(sel + (<usize>k << 2), r2); k += (b >> 2) & 1;
    store<i32>(sel + (<usize>k << 2), r3); k += (b >> 3) & 1;
    store<i32>(sel + (<usize>k << 2), r4); k += (b >> 4) & 1;
    store<i32>(sel + (<usize>k << 2), r5); k += (b >> 5) & 1;
    store<i32>(sel + (<usize>k << 2), r6); k += (b >> 6) & 1;
    store<i32>(sel + (<usize>k << 2), r7); k += b >> 7;
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
  h: usize, c: usize, data: usize, sel: usize, x: usize, y: usize, w: usize, k: i32,
  twoD: bool, fast: bool, hasW: bool,
): void {
  const mask = copyMask(h), copy = copyBytes(h);
  let sx = f64x2.splat(0), sxx = sx, sy = sx, syy = sx, sxy = sx;
  for (let g = 0; g < k; g += 4) {
    const q = sel + (<usize>g << 2);
    const j0 = load<i32>(q), j1 = load<i32>(q, 4), j2 = load<i32>(q, 8), j3 = load<i32>(q, 12);
    const x0 = gather(x, j0, j1), x1 = gather(x, j2, j3);
    const y0 = twoD ? gather(y, j0, j1) : x0, y1 = twoD ? gather(y, j2, j3) : x1;
    let i0 = inRange(c, x0, y0, x0, twoD, false), i1 = inRange(c, x1, y1, x1, twoD, false);
    if (g + 4 > k) {
      const lim = f64x2.splat(<f64>(k - g));
      i0 = v128.and(i0, live(lim, 0));
      i1 = v128.and(i1, live(lim, 2));
    }
    const o = pack(slotOf(c, xpos(c, x0, fast), y0, twoD, fast), slotOf(c, xpos(c, x1, fast), y1, twoD, fast), C(c, SCALE));
    const p0 = v128.and(x0, i0), p1 = v128.and(x1, i1);
    let a0 = p0, a1 = p1;
    if (hasW) {
      const w0 = gather(w, j0, j1), w1 = gather(w, j2, j3);
      a0 = v128.and(f64x2.mul(w0, x0), i0);
      a1 = v128.and(f64x2.mul(w1, x1), i1);
      if (twoD) {
        const r0 = v128.and(y0, i0), r1 = v128.and(y1, i1);
        const b0 = v128.and(f64x2.mul(w0, y0), i0), b1 = v128.and(f64x2.mul(w1, y1), i1);
        sy = f64x2.add(sy, f64x2.add(b0, b1));
        syy = f64x2.add(syy, f64x2.add(f64x2.mul(b0, r0), f64x2.mul(b1, r1)));
        sxy = f64x2.add(sxy, f64x2.add(f64x2.mul(a0, r0), f64x2.mul(a1, r1)));
      }
    } else if (twoD) {
      const r0 = v128.and(y0, i0), r1 = v128.and(y1, i1);
      sy = f64x2.add(sy, f64x2.add(r0, r1));
      syy = f64x2.add(syy, f64x2.add(f64x2.mul(r0, r0), f64x2.mul(r1, r1)));
      sxy = f64x2.add(sxy, f64x2.add(f64x2.mul(a0, r0), f64x2.mul(a1, r1)));
    }
    sx = f64x2.add(sx, f64x2.add(a0, a1));
    sxx = f64x2.add(sxx, f64x2.add(f64x2.mul(a0, p0), f64x2.mul(a1, p1)));
    bump(data + (<usize>j0 & mask) * copy + <u32>i32x4.extract_lane(o, 0), w, j0, hasW);
    if (g + 1 < k) bump(data + (<usize>j1 & mask) * copy + <u32>i32x4.extract_lane(o, 1), w, j1, hasW);
    if (g + 2 < k) bump(data + (<usize>j2 & mask) * copy + <u32>i32x4.extract_lane(o, 2), w, j2, hasW);
    if (g + 3 < k) bump(data + (<usize>j3 & mask) * copy + <u32>i32x4.extract_lane(o, 3), w, j3, hasW);
  }
  const s = c + (SUMS << 4);
  v128.store(s, f64x2.add(v128.load(s), sx));
  v128.store(s, f64x2.add(v128.load(s, 16), sxx), 16);
  if (twoD) {
    v128.store(s, f64x2.add(v128.load(s, 32), sy), 32);
    v128.store(s, f64x2.add(v128.load(s, 48), syy), 48);
    v128.store(s, f64x2.add(v128.load(s, 64), sxy), 64);
  }
}

// The sparse path for n rows with mask m, if few enough pass; false when the dense path should run.
// @ts-ignore: decorator
@inline function fillSparse(
  h: usize, c: usize, data: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32,
  twoD: bool, fast: bool,
): bool {
  const k = compactRows(m, n, idx, twoD ? (n + 1) >> 1 : (n + 2) / 3, false);
  if (k < 0) return false;
  // 3 more row numbers (row 0 is readable) so the gathering loop can read four at a time;
  // k + 3 <= roundUp(n, 8) since k < n / 2
  const e = idx + (<usize>k << 2);
  store<i32>(e, 0);
  store<i32>(e, 0, 4);
  store<i32>(e, 0, 8);
  if (w) sparse(h, c, data, idx, x, y, w, k, twoD, fast, true);
  else sparse(h, c, data, idx, x, y, w, k, twoD, fast, false);
  return true;
}

// @ts-ignore: decorator
@inline function fill(
  h: usize, acc: usize, scratch: usize, x: usize, y: usize, m: usize, w: usize, n: i32, twoD: bool,
): void {
  if (n <= 0) return;
  const at = acc + <usize>int(field(h, Hist.ACC_OFFSET)), data = at + (HIST_STATS << 3);
  const c = scratch, idx = scratch + Scratch.CONSTS;
  if (int(field(h, Hist.STRIDE)) < 3) w = 0; // no room for weight sums: count only
  const fast = setup(h, c, data, twoD);
  const optOk = topOk(field(h, Hist.XLO), field(h, Hist.XHI), field(h, Hist.XINV), field(h, Hist.NX)) &&
    (!twoD || topOk(field(h, Hist.YLO), field(h, Hist.YHI), field(h, Hist.YINV), field(h, Hist.NY)));
  if (!(m && fillSparse(h, c, data, idx, x, y, m, w, n, twoD, fast))) {
    const v = (twoD ? 8 : 0) | (fast ? 4 : 0) | (m ? 2 : 0) | (w ? 1 : 0);
    denseVariant(v, at, c, idx, x, y, m, w, n, optOk);
  }
  const s = c + (SUMS << 4);
  addSum(at, v128.load(s));
  addSum(at + 8, v128.load(s, 16));
  if (twoD) {
    addSum(at + 16, v128.load(s, 32));
    addSum(at + 24, v128.load(s, 48));
    addSum(at + 32, v128.load(s, 64));
  }
}

// @ts-ignore: decorator
@inline function addSum(p: usize, v: v128): void {
  store<f64>(p, load<f64>(p) + (f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1)));
}

/**
 * Fill 1D histogram `h` (a HistDesc) whose accumulators sit at acc + ACC_OFFSET, from
 * n f64 rows of x, an optional 0/1 mask m and weight w (0 = absent; ignored when
 * STRIDE < 3). scratch: Scratch.CONSTS bytes, then i32 for roundUp(n, 8) entries. x, m, w
 * are read up to roundUp(n, 8) rows (the engine pads columns and registers for that).
 */
export function hist_fill1d(h: usize, acc: usize, scratch: usize, x: usize, m: usize, w: usize, n: i32): void {
  fill(h, acc, scratch, x, 0, m, w, n, false);
}

/** Fill 2D histogram `h` from n rows of (x, y); otherwise as hist_fill1d. */
export function hist_fill2d(
  h: usize, acc: usize, scratch: usize, x: usize, y: usize, m: usize, w: usize, n: i32,
): void {
  fill(h, acc, scratch, x, y, m, w, n, true);
}
