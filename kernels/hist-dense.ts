// The dense path of the histogram fills (hist.ts), in passes over the rows of one call
// (they stay in L1 between passes):
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
// Measured shapes and numbers: bench/kernels.mjs.
import { C, CHECK, SMAX, SMIN, TRASH, XMAX, XMIN, ZERO, addSums, bump, hi2, inRange, live, lo2, packAt, slotOf, xpos } from "./hist-common";

// rows per try of the optimistic pass 1 (a multiple of 4)
const OPT_BLOCK = 256;

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
  addSums(c, sx, sxx, sx, sx, sx, false);
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
  if (ok) addSums(c, sx, sxx, sx, sx, sx, false);
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
  addSums(c, sx, sxx, sy, syy, sxy, twoD);
}

// @ts-ignore: decorator
@inline function allStats(
  c: usize, x: usize, y: usize, m: usize, w: usize, j0: i32, n: i32, twoD: bool, hasM: bool, hasW: bool, tested: bool,
): void {
  const n4 = j0 + ((n - j0) & ~3);
  stats(c, x, y, m, w, j0, n4, n, twoD, hasM, hasW, tested, false);
  if (n4 < n) stats(c, x, y, m, w, n4, n4 + 4, n, twoD, hasM, hasW, tested, true);
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
@inline export function denseVariant(v: i32, at: usize, c: usize, idx: usize, x: usize, y: usize, m: usize, w: usize, n: i32, optOk: bool): void {
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
