// Selection sinks of the VM: how many rows a 0/1 mask keeps, and whether it keeps any.

/** Number of the n lanes of m (f64) equal to 1. */
export function mask_count(m: usize, n: i32): f64 {
  const one = f64x2.splat(1);
  let a = f64x2.splat(0), b = a;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const p = m + (<usize>j << 3);
    a = f64x2.add(a, v128.and(f64x2.eq(v128.load(p), one), one));
    b = f64x2.add(b, v128.and(f64x2.eq(v128.load(p, 16), one), one));
    a = f64x2.add(a, v128.and(f64x2.eq(v128.load(p, 32), one), one));
    b = f64x2.add(b, v128.and(f64x2.eq(v128.load(p, 48), one), one));
  }
  a = f64x2.add(a, b);
  let c = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; j < n; j++) c += f64(load<f64>(m + (<usize>j << 3)) == 1);
  return c;
}

/** Whether any of the n lanes of m (f64) is nonzero (NaN counts as nonzero). */
export function mask_any(m: usize, n: i32): bool {
  const zero = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const p = m + (<usize>j << 3);
    const v = v128.or(
      v128.or(f64x2.ne(v128.load(p), zero), f64x2.ne(v128.load(p, 16), zero)),
      v128.or(f64x2.ne(v128.load(p, 32), zero), f64x2.ne(v128.load(p, 48), zero)),
    );
    if (v128.any_true(v)) return true;
  }
  for (; j < n; j++) if (load<f64>(m + (<usize>j << 3)) != 0) return true;
  return false;
}
