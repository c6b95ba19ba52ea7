// The RLE/bit-packed hybrid as Sift calls it: what valid runs decode to, and
// a damaged run length refused at once instead of repeated ~2^31 times.
import { describe, expect, it } from 'vitest';
import { hybrid } from './page-values';

const varint = (v: number) => {
  const out: number[] = [];
  for (; v >= 0x80; v >>>= 7) out.push((v & 0x7f) | 0x80);
  out.push(v);
  return out;
};
const reader = (bytes: number[]) => ({ view: new DataView(new Uint8Array(bytes).buffer), offset: 0 });

describe('hybrid runs', () => {
  it('decodes an RLE run then a bit-packed group', () => {
    // 5 × value 1 (RLE), then 8 values bit-packed at width 1: 0b10110010
    const bytes = [...varint(5 << 1), 1, ...varint((1 << 1) | 1), 0b10110010];
    const out = new Uint8Array(13);
    hybrid(reader(bytes), 1, out, bytes.length);
    expect([...out]).toEqual([1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1]);
  });

  it('refuses an RLE run far longer than the values left', () => {
    const bytes = [...varint(2 ** 30 * 2), 1];
    expect(() => hybrid(reader(bytes), 1, new Uint8Array(1200), bytes.length)).toThrow(/a run of 1073741824 values where 1200 remain/);
  });

  it('reads its length prefix when given none', () => {
    const body = [...varint(3 << 1), 7];
    const out = new Uint32Array(3);
    hybrid(reader([body.length, 0, 0, 0, ...body]), 3, out);
    expect([...out]).toEqual([7, 7, 7]);
  });
});
