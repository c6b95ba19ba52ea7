import { describe, expect, it } from 'vitest';
import { all, any, element, max, min, reduce, size, sum } from './jagged';

// entries: [1, 2, 3] · [] · [-4] · [0, 5] · [NaN, 1] · [0, 0]
const offsets = Uint32Array.from([0, 3, 3, 4, 6, 8, 10]);
const values = Float64Array.from([1, 2, 3, -4, 0, 5, NaN, 1, 0, 0]);
const list = (a: Float64Array) => Array.from(a);

describe('per-event reductions', () => {
  it('size', () => expect(list(size(offsets))).toEqual([3, 0, 1, 2, 2, 2]));
  it('sum: empty is 0, NaN propagates', () => expect(list(sum(offsets, values))).toEqual([6, 0, -4, 5, NaN, 0]));
  it('min and max: empty is NaN, NaN propagates', () => {
    expect(list(min(offsets, values))).toEqual([1, NaN, -4, 0, NaN, 0]);
    expect(list(max(offsets, values))).toEqual([3, NaN, -4, 5, NaN, 0]);
    // NaN after the first element
    expect(list(max(Uint32Array.from([0, 2]), Float64Array.from([1, NaN])))).toEqual([NaN]);
  });
  it('any and all: C truth, empty any is 0 and empty all is 1', () => {
    expect(list(any(offsets, values))).toEqual([1, 0, 1, 1, 1, 0]);
    expect(list(all(offsets, values))).toEqual([1, 1, 1, 0, 1, 0]);
  });
  it('element: NaN past the end or for a bad index', () => {
    expect(list(element(offsets, values, 0))).toEqual([1, NaN, -4, 0, NaN, 0]);
    expect(list(element(offsets, values, 2))).toEqual([3, NaN, NaN, NaN, NaN, NaN]);
    expect(list(element(offsets, values, -1))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN]);
    expect(list(element(offsets, values, 0.5))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN]);
  });
  it('reduce dispatches by name', () => {
    expect(list(reduce('sum', offsets, values))).toEqual(list(sum(offsets, values)));
    expect(list(reduce('size', offsets, values))).toEqual([3, 0, 1, 2, 2, 2]);
  });
  it('no entries gives an empty result', () => {
    expect(list(sum(Uint32Array.from([0]), new Float64Array(0)))).toEqual([]);
  });
});
