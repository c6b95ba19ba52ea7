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
