// Message metadata checked before apache-arrow decodes it (messages.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { checkMessages, footerProblem } from './messages';

const stream = tableToIPC(tableFromArrays({ x: Float64Array.from([1, 2, 3]), s: ['a', 'b', 'a'] }), 'stream');

describe('Arrow message checks', () => {
  it('a valid stream passes', () => {
    expect(() => checkMessages(stream, 't.arrows')).not.toThrow();
  });

  it('a batch listing millions of buffers in a few hundred bytes of metadata is refused before it is decoded', () => {
    const damaged = new Uint8Array(readFileSync(new URL('../../testing/fuzz-fixtures/arrow-stream-buffer-count-overflow.arrows', import.meta.url)));
    expect(() => checkMessages(damaged, 'f.arrows')).toThrow(/^f\.arrows: the Arrow stream: message 1 looks damaged: its metadata \(176 bytes\) lists 1 columns and 33554435 buffers$/);
  });

  it('a schema whose field lists billions of children is refused before it is decoded', () => {
    const damaged = new Uint8Array(readFileSync(new URL('../../testing/fuzz-fixtures/arrow-stream-schema-children-overflow.arrows', import.meta.url)));
    expect(() => checkMessages(damaged, 'f.arrows')).toThrow(/message 0 looks damaged: a field lists 1795162112 children in 312 bytes/);
  });

  it('a valid file\'s footer passes', () => {
    const file = tableToIPC(tableFromArrays({ x: Float64Array.from([1, 2, 3]), s: ['a', 'b', 'a'] }), 'file');
    const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const length = dv.getInt32(file.byteLength - 10, true);
    expect(footerProblem(file.subarray(file.byteLength - 10 - length, file.byteLength - 10))).toBeNull();
  });

  it('a body cut short is refused', () => {
    expect(() => checkMessages(stream.subarray(0, stream.length - 20), 't.arrows')).toThrow(/past the end of the file/);
  });
});
