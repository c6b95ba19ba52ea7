// `sift run --data` on every format: one table written as CSV, TSV and Parquet
// by DuckDB and as Arrow by apache-arrow gives the same result, equal to the
// histogram DuckDB computes in SQL; a real ROOT file gives the Z peak.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays, tableToIPC } from 'apache-arrow';

const bin = new URL('../../bin/sift.mjs', import.meta.url).pathname;
const zmumu = new URL('../../public/data/root/uproot-Zmumu.root', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sift-formats-'));
const ROWS = 30_000;

const doc = join(dir, 'a.json');
const run = (data: string, ...extra: string[]) =>
  JSON.parse(execFileSync('node', [bin, 'run', doc, '--data', data, '--workers', '2', ...extra], { encoding: 'utf8' }));

let expected: { bins: number[]; pass: number };

beforeAll(async () => {
  writeFileSync(doc, JSON.stringify({
    version: 1, dataset: { kind: 'file', name: 't', size: 0 },
    filters: [{ name: 'beta', expr: 'cat == "beta" && k > 2' }],
    histograms: [{ name: 'x', x: { expr: 'x * 2', bins: 20, lo: -5, hi: 5 }, after: 'beta' }],
  }));
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  // values on a 1/64 grid shifted off the bin edges, so text and binary round-trip exactly
  await c.run(`create table t as select
      ((hash(i) % 641)::double - 320) / 64 + 1/256 as x,
      (hash(i * 7) % 10)::int as k,
      ['alpha', 'beta', 'gamma'][(hash(i * 13) % 3)::int + 1] as cat
    from range(${ROWS}) r(i)`);
  await c.run(`copy t to '${join(dir, 't.csv')}' (header)`);
  await c.run(`copy t to '${join(dir, 't.tsv')}' (header, delimiter '\t')`);
  await c.run(`copy t to '${join(dir, 't.parquet')}' (format parquet, compression zstd, row_group_size 7000)`);
  const cols = (await c.runAndReadAll('select x, k, cat from t')).getColumns();
  writeFileSync(join(dir, 't.arrow'), tableToIPC(tableFromArrays({
    x: Float64Array.from(cols[0] as number[]), k: Int32Array.from(cols[1] as number[]), cat: cols[2] as string[],
  }), 'file'));
  const bins = (await c.runAndReadAll(`select floor((x * 2 + 5) * 2)::int as b, count(*) from t
      where cat = 'beta' and k > 2 and x * 2 >= -5 and x * 2 < 5 group by b`)).getRows();
  const pass = Number((await c.runAndReadAll(`select count(*) from t where cat = 'beta' and k > 2`)).getRows()[0]![0]);
  expected = { bins: Array.from({ length: 20 }, (_, i) => Number(bins.find((r) => r[0] === i)?.[1] ?? 0)), pass };
}, 60_000);

describe('sift run --data', () => {
  for (const ext of ['csv', 'tsv', 'parquet', 'arrow']) {
    it(`reads ${ext} and agrees with DuckDB`, () => {
      const out = run(join(dir, `t.${ext}`));
      expect(out.rows).toBe(ROWS);
      expect(out.cutflow).toEqual([{ name: 'beta', pass: expected.pass, total: ROWS }]);
      expect(out.histograms[0].bins).toEqual(expected.bins);
    });
  }

  it('streams a CSV under a budget smaller than its columns, with the same result', () => {
    const out = run(join(dir, 't.csv'), '--budget', '1MB');
    expect(out.histograms[0].bins).toEqual(expected.bins);
  });

  it('reads a ROOT file: the dimuon mass peaks at the Z', () => {
    writeFileSync(doc, JSON.stringify({
      version: 1, dataset: { kind: 'file', name: 'z', size: 0 },
      filters: [{ name: 'os', expr: 'Q1 * Q2 < 0' }],
      histograms: [{ name: 'M', x: { expr: 'M', bins: 60, lo: 60, hi: 120 }, after: 'os' }],
    }));
    const out = run(zmumu);
    expect(out.rows).toBe(2304);
    const bins: number[] = out.histograms[0].bins;
    const peak = bins.indexOf(Math.max(...bins));
    expect(60 + peak).toBeGreaterThanOrEqual(88);
    expect(60 + peak).toBeLessThanOrEqual(93);
    expect(out.cutflow[0].pass).toBe(bins.reduce((a, b) => a + b, 0) + out.histograms[0].underflow + out.histograms[0].overflow);
  });
});
