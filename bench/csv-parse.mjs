// CSV reader benchmarks in Node, on generated files: the indexing pass at open
// (GB/s), chunk decoding on one thread (ns/row, all columns), and the issue's
// target file decoded in parallel by worker_threads over one shared
// WebAssembly.Memory, through the real DecodeContext path.
// Usage: node bench/csv-parse.mjs [--rows 1000000] [--runs 5] [--workers 2] [--target-rows 10000000]
// Prints tables. Single-thread figures are process CPU time, best of --runs
// (robust to busy neighbours); the parallel ones wall time and CPU time of all
// threads, best of 2.
// A plain byte loop is timed too, so figures can be compared across machines.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { arg } from './args.mjs';

const ROWS = arg('rows', 1_000_000);
const RUNS = arg('runs', 5);
const WORKERS = arg('workers', 2);
const TARGET_ROWS = arg('target-rows', 10_000_000);

// ---- the reader, bundled from the sources (engine side and kernel-worker side)
const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}build/bench-csv`;
mkdirSync(outDir, { recursive: true });
const esbuild = await import('esbuild');
const bundle = (contents, outfile, platform) => esbuild.build({
  absWorkingDir: root,
  stdin: { contents, resolveDir: root, loader: 'ts' },
  outfile, bundle: true, format: 'esm', platform, target: 'es2022', logLevel: 'warning',
});
await bundle(`export { openCsv } from './workers/sources/csv/open';
  export { memoryReader } from './workers/sources/bytes';
  export { indexRows } from './workers/sources/csv/row-index';`, `${outDir}/csv.mjs`, 'neutral');
await bundle(`import { parentPort } from 'node:worker_threads';
  import { decoders } from './workers/sources/decoders';
  let memory;
  parentPort.on('message', async (m) => {
    if (m.memory) { memory = m.memory; return; }
    try { parentPort.postMessage({ id: m.id, report: await decoders[m.task.decoder](m.task, memory) }); }
    catch (e) { parentPort.postMessage({ id: m.id, error: String(e && e.message || e) }); }
  });`, `${outDir}/decode-worker.mjs`, 'node');
const { openCsv, memoryReader, indexRows } = await import(`${outDir}/csv.mjs`);

// ---- data
let seed = 12345;
const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const CATS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const p6 = (x) => x.toPrecision(6);

function generate(rows, header, row) {
  const enc = new TextEncoder();
  const parts = [];
  let size = 0;
  const chunks = [];
  const flush = () => { const b = enc.encode(parts.join('')); chunks.push(b); size += b.length; parts.length = 0; };
  parts.push(header);
  for (let i = 0; i < rows; i++) {
    parts.push(row());
    if (parts.length === 65536) flush();
  }
  flush();
  const bytes = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) { bytes.set(c, o); o += c.length; }
  return bytes;
}

// the target file (374 MB for 10M rows): x, y normal, z exponential, k 0-9, cat one of 5
const targetRow = () => `${p6(normal())},${p6(normal())},${p6(-Math.log(1 - rand()))},${(rand() * 10) | 0},${CATS[(rand() * 5) | 0]}\n`;
const files = {
  'x,y,z,k,cat (6 digits)': () => generate(ROWS, 'x,y,z,k,cat\n', targetRow),
  // full-precision values as JS and pandas write them (17 digits: the double-double path)
  'x,y,z,k,cat (17 digits)': () => generate(ROWS, 'x,y,z,k,cat\n', () => `${normal()},${normal()},${-Math.log(1 - rand())},${(rand() * 10) | 0},${CATS[(rand() * 5) | 0]}\n`),
  // ten numeric columns: eight f64 at 6 digits, two integers
  '10 numeric columns': () => generate(ROWS, 'a,b,c,d,e,f,g,h,i,j\n', () => {
    let s = '';
    for (let j = 0; j < 8; j++) s += `${p6(normal() * 100)},`;
    return `${s}${(rand() * 1000) | 0},${(rand() * 1e6) | 0}\n`;
  }),
  // quoted text with delimiters on every row (the indexing pass's slower path)
  'quoted text': () => generate(ROWS, 'id,name,v\n', () => `${(rand() * 1e6) | 0},"${CATS[(rand() * 5) | 0]}, ${CATS[(rand() * 5) | 0]}",${p6(normal())}\n`),
};

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function best(fn, runs = RUNS, clock = cpu) {
  let ms = Infinity;
  for (let r = 0; r <= runs; r++) {
    const t0 = clock();
    await fn();
    if (r > 0) ms = Math.min(ms, clock() - t0); // run 0 warms up
  }
  return ms;
}

const destFor = (type, n) => (type === 'dict' ? null : type === 'i32' ? new Int32Array(n) : new Float64Array(n));

// ---- calibration: a plain byte loop, to compare machines
const calib = new Uint8Array(64 << 20).fill(48);
const loopMs = await best(() => { let n = 0; for (let i = 0; i < calib.length; i++) if (calib[i] === 10) n++; return n; });

// ---- one thread
const single = [];
for (const [name, make] of Object.entries(files)) {
  const bytes = make();
  const reader = memoryReader(bytes, 'bench.csv');
  const src = await openCsv(reader, {});
  const { schema } = src;
  const start = bytes.indexOf(10) + 1;
  const indexMs = await best(() => indexRows(reader, { start, line: 2, chunkRows: 65536, delim: 44, names: [], skipBadRows: false }));
  const skipMs = await best(() => indexRows(reader, { start, line: 2, chunkRows: 65536, delim: 44, names: schema.columns.map((c) => c.name), skipBadRows: true }));
  const decodeMs = await best(async () => {
    for (let c = 0; c < schema.chunkRows.length; c++) {
      const n = schema.chunkRows[c];
      await src.read(c, schema.columns.map((col, j) => ({ column: j, dest: destFor(col.type, n) })));
    }
  });
  single.push({
    file: name,
    MB: +(bytes.length / 1e6).toFixed(1),
    'B/row': +(bytes.length / ROWS).toFixed(1),
    types: schema.columns.map((c) => c.type).join(' '),
    'index GB/s': +(bytes.length / indexMs / 1e6).toFixed(2),
    'skipBadRows index GB/s': +(bytes.length / skipMs / 1e6).toFixed(2),
    'decode ns/row': +((decodeMs * 1e6) / ROWS).toFixed(0),
    'decode MB/s': +(bytes.length / decodeMs / 1e3).toFixed(0),
  });
}
console.log(`CSV reader, one thread: ${ROWS.toLocaleString('en')} rows; CPU time, best of ${RUNS}; node ${process.version}, ${os.cpus().length} cpus`);
console.log(`calibration: a plain byte loop runs at ${(calib.length / loopMs / 1e6).toFixed(2)} GB/s here`);
console.table(single);

// ---- the target file, decoded by WORKERS worker_threads over one shared memory
if (TARGET_ROWS > 0) {
  const bytes = generate(TARGET_ROWS, 'x,y,z,k,cat\n', targetRow);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  const workers = Array.from({ length: WORKERS }, () => new Worker(`${outDir}/decode-worker.mjs`));
  for (const w of workers) w.postMessage({ memory });
  const pending = new Map();
  let nextId = 0;
  const load = workers.map(() => 0);
  for (const [i, w] of workers.entries()) {
    w.on('message', (m) => {
      load[i]--;
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error)); else p.resolve(m.report);
    });
  }
  const ctx = {
    parallelism: WORKERS,
    decode(task) {
      const i = load.indexOf(Math.min(...load));
      load[i]++;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[i].postMessage({ id, task }, task.bytes ? [task.bytes.buffer] : []);
      });
    },
  };
  let top = 64;
  const alloc = (type, n) => {
    const ptr = (top + 63) & ~63;
    top = ptr + n * (type === 'f64' ? 8 : 4);
    const need = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
    if (need > 0) memory.grow(need);
    return type === 'i32' ? new Int32Array(memory.buffer, ptr, n) : new Float64Array(memory.buffer, ptr, n);
  };
  const wall = () => performance.now();
  let src;
  const openMs = await best(async () => { src = await openCsv(memoryReader(bytes, 'target.csv'), { ctx }); }, 2, wall);
  const { schema } = src;
  const dests = schema.chunkRows.map((n) => schema.columns.map((c) => (c.type === 'dict' ? null : alloc(c.type, n))));
  let decodeCpu = Infinity;
  const decodeMs = await best(async () => {
    const c0 = cpu();
    let c = 0;
    const lane = async () => {
      while (c < schema.chunkRows.length) {
        const k = c++;
        await src.read(k, schema.columns.map((_, j) => ({ column: j, dest: dests[k][j] })));
      }
    };
    await Promise.all(Array.from({ length: 2 * WORKERS }, lane));
    decodeCpu = Math.min(decodeCpu, cpu() - c0);
  }, 2, wall);
  for (const w of workers) await w.terminate();
  console.log(`\nTarget file, ${WORKERS} worker_threads over one shared memory (wall time, best of 2):`);
  console.table([{
    rows: TARGET_ROWS.toLocaleString('en'),
    MB: +(bytes.length / 1e6).toFixed(0),
    types: schema.columns.map((c) => c.type).join(' '),
    'open (index) s': +(openMs / 1000).toFixed(2),
    'decode all columns s': +(decodeMs / 1000).toFixed(2),
    'total s': +((openMs + decodeMs) / 1000).toFixed(2),
    'wall ns/row × threads': +((decodeMs * 1e6 * WORKERS) / TARGET_ROWS).toFixed(0),
    'CPU ns/row, all threads': +((decodeCpu * 1e6) / TARGET_ROWS).toFixed(0),
  }]);
  console.log(`(${os.loadavg()[0].toFixed(1)} load average over ${os.cpus().length} cpus: wall time is only meaningful on an idle machine)`);
}
