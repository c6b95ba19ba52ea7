import { describe, expect, it } from 'vitest';
import { planWindows } from './windows';
import type { Column, Dataset } from '../store';

describe('planWindows', () => {
  it('plans a dataset of millions of chunks (a damaged file can claim them) without overflowing the stack', () => {
    const chunkRows = new Array<number>(3_000_000).fill(1);
    const col = { elementBytes: 8, info: { name: 'x' } } as unknown as Column;
    const w = planWindows({ chunkRows } as unknown as Dataset, [col], 1024 ** 2);
    expect(w.chunks.flat().length).toBe(3_000_000);
    expect(w.prefetch).toBe(true);
  });
});
