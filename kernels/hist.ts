// 1D/2D histogram fill (bin rule and slot layout: layout.ts `Hist`): the entry points.
// Masks that keep few rows take the sparse path (hist-sparse.ts): the kept rows' numbers go
// to the index scratch, then those rows are gathered, binned and scattered one block at a time.
// Everything else takes the dense path (hist-dense.ts). Shared pieces: hist-common.ts.
import { Hist, HIST_STATS, Scratch } from "./layout";
import { SUMS, field, int, setup, topOk } from "./hist-common";
import { denseVariant } from "./hist-dense";
import { fillSparse } from "./hist-sparse";

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
