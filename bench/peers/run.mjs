// `npm run bench:peers`: Sift against DuckDB-WASM (threaded coi bundle and
// single-threaded eh bundle) and plain-JS loops in one headless Chromium, on one
// generated dataset (CSV and Parquet, in the temp folder, reused by content key);
// Sift against @duckdb/node-api in Node; the seed scenarios (genome-matrix TSV,
// JIT creep). Every peer's bins must equal the plain-JS ones before a time is
// printed. Prints a table, judges the issue's targets, writes
// bench/results/peers-<date>.json. Nothing here asserts on time.
// Usage: node bench/peers/run.mjs [--rows 10000000] [--runs 5] [--workers 2]
//   [--genome-rows 4000000] [--creep 500] [--only loads,queries,genome,creep,node] [--quick]
//   [--peers sift,duckdb-coi,duckdb-eh] (which peers the loads phase runs)
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setup } from '../../scripts/setup.mjs';
import { pathToFileURL } from 'node:url';
import { fmtBytes, table } from './report.mjs';
import { PAGE_DIR, serve, withPage } from './browser.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = join(root, 'build/node/peers.mjs');

const JOBS = ['Q1', 'Q2', 'Q3', 'Q4'];
const PHASES = ['loads', 'queries', 'genome', 'creep', 'node'];
const log = (m) => process.stderr.write(`[peers] ${m}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' }, runs: { type: 'string' }, workers: { type: 'string', default: '2' },
      'genome-rows': { type: 'string' }, creep: { type: 'string' }, only: { type: 'string' }, peers: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const q = values.quick;
  const whole = (name, dflt, min) => {
    const raw = values[name] ?? dflt;
    const v = Number(String(raw).replaceAll('_', ''));
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return v;
  };
  const only = values.only ? values.only.split(',') : PHASES;
  const bad = only.filter((p) => !PHASES.includes(p));
  if (bad.length) throw new Error(`--only takes ${PHASES.join(',')}; got ${bad.join(',')}`);
  return {
    rows: whole('rows', q ? 200_000 : 10_000_000, 1000), runs: whole('runs', q ? 3 : 5, 1),
    workers: whole('workers', 2, 1), genomeRows: whole('genome-rows', q ? 100_000 : 4_000_000, 1000),
    creep: whole('creep', q ? 30 : 500, 11), only, quick: q,
    // loads only: which peers load (default all); for quick looks at one peer
    peers: values.peers ? values.peers.split(',') : null,
  };
}

// ------------------------------------------------------------------ building

async function bundleNode() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { peers: 'bench/peers/node-tasks.ts', 'peers-bins': 'bench/peers/bins.ts' },
    outdir: 'build/node', outExtension: { '.js': '.mjs' },
    bundle: true, format: 'esm', platform: 'node', target: 'node20', sourcemap: true,
    // the native DuckDB binding loads its .node file relative to its own package
    external: ['@duckdb/node-api', '@duckdb/node-bindings'],
    banner: {
      js: "import { createRequire as __siftCreateRequire } from 'node:module';\n" +
        'const require = __siftCreateRequire(import.meta.url);',
    },
    logLevel: 'warning',
  });
}

async function buildPage() {
  const vite = await import('vite');
  await vite.build({
    root, logLevel: 'warn',
    build: { outDir: PAGE_DIR, emptyOutDir: true, rolldownOptions: { input: { peers: join(root, 'bench/peers/index.html') } } },
  });
}

function nodeTask(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`peers.mjs ${args[0]} exited with ${signal ?? code}`));
      try { resolve(JSON.parse(out.trim().split('\n').pop())); } catch (e) { reject(new Error(`peers.mjs ${args[0]} printed no JSON: ${e.message}`)); }
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Drops the warm-up (index 0). */
const stat = (ms) => ({ ms, medianMs: median(ms.slice(1)) });

/** Each peer loads each format in its own browser: time (warm-up + runs) and the renderer's peak over the first load. */
async function loads(origin, data, opts) {
  const out = [];
  for (const format of ['csv', 'parquet']) {
    // DuckDB-WASM reads Parquet through an extension it downloads from extensions.duckdb.org
    // on first use (not in the npm package); offline that fails, so Parquet is Sift's alone.
    for (const peer of (format === 'csv' ? ['sift', 'duckdb-coi', 'duckdb-eh'] : ['sift']).filter((p) => !opts.peers || opts.peers.includes(p))) {
      log(`load ${format}: ${peer}`);
      out.push(await withPage(origin, data.files[format], async ({ call, memory, cpu }) => {
        const setup = peer === 'sift' ? await call('siftStart', opts.workers) : await call('duckStart', peer.slice(7));
        const before = await memory();
        const load = peer === 'sift' ? () => call('siftLoad') : () => call('duckLoad');
        const cpu0 = await cpu();
        const first = await load();
        const cpu1 = await cpu();
        first.cpuMs = { renderer: cpu1.renderer - cpu0.renderer, other: cpu1.other - cpu0.other };
        const peak = await memory();
        const ms = [first.ms];
        // Sift's open alone, per timed run (the CSV indexing pass is most of it)
        const openMs = [];
        for (let i = 0; i < opts.runs; i++) {
          const r = await load();
          ms.push(r.ms);
          if (r.openMs !== undefined) openMs.push(r.openMs);
        }
        if (first.rows !== opts.rows) throw new Error(`${peer} loaded ${first.rows} rows of ${opts.rows}`);
        // opens alone, with the CPU time of every browser process over them: wall time moves with the machine's load
        let opens;
        if (peer === 'sift') {
          const c0 = await cpu();
          const wall = [];
          for (let i = 0; i < opts.runs; i++) wall.push(await call('siftOpen'));
          const c1 = await cpu();
          opens = { ms: wall, cpuMs: { renderer: (c1.renderer - c0.renderer) / opts.runs, other: (c1.other - c0.other) / opts.runs } };
        }
        return { format, peer, setup, ...stat(ms), ...(openMs.length ? { openMs } : {}), ...(opens ? { opens } : {}), first, rssBefore: before?.rss ?? null, peakHwm: peak?.hwm ?? null, fileBytes: data.bytes[format] };
      }).catch((e) => {
        // one peer failing keeps the others' figures; the report lists it
        log(`load ${format} ${peer} FAILED: ${e.message}`);
        return { format, peer, error: e.message };
      }));
    }
  }
  return out;
}

/** One browser, the page reloaded between peers, every peer loading the CSV: every job's times and results. */
async function queries(origin, data, opts) {
  return withPage(origin, data.files.csv, async ({ page, call, info }) => {
    const peers = {};
    const run = async (peer, start, q, stop) => {
      log(`queries: ${peer}`);
      try {
        const r = { setup: await start(), jobs: {} };
        for (const job of JOBS) r.jobs[job] = await q(job);
        await stop?.();
        peers[peer] = r;
      } catch (e) {
        log(`queries ${peer} FAILED: ${e.message}`);
        peers[peer] = { error: e.message, jobs: {} };
      }
      await page.reload();
      await page.waitForFunction(() => window.peers);
      await page.setInputFiles('#file', data.files.csv);
    };
    await run('plain', () => call('plainLoad', '/data/peers.bin', opts.rows), (j) => call('plainQuery', j, opts.runs));
    for (const w of [opts.workers, 1]) {
      await run(`sift-${w}w`, async () => ({ engine: await call('siftStart', w), load: await call('siftLoad') }), async (j) => ({
        ...(await call('siftQuery', j, opts.runs)),
        floor: w === opts.workers ? await call('siftFloor', j, opts.runs) : undefined,
      }));
      if (opts.workers === 1) break;
    }
    for (const b of ['coi', 'eh']) {
      await run(`duckdb-${b}`, async () => ({ ...(await call('duckStart', b)), load: await call('duckLoad') }),
        (j) => call('duckQuery', j, opts.runs), () => call('duckStop'));
    }
    return { info, peers };
  });
}

async function genome(origin, tsv, opts) {
  const out = [];
  for (const workers of [1, 2]) {
    log(`genome matrix: Sift with ${workers} worker(s)`);
    out.push(await withPage(origin, tsv.tsv, async ({ call, memory, cpu }) => {
      await call('siftStart', workers);
      const before = await memory();
      const cpu0 = await cpu();
      const load = await call('siftLoad');
      const cpu1 = await cpu();
      const after = await memory();
      // CPU time holds up on a busy machine where wall time doesn't
      const cpuMs = { renderer: cpu1.renderer - cpu0.renderer, other: cpu1.other - cpu0.other };
      return { workers, load, cpuMs, rssBefore: before?.rss ?? null, peakHwm: after?.hwm ?? null };
    }));
  }
  return out;
}

async function creep(origin, data, opts) {
  log(`JIT creep: ${opts.creep} analyses`);
  return withPage(origin, data.files.parquet, async ({ call, memory }) => {
    await call('siftStart', opts.workers);
    await call('siftLoad');
    const marks = {};
    for (let i = 1; i <= opts.creep; i++) {
      await call('creepRun', i);
      if (i === 10 || i === opts.creep) marks[i] = { ...(await call('heap')), ...(await memory()) };
    }
    return { runs: opts.creep, at10: marks[10], atEnd: marks[opts.creep] };
  });
}

// ------------------------------------------------------------------ main

async function main() {
  const opts = options();
  const want = (p) => opts.only.includes(p);
  await setup({ browser: true });
  await bundleNode();
  const dataDir = join(os.tmpdir(), 'sift-peers', `v1-${opts.rows}-seed1`);
  mkdirSync(dataDir, { recursive: true });
  const data = await nodeTask(['gen', '--dir', dataDir, '--rows', String(opts.rows)]);
  log(`data: ${data.rows} rows; CSV ${fmtBytes(data.bytes.csv)}, Parquet ${fmtBytes(data.bytes.parquet)}; ${data.redrawn} rows drawn again (a value on an edge)`);

  const report = { options: opts, date: new Date().toISOString(), data, failures: [] };
  const attempt = async (name, f) => {
    try { report[name] = await f(); } catch (e) { report.failures.push(`${name}: ${e.message}`); log(`${name} FAILED: ${e.message}`); }
  };
  const browserPhases = ['loads', 'queries', 'genome', 'creep'].filter(want);
  if (browserPhases.length) {
    await buildPage();
    const server = await serve(dataDir);
    const origin = `http://127.0.0.1:${server.address().port}`;
    try {
      if (want('loads')) await attempt('loads', () => loads(origin, data, opts));
      if (want('queries')) await attempt('queries', () => queries(origin, data, opts));
      if (want('genome')) {
        const gdir = join(os.tmpdir(), 'sift-peers', `genome-v1-${opts.genomeRows}`);
        mkdirSync(gdir, { recursive: true });
        await attempt('genome', async () => {
          const tsv = await nodeTask(['genome', '--dir', gdir, '--rows', String(opts.genomeRows)]);
          return { file: { bytes: tsv.bytes, rows: tsv.rows }, runs: await genome(origin, tsv, opts) };
        });
      }
      if (want('creep')) await attempt('creep', () => creep(origin, data, opts));
    } finally {
      server.close();
    }
  }
  if (want('node')) {
    await attempt('node', () => nodeTask(['node', '--dir', dataDir, '--rows', String(opts.rows), '--runs', String(opts.runs), '--workers', String(opts.workers)]));
  }

  const command = `npm run bench:peers --${opts.quick ? ' --quick' : ''} --rows ${opts.rows} --runs ${opts.runs} --workers ${opts.workers}` +
    ` --genome-rows ${opts.genomeRows} --creep ${opts.creep}${opts.only.length < PHASES.length ? ` --only ${opts.only.join(',')}` : ''}` +
    `${opts.peers ? ` --peers ${opts.peers.join(',')}` : ''}`;
  report.command = command;
  report.machine = { os: `${os.type()} ${os.release()} ${os.arch()}`, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryBytes: os.totalmem(), loadavg: os.loadavg() };
  const bins = await import(pathToFileURL(join(root, 'build/node/peers-bins.mjs')).href);
  const { text, verdicts, binProblems } = table(report, bins);
  report.verdicts = verdicts;
  report.binProblems = binProblems;
  console.log(`\n${command}\n`);
  console.log(text);
  for (const f of report.failures) console.error(`FAILED ${f}`);

  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const part = opts.only.length < PHASES.length ? `-${opts.only.join('+')}` : '';
  const name = `peers-${report.date.slice(0, 10)}${opts.quick ? '-quick' : ''}${part}.json`;
  const tmp = join(root, `bench/results/${name}.tmp.json`);
  // the data files' names, not where this machine keeps them
  const kept = report.data?.files ? { ...report, data: { ...report.data, files: Object.fromEntries(Object.entries(report.data.files).map(([k, v]) => [k, basename(String(v))])) } } : report;
  writeFileSync(tmp, `${JSON.stringify(kept, null, 1)}\n`);
  renameSync(tmp, join(root, 'bench/results', name));
  console.log(`\nwrote bench/results/${name}`);
  return report.failures.length || binProblems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => { console.error(`[peers] ${e.stack ?? e.message}`); process.exit(1); },
);
