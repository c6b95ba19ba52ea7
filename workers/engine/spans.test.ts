import { describe, expect, it } from 'vitest';
import { spansOf } from './loader';

describe('spansOf', () => {
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

  it('cuts consecutive chunks into at least two spans a lane', () => {
    expect(spansOf(range(0, 10), 1)).toEqual([range(0, 5), range(5, 10)]);
    expect(spansOf(range(0, 10), 2)).toEqual([range(0, 3), range(3, 6), range(6, 9), [9]]);
  });

  it('never joins chunks across a gap', () => {
    expect(spansOf([0, 1, 2, 5, 6, 9], 1)).toEqual([[0, 1, 2], [5, 6], [9]]);
  });

  it('keeps spans at most `most` and 32 chunks long', () => {
    expect(spansOf(range(0, 10), 1, 2)).toEqual([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]);
    const long = spansOf(range(0, 1000), 1);
    expect(long.map((s) => s.length)).toEqual([...Array(31).fill(32), 1000 - 31 * 32]);
    expect(long.flat()).toEqual(range(0, 1000));
  });
});
