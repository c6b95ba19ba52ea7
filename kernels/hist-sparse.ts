// The sparse path of the histogram fills (hist.ts): when few rows pass, gather just those
// rows instead of sending the others to the trash slot one by one. (The trash slot's
// content is unspecified.)

// The sparse path is taken when fewer than 1/3 (1D) or 1/2 (2D) of the rows pass,
// about where it stops paying (measured on x64, Node 20).
import { C, SCALE, addSums, bump, copyBytes, copyMask, inRange, live, pack, slotOf, xpos } from "./hist-common";

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
  addSums(c, sx, sxx, sy, syy, sxy, twoD);
}

// The sparse path for n rows with mask m, if few enough pass; false when the dense path should run.
// @ts-ignore: decorator
@inline export function fillSparse(
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
