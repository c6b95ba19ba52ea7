// The peers bench's correctness gate on a small file: the generator keeps values
// off every edge, DuckDB's SQL (Sift's bin rule in SQL) and Sift's engine give the
// plain-JS counts exactly, and the comparison notices a single moved count.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, test } from 'vitest';
import { createNodeEngine } from '../../workers/node/platform';
import { pathReader } from '../../workers/node/bytes';
import { jobs, type JobName } from '../jobs';
import { binDifferences, fromRun } from './bins';
import { CSV_HEADER, clearOfEdges, csvLines, edgeDistance, generateRows, EDGE_EPS } from './data';
import { AXES, fromGroups, jobSql, type GroupRow } from './sql';

const ROWS = 30_011;
const dir = mkdtempSync(join(tmpdir(), 'sift-peers-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const table = generateRows(ROWS, 7);
const csv = join(dir, 'peers.csv');
writeFileSync(csv, CSV_HEADER + csvLines(table, 0, ROWS));
const names: JobName[] = ['Q1', 'Q2', 'Q3', 'Q4'];

describe('peers data', () => {
  test('no value within EDGE_EPS of a bin edge or the z cut', () => {
    for (let i = 0; i < ROWS; i++) expect(clearOfEdges(table.x[i]!, table.y[i]!, table.z[i]!)).toBe(true);
    expect(edgeDistance(-4.9, AXES.x)).toBeLessThan(EDGE_EPS);
    expect(clearOfEdges(0.3, 1.2345, 1)).toBe(false); // 0.3 is an edge of x's 0.1-wide bins
    expect(clearOfEdges(0.33, 0.44, 0.5)).toBe(false); // r = 0.55, and z on the cut
  });

  test('the text of every value reads back as the same double', () => {
    const lines = csvLines(table, 0, 1000).trim().split('\n');
    lines.forEach((l, i) => {
      const [x, y, z] = l.split(',').map(Number);
      expect([x, y, z]).toEqual([table.x[i], table.y[i], table.z[i]]);
    });
  });
});

describe('every peer counts alike', () => {
  test('DuckDB SQL and the Sift engine equal the plain-JS loops; a moved count is caught', async () => {
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const engine = await createNodeEngine({ workers: 2, chunkRows: 4096 });
    try {
      await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}')`);
      await engine.openReader(pathReader(csv));
      for (const job of jobs(ROWS, 1)) {
        const ref = job.plain(table);
        const reader = await conn.runAndReadAll(jobSql(job.name));
        const duck = fromGroups(job.name, reader.getRowObjectsJS() as unknown as GroupRow[]);
        expect(binDifferences(duck, ref), `DuckDB ${job.name}`).toEqual([]);
        const sift = fromRun(await engine.run({ ...job.doc, dataset: { kind: 'file', name: 'peers.csv', size: 0 } }));
        expect(binDifferences(sift, ref), `Sift ${job.name}`).toEqual([]);
        if (job.name === 'Q4') {
          expect(ref.histograms[1]!.bins.some((n) => n > 0) && ref.cutflow[1]! > 0).toBe(true);
          const moved = { ...sift, histograms: sift.histograms.map((h) => ({ ...h, bins: h.bins.slice() })) };
          const b = moved.histograms[2]!.bins.findIndex((n) => n > 0);
          moved.histograms[2]!.bins[b]! -= 1;
          moved.histograms[2]!.overflow += 1;
          expect(binDifferences(moved, ref)).toHaveLength(2);
          expect(binDifferences({ ...sift, cutflow: [ref.cutflow[0]!, ref.cutflow[1]! + 1] }, ref)).toHaveLength(1);
        }
      }
      expect(names.every((n) => jobSql(n).includes('GROUPING SETS'))).toBe(true);
    } finally {
      conn.closeSync();
      await engine.close();
    }
  });
});
