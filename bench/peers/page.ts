// The peers in one page: Sift (EngineClient, its own workers), DuckDB-WASM (coi
// bundle with pthreads, or eh, single-threaded) and plain-JS loops, over the file
// the driver puts in <input id="file">. The driver (bench/peers/run.mjs) calls
// window.peers step by step and reads the renderer's memory between steps.
// DuckDB's bundle files are served under /duckdb/ by the driver's server.
import * as duckdb from '@duckdb/duckdb-wasm';
import { EngineClient } from '../../workers/browser/client';
import type { DatasetInfo } from '../../workers/protocol';
import { jobs, type Job, type JobName } from '../jobs';
import type { PlainResult } from '../plain';
import { binDifferences, fromRun, toJson } from './bins';
import { tableFromBinary } from './data';
import { fromGroups, jobSql, type GroupRow } from './sql';
import type { ToyTable } from '../toy-table';

type Bundle = 'coi' | 'eh';

const out = document.getElementById('log')!;
const log = (m: string) => { out.textContent += `${m}\n`; };

function file(): File {
  const f = (document.getElementById('file') as HTMLInputElement).files?.[0];
  if (!f) throw new Error('no file in #file: the driver sets it first');
  return f;
}

const fileRef = (f: File) => ({ kind: 'file' as const, name: f.name, size: f.size });
const jobOf = (name: JobName, f: File): Job => {
  const j = jobs(1, 1).find((q) => q.name === name)!;
  return { ...j, doc: { ...j.doc, dataset: fileRef(f) } };
};

/** One run that names every column, so the lazy store decodes all of them. */
function touchAll(info: DatasetInfo, f: File) {
  const numeric = info.columns.filter((c) => c.type !== 'dict');
  const text = info.columns.filter((c) => c.type === 'dict');
  const q = (n: string) => `\`${n}\``;
  return {
    version: 1, dataset: fileRef(f),
    filters: text.length ? [{ name: 'text', expr: text.map((c) => `${q(c.name)} != "\u0000"`).join(' || ') }] : [],
    histograms: numeric.map((c, i) => ({ name: `h${i}`, x: { expr: q(c.name), bins: 1, lo: -1e300, hi: 1e300 } })),
  };
}

let sift: EngineClient | null = null;
let siftWorkers = 0;
let db: duckdb.AsyncDuckDB | null = null;
let conn: duckdb.AsyncDuckDBConnection | null = null;
let duckWorker: Worker | null = null;
let plain: ToyTable | null = null;

const now = () => performance.now();

async function timedRuns<T>(runs: number, f: () => Promise<T>): Promise<{ ms: number[]; first: T; last: T }> {
  const ms: number[] = [];
  let first: T | undefined, last: T | undefined;
  for (let i = 0; i <= runs; i++) {
    const t0 = now();
    last = await f();
    ms.push(now() - t0);
    if (i === 0) first = last;
  }
  return { ms, first: first!, last: last! };
}

const api = {
  info: () => ({ crossOriginIsolated: self.crossOriginIsolated, userAgent: navigator.userAgent }),

  async siftStart(workers: number) {
    if (sift && siftWorkers === workers) return sift.info;
    // parsing is measured, not the column cache a second open would read (README: Caching)
    sift = await EngineClient.start({ workers, columnCache: false });
    siftWorkers = workers;
    return sift.info;
  },

  /** Open alone (the CSV indexing pass), wall ms. */
  async siftOpen() {
    const f = file();
    const t0 = now();
    await sift!.open({ kind: 'file', file: f, name: f.name });
    return now() - t0;
  },

  /** Open (lazy: CSV indexes the rows, Parquet reads the footer) then one run decoding every column. */
  async siftLoad() {
    const f = file();
    const t0 = now();
    const info = await sift!.open({ kind: 'file', file: f, name: f.name });
    const t1 = now();
    const res = await sift!.run(touchAll(info, f));
    const t2 = now();
    if (res.status !== 'done') throw new Error(`Sift's decoding run ended "${res.status}"`);
    const after = (await sift!.dataset())!;
    const missing = after.columns.filter((c) => c.bytes === 0).map((c) => c.name);
    if (missing.length) throw new Error(`columns not decoded by the load run: ${missing.join(', ')}`);
    const mem = await sift!.memory();
    return {
      openMs: t1 - t0, decodeMs: t2 - t1, ms: t2 - t0, rows: after.rows, fileBytes: f.size,
      columnBytes: mem.columnBytes, memoryBytes: mem.memoryBytes,
      columns: after.columns.map((c) => ({ name: c.name, type: c.type, bytes: c.bytes })),
    };
  },

  async siftQuery(name: JobName, runs: number) {
    const job = jobOf(name, file());
    const r = await timedRuns(runs, async () => fromRun(await sift!.run(job.doc)));
    return { ms: r.ms, result: toJson(r.first), stable: binDifferences(r.last, r.first) };
  },

  async siftFloor(name: JobName, runs: number) {
    const job = jobOf(name, file());
    const r = await timedRuns(runs, () => sift!.scanSum(job.columns));
    return { ms: r.ms, bytes: r.first.bytes, columns: job.columns };
  },

  async duckStart(bundle: Bundle, opts: { buffer?: boolean; directIO?: boolean } = {}) {
    const base = new URL('/duckdb/', location.href).href;
    const b = bundle === 'coi'
      ? { mainModule: `${base}duckdb-coi.wasm`, mainWorker: `${base}duckdb-browser-coi.worker.js`, pthreadWorker: `${base}duckdb-browser-coi.pthread.worker.js` }
      : { mainModule: `${base}duckdb-eh.wasm`, mainWorker: `${base}duckdb-browser-eh.worker.js`, pthreadWorker: null };
    duckWorker = new Worker(b.mainWorker);
    db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), duckWorker);
    await db.instantiate(b.mainModule, b.pthreadWorker);
    await db.open({ maximumThreads: bundle === 'coi' ? 2 : 1 });
    conn = await db.connect();
    const f = file();
    // The coi bundle's pthreads can't always see an HTML5 File registered on its main
    // worker ("No HTML5 file registered", intermittent): it gets the bytes in its heap.
    const buffer = opts.buffer ?? bundle === 'coi';
    // reading the File into DuckDB's heap is part of loading it from the user's File: timed, reported apart
    const t0 = now();
    if (buffer) await db.registerFileBuffer(f.name, new Uint8Array(await f.arrayBuffer()));
    else await db.registerFileHandle(f.name, f, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, opts.directIO ?? true);
    const registerMs = now() - t0;
    const threads = (await conn.query(`SELECT current_setting('threads') AS t`)).toArray()[0]!.t;
    return { version: await db.getVersion(), threads: Number(threads), register: buffer ? 'registerFileBuffer' : 'registerFileHandle', registerMs };
  },

  /** CREATE TABLE AS from the registered file: DuckDB reads and stores every column. */
  async duckLoad() {
    const f = file();
    const reader = /\.parquet$/i.test(f.name) ? 'read_parquet' : 'read_csv';
    const t0 = now();
    await conn!.query(`CREATE OR REPLACE TABLE t AS SELECT * FROM ${reader}('${f.name.replaceAll("'", "''")}')`);
    const ms = now() - t0;
    const rows = Number((await conn!.query('SELECT count(*)::DOUBLE AS n FROM t')).toArray()[0]!.n);
    return { ms, rows };
  },

  async duckQuery(name: JobName, runs: number) {
    const sql = jobSql(name);
    const r = await timedRuns(runs, async () => {
      const rows = (await conn!.query(sql)).toArray().map((o): GroupRow => ({ g: Number(o.g), s: Number(o.s), n: Number(o.n) }));
      return fromGroups(name, rows);
    });
    return { ms: r.ms, result: toJson(r.first), stable: binDifferences(r.last, r.first) };
  },

  async duckStop() {
    await conn?.close();
    await db?.terminate();
    duckWorker?.terminate();
    conn = null; db = null; duckWorker = null;
  },

  async plainLoad(url: string, rows: number) {
    const t0 = now();
    const buf = await (await fetch(url)).arrayBuffer();
    plain = tableFromBinary(buf, rows);
    return { ms: now() - t0 };
  },

  async plainQuery(name: JobName, runs: number) {
    const job = jobOf(name, file());
    const r = await timedRuns(runs, async () => job.plain(plain!) as PlainResult);
    return { ms: r.ms, result: toJson(r.first), stable: binDifferences(r.last, r.first) };
  },

  /** JIT creep: one analysis with expression strings no earlier run used (constants and names change). */
  async creepRun(i: number) {
    const f = file();
    const a = 1 + i / 1000, c = 0.5 + i / 100000;
    const doc = {
      version: 1, dataset: fileRef(f),
      defines: [{ name: `r${i}`, expr: `sqrt(x*x*${a} + y*y) + ${i}e-9` }],
      filters: [{ name: `cut${i}`, expr: `z > ${c} && (k + ${i % 7}) % 3 != 1` }],
      histograms: [
        { name: `h${i}`, x: { expr: `r${i}`, bins: 50 + (i % 50), lo: 0, hi: 5 }, after: `cut${i}` },
        { name: `g${i}`, x: { expr: `x * ${a}`, bins: 40, lo: -5, hi: 5 }, y: { expr: `y - ${i}e-6`, bins: 40, lo: -5, hi: 5 } },
      ],
    };
    const res = await sift!.run(doc);
    if (res.status !== 'done') throw new Error(`creep run ${i} ended "${res.status}"`);
    return res.histograms[0]!.entries;
  },

  /** Memory of this page and its workers (needs cross-origin isolation). */
  async heap() {
    const m = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> }).measureUserAgentSpecificMemory;
    const engine = sift ? await sift.memory() : null;
    return { uaBytes: m ? (await m.call(performance)).bytes : null, wasmBytes: engine?.memoryBytes ?? null };
  },
};

declare global {
  interface Window { peers?: typeof api }
}
window.peers = api;
log('ready');
