// Test data: a seeded generator and the values that break numeric kernels.

/** xorshift32-based generator of floats in [0, 1). */
export function rng(seed: number) {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
/** The next double towards +Inf (dir 1) or -Inf (dir -1). */
export function nextAfter(x: number, dir: 1 | -1): number {
  if (Number.isNaN(x) || x === dir * Infinity) return x;
  if (x === 0) return dir * 5e-324;
  f64[0] = x;
  i64[0] += (x > 0) === (dir > 0) ? 1n : -1n;
  return f64[0];
}

export const SPECIAL = [
  0, -0, 1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3, -7, 0.1, -0.3, Math.PI, -Math.E,
  0.49999999999999994, -0.49999999999999994, 0.5000000000000001, -0.5000000000000001,
  4503599627370495.5, -4503599627370495.5, 4503599627370497, 2 ** 52, 2 ** 53 + 2, -(2 ** 60),
  1e300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -5e-324,
  2.2250738585072014e-308, 1e-300, 1e-16, 0.9999999999999999, 1.0000000000000002,
  NaN, Infinity, -Infinity,
];

/** n mixed values: specials, small numbers, huge and tiny magnitudes, integers. */
export function mixed(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.15) out[i] = SPECIAL[Math.floor(r() * SPECIAL.length)];
    else if (k < 0.55) out[i] = (r() - 0.5) * 20;
    else if (k < 0.75) out[i] = (r() < 0.5 ? -1 : 1) * 10 ** ((r() - 0.5) * 600);
    else if (k < 0.9) out[i] = Math.round((r() - 0.5) * 10) / 2;
    else out[i] = r() < 0.5 ? 0 : 1;
  }
  return out;
}

/** Every pair of SPECIAL values, as two columns. */
export function specialPairs(): [Float64Array, Float64Array] {
  const n = SPECIAL.length;
  const a = new Float64Array(n * n), b = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { a[i * n + j] = SPECIAL[i]; b[i * n + j] = SPECIAL[j]; }
  return [a, b];
}

export const roundUp = (n: number, k: number) => Math.ceil(n / k) * k;

/** Equal as doubles, with -0 != +0 and NaN == NaN. */
export const same = (a: number, b: number) => Object.is(a, b);

/** Within a relative 1e-14 (or both tiny): for AssemblyScript's Math against V8's. */
export function close(a: number, b: number): boolean {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 1e-14 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-307;
}
