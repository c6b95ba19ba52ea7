// The CSV decoder's WASM path (kernels/csv.ts via wasm-parse.ts) next to the
// JS decodeChunk, chunk by chunk on one thread, on the same generated files
// and into the same pages in one shared WebAssembly.Memory.
// Usage: node bench/csv-wasm.mjs [--rows 1000000] [--runs 5] [--workers 2] [--target-rows 2000000]
// Prints a table of CPU ns/row (process CPU time, best of --runs after a warm-up run, the two paths
// taking turns), and checks on every chunk that both paths wrote the same pages.
// Then the target shape through the worker entry (decodeCsv on worker_threads
// over one shared memory, each with its kernel instance and its scratch), with
// and without the kernel: wall time and CPU time of all threads, best of 3.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { arg } from './args.mjs';
import { bundle, root } from './bundle.mjs';

const ROWS = arg('rows', 1_000_000);
const RUNS = arg('runs', 5);
const WORKERS = arg('workers', 2);
const TARGET_ROWS = arg('target-rows', 2_000_000);
const CHUNK = 65536;

const parseModule = await bundle('wasm-parse.mjs', `export { decodeChunk } from './workers/sources/csv/decode';
      export { decodeChunkWasm, csvScratchBytes } from './workers/sources/csv/wasm-parse';`);
const workerModule = await bundle('wasm-decode-worker.mjs', `import { parentPort } from 'node:worker_threads';
      import { decodeCsv } from './workers/sources/csv/decode';
      let memory, exports;
      parentPort.on('message', async (m) => {
        if (m.memory) {
          memory = m.memory;
          exports = new WebAssembly.Instance(m.module, { env: { memory, abort: () => { throw new Error('abort'); } } }).exports;
          return;
        }
        try { parentPort.postMessage({ id: m.id, report: await decodeCsv(m.task, memory, m.wasm ? exports : undefined) }); }
        catch (e) { parentPort.postMessage({ id: m.id, error: String(e && e.message || e) }); }
      });`, 'node');
const { decodeChunk, decodeChunkWasm, csvScratchBytes } = await import(parseModule);

const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
const module = new WebAssembly.Module(readFileSync(`${root}build/kernels/sift.wasm`));
const { exports } = new WebAssembly.Instance(module, { env: { memory, abort: () => { throw new Error('abort'); } } });
let top = 65536;
const alloc = (bytes) => {
  const ptr = top;
  top = (top + bytes + 63) & ~63;
  const need = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
  if (need > 0) memory.grow(need);
  return ptr;
};

// ---- data (the shapes of bench/csv-parse.mjs, and a text-heavy one)
let seed = 12345;
const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const CATS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const p6 = (x) => x.toPrecision(6);
const pick = (xs) => xs[(rand() * xs.length) | 0];
const CITIES = ['Zürich', 'Genève', 'São Paulo', 'Kraków', 'München', 'Oslo', 'Reykjavík', 'Łódź', 'Paris', 'Tokyo'];
const NAMES = Array.from({ length: 2000 }, (_, i) => `user_${(i * 7919) % 100000}`);

const target = {
  names: ['x', 'y', 'z', 'k', 'cat'],
  types: ['f64', 'f64', 'f64', 'i32', 'dict'],
  row: () => `${p6(normal())},${p6(normal())},${p6(-Math.log(1 - rand()))},${(rand() * 10) | 0},${pick(CATS)}\n`,
};
const files = {
  'x,y,z,k,cat, 6 digits': target,
  'x,y,z,k,cat, 17 digits': {
    ...target,
    row: () => `${normal()},${normal()},${-Math.log(1 - rand())},${(rand() * 10) | 0},${pick(CATS)}\n`,
  },
  '6 digits, reading x and cat only': { ...target, types: ['f64', null, null, null, 'dict'] },
  'text-heavy: id,name,city,score,note': {
    names: ['id', 'name', 'city', 'score', 'note'],
    types: ['i32', 'dict', 'dict', 'f64', 'dict'],
    row: () => `${(rand() * 1e6) | 0},${pick(NAMES)},${pick(CITIES)},${p6(normal() * 50)},note ${pick(CATS)} ${pick(CATS)} ${(rand() * 100) | 0}\n`,
  },
  // issue 6's genome matrix (bench/peers/data.ts): chromosome, position, 32 one-letter genotypes
  'genome TSV: chrom,pos,s1..s32': {
    delim: 9,
    names: ['chrom', 'pos', ...Array.from({ length: 32 }, (_, i) => `s${i + 1}`)],
    types: ['i32', 'i32', ...Array(32).fill('dict')],
    row: () => `${1 + ((rand() * 22) | 0)}\t${10_000_000 + ((rand() * 1e8) | 0)}${Array.from({ length: 32 }, () => `\t${'ACGT'[(rand() * 4) | 0]}`).join('')}\n`,
  },
};

function chunks(shape) {
  const enc = new TextEncoder();
  const out = [];
  for (let r = 0; r < ROWS; r += CHUNK) {
    const n = Math.min(CHUNK, ROWS - r);
    let s = '';
    for (let i = 0; i < n; i++) s += shape.row();
    out.push({ bytes: enc.encode(s), rows: n });
  }
  return out;
}

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function bestOfTurns(fns) {
  const ms = fns.map(() => Infinity);
  for (let r = 0; r <= RUNS; r++) {
    fns.forEach((fn, i) => {
      const t0 = cpu();
      fn();
      if (r > 0) ms[i] = Math.min(ms[i], cpu() - t0); // run 0 warms up
    });
  }
  return ms;
}

const table = [];
for (const [name, shape] of Object.entries(files)) {
  const cs = chunks(shape);
  const pages = shape.types.flatMap((type, column) => (type ? [{ column, type }] : []));
  const argsOf = (c) => ({ file: 'bench.csv', names: shape.names, delim: shape.delim ?? 44, skipBadRows: false, rows: c.rows, line: 1, pages });
  const bytes = cs.reduce((a, c) => a + c.bytes.length, 0);
  const scratchBytes = Math.max(...cs.map((c) => csvScratchBytes(c.bytes.length, c.rows, argsOf(c))));
  const scratch = { ptr: alloc(scratchBytes), bytes: scratchBytes };
  // one set of pages per path, in the shared memory, reused by every chunk
  const pagesFor = () => pages.map((p) => {
    if (p.type === 'dict') return null;
    const ptr = alloc(CHUNK * 8);
    return p.type === 'i32' ? new Int32Array(memory.buffer, ptr, CHUNK) : new Float64Array(memory.buffer, ptr, CHUNK);
  });
  const dj = pagesFor();
  const dw = pagesFor();
  const buf = memory.buffer;
  const view = (ds, c) => ds.map((d) => d && (d instanceof Int32Array ? new Int32Array(buf, d.byteOffset, c.rows) : new Float64Array(buf, d.byteOffset, c.rows)));
  let declined = 0;
  for (const c of cs) {
    const a = argsOf(c);
    const rj = decodeChunk(c.bytes, a, view(dj, c));
    const rw = decodeChunkWasm(exports, memory, scratch, c.bytes, a, view(dw, c));
    if (!rw) { declined++; continue; }
    for (const [i, d] of dj.entries()) {
      if (d && Buffer.compare(Buffer.from(d.buffer, d.byteOffset, c.rows * d.BYTES_PER_ELEMENT), Buffer.from(dw[i].buffer, dw[i].byteOffset, c.rows * d.BYTES_PER_ELEMENT)) !== 0) throw new Error(`${name}: page ${i} differs`);
      if (!d && JSON.stringify([rj.pages[i].dictionary, Array.from(rj.pages[i].codes)]) !== JSON.stringify([rw.pages[i].dictionary, Array.from(rw.pages[i].codes)])) throw new Error(`${name}: dictionary ${i} differs`);
    }
  }
  const views = cs.map((c) => [argsOf(c), view(dj, c), view(dw, c)]);
  // the two paths take turns, so a busy neighbour slows both alike
  const [jsMs, wasmMs] = bestOfTurns([
    () => { cs.forEach((c, i) => decodeChunk(c.bytes, views[i][0], views[i][1])); },
    () => { cs.forEach((c, i) => decodeChunkWasm(exports, memory, scratch, c.bytes, views[i][0], views[i][2]) ?? decodeChunk(c.bytes, views[i][0], views[i][2])); },
  ]);
  table.push({
    file: name,
    'B/row': +(bytes / ROWS).toFixed(1),
    pages: [...new Set(pages.map((p) => p.type))].map((t) => { const n = pages.filter((p) => p.type === t).length; return n > 1 ? `${t}×${n}` : t; }).join(' '),
    'JS ns/row': +((jsMs * 1e6) / ROWS).toFixed(0),
    'WASM ns/row': +((wasmMs * 1e6) / ROWS).toFixed(0),
    speedup: +(jsMs / wasmMs).toFixed(2),
    'WASM MB/s': +(bytes / wasmMs / 1e3).toFixed(0),
    'chunks declined': `${declined}/${cs.length}`,
    'scratch MB': +(scratchBytes / 1e6).toFixed(1),
  });
}
console.log(`CSV chunk decoding, JS decodeChunk vs the WASM path: ${ROWS.toLocaleString('en')} rows per file in ${CHUNK}-row chunks;`);
console.log(`one thread, CPU time, best of ${RUNS}; node ${process.version}, ${os.cpus().length} cpus, load average ${os.loadavg()[0].toFixed(1)}`);
console.table(table);

// ---- the target shape through decodeCsv on worker_threads, with and without the kernel
if (TARGET_ROWS > 0) {
  const { Worker } = await import('node:worker_threads');
  const saved = ROWS;
  const cs = [];
  const enc = new TextEncoder();
  for (let r = 0; r < TARGET_ROWS; r += CHUNK) {
    const n = Math.min(CHUNK, TARGET_ROWS - r);
    let s = '';
    for (let i = 0; i < n; i++) s += target.row();
    cs.push({ bytes: enc.encode(s), rows: n });
  }
  const pages = target.types.map((type, column) => ({ column, type }));
  const argsOf = (c) => ({ file: 'target.csv', names: target.names, delim: 44, skipBadRows: false, rows: c.rows, line: 1, pages });
  const scratchBytes = Math.max(...cs.map((c) => csvScratchBytes(c.bytes.length, c.rows, argsOf(c))));
  const scratches = Array.from({ length: WORKERS }, () => ({ ptr: alloc(scratchBytes), bytes: scratchBytes }));
  const dest = cs.map((c) => pages.map((p) => (p.type === 'dict' ? 0 : alloc(c.rows * 8))));
  const workers = Array.from({ length: WORKERS }, () => new Worker(workerModule));
  for (const w of workers) w.postMessage({ memory, module });
  const wall = () => performance.now();
  const run = (wasm) => new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    const reports = new Array(cs.length);
    const send = (i) => {
      if (next >= cs.length) return;
      const k = next++;
      const bytes = cs[k].bytes.slice();
      workers[i].postMessage({ id: k, wasm, task: { decoder: 'csv', bytes, args: argsOf(cs[k]), dest: dest[k], scratch: scratches[i] } }, [bytes.buffer]);
    };
    workers.forEach((w, i) => {
      w.removeAllListeners('message');
      w.on('message', (m) => {
        if (m.error) { reject(new Error(m.error)); return; }
        reports[m.id] = m.report;
        if (++done === cs.length) resolve(reports); else send(i);
      });
      send(i);
    });
  });
  const rows = [];
  let first;
  for (const wasm of [false, true]) {
    let bestWall = Infinity;
    let bestCpu = Infinity;
    for (let r = 0; r <= 3; r++) {
      const t0 = wall();
      const c0 = cpu();
      const reports = await run(wasm);
      if (r > 0) { bestWall = Math.min(bestWall, wall() - t0); bestCpu = Math.min(bestCpu, cpu() - c0); }
      const sums = JSON.stringify(reports.map((rep) => rep.pages[4].dictionary)) + dest.reduce((a, d, k) => a + new Float64Array(memory.buffer, d[0], cs[k].rows).reduce((x, y) => x + y, 0), 0);
      first ??= sums;
      if (sums !== first) throw new Error('the worker paths disagree');
    }
    rows.push({
      path: wasm ? 'decodeCsv with the kernel (WASM)' : 'decodeCsv without it (JS)',
      rows: TARGET_ROWS.toLocaleString('en'),
      'wall s': +(bestWall / 1000).toFixed(2),
      'CPU ns/row, all threads': +((bestCpu * 1e6) / TARGET_ROWS).toFixed(0),
    });
  }
  for (const w of workers) await w.terminate();
  console.log(`\nThe target shape through decodeCsv on ${WORKERS} worker_threads over one shared memory (best of 3; ${saved.toLocaleString('en')} rows above):`);
  console.table(rows);
}
