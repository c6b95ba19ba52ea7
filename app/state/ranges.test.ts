import { expect, test } from 'vitest';
import { niceBinning, rebin } from './ranges';

test('integer data gets a bin per value, centred on it', () => {
  expect(niceBinning(-1, 1, 100, true)).toEqual({ bins: 3, lo: -1.5, hi: 1.5 });
  expect(niceBinning(0, 9, 100, true)).toEqual({ bins: 10, lo: -0.5, hi: 9.5 });
});

test('real data rounds outwards to a tidy step, keeping the max inside [lo, hi)', () => {
  expect(niceBinning(0.13, 97.2, 100, false)).toEqual({ bins: 100, lo: 0, hi: 100 });
  expect(niceBinning(-2.4, 2.4, 50, false)).toEqual({ bins: 50, lo: -2.5, hi: 2.5 });
  const r = niceBinning(0, 10, 100, false);
  expect(r.hi).toBeGreaterThan(10);
  expect(niceBinning(5, 5, 20, false)).toEqual({ bins: 20, lo: 4.5, hi: 5.5 });
  expect(niceBinning(NaN, NaN, 20, false)).toEqual({ bins: 20, lo: 0, hi: 1 });
});

test('rebin keeps every count', () => {
  const bins = Array.from({ length: 4096 }, (_, i) => i % 7);
  const out = rebin(bins, 32);
  expect(out).toHaveLength(32);
  expect(out.reduce((a, b) => a + b)).toBe(bins.reduce((a, b) => a + b));
});
