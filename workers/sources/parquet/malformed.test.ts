// Damaged files fail with a BadFile that names the file and the problem, never a library stack.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors';
import { memoryReader } from '../bytes';
import { parquetFormat } from './index';

let dir: string;
let good: Uint8Array;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sift-parquet-bad-'));
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const path = join(dir, 'good.parquet');
  await db.run(`COPY (select i::INTEGER a, i / 3.0 x, 'v' || (i % 9) s from range(50000) r(i))
    TO '${path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 20000)`);
  good = new Uint8Array(readFileSync(path));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(bytes: Uint8Array, readEverything = false): Promise<EngineError> {
  try {
    const src = await parquetFormat.open(memoryReader(bytes, 'bad.parquet'), {});
    if (readEverything) {
      for (let c = 0; c < src.schema.chunkRows.length; c++) {
        const n = src.schema.chunkRows[c]!;
        await src.read(c, [{ column: 0, dest: new Int32Array(n) }, { column: 1, dest: new Float64Array(n) }, { column: 2, dest: null }]);
      }
    }
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    const err = e as EngineError;
    if (process.env.SHOW_ERRORS) console.log(err.message);
    expect(err.name).toBe('BadFile');
    expect(err.message).toMatch(/^bad\.parquet: /);
    return err;
  }
  throw new Error('expected a BadFile');
}

describe('malformed parquet', () => {
  it('too short', async () => {
    expect((await failure(new TextEncoder().encode('PAR1'))).message).toMatch(/too short/);
  });

  it('not parquet at all', async () => {
    expect((await failure(new TextEncoder().encode('a,b,c\n1,2,3\n4,5,6\n'))).message).toMatch(/not a Parquet file/);
  });

  it('truncated: the footer is gone', async () => {
    expect((await failure(good.subarray(0, good.length - 100))).message).toMatch(/footer is missing.*truncated/);
  });

  it('truncated in the middle, footer kept', async () => {
    const cut = new Uint8Array(good.length - 30000);
    cut.set(good.subarray(0, 10000));
    cut.set(good.subarray(good.length - (cut.length - 10000)), 10000);
    const err = await failure(cut, true);
    expect(err.message).toMatch(/damaged|truncated|outside the file/);
  });

  it('footer length beyond the file', async () => {
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(bad.length - 8, bad.length * 2, true);
    expect((await failure(bad)).message).toMatch(/footer claims \d+ bytes/);
  });

  it('garbage footer', async () => {
    const bad = good.slice();
    const len = new DataView(bad.buffer).getUint32(bad.length - 8, true);
    for (let i = bad.length - 8 - len; i < bad.length - 8; i++) bad[i] = (i * 7919) & 0xff;
    expect((await failure(bad)).message).toMatch(/footer/);
  });

  it('corrupted pages', async () => {
    const bad = good.slice();
    for (let i = 4; i < bad.length / 2; i += 3) bad[i] = (i * 31) & 0xff;
    const err = await failure(bad, true);
    expect(err.message).toMatch(/column "\w+", row group \d/);
  });

  it('a retype when an integer page holds nulls its type cannot', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const path = join(dir, 'nulls.parquet');
    await db.run(`COPY (select case when i % 3 = 0 then null else i end::INTEGER n from range(10) r(i)) TO '${path}' (FORMAT parquet)`);
    const src = await parquetFormat.open(memoryReader(new Uint8Array(readFileSync(path)), 'nulls.parquet'), {});
    expect(src.schema.columns[0]!.type).toBe('f64');
    // the engine asked with a stale integer type: the reader says to widen
    const [r] = await src.read(0, [{ column: 0, dest: new Int32Array(10) }]);
    expect(r).toMatchObject({ kind: 'retype', type: 'f64' });
  });
});
