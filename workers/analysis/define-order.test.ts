import { describe, expect, it } from 'vitest';
import { components, orderDefines } from './define-order';

/** True when every node comes after the nodes it uses. */
const respects = (order: number[], uses: number[][]) =>
  order.every((v, i) => uses[v].every((w) => order.indexOf(w) >= 0 && order.indexOf(w) < i));

describe('orderDefines', () => {
  it('puts each define after the ones it uses, keeping document order otherwise', () => {
    const uses = [[2], [], [1], []];
    const r = orderDefines(uses);
    expect(r.order).toEqual([1, 2, 0, 3]);
    expect(r.cycles).toEqual([]);
    expect(respects(r.order, uses)).toBe(true);
  });

  it('finds a self-reference', () => {
    expect(orderDefines([[0], []])).toMatchObject({ order: [1], cycles: [[0, 0]] });
  });

  it('finds a cycle, as a path from its first member back to it', () => {
    const r = orderDefines([[1], [2], [0], [0]]);
    expect(r.cycles).toEqual([[0, 1, 2, 0]]);
    expect([...r.cyclic].sort()).toEqual([0, 1, 2]);
    expect(r.order).toEqual([3]);
  });

  it('reports the shortest cycle through the first member of a tangled group', () => {
    const r = orderDefines([[1, 3], [2], [0], [0]]);
    expect(r.cycles).toEqual([[0, 3, 0]]);
    expect([...r.cyclic].sort()).toEqual([0, 1, 2, 3]);
  });

  it('reports separate cycles separately', () => {
    const r = orderDefines([[1], [0], [3], [2], [0, 2]]);
    expect(r.cycles).toEqual([[0, 1, 0], [2, 3, 2]]);
    expect(r.order).toEqual([4]);
  });

  it('handles long chains without recursion', () => {
    const n = 50_000;
    const uses = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    const r = orderDefines(uses);
    expect(r.order[0]).toBe(n - 1);
    expect(r.order.at(-1)).toBe(0);
    const ring = Array.from({ length: n }, (_, i) => [(i + 1) % n]);
    expect(orderDefines(ring).cycles[0]).toHaveLength(n + 1);
  });

  it('gives strongly connected components dependencies first', () => {
    expect(components([[1], [2], [1], []])).toEqual([[1, 2], [0], [3]]);
  });
});
