// Two-lane (f64x2) arithmetic and elementary functions for the demo generators,
// which compute two rows per v128. Branch-free: the inputs are random, so a
// branch would mispredict half the time; domains are restricted instead.
// Accuracy is a few ulp of f64 — the generators store f32 — and every lane is
// computed alike, so a row's bits do not depend on its lane.

// @ts-ignore: decorator
@inline export function k(x: f64): v128 { return f64x2.splat(x); }
// @ts-ignore: decorator
@inline export function add(a: v128, b: v128): v128 { return f64x2.add(a, b); }
// @ts-ignore: decorator
@inline export function sub(a: v128, b: v128): v128 { return f64x2.sub(a, b); }
// @ts-ignore: decorator
@inline export function mul(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
// @ts-ignore: decorator
@inline export function div(a: v128, b: v128): v128 { return f64x2.div(a, b); }
// @ts-ignore: decorator
@inline export function sqrt(a: v128): v128 { return f64x2.sqrt(a); }
/** a·b + c, rounded twice (no FMA: results must not depend on the engine). */
// @ts-ignore: decorator
@inline export function mad(a: v128, b: v128, c: v128): v128 { return f64x2.add(f64x2.mul(a, b), c); }
/** Lane-wise m ? a : b for a mask m of all-ones / all-zeros lanes. */
// @ts-ignore: decorator
@inline export function sel(a: v128, b: v128, m: v128): v128 { return v128.bitselect(a, b, m); }
// @ts-ignore: decorator
@inline export function lt(a: v128, b: v128): v128 { return f64x2.lt(a, b); }
// @ts-ignore: decorator
@inline export function gt(a: v128, b: v128): v128 { return f64x2.gt(a, b); }
/** 1.0 where the mask is set, else 0.0. */
// @ts-ignore: decorator
@inline export function ones(m: v128): v128 { return v128.and(m, f64x2.splat(1)); }

const SIGN: u64 = 0x8000000000000000;

/** Magnitude of a, sign of b. */
// @ts-ignore: decorator
@inline export function vcopysign(a: v128, b: v128): v128 {
  return v128.bitselect(b, a, i64x2.splat(SIGN));
}

/** sin(x) for |x| <= π/4. see: musl/src/math/__sin.c */
// @ts-ignore: decorator
@inline function sinK(x: v128): v128 {
  const z = mul(x, x), w = mul(z, z);
  const r = add(mad(z, mad(z, k(2.75573137070700676789e-06), k(-1.98412698298579493134e-04)), k(8.33333333332248946124e-03)),
    mul(mul(z, w), mad(z, k(1.58969099521155010221e-10), k(-2.50507602534068634195e-08))));
  return mad(mul(z, x), mad(z, r, k(-1.66666666666666324348e-01)), x);
}

/** cos(x) for |x| <= π/4. see: musl/src/math/__cos.c */
// @ts-ignore: decorator
@inline function cosK(x: v128): v128 {
  const z = mul(x, x), w = mul(z, z);
  const r = add(mul(z, mad(z, mad(z, k(2.48015872894767294178e-05), k(-1.38888888888741095749e-03)), k(4.16666666666666019037e-02))),
    mul(mul(w, w), mad(z, mad(z, k(-1.13596475577881948265e-11), k(2.08757232129817482790e-09)), k(-2.75573143513906633035e-07))));
  const hz = mul(k(0.5), z), v = sub(k(1), hz);
  return add(v, add(sub(sub(k(1), v), hz), mul(z, r)));
}

/**
 * cos and sin of the uniform angle phi = 2πu − π, u in [0, 1): phi = j·π/2 + x with
 * j in −2..2 and |x| <= π/4, then a quarter-turn rotation by selects.
 * cosTurn and sinTurn share their work once inlined side by side.
 */
// @ts-ignore: decorator
@inline export function cosTurn(u: v128): v128 {
  const t = mul(sub(u, k(0.5)), k(4)), j = f64x2.nearest(t);
  const x = mul(sub(t, j), k(1.5707963267948966)), c = cosK(x), s = sinK(x);
  const odd = f64x2.eq(f64x2.abs(j), k(1));
  const neg = v128.or(gt(j, k(0.5)), lt(j, k(-1.5))); // j = 1, ±2
  return v128.xor(sel(s, c, odd), v128.and(neg, i64x2.splat(SIGN)));
}
// @ts-ignore: decorator
@inline export function sinTurn(u: v128): v128 {
  const t = mul(sub(u, k(0.5)), k(4)), j = f64x2.nearest(t);
  const x = mul(sub(t, j), k(1.5707963267948966)), c = cosK(x), s = sinK(x);
  const odd = f64x2.eq(f64x2.abs(j), k(1));
  const neg = v128.or(lt(j, k(-0.5)), gt(j, k(1.5))); // j = −1, ±2
  return v128.xor(sel(c, s, odd), v128.and(neg, i64x2.splat(SIGN)));
}

/** tan(2h) for |h| <= π/4 (< π/4 strictly away from ±π/2), as 2sc / (c² − s²). */
// @ts-ignore: decorator
@inline export function tan2h(h: v128): v128 {
  const s = sinK(h), c = cosK(h);
  return div(mul(k(2), mul(s, c)), mul(sub(c, s), add(c, s)));
}

/** atan(x) for |x| <= 7/16. see: musl/src/math/atan.c */
// @ts-ignore: decorator
@inline function atanK(x: v128): v128 {
  const z = mul(x, x), w = mul(z, z);
  const s1 = mul(z, mad(w, mad(w, mad(w, mad(w, mad(w, k(1.62858201153657823623e-02), k(4.97687799461593236017e-02)),
    k(6.66107313738753120669e-02)), k(9.09088713343650656196e-02)), k(1.42857142725034663711e-01)), k(3.33333333333329318027e-01)));
  const s2 = mul(w, mad(w, mad(w, mad(w, mad(w, k(-3.65315727442169155270e-02), k(-5.83357013379057348645e-02)),
    k(-7.69187620504482999495e-02)), k(-1.11111104054623557880e-01)), k(-1.99999999998764832476e-01)));
  return sub(x, mul(x, add(s1, s2)));
}

/**
 * atan2(y, x) for finite x, y not both 0. With t = min/max of |x|, |y| in [0, 1]:
 * atan(t) directly up to tan(π/8), else π/4 + atan((t − 1)/(t + 1)); then the octant.
 */
// @ts-ignore: decorator
@inline export function vatan2(y: v128, x: v128): v128 {
  const ax = f64x2.abs(x), ay = f64x2.abs(y);
  const mn = f64x2.pmin(ax, ay), mx = f64x2.pmax(ax, ay);
  const hi = gt(mn, mul(k(0.41421356237309503), mx));
  let a = atanK(div(sel(sub(mn, mx), mn, hi), sel(add(mn, mx), mx, hi)));
  a = add(a, v128.and(hi, k(0.7853981633974483)));
  a = sel(sub(k(1.5707963267948966), a), a, gt(ay, ax));
  a = sel(sub(k(3.141592653589793), a), a, lt(x, k(0)));
  return vcopysign(a, y);
}

const SQRT_HALF_BITS: u64 = 0x3FE6A09E667F3BCD;

/** log(x) for positive, finite, normal x. see: musl/src/math/log.c */
// @ts-ignore: decorator
@inline export function vlog(x: v128): v128 {
  // x = 2^e · m with m in [√½, √2): u holds e + 1024 above the mantissa bits (unsigned, no arithmetic shift)
  const u = i64x2.add(i64x2.sub(x, i64x2.splat(SQRT_HALF_BITS)), i64x2.splat(<u64>1024 << 52));
  const e = sub(i64x2.add(i64x2.shr_u(u, 52), i64x2.splat(0x4330000000000000)), k(4503599627370496.0 + 1024));
  const f = sub(i64x2.add(v128.and(u, i64x2.splat(0x000FFFFFFFFFFFFF)), i64x2.splat(SQRT_HALF_BITS)), k(1));
  const hfsq = mul(k(0.5), mul(f, f));
  const s = div(f, add(k(2), f));
  const z = mul(s, s), w = mul(z, z);
  const t1 = mul(w, mad(w, mad(w, k(1.531383769920937332e-01), k(2.222219843214978396e-01)), k(3.999999999940941908e-01)));
  const t2 = mul(z, mad(w, mad(w, mad(w, k(1.479819860511658591e-01), k(1.818357216161805012e-01)), k(2.857142874366239149e-01)),
    k(6.666666666666735130e-01)));
  return add(add(sub(mad(s, add(hfsq, add(t2, t1)), mul(e, k(1.90821492927058770002e-10))), hfsq), f),
    mul(e, k(6.93147180369123816490e-01)));
}

/** exp(x) for |x| < 700: 2^n · e^r with |r| <= ln2/2, e^r by its Taylor series to r^11 (rel. error < 1e-14). */
// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  const MAGIC = 6755399441055744.0; // 1.5 · 2^52: adding it rounds to an integer held in the low mantissa bits
  const t = mad(x, k(1.4426950408889634), k(MAGIC));
  const n = sub(t, k(MAGIC));
  const r = sub(sub(x, mul(n, k(6.93147180369123816490e-01))), mul(n, k(1.90821492927058770002e-10)));
  let p = mad(r, k(1.0 / 39916800), k(1.0 / 3628800));
  p = mad(r, p, k(1.0 / 362880)); p = mad(r, p, k(1.0 / 40320)); p = mad(r, p, k(1.0 / 5040));
  p = mad(r, p, k(1.0 / 720)); p = mad(r, p, k(1.0 / 120)); p = mad(r, p, k(1.0 / 24));
  p = mad(r, p, k(1.0 / 6)); p = mad(r, p, k(0.5)); p = mad(r, p, k(1)); p = mad(r, p, k(1));
  return mul(p, i64x2.add(i64x2.shl(t, 52), i64x2.splat(0x3FF0000000000000)));
}
