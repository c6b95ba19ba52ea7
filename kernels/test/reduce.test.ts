import { describe, expect, it } from 'vitest';
import { mixed } from './data';
import { loadKernels } from './wasm';

const k = loadKernels();
const TAILS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 1000, 1003];

describe('sum_f64', () => {
  it('matches a plain loop for every tail length', () => {
    for (const n of TAILS) {
      const p = k.alloc(n * 8);
      const xs = k.f64(p, n);
      let ref = 0;
      for (let i = 0; i < n; i++) { xs[i] = (i % 7) - 3.25; ref += xs[i]; }
      expect(k.exports.sum_f64(p, n)).toBeCloseTo(ref, 9);
    }
  });
});

type T = 'f64' | 'f32' | 'i32' | 'u32' | 'u16' | 'u8';
const TYPED = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array };

/** [min, max, count] skipping NaN, with -0 below +0; [Inf, -Inf, 0] when empty. */
function refMinMax(v: ArrayLike<number>): number[] {
  let lo = Infinity, hi = -Infinity, c = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (Number.isNaN(x)) continue;
    if (x < lo || (x === 0 && lo === 0 && Object.is(x, -0))) lo = x;
    if (x > hi || (x === 0 && hi === 0 && Object.is(hi, -0))) hi = x;
    c++;
  }
  return [lo, hi, c];
}

describe('minmax_*', () => {
  const out = k.alloc(24);
  for (const t of Object.keys(TYPED) as T[]) {
    it(`minmax_${t} for every tail length, with the extremes at every position`, () => {
      for (const n of TAILS) {
        const p = k.alloc((n << 3) + 64);
        const v = new TYPED[t](k.memory.buffer, p, n);
        const src = mixed(n, n + 1);
        for (let i = 0; i < n; i++) {
          v[i] = t === 'f64' || t === 'f32' ? src[i] : Math.abs(Math.trunc(src[i] * 7)) % 3000 - (t === 'i32' ? 1500 : 0);
        }
        // the minimum and maximum in the last (tail) position, then in the first
        for (const pos of n ? [n - 1, 0] : [0]) {
          if (n) {
            const keep = v[pos];
            v[pos] = t === 'u8' ? 0 : t === 'u16' || t === 'u32' ? 0 : -1e30;
            k.exports[`minmax_${t}`](p, n, out);
            expect(Array.from(k.f64(out, 3)), `${t} n=${n} min at ${pos}`).toEqual(refMinMax(v));
            v[pos] = t === 'u8' ? 255 : t === 'u16' ? 65535 : t === 'u32' ? 4294967295 : t === 'i32' ? 2147483647 : 1e30;
            k.exports[`minmax_${t}`](p, n, out);
            expect(Array.from(k.f64(out, 3)), `${t} n=${n} max at ${pos}`).toEqual(refMinMax(v));
            v[pos] = keep;
          }
          k.exports[`minmax_${t}`](p, n, out);
          expect(Array.from(k.f64(out, 3)), `${t} n=${n}`).toEqual(refMinMax(v));
        }
      }
    });
  }
  it('minmax_f64: -0 sorts below +0 whatever the order; all-NaN is empty', () => {
    for (const vals of [[0, -0, 0, 0, 0], [-0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, -0]]) {
      const p = k.alloc(vals.length * 8);
      k.f64(p, vals.length).set(vals);
      k.exports.minmax_f64(p, vals.length, out);
      const r = k.f64(out, 3);
      expect(Object.is(r[0], -0) && Object.is(r[1], 0)).toBe(true);
    }
    const p = k.alloc(80);
    k.f64(p, 10).fill(NaN);
    k.exports.minmax_f64(p, 10, out);
    expect(Array.from(k.f64(out, 3))).toEqual([Infinity, -Infinity, 0]);
  });
});

describe('mask_count / mask_any', () => {
  it('count lanes equal to 1 and find any nonzero lane, exactly n lanes', () => {
    for (const n of TAILS) {
      const p = k.alloc(n * 8 + 64);
      const m = k.f64(p, n + 8);
      m.fill(1); // lanes past n are 1 and must not be counted
      for (let i = 0; i < n; i++) m[i] = i % 3 === 1 ? 1 : i % 5 === 0 ? 0.5 : 0;
      expect(k.exports.mask_count(p, n)).toBe(Array.from(m.subarray(0, n)).filter((x) => x === 1).length);
      m.fill(0, 0, n);
      expect(k.exports.mask_any(p, n)).toBe(0);
      if (n) {
        m[n - 1] = NaN;
        expect(k.exports.mask_any(p, n)).toBe(1);
      }
    }
  });
});
