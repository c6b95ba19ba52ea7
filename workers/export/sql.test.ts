// The SQL export's shape and sources; its values are checked against Sift in
// sql-diff.test.ts. Here: a small table counted by hand, through DuckDB.
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { exportSql, sqlSource } from './sql';
import { sqlNumber } from './sql-expr';

const doc = {
  version: 1, dataset: { kind: 'url', url: 'https://example.org/data/events.parquet?x=1' },
  defines: [{ name: 'r', expr: 'sqrt(a * a)' }],
  filters: [{ name: 'isx', expr: 'cat == "x"' }, { name: 'pos', expr: 'a > 0' }],
  histograms: [
    { name: 'a', x: { expr: 'r', bins: 2, lo: 0, hi: 4 }, after: 'isx' },
    { name: 'ab', x: { expr: 'a', bins: 2, lo: 0, hi: 4 }, y: { expr: 'b', bins: 2, lo: 0, hi: 2 }, weight: 'b', after: 'pos' },
  ],
};

describe('SQL export', () => {
  it('reads the dataset where it lives, or a table', () => {
    expect(exportSql(doc).text).toContain("FROM read_parquet('https://example.org/data/events.parquet?x=1')");
    expect(sqlSource({ kind: 'file', name: "it's.csv", size: 1 }).from).toBe("read_csv('it''s.csv', header = true)");
    expect(sqlSource({ kind: 'file', name: 'a.tsv', size: 1 }).from).toBe("read_csv('a.tsv', delim = '\t', header = true)");
    expect(sqlSource({ kind: 'demo', name: 'dimuon', rows: 1, seed: 1 }, 'main.events').from).toBe('main.events');
    expect(sqlSource({ kind: 'demo', name: 'dimuon', rows: 1, seed: 1 }, 'odd name').from).toBe('"odd name"');
  });

  it('writes numbers as DOUBLE literals that read back exactly', () => {
    expect(sqlNumber(0.1)).toBe('1e-1');
    expect(sqlNumber(-2.5)).toBe('(-2.5e0)');
    expect(sqlNumber(5e-324)).toBe('5e-324');
    expect(sqlNumber(NaN)).toBe("CAST('NaN' AS DOUBLE)");
  });

  it('refuses what it cannot express, saying where', () => {
    expect(() => exportSql({ ...doc, histograms: [], filters: [{ name: 'j', expr: 'Jet_pt[0] > 1' }] })).toThrow(/filter 'j': `Jet_pt\[…\]`/);
    expect(() => exportSql({ version: 1 })).toThrow(/the analysis is not valid/);
  });

  it('counts a small table as worked out by hand', async () => {
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES (1.0::DOUBLE, 'x', 1.0::DOUBLE), (2.0, 'y', 0.5), (3.5, 'x', 1.5),
        ('NaN'::DOUBLE, 'x', 1.0), (NULL, 'x', 1.0), (4.0, 'x', 'NaN'::DOUBLE), (-1.0, 'x', 2.0), (2.0, 'x', -0.0)) v(a, cat, b)`);
      const sql = exportSql(doc, { table: 't' });
      await conn.run(sql.view);
      const rows = async (q: string) => (await conn.runAndReadAll(q)).getRows().map((r) => r.map(Number));
      // isx keeps 1, 3.5, NaN, NULL→NaN, 4, -1, 2; r = sqrt(a*a): 1, 3.5, NaN, NaN, 4 (overflow), 1, 2
      expect(await rows(sql.histograms[0]!.sql)).toEqual([[-3, 2, 2, 2], [-2, 1, 1, 1], [0, 2, 2, 2], [1, 2, 2, 2]]);
      // pos keeps a = 1, 3.5, 4, 2 (b: 1, 1.5, NaN, -0): (1,1) → cell 1, (3.5,1.5) → cell 3, (4,NaN) → NaN, (2,-0) → cell 2
      expect(await rows(sql.histograms[1]!.sql)).toEqual([[-3, 1, NaN, NaN], [1, 1, 1, 1], [2, 1, 0, 0], [3, 1, 1.5, 2.25]]);
      expect(await rows(sql.cutflow!)).toEqual([[0, NaN, 7, 8], [1, NaN, 4, 7]]);
    } finally { conn.closeSync(); }
  });
});
