// Lengths from a batch's metadata must be backed by its buffers (checkBuffers):
// apache-arrow itself reads past short buffers as nulls or garbage.
import { describe, expect, it } from 'vitest';
import { Bool, Float64, Int64, Utf8, makeData, makeVector } from 'apache-arrow';
import { checkBuffers, dictionaryStrings } from './values';

describe('checkBuffers', () => {
  it('accepts data whose buffers hold its length', () => {
    expect(() => checkBuffers(makeData({ type: new Float64(), length: 3, data: new Float64Array(3) }), 'x')).not.toThrow();
    expect(() => checkBuffers(makeData({ type: new Int64(), length: 3, data: new BigInt64Array(3) }), 'x')).not.toThrow();
    expect(() => checkBuffers(makeData({ type: new Bool(), length: 16, data: new Uint8Array(2) }), 'x')).not.toThrow();
    expect(() => checkBuffers(makeData({ type: new Utf8(), length: 2, valueOffsets: Int32Array.from([0, 1, 2]), data: new Uint8Array(2) }), 'x')).not.toThrow();
  });

  it('refuses a length its buffers cannot hold', () => {
    expect(() => checkBuffers(makeData({ type: new Float64(), length: 1000, data: new Float64Array(3) }), 'the column')).toThrow('the column claims 1000 values but its buffers hold 3');
    expect(() => checkBuffers(makeData({ type: new Bool(), length: 17, data: new Uint8Array(2) }), 'x')).toThrow(/holds? 16/);
    expect(() => checkBuffers(makeData({ type: new Utf8(), length: 16_777_219, valueOffsets: new Int32Array(4), data: new Uint8Array(16) }), 'a dictionary'))
      .toThrow('a dictionary claims 16777219 values but its buffers hold 3');
  });

  it('a dictionary of strings is checked before its entries are made', () => {
    const dict = makeVector(makeData({ type: new Utf8(), length: 16_777_219, valueOffsets: new Int32Array(4), data: new Uint8Array(16) }));
    expect(() => dictionaryStrings(dict)).toThrow(/claims 16777219 values/);
  });
});
