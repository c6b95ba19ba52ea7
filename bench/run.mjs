// `npm run bench`: the toy-dataset jobs (bench/jobs.ts) in Node and in headless
// Chromium, each next to plain-JS loops and the bandwidth floor; prints a table
// and writes bench/results/latest.json. Nothing here asserts on time.
// Usage: node bench/run.mjs [--rows N] [--workers N] [--runs N] [--only node|browser]
// The page alone: `npm start`, then /bench/index.html?rows=N&workers=N&runs=N.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumPath, setup } from '../scripts/setup.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const NODE_BUNDLE = 'build/node/bench.mjs';
const PAGE_DIR = 'build/bench-web';
const TARGET = { job: 'Q4', ms: 35, rows: 10_000_000, workers: 2, floorRatio: 3 };

function options() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '10000000' },
      workers: { type: 'string', default: '2' },
      runs: { type: 'string', default: '5' },
      only: { type: 'string' },
    },
  });
  const whole = (name, min) => {
    const v = Number(values[name].replaceAll('_', ''));
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${values[name]}"`);
    return v;
  };
  if (values.only && !['node', 'browser'].includes(values.only)) {
    throw new Error(`--only must be "node" or "browser", got "${values.only}"`);
  }
  return { rows: whole('rows', 1), workers: whole('workers', 1), runs: whole('runs', 1), only: values.only };
}

// ------------------------------------------------------------------ Node

async function bundleNodeBench() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { bench: 'bench/node-bench.ts' },
    outdir: 'build/node',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // bundled CommonJS dependencies may call require() (as in scripts/build-node.mjs)
    banner: {
      js: "import { createRequire as __siftCreateRequire } from 'node:module';\n" +
        'const require = __siftCreateRequire(import.meta.url);',
    },
    logLevel: 'warning',
  });
}

function runNode({ rows, workers, runs }) {
  return new Promise((resolve, reject) => {
    const args = [join(root, NODE_BUNDLE), '--rows', String(rows), '--workers', String(workers), '--runs', String(runs)];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`the Node bench exited with ${signal ?? code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch (e) {
        reject(new Error(`the Node bench printed no JSON: ${e.message}`));
      }
    });
  });
}

// ------------------------------------------------------------------ Chromium

/** The production build of the bench page alone, beside (not in) dist/. */
async function buildPage(vite) {
  await vite.build({
    root,
    logLevel: 'warn',
    build: {
      outDir: PAGE_DIR,
      emptyOutDir: true,
      rolldownOptions: { input: { bench: join(root, 'bench/index.html') } },
    },
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Peak resident memory of the renderer processes (Linux /proc), bytes; null if unknown. */
async function rendererPeak(browser) {
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    await cdp.detach();
    let peak = null;
    for (const p of processInfo.filter((q) => q.type === 'renderer')) {
      const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      if (m) peak = Math.max(peak ?? 0, Number(m[1]) * 1024);
    }
    return peak;
  } catch {
    return null;
  }
}

async function runBrowser(vite, { rows, workers, runs }) {
  const { chromium } = await import('playwright-core');
  const port = await freePort();
  const server = await vite.preview({
    root,
    logLevel: 'warn',
    build: { outDir: PAGE_DIR },
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'log' && m.text().startsWith('[chromium]')) process.stderr.write(`${m.text()}\n`);
      else if (m.type() === 'error' || m.type() === 'warning') process.stderr.write(`[chromium ${m.type()}] ${m.text()}\n`);
    });
    const crashed = new Promise((_, reject) => {
      page.on('crash', () => reject(new Error('the bench page crashed (out of memory?)')));
      page.on('pageerror', (e) => reject(new Error(`uncaught in the bench page: ${e.message}`)));
    });
    crashed.catch(() => {}); // settles after the race only when something goes wrong late
    const url = `http://127.0.0.1:${port}/bench/index.html?rows=${rows}&workers=${workers}&runs=${runs}`;
    const response = await page.goto(url);
    const headers = response?.headers() ?? {};
    const done = page.waitForFunction(() => window.benchResult, null, { timeout: 120_000 + rows / 100, polling: 500 });
    const result = await (await Promise.race([done, crashed])).jsonValue();
    if (result.error) throw new Error(`in the bench page: ${result.error}`);
    return {
      ...result,
      browserVersion: browser.version(),
      headers: { coop: headers['cross-origin-opener-policy'], coep: headers['cross-origin-embedder-policy'] },
      peakRssBytes: await rendererPeak(browser),
    };
  } finally {
    await browser?.close();
    await server.close();
  }
}

/** Cores other processes kept busy over one second while we wait (Linux /proc/stat); null elsewhere. */
async function busyCores(ms = 1000) {
  const sample = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = sample();
    await new Promise((r) => setTimeout(r, ms));
    const b = sample();
    return b.total > a.total ? (1 - (b.idle - a.idle) / (b.total - a.total)) * os.cpus().length : 0;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ report

const fmtMs = (ms) => (ms == null ? '—' : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
const fmtX = (x) => (x == null || !Number.isFinite(x) ? '—' : `${x.toFixed(x < 10 ? 2 : 1)}×`);
const fmtBytes = (b) => (b == null ? '?' : b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(0)} MiB`);
const fmtInt = (n) => n.toLocaleString('en-US');

function table(envs) {
  const head = ['env', 'job', 'sift ms', 'ns/row', 'plain-JS ms', '×faster', 'floor ms', '×floor', 'bins'];
  const rows = [];
  for (const e of envs) {
    for (const j of e.jobs) {
      rows.push([
        e.env, j.job, fmtMs(j.sift.medianMs), j.sift.nsPerRow.toFixed(2), fmtMs(j.plain.medianMs),
        fmtX(j.plain.medianMs / j.sift.medianMs), fmtMs(j.floor?.medianMs),
        fmtX(j.floor ? j.sift.medianMs / j.floor.medianMs : null), j.check.ok ? 'equal' : 'DIFFER',
      ]);
    }
  }
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r) => r.map((v, c) => (c < 2 || c === r.length - 1 ? v.padEnd(width[c]) : v.padStart(width[c]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function details(e) {
  const pad = e.env.padEnd(8);
  const lines = [
    `${pad} demo generation: ${fmtInt(e.rows)} rows in ${fmtMs(e.gen.ms)} ms (${(e.gen.rowsPerSec / 1e6).toFixed(1)} M rows/s; ` +
      `first, cold: ${fmtMs(e.gen.coldMs)} ms); plain-JS copy, one thread: ${fmtMs(e.plainGenMs)} ms`,
    `${pad} engine: ${e.engine.workers} workers, shared memory ${e.engine.shared}; peak RSS ` +
      `${e.env === 'node' ? 'of the process' : 'of the renderer'} ${fmtBytes(e.peakRssBytes)} ` +
      `(engine memory ${fmtBytes(e.engineMemory.memoryBytes)}, columns ${fmtBytes(e.engineMemory.columnBytes)}, plus the plain-JS copy)`,
  ];
  if (e.env === 'chromium') {
    lines.push(`${pad} crossOriginIsolated: ${e.crossOriginIsolated} (COOP ${e.headers.coop}, COEP ${e.headers.coep}); ${e.browserVersion}`);
  }
  if (e.floorNote) lines.push(`${pad} floor: ${e.floorNote}`);
  const seen = new Set();
  for (const j of e.jobs) {
    const key = j.columns.join(' ');
    if (!j.floor?.gbPerSec || seen.has(key)) continue;
    seen.add(key);
    lines.push(`${pad} floor ${key.padEnd(10)} scanSum reads ${fmtBytes(j.floor.bytes)} in ${fmtMs(j.floor.medianMs)} ms: ${j.floor.gbPerSec.toFixed(1)} GB/s`);
  }
  for (const j of e.jobs) {
    for (const p of j.check.problems) lines.push(`${pad} ${j.job} BINS DIFFER: ${p}`);
  }
  return lines.join('\n');
}

function judge(e, opts) {
  const q = e.jobs.find((j) => j.job === TARGET.job);
  const ratio = q.floor ? q.sift.medianMs / q.floor.medianMs : null;
  const got = `${fmtMs(q.sift.medianMs)} ms, ${ratio == null ? 'floor not measured' : `${fmtX(ratio)} the floor`}`;
  if (opts.rows !== TARGET.rows || opts.workers !== TARGET.workers) {
    return { env: e.env, met: null, text: `${got} — not judged: this run used ${fmtInt(opts.rows)} rows on ${opts.workers} workers` };
  }
  const fast = q.sift.medianMs <= TARGET.ms;
  if (ratio == null) {
    return { env: e.env, met: fast ? null : false, text: `${got} — ${fast ? 'time met, floor unknown' : `not met (over ${TARGET.ms} ms)`}` };
  }
  const near = ratio <= TARGET.floorRatio;
  const why = [!fast && `over ${TARGET.ms} ms`, !near && `over ${TARGET.floorRatio}× the floor`].filter(Boolean).join(', ');
  return { env: e.env, met: fast && near, text: `${got} — ${fast && near ? 'met' : `not met (${why})`}` };
}

// ------------------------------------------------------------------ main

async function main() {
  const opts = options();
  const wantNode = opts.only !== 'browser', wantBrowser = opts.only !== 'node';
  await setup({ browser: wantBrowser });
  if (wantNode) await bundleNodeBench();
  const vite = wantBrowser ? await import('vite') : null;
  if (vite) await buildPage(vite);

  const envs = [];
  const failures = [];
  const busy = [await busyCores()];
  if (wantNode) {
    try { envs.push(await runNode(opts)); } catch (e) { failures.push(`node: ${e.message}`); }
    busy.push(await busyCores());
  }
  if (vite) {
    try { envs.push(await runBrowser(vite, opts)); } catch (e) { failures.push(`chromium: ${e.message}`); }
    busy.push(await busyCores());
  }

  const command = `npm run bench -- --rows ${opts.rows} --workers ${opts.workers} --runs ${opts.runs}` +
    (opts.only ? ` --only ${opts.only}` : '');
  console.log(`\n${command}   (medians of ${opts.runs} runs after 1 warm-up; ${fmtInt(opts.rows)} rows, toy dataset, seed 1)\n`);
  if (envs.length) {
    console.log(table(envs));
    console.log('');
    for (const e of envs) console.log(details(e));
  }
  const otherLoad = { busyCores: busy, cores: os.cpus().length };
  if (busy.some((b) => b != null && b > 0.25)) {
    console.log(`\nnote: other work kept ${busy.map((b) => b?.toFixed(1) ?? '?').join(' / ')} of ${otherLoad.cores} cores busy ` +
      'while the bench was idle (before / between / after): the times above are noisy');
  }
  const verdicts = envs.map((e) => judge(e, opts));
  console.log(`\n${TARGET.job} target: ≤ ${TARGET.ms} ms for 10M rows on ${TARGET.workers} workers; within ${TARGET.floorRatio}× the floor`);
  for (const v of verdicts) console.log(`  ${v.env.padEnd(8)} ${v.text}`);
  for (const f of failures) console.error(`\nFAILED ${f}`);

  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const report = {
    command,
    date: new Date().toISOString(),
    machine: { os: `${os.type()} ${os.release()} ${os.arch()}`, cpu, cores: os.cpus().length, memoryBytes: os.totalmem(), otherLoad },
    options: opts,
    target: { ...TARGET, verdicts },
    environments: envs,
    failures,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const tmp = join(root, 'bench/results/latest.tmp.json');
  writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(tmp, join(root, 'bench/results/latest.json'));
  console.log('\nwrote bench/results/latest.json');

  const wrong = envs.some((e) => e.jobs.some((j) => !j.check.ok));
  return failures.length || wrong ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => { console.error(`[bench] ${e.message}`); process.exit(1); },
);
