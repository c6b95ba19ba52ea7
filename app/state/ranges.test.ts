import { describe, expect, test } from 'vitest';
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

describe('day bins for dates and timestamps', () => {
  const DAY = 86400;
  const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 1000;

  test('a year of daily dates, the minimum found a little low: weekly bins from the first midnight', () => {
    const b = niceBinning(day(2012, 1, 1) - 1.5, day(2012, 12, 31), 100, true, 'date');
    expect(b.lo).toBe(day(2012, 1, 1));
    expect((b.hi - b.lo) / b.bins).toBe(7 * DAY);
    expect(b.hi).toBeGreaterThan(day(2012, 12, 31));
    expect(b.bins).toBeLessThanOrEqual(100);
  });

  test('a month of timestamps: daily bins', () => {
    const b = niceBinning(day(2020, 3, 1) + 3600, day(2020, 3, 31) + 80000, 100, false, 'timestamp');
    expect(b.lo).toBe(day(2020, 3, 1));
    expect((b.hi - b.lo) / b.bins).toBe(DAY);
    expect(b.bins).toBe(31);
  });

  test('decades: whole multiples of 364 days', () => {
    const b = niceBinning(day(1900, 1, 1), day(2020, 1, 1), 50, true, 'date');
    expect(((b.hi - b.lo) / b.bins / DAY) % 364).toBe(0);
    expect(b.bins).toBeLessThanOrEqual(50);
    expect(b.hi).toBeGreaterThan(day(2020, 1, 1));
  });

  test('less than two days of timestamps: the numeric rule', () => {
    expect(niceBinning(1000, 5000, 100, true, 'timestamp')).toEqual(niceBinning(1000, 5000, 100, true));
  });
});
