// A real file: vega-datasets' flights-3m.parquet (written by Polars: zstd,
// dictionary pages, an offset index, optional columns), against DuckDB.
import { DuckDBInstance } from '@duckdb/node-api';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathReader } from '../../node/bytes';
import type { Source } from '../source';
import { readFooter } from './footer';
import { parquetFormat, ParquetSource } from './index';

// the package exports only its JS index; the data sits beside it
const FLIGHTS = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'flights-3m.parquet');
const NAMES = ['date', 'delay', 'distance', 'origin', 'destination'];

async function expected(rows: number): Promise<unknown[][]> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const r = await db.runAndReadAll(`select epoch_us(date)::DOUBLE / 1e6, delay::DOUBLE, distance::DOUBLE, origin, destination
    from '${FLIGHTS}' limit ${rows}`);
  return r.getColumns();
}

async function readFirst(src: Source, chunks: number): Promise<{ rows: number; cols: (number | string)[][] }> {
  const { columns, chunkRows } = src.schema;
  const idx = NAMES.map((n) => columns.findIndex((c) => c.name === n));
  const cols: (number | string)[][] = NAMES.map(() => []);
  let rows = 0;
  for (let c = 0; c < chunks; c++) {
    const n = chunkRows[c]!;
    rows += n;
    const pages = idx.map((column) => ({ column, dest: columns[column]!.type === 'dict' ? null : new Float64Array(n) }));
    const res = await src.read(c, pages);
    res.forEach((r, j) => {
      if (r.kind === 'dict') for (const code of r.codes) cols[j]!.push(r.dictionary[code]!);
      else if (r.kind === 'written') for (const v of pages[j]!.dest!) cols[j]!.push(v);
      else throw new Error(r.reason);
    });
  }
  return { rows, cols };
}

describe('flights-3m.parquet', () => {
  it('opens with the schema DuckDB sees', async () => {
    const src = await parquetFormat.open(pathReader(FLIGHTS), {});
    const s = src.schema;
    expect(s.rows).toBe(3_000_000);
    expect(s.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['date:f64', 'delay:i64', 'distance:i64', 'origin:dict', 'destination:dict']);
    expect(s.columns[0]!.unit).toBe('s');
    expect(s.notes.join('; ')).toMatch(/11 row groups; compression zstd/);
  });

  it('reads the first row groups as DuckDB does', async () => {
    const src = await parquetFormat.open(pathReader(FLIGHTS), {});
    const { rows, cols } = await readFirst(src, 2);
    const want = await expected(rows);
    NAMES.forEach((n, j) => expect(cols[j], n).toEqual(want[j]));
  });

  it('reads slices through the offset index', async () => {
    const reader = pathReader(FLIGHTS);
    const src = new ParquetSource(reader, await readFooter(reader), 100_000);
    expect(src.schema.chunkRows[0]).toBeLessThanOrEqual(100_000);
    const { rows, cols } = await readFirst(src, 4);
    const want = await expected(rows);
    NAMES.forEach((n, j) => expect(cols[j], n).toEqual(want[j]));
  });
});
