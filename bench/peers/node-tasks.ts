// The Node side of `npm run bench:peers`, bundled to build/node/peers.mjs (beside
// the engine's bundles, so its wasm and worker paths resolve) and run as a child
// process by bench/peers/run.mjs. Prints one JSON object on stdout.
//   gen    --dir D --rows N --seed S   the peers' CSV, Parquet and plain-JS columns file
//   genome --dir D --rows N            the genome-matrix TSV (seed scenario 002)
//   node   --dir D --rows N --runs R --workers W   Sift vs @duckdb/node-api on the same jobs
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { createNodeEngine } from '../../workers/node/platform';
import { pathReader } from '../../workers/node/bytes';
import type { Engine } from '../../workers/engine/Engine';
import { jobs, type JobName } from '../jobs';
import { binDifferences, fromRun, toJson } from './bins';
import {
  CSV_HEADER, GENOME_LETTERS, columnsBinary, csvLines, generateRows, genomeHeader, genomeLines, tableFromBinary, xoshiro128,
} from './data';
import { fromGroups, jobSql, type GroupRow } from './sql';

const { values: a, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string' }, rows: { type: 'string' }, seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' }, workers: { type: 'string', default: '2' },
  },
});
const dir = a.dir!;
const rows = Number(a.rows);
const log = (m: string) => process.stderr.write(`[peers node] ${m}\n`);
const sqlPath = (p: string) => `'${p.replaceAll("'", "''")}'`;

/** Writes text blocks to `path` through a temporary name, so a killed run leaves no half file under the real one. */
function writeBlocks(path: string, blocks: Iterable<string>) {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (const b of blocks) writeSync(fd, b);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

async function gen() {
  const files = { csv: join(dir, 'peers.csv'), parquet: join(dir, 'peers.parquet'), bin: join(dir, 'peers.bin') };
  const meta = join(dir, 'meta.json');
  if (!existsSync(meta)) {
    log(`generating ${rows} rows`);
    const t = generateRows(rows, Number(a.seed), (n) => log(`  ${n} rows`));
    writeBlocks(files.csv, (function* () {
      yield CSV_HEADER;
      for (let i = 0; i < rows; i += 100_000) yield csvLines(t, i, Math.min(rows, i + 100_000));
    })());
    writeFileSync(files.bin, columnsBinary(t));
    log('writing Parquet with DuckDB');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    await conn.run(`COPY (SELECT x, y, z, CAST(k AS INTEGER) AS k, cat FROM read_csv(${sqlPath(files.csv)}, ` +
      `columns = {'x': 'DOUBLE', 'y': 'DOUBLE', 'z': 'DOUBLE', 'k': 'INTEGER', 'cat': 'VARCHAR'}, header = true)) ` +
      `TO ${sqlPath(files.parquet)} (FORMAT parquet)`);
    conn.closeSync();
    writeFileSync(meta, JSON.stringify({ rows, seed: Number(a.seed), redrawn: t.redrawn }));
  }
  const m = JSON.parse(readFileSync(meta, 'utf8'));
  return {
    ...m, files,
    bytes: { csv: statSync(files.csv).size, parquet: statSync(files.parquet).size, bin: statSync(files.bin).size },
  };
}

function genome() {
  const tsv = join(dir, 'genome.tsv');
  if (!existsSync(tsv)) {
    log(`generating the genome matrix, ${rows} rows × (2 + ${GENOME_LETTERS}) columns`);
    const rnd = xoshiro128(2);
    writeBlocks(tsv, (function* () {
      yield genomeHeader();
      for (let i = 0; i < rows; i += 50_000) yield genomeLines(rnd, i, Math.min(rows, i + 50_000));
    })());
  }
  return { tsv, bytes: statSync(tsv).size, rows };
}

const now = () => performance.now();
async function timedRuns<T>(runs: number, f: () => Promise<T>) {
  const ms: number[] = [];
  let first: T | undefined;
  for (let i = 0; i <= runs; i++) {
    const t0 = now();
    const v = await f();
    ms.push(now() - t0);
    if (i === 0) first = v;
  }
  return { ms, first: first! };
}

async function siftLoad(engine: Engine, path: string) {
  const t0 = now();
  const info = await engine.openReader(pathReader(path));
  const t1 = now();
  const res = await engine.run({
    version: 1, dataset: { kind: 'file', name: info.name, size: info.fileBytes },
    filters: [{ name: 'text', expr: 'cat != "\u0000"' }],
    histograms: ['x', 'y', 'z', 'k'].map((c) => ({ name: c, x: { expr: c, bins: 1, lo: -1e300, hi: 1e300 } })),
  });
  if (res.status !== 'done') throw new Error(`decoding run ended "${res.status}"`);
  return { openMs: t1 - t0, ms: now() - t0 };
}

async function nodeBench() {
  const runs = Number(a.runs), workers = Number(a.workers);
  const csv = join(dir, 'peers.csv'), parquet = join(dir, 'peers.parquet');
  const ref = tableFromBinary(new Uint8Array(readFileSync(join(dir, 'peers.bin'))).slice().buffer, rows);
  const names: JobName[] = ['Q1', 'Q2', 'Q3', 'Q4'];
  const out: Record<string, unknown> = { runtime: `Node ${process.versions.node}`, workers };

  log(`Sift (${workers} workers)`);
  const engine = await createNodeEngine({ workers });
  const sift: Record<string, unknown> = {};
  try {
    sift.loadCsv = await timedRuns(runs, () => siftLoad(engine, csv));
    sift.loadParquet = await timedRuns(runs, () => siftLoad(engine, parquet));
    for (const job of jobs(rows, 1)) {
      const doc = { ...job.doc, dataset: { kind: 'file', name: 'peers.parquet', size: 0 } };
      const r = await timedRuns(runs, async () => fromRun(await engine.run(doc)));
      const floor = await timedRuns(runs, () => engine.scanSum(job.columns));
      sift[job.name] = { ms: r.ms, problems: binDifferences(r.first, job.plain(ref)), floorMs: floor.ms };
    }
  } finally {
    await engine.close();
  }
  out.sift = sift;

  log('DuckDB (@duckdb/node-api)');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(workers) });
  const conn = await instance.connect();
  const duck: Record<string, unknown> = {};
  try {
    duck.version = (await conn.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0]!.v;
    duck.threads = (await conn.runAndReadAll(`SELECT current_setting('threads') AS t`)).getRowObjectsJS()[0]!.t?.toString();
    duck.loadCsv = await timedRuns(runs, async () => {
      await conn.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv(${sqlPath(csv)})`);
    });
    duck.loadParquet = await timedRuns(runs, async () => {
      await conn.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM read_parquet(${sqlPath(parquet)})`);
    });
    for (const name of names) {
      const job = jobs(rows, 1).find((j) => j.name === name)!;
      const r = await timedRuns(runs, async () => {
        const reader = await conn.runAndReadAll(jobSql(name));
        return fromGroups(name, reader.getRowObjectsJS() as unknown as GroupRow[]);
      });
      duck[name] = { ms: r.ms, problems: binDifferences(r.first, job.plain(ref)), result: toJson(r.first) };
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  out.duckdb = duck;

  const plain: Record<string, unknown> = {};
  for (const job of jobs(rows, 1)) plain[job.name] = { ms: (await timedRuns(runs, async () => job.plain(ref))).ms };
  out.plain = plain;
  out.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  return out;
}

const task = positionals[0];
const result = task === 'gen' ? await gen() : task === 'genome' ? genome() : task === 'node' ? await nodeBench() : null;
if (!result) throw new Error(`unknown task "${task}": gen, genome or node`);
process.stdout.write(`${JSON.stringify(result)}\n`);
