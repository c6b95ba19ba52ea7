// jsroot's buffer reads get limits before they allocate (guards.ts).
import { describe, expect, it } from 'vitest';
import { TBuffer } from 'jsroot/io';
import { installGuards } from './guards';

installGuards();

function buffer(bytes: number): TBuffer {
  const B = TBuffer as unknown as new (arr: DataView, pos: number, file: null, length: number) => TBuffer;
  return new B(new DataView(new ArrayBuffer(bytes)), 0, null, bytes);
}

describe('jsroot buffer guards', () => {
  it('refuses a streamer element with more array dimensions than ROOT allows, before allocating', () => {
    expect(() => buffer(64).readNdimArray({ fArrayDim: 1_073_741_934, fMaxIndex: [], fArrayLength: 0 }, () => 0))
      .toThrow('a streamer element with 1073741934 array dimensions (ROOT allows 5)');
  });

  it('refuses arrays longer than the bytes left, and reads those that fit', () => {
    expect(() => buffer(16).readFastArray(1e9, 8)).toThrow('an array of 1000000000 values where 16 bytes remain');
    expect(buffer(16).readFastArray(2, 8)).toEqual(new Float64Array(2));
    expect(buffer(16).readNdimArray({ fArrayDim: 1, fMaxIndex: [3], fArrayLength: 3 }, () => 7)).toEqual([7, 7, 7]);
  });
});
