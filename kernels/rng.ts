// Counter-based random numbers for the demo generators. Draw k (0..31) of row r
// is a pure function of (key, r, k): output number 32·r + k of SplitMix64 whose
// state starts at `key`, i.e. mix64(key + (32·r + k + 1)·GAMMA). Any worker can
// generate any row range and get the same bits, whatever the chunking. The
// generators run two rows per v128 (i64x2 lanes r, r + 1); the ...2 functions
// are the same arithmetic lane-wise.
// see: https://prng.di.unimi.it/splitmix64.c
// see: Salmon et al., "Parallel random numbers: as easy as 1, 2, 3" (SC 2011)

/** SplitMix64's Weyl increment (2^64 / golden ratio, odd). */
export const GAMMA: u64 = 0x9E3779B97F4A7C15;

/** SplitMix64's output function (Stafford's Mix13). */
// @ts-ignore: decorator
@inline export function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}

/** Stream key of a dataset for a JS-number seed: every bit of the f64 counts. */
// @ts-ignore: decorator
@inline export function seedKey(seed: f64, salt: u64): u64 {
  return mix64(reinterpret<u64>(seed) ^ salt);
}

/** SplitMix64 states just before draw 0 of rows r and r + 1. */
// @ts-ignore: decorator
@inline export function rowBase2(key: u64, r: u64): v128 {
  const b = key + (r << 5) * GAMMA;
  return i64x2.replace_lane(i64x2.splat(b), 1, b + 32 * GAMMA);
}

/** Advances rowBase2 by two rows. */
// @ts-ignore: decorator
@inline export function nextRows2(b: v128): v128 {
  return i64x2.add(b, i64x2.splat(64 * GAMMA));
}

// @ts-ignore: decorator
@inline function mix64x2(z: v128): v128 {
  z = i64x2.mul(v128.xor(z, i64x2.shr_u(z, 30)), i64x2.splat(0xBF58476D1CE4E5B9));
  z = i64x2.mul(v128.xor(z, i64x2.shr_u(z, 27)), i64x2.splat(0x94D049BB133111EB));
  return v128.xor(z, i64x2.shr_u(z, 31));
}

/** Draw k of both rows. */
// @ts-ignore: decorator
@inline export function draw2(base: v128, k: u64): v128 {
  return mix64x2(i64x2.add(base, i64x2.splat((k + 1) * GAMMA)));
}

const ONE_BITS: u64 = 0x3FF0000000000000;

/** The bits as the mantissa of a double in [1, 2), minus 1: exact, no i64 → f64 conversion (SIMD has none). */
// @ts-ignore: decorator
@inline function unit(mantissa: v128): v128 {
  return f64x2.sub(v128.or(mantissa, i64x2.splat(ONE_BITS)), f64x2.splat(1));
}

/** Uniform (h >> 32) / 2^32 in [0, 1). */
// @ts-ignore: decorator
@inline export function uHi2(h: v128): v128 {
  return unit(i64x2.shl(i64x2.shr_u(h, 32), 20));
}

/** Uniform (h & 0xFFFFFFFF) / 2^32 in [0, 1); independent of uHi2 of the same draw. */
// @ts-ignore: decorator
@inline export function uLo2(h: v128): v128 {
  return unit(i64x2.shl(v128.and(h, i64x2.splat(0xFFFFFFFF)), 20));
}

/** Uniform (h >> 12) / 2^52 in [0, 1). */
// @ts-ignore: decorator
@inline export function u52x2(h: v128): v128 {
  return unit(i64x2.shr_u(h, 12));
}

/** Uniform ((h >> shift) & 0xFFFF) / 2^16: a 16-bit field, for draws that need no more. */
// @ts-ignore: decorator
@inline export function u16x2(h: v128, shift: i32): v128 {
  return unit(i64x2.shl(v128.and(i64x2.shr_u(h, shift), i64x2.splat(0xFFFF)), 36));
}
