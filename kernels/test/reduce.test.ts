import { describe, expect, it } from 'vitest';
import { loadKernels } from './wasm';

describe('sum_f64', () => {
  it('matches a plain loop for every tail length', () => {
    const k = loadKernels();
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 1000, 1003]) {
      const p = k.alloc(n * 8);
      const xs = k.f64(p, n);
      let ref = 0;
      for (let i = 0; i < n; i++) { xs[i] = (i % 7) - 3.25; ref += xs[i]; }
      expect(k.exports.sum_f64(p, n)).toBeCloseTo(ref, 9);
    }
  });
});
