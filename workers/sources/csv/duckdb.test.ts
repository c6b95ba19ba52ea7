// DuckDB as the independent reference: every CSV/TSV file of the vega-datasets
// npm package, every column, value for value. Where the two infer different
// types the test says which and why; see README.md in this folder.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pathReader } from '../../node/bytes';
import { openCsv } from './open';
import { readAll } from './testing';
import { seededRandom } from '../../expr/random';

const dataDir = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');
const files = readdirSync(dataDir).filter((f) => /\.(csv|tsv)$/.test(f)).sort();

/** Where our type and DuckDB's may differ, and why. */
const EXPECTED_TYPE_DIFFERENCES: Record<string, RegExp> = {
  // DuckDB also reads times of day, and dates in orders other than ISO's; they stay text here
  dict: /^(DATE|TIMESTAMP|TIME)$/,
};

const differences: string[] = [];
const dates: string[] = [];
const epochChecks: { file: string; name: string; j: number; got: number[] }[] = [];
let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => {
  conn?.closeSync();
  console.log(`type differences with DuckDB (values compared as text):\n  ${differences.join('\n  ')}`);
});

const sqlPath = (f: string) => join(dataDir, f).replaceAll("'", "''");

describe('agrees with DuckDB on vega-datasets', () => {
  test('there are files to compare', () => expect(files.length).toBeGreaterThan(15));

  test.each(files)('%s', async (file) => {
    const src = await openCsv(pathReader(join(dataDir, file)), { chunkRows: 1000 });
    const ours = await readAll(src);
    const typed = await conn.runAndReadAll(`select * from read_csv('${sqlPath(file)}')`);
    const text = await conn.runAndReadAll(`select * from read_csv('${sqlPath(file)}', all_varchar = true)`);
    expect(ours.names).toEqual(typed.columnNames());
    expect(src.schema.rows).toBe(typed.currentRowCount);
    const duckTypes = typed.columnTypes().map(String);
    const typedCols = typed.getColumns();
    const textCols = text.getColumns();
    ours.names.forEach((name, j) => {
      const mine = ours.types[j]!;
      const theirs = duckTypes[j]!;
      const numeric = ['BIGINT', 'INTEGER', 'DOUBLE', 'SMALLINT', 'TINYINT', 'FLOAT', 'HUGEINT'].includes(theirs);
      const time = src.schema.columns[j]!.time;
      if (time) {
        // dates and timestamps: seconds since the epoch, as DuckDB's epoch() gives them
        expect(theirs, `${file} ${name}`).toBe(time === 'date' ? 'DATE' : 'TIMESTAMP');
        epochChecks.push({ file, name, j, got: ours.columns[j] as number[] });
        return;
      }
      if (mine === 'dict') {
        if (numeric) throw new Error(`${file} ${name}: DuckDB reads ${theirs}, we read text`);
        if (theirs !== 'VARCHAR') {
          expect(theirs, `${file} ${name}`).toMatch(EXPECTED_TYPE_DIFFERENCES.dict!);
          differences.push(`${file} ${name}: ${theirs} in DuckDB, text here`);
        }
        // compared as the file's text: DuckDB's NULL is our ""
        expect(ours.columns[j], `${file} ${name}`).toEqual(textCols[j]!.map((v) => (v === null ? '' : String(v))));
      } else {
        expect(numeric, `${file} ${name}: we read ${mine}, DuckDB ${theirs}`).toBe(true);
        const want = typedCols[j]!.map((v) => (v === null ? NaN : Number(v as number | bigint)));
        const got = ours.columns[j] as number[];
        const wrong = got.findIndex((v, i) => !Object.is(v, want[i]));
        expect(wrong, `${file} ${name}: row ${wrong}: ${got[wrong]} vs ${want[wrong]}`).toBe(-1);
      }
    });
    for (const c of epochChecks.splice(0)) {
      const r = await conn.runAndReadAll(`select epoch("${c.name.replaceAll('"', '""')}")::DOUBLE from read_csv('${sqlPath(c.file)}')`);
      const want = r.getColumns()[0]!.map((v) => (v === null ? NaN : Number(v)));
      const wrong = c.got.findIndex((v, i) => !Object.is(v, want[i]));
      expect(wrong, `${c.file} ${c.name}: row ${wrong}: ${c.got[wrong]} vs ${want[wrong]}`).toBe(-1);
      dates.push(`${c.file} ${c.name}`);
    }
  });

  test('reads ISO dates as DuckDB does', () => expect(dates.length).toBeGreaterThan(3));
});

test('agrees with DuckDB on a generated file: quotes, newlines in fields, CRLF, long and odd numbers', async () => {
  const rnd = seededRandom(21);
  const words = ['plain', 'with, comma', 'say "hi"', 'two\nlines', 'crlf\r\ninside', 'naïve', ''];
  const quote = (w: string) => (/[",\r\n]/.test(w) ? `"${w.replaceAll('"', '""')}"` : w);
  const lines = ['x,y,n,label'];
  for (let i = 0; i < 5000; i++) {
    const x = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
    const y = rnd() < 0.05 ? '' : rnd() < 0.5 ? x.toPrecision(1 + Math.floor(rnd() * 17)) : x.toExponential(Math.floor(rnd() * 16));
    lines.push(`${x},${y},${Math.floor((rnd() - 0.5) * 2e9)},${quote(words[i % words.length]!)}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'sift-csv-'));
  const path = join(dir, 'generated.csv');
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  try {
    const ours = await readAll(await openCsv(pathReader(path), { chunkRows: 777 }));
    const typed = await conn.runAndReadAll(`select * from read_csv('${path.replaceAll("'", "''")}')`);
    expect(typed.columnTypes().map(String)).toEqual(['DOUBLE', 'DOUBLE', 'BIGINT', 'VARCHAR']);
    expect(ours.types).toEqual(['f64', 'f64', 'i32', 'dict']);
    const cols = typed.getColumns();
    for (let j = 0; j < 3; j++) {
      const want = cols[j]!.map((v) => (v === null ? NaN : Number(v as number | bigint)));
      const got = ours.columns[j] as number[];
      const wrong = got.findIndex((v, i) => !Object.is(v, want[i]));
      expect(wrong, `column ${j}, row ${wrong}: ${got[wrong]} vs ${want[wrong]}`).toBe(-1);
    }
    expect(ours.columns[3]).toEqual(cols[3]!.map((v) => (v === null ? '' : String(v))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
