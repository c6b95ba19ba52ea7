// The Parquet reader against DuckDB: DuckDB writes the files (every codec,
// nulls, dates, timestamps, decimals, i64 beyond 2^53) and says what they hold.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryReader } from '../bytes';
import { pathReader } from '../../node/bytes';
import { readFooter } from './footer';
import { parquetFormat, ParquetSource } from './index';
import { readPages } from '../../testing/read-pages';

let dir: string;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sift-parquet-'));
  db = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 30_000;
const TYPED = `
  select
    (i * 37 % 1000 - 500)::INTEGER as i32,
    (i % 300 - 150)::SMALLINT as i16,
    (i % 200 - 100)::TINYINT as i8,
    (i % 250)::UTINYINT as u8,
    (i * 2654435761 % 4294967296)::UINTEGER as u32,
    (i * 7919)::BIGINT as i64,
    (9007199254740993 + i * 3)::BIGINT as big,
    (18446744073709551615 - i)::UBIGINT as u64,
    case when i % 7 = 0 then null else i end::INTEGER as i32n,
    case when i % 5 = 0 then null else i * 11 end::BIGINT as i64n,
    (i / 3.0)::FLOAT as f32,
    i::DOUBLE * 1.5 + 0.25 as f64,
    case when i % 9 = 0 then null else i / 7.0 end::DOUBLE as f64n,
    i % 3 = 0 as b,
    case when i % 4 = 0 then null else i % 2 = 0 end as bn,
    'cat-' || (i % 13) as s,
    case when i % 11 = 0 then null else 'k' || (i % 5) end as sn,
    'id-' || i as uniq,
    DATE '2020-01-01' + (i % 1000)::INTEGER as d,
    TIMESTAMP '2021-03-04 05:06:07.123456' + to_microseconds(i * 1000003) as ts,
    (TIMESTAMP '1969-12-31 23:00:00' + to_milliseconds(i * 61))::TIMESTAMP_MS as ts_ms,
    (TIMESTAMP '2022-01-01' + to_microseconds(i * 7))::TIMESTAMP_NS as ts_ns,
    (TIMESTAMPTZ '2023-06-01 00:00:00+00' + to_seconds(i))::TIMESTAMPTZ as tstz,
    case when i % 6 = 0 then null else TIMESTAMP '2000-01-01' + to_seconds(i) end as tsn,
    (i / 100)::DECIMAL(9,2) as dec9,
    (i * 1.0001 - 5)::DECIMAL(18,4) as dec18,
    (i * 123456.789)::DECIMAL(38,6) as dec38,
    TIME '01:02:03' + to_seconds(i % 3600) as t
  from range(${ROWS}) r(i)`;

/** The same rows as DuckDB sees them: numbers as DOUBLE (times as seconds), strings as text, null as null. */
const EXPECTED = `
  select i32::DOUBLE i32, i16::DOUBLE i16, i8::DOUBLE i8, u8::DOUBLE u8, u32::DOUBLE u32, i64::DOUBLE i64, big::DOUBLE big,
    u64::DOUBLE u64, i32n::DOUBLE i32n, i64n::DOUBLE i64n, f32::DOUBLE f32, f64::DOUBLE f64, f64n::DOUBLE f64n, b::INTEGER::DOUBLE b, bn::INTEGER::DOUBLE bn,
    s, sn, uniq,
    (d - DATE '1970-01-01')::DOUBLE * 86400 d,
    epoch_us(ts)::DOUBLE / 1e6 ts, epoch_ms(ts_ms)::DOUBLE / 1e3 ts_ms, epoch_ns(ts_ns)::DOUBLE / 1e9 ts_ns,
    epoch_us(tstz)::DOUBLE / 1e6 tstz, epoch_us(tsn)::DOUBLE / 1e6 tsn,
    dec9::DOUBLE dec9, dec18::DOUBLE dec18, dec38::DOUBLE dec38,
    epoch_us(t)::DOUBLE / 1e6 t
  from `;

async function write(name: string, select: string, options: string): Promise<string> {
  const path = join(dir, name);
  await db.run(`COPY (${select}) TO '${path}' (FORMAT parquet, ${options})`);
  return path;
}

async function duck(sql: string): Promise<Record<string, unknown[]>> {
  const r = await db.runAndReadAll(sql);
  const names = r.columnNames();
  const cols = r.getColumns();
  return Object.fromEntries(names.map((n, i) => [n, cols[i]!]));
}

/** Compares row by row, calling expect only on a mismatch (vitest's expect is slow per call). */
function expectSame(name: string, got: (number | string)[], want: unknown[], exact = true) {
  expect(got.length, name).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (w === null) {
      if (typeof g === 'string' ? g !== '∅' : !Number.isNaN(g)) expect(g, `${name}[${i}], want null`).toBe('∅ or NaN');
    } else if (typeof w === 'string' || exact) {
      if (g !== w) expect(g, `${name}[${i}]`).toBe(w);
    } else if (!(Math.abs((g as number) - (w as number)) <= 1e-12 * Math.max(1, Math.abs(w as number)))) {
      expect(g, `${name}[${i}]`).toBeCloseTo(w as number, 10);
    }
  }
}

describe('parquet vs DuckDB', () => {
  let path: string;
  let want: Record<string, unknown[]>;
  beforeAll(async () => {
    path = await write('typed.parquet', TYPED, 'COMPRESSION zstd, ROW_GROUP_SIZE 8000');
    want = await duck(`${EXPECTED} '${path}'`);
  });

  it('maps every type as the contract says', async () => {
    const src = await parquetFormat.open(pathReader(path), {});
    const types = Object.fromEntries(src.schema.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      i32: 'i32', i16: 'i32', i8: 'i32', u8: 'u32', u32: 'u32', i64: 'i64', big: 'i64', u64: 'u64',
      i32n: 'f64', i64n: 'f64', f32: 'f32', f64: 'f64', f64n: 'f64', b: 'bool', bn: 'f64',
      s: 'dict', sn: 'dict', uniq: 'dict', d: 'f64', ts: 'f64', ts_ms: 'f64', ts_ns: 'f64', tstz: 'f64', tsn: 'f64',
      dec9: 'f64', dec18: 'f64', dec38: 'f64', t: 'f64',
    });
    const byName = Object.fromEntries(src.schema.columns.map((c) => [c.name, c]));
    for (const n of ['d', 'ts', 'ts_ms', 'ts_ns', 'tstz', 'tsn', 't']) expect(byName[n]!.unit, n).toBe('s');
    // dates and instants are drawn as dates; a time of day is not
    expect(['d', 'ts', 'ts_ms', 'ts_ns', 'tstz', 'tsn', 't'].map((n) => byName[n]!.time)).toEqual(['date', 'timestamp', 'timestamp', 'timestamp', 'timestamp', 'timestamp', undefined]);
    expect(byName.ts!.description).toMatch(/TIMESTAMP\(MICROS/);
    expect(byName.d!.description).toMatch(/DATE/);
    expect(byName.dec18!.description).toMatch(/DECIMAL\(18, 4\)/);
    expect(src.schema.rows).toBe(ROWS);
    expect(src.schema.chunkRows.reduce((a, b) => a + b, 0)).toBe(ROWS);
    expect(src.schema.notes.join(' ')).toMatch(/row groups/);
    expect(src.schema.unsupported).toEqual([]);
  });

  it('reads the values DuckDB reads', async () => {
    const src = await parquetFormat.open(pathReader(path), {});
    const names = Object.keys(want);
    const { values, results } = await readPages(src, names);
    for (const n of names) expectSame(n, values[n]!, want[n]!, !n.startsWith('dec'));
    // integers beyond 2^53 are flagged on every page, exact ones never (nor nanosecond timestamps, which become seconds)
    const warned = new Set(results.flatMap((r, k) => (r.kind === 'written' && r.warnings?.length ? [names[k % names.length]] : [])));
    expect([...warned].sort()).toEqual(['big', 'u64']);
    const perChunk = results.filter((r, k) => names[k % names.length] === 'big' && r.kind === 'written' && r.warnings?.[0]?.includes('2^53'));
    expect(perChunk.length).toBe(src.schema.chunkRows.length);
  });

  it('decodes only the columns asked for, in request order, several chunks at once', async () => {
    const src = await parquetFormat.open(pathReader(path), {});
    const cols = src.schema.columns;
    const f64 = cols.findIndex((c) => c.name === 'f64');
    const s = cols.findIndex((c) => c.name === 's');
    const n0 = src.schema.chunkRows[0]!, n1 = src.schema.chunkRows[1]!;
    const d0 = new Float64Array(n0), d1 = new Float64Array(n1);
    const [r0, r1] = await Promise.all([
      src.read(0, [{ column: s, dest: null }, { column: f64, dest: d0 }]),
      src.read(1, [{ column: f64, dest: d1 }]),
    ]);
    expect(r0![0]!.kind).toBe('dict');
    expect(r0![1]!.kind).toBe('written');
    expect(r1![0]!.kind).toBe('written');
    expect(d0[1]).toBe(want.f64![1]);
    expect(d1[0]).toBe(want.f64![n0]);
  });

  it('reads slices of a large row group through its pages', async () => {
    const reader = pathReader(path);
    const src = new ParquetSource(reader, await readFooter(reader), 3000);
    expect(src.schema.chunkRows.length).toBeGreaterThan(8);
    expect(src.schema.notes.join(' ')).toMatch(/read in slices/);
    const names = ['i32', 'i64n', 'f32', 'bn', 'sn', 'uniq', 'ts', 'dec38'];
    const { values } = await readPages(src, names);
    for (const n of names) expectSame(n, values[n]!, want[n]!, !n.startsWith('dec'));
  });
});

describe('parquet codecs', () => {
  const sel = `select (i * 31 % 977)::INTEGER a, i / 3.0 x, (i % 17)::FLOAT y, (i * 1000003)::BIGINT k, i % 3 = 0 flag,
    case when i % 10 = 0 then null else 'v' || (i % 40) end s from range(9000) r(i)`;
  for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4']) {
    it(codec, async () => {
      const path = await write(`codec-${codec}.parquet`, sel, `COMPRESSION ${codec}, ROW_GROUP_SIZE 4000`);
      const want = await duck(`select a::DOUBLE a, x, y::DOUBLE y, k::DOUBLE k, flag::INTEGER::DOUBLE flag, s from '${path}'`);
      const src = await parquetFormat.open(memoryReader(new Uint8Array(readFileSync(path)), `codec-${codec}.parquet`), {});
      const { values } = await readPages(src, ['a', 'x', 'y', 'k', 'flag', 's']);
      for (const n of Object.keys(want)) expectSame(n, values[n]!, want[n]!);
    });
  }
});

describe('parquet format version 2', () => {
  it('data page v2 with delta and byte-stream-split encodings', async () => {
    const path = await write('v2.parquet', TYPED, 'COMPRESSION snappy, ROW_GROUP_SIZE 8000, PARQUET_VERSION v2');
    const meta = await duck(`select distinct encodings from parquet_metadata('${path}')`);
    expect(String(meta.encodings)).toMatch(/DELTA_BINARY_PACKED/);
    const want = await duck(`${EXPECTED} '${path}'`);
    const src = await parquetFormat.open(pathReader(path), {});
    const names = Object.keys(want);
    const { values } = await readPages(src, names);
    for (const n of names) expectSame(n, values[n]!, want[n]!, !n.startsWith('dec'));
    // and sliced, so pages are skipped and entered midway
    const reader = pathReader(path);
    const sliced = new ParquetSource(reader, await readFooter(reader), 2500);
    const part = await readPages(sliced, ['i64n', 'sn', 'f64n', 'uniq']);
    for (const n of ['i64n', 'sn', 'f64n', 'uniq']) expectSame(n, part.values[n]!, want[n]!);
  });
});

describe('parquet schema edges', () => {
  it('lists nested and binary columns as unsupported, with reasons', async () => {
    const path = await write('nested.parquet', `select i::INTEGER id, [i, i + 1] xs, {'a': i, 'b': 'x'} st,
      map(['k'], [i]) m, ('\\x00\\x01' || i::VARCHAR)::BLOB bin from range(10) r(i)`, 'COMPRESSION snappy');
    const src = await parquetFormat.open(pathReader(path), {});
    expect(src.schema.columns.map((c) => c.name)).toEqual(['id']);
    const reasons = Object.fromEntries(src.schema.unsupported.map((u) => [u.name, u.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['bin', 'm', 'st', 'xs']);
    expect(reasons.xs).toMatch(/list/);
    expect(reasons.st).toMatch(/struct/);
    expect(reasons.m).toMatch(/map/);
    expect(reasons.bin).toMatch(/binary/);
    const { values } = await readPages(src, ['id']);
    expect(values.id).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('an all-null string column reads as ∅', async () => {
    const path = await write('nulls.parquet', `select i::INTEGER id, null::VARCHAR s, null::DOUBLE x from range(100) r(i)`, 'COMPRESSION snappy');
    const src = await parquetFormat.open(pathReader(path), {});
    const { values } = await readPages(src, ['s', 'x']);
    expect(new Set(values.s)).toEqual(new Set(['∅']));
    expect(values.x!.every((v) => Number.isNaN(v))).toBe(true);
  });

  it('sniffs the magic number and claims the extensions', () => {
    expect(parquetFormat.sniff(new TextEncoder().encode('PAR1xxxx'))).toBe(true);
    expect(parquetFormat.sniff(new TextEncoder().encode('ARROW1'))).toBe(false);
    expect(parquetFormat.extensions).toEqual(['parquet', 'pq']);
  });
});
