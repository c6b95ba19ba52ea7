// Damaged Arrow files fail with a BadFile that names the file and the problem, never a library stack.
import { RecordBatchFileWriter, RecordBatchStreamWriter, tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors';
import { memoryReader } from '../bytes';
import { arrowFormat } from './index';

const table = tableFromArrays({
  x: Float64Array.from({ length: 5000 }, (_, i) => i / 3),
  n: Int32Array.from({ length: 5000 }, (_, i) => i),
  s: Array.from({ length: 5000 }, (_, i) => `v${i % 7}`),
});
const file = RecordBatchFileWriter.writeAll(table).toUint8Array(true);
const stream = RecordBatchStreamWriter.writeAll(table).toUint8Array(true);

async function failure(bytes: Uint8Array, name: string, readEverything = false): Promise<EngineError> {
  try {
    const src = await arrowFormat.open(memoryReader(bytes, name), {});
    if (readEverything) {
      for (let c = 0; c < src.schema.chunkRows.length; c++) {
        const n = src.schema.chunkRows[c]!;
        await src.read(c, src.schema.columns.map((col, column) => ({ column, dest: col.type === 'dict' ? null : col.type === 'i32' ? new Int32Array(n) : new Float64Array(n) })));
      }
    }
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    const err = e as EngineError;
    if (process.env.SHOW_ERRORS) console.log(err.message);
    expect(err.name).toBe('BadFile');
    expect(err.message.startsWith(`${name}: `)).toBe(true);
    return err;
  }
  throw new Error('expected a BadFile');
}

describe('malformed arrow', () => {
  it('file truncated: the footer is gone', async () => {
    expect((await failure(file.subarray(0, file.length - 200), 'cut.arrow')).message).toMatch(/footer is missing.*truncated/);
  });

  it('file too short', async () => {
    expect((await failure(file.subarray(0, 12), 'short.arrow')).message).toMatch(/too short/);
  });

  it('file footer length beyond the file', async () => {
    const bad = file.slice();
    new DataView(bad.buffer).setInt32(bad.length - 10, bad.length * 2, true);
    expect((await failure(bad, 'len.arrow')).message).toMatch(/footer claims/);
  });

  it('file footer garbage', async () => {
    const bad = file.slice();
    const len = new DataView(bad.buffer).getInt32(bad.length - 10, true);
    for (let i = bad.length - 10 - len; i < bad.length - 10; i++) bad[i] = (i * 7919) & 0xff;
    await failure(bad, 'garbage.arrow');
  });

  it('file with a batch body cut out', async () => {
    const cut = new Uint8Array(file.length - 4000);
    cut.set(file.subarray(0, 2000));
    cut.set(file.subarray(file.length - (cut.length - 2000)), 2000);
    await failure(cut, 'hole.arrow', true);
  });

  it('file with damaged messages', async () => {
    const bad = file.slice();
    for (let i = 16; i < 400; i++) bad[i] = (i * 31) & 0xff;
    await failure(bad, 'messages.arrow', true);
  });

  it('stream truncated', async () => {
    expect((await failure(stream.subarray(0, stream.length / 2), 'cut.arrows')).message).toMatch(/Arrow stream/);
  });

  it('feather v1', async () => {
    expect((await failure(new TextEncoder().encode('FEA1\0\0\0\0xxxxxxxxFEA1'), 'old.feather')).message).toMatch(/Feather v1/);
  });

  it('not arrow at all, opened by extension', async () => {
    await failure(new TextEncoder().encode('a,b\n1,2\n3,4\n'), 'text.arrows');
  });
});
