// The CSV indexing pass on one thread: the JS scanner (QuoteCounter, SWAR)
// next to the kernel (csv_scan through WasmQuoteCounter: each 1 MiB slice
// copied into the shared memory, then scanned), and the kernel alone over
// bytes already in memory, on generated files shaped like the peers' CSV
// (plain), with a quoted text field in every row, and with CRLF line ends.
// Usage: node bench/csv-scan.mjs [--mb 128] [--runs 5]
// Prints CPU GB/s (process CPU time, best of --runs after a warm-up, the paths
// taking turns) and checks that every path found the same chunks.
import { readFileSync } from 'node:fs';
import { arg } from './args.mjs';
import { bundle, root } from './bundle.mjs';

const MB = arg('mb', 128);
const RUNS = arg('runs', 5);
const CHUNK = 65536;
const SLICE = 1 << 20;

const scanModule = await bundle('csv-scan.mjs', `export { QuoteCounter } from './workers/sources/csv/row-index';
      export { WasmQuoteCounter, scanScratchBytes } from './workers/sources/csv/wasm-scan';
      export { CsvScan } from './kernels/layout';`);
const { QuoteCounter, WasmQuoteCounter, scanScratchBytes, CsvScan } = await import(scanModule);

const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
const module = new WebAssembly.Module(readFileSync(`${root}build/kernels/sift.wasm`));
const { exports } = new WebAssembly.Instance(module, { env: { memory, abort: () => { throw new Error('abort'); } } });

/** Rows like bench/peers' CSV (x, y, z f64 to 6 places, k 0–9, cat of 5 words) up to `bytes`. */
function generate(bytes, { quoted = false, eol = '\n' } = {}) {
  const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  let s = 1;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const parts = ['x,y,z,k,cat' + eol];
  let len = parts[0].length;
  while (len < bytes) {
    const cat = cats[Math.floor(rnd() * 5)];
    const line = `${(rnd() * 4 - 2).toFixed(6)},${(rnd() * 4 - 2).toFixed(6)},${(rnd() * 3).toFixed(6)},${Math.floor(rnd() * 10)},${quoted ? `"${cat}, ""${cat}"""` : cat}${eol}`;
    parts.push(line);
    len += line.length;
  }
  return new TextEncoder().encode(parts.join(''));
}

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function timeBest(fn) {
  fn();
  let best = Infinity;
  let out;
  for (let r = 0; r < RUNS; r++) {
    const t0 = cpu();
    out = fn();
    best = Math.min(best, cpu() - t0);
  }
  return { ms: best, out };
}

// room for the largest file in memory (the kernel-alone column), the counter's scratch after it
const maxBytes = MB * 1.1 * 2 ** 20;
const dataPtr = 65536;
const scratchBytes = scanScratchBytes();
const scratchPtr = dataPtr + Math.ceil((maxBytes + 64) / 16) * 16;
memory.grow(Math.ceil((scratchPtr + scratchBytes) / 65536) - memory.buffer.byteLength / 65536);
const scratch = { ptr: scratchPtr, bytes: scratchBytes };

const summary = (ix, st) => JSON.stringify([ix.starts, ix.lines, ix.ends, st.inChunk, st.recordStart, st.lfs]);

const rows = [];
for (const [name, opts] of [['plain', {}], ['quoted text', { quoted: true }], ['CRLF', { eol: '\r\n' }]]) {
  const u8 = generate(MB * 2 ** 20, opts);
  const start = u8.indexOf(10) + 1;
  const js = () => {
    const c = new QuoteCounter(start, 2, CHUNK);
    for (let at = start; at < u8.length; at += SLICE) c.scan(u8.subarray(at, Math.min(u8.length, at + SLICE)), at);
    return summary(c.index, c.state());
  };
  const wasm = () => {
    const c = new WasmQuoteCounter(exports, memory, scratch, start, 2, CHUNK);
    for (let at = start; at < u8.length; at += SLICE) c.scan(u8.subarray(at, Math.min(u8.length, at + SLICE)), at);
    return summary(c.index, c.state());
  };
  new Uint8Array(memory.buffer).set(u8, dataPtr);
  // the kernel over bytes already in memory, 1 MiB a call: what the copy into scratch adds is the difference
  const kernel = () => {
    const c = new WasmQuoteCounter(exports, memory, scratch, start, 2, CHUNK);
    const st = scratch.ptr;
    for (let at = start; at < u8.length; at += SLICE) {
      new DataView(memory.buffer).setFloat64(st + CsvScan.BASE, at, true);
      if (exports.csv_scan(st, dataPtr + at, Math.min(SLICE, u8.length - at)) < 0) throw new Error('events overflow');
    }
    return c.state().lfs;
  };
  const a = timeBest(js);
  const b = timeBest(wasm);
  const k = timeBest(kernel);
  if (a.out !== b.out) throw new Error(`${name}: the kernel's chunks differ from QuoteCounter's`);
  const gbs = (ms) => (u8.length / 1e6 / ms).toFixed(2);
  rows.push([name, (u8.length / 2 ** 20).toFixed(0), a.ms.toFixed(1), gbs(a.ms), b.ms.toFixed(1), gbs(b.ms), k.ms.toFixed(1), gbs(k.ms), (a.ms / b.ms).toFixed(2)]);
}

const head = ['file', 'MiB', 'JS ms', 'JS GB/s', 'WASM ms', 'WASM GB/s', 'kernel ms', 'kernel GB/s', 'JS/WASM'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
console.log(`CSV indexing pass, one thread, CPU time, best of ${RUNS} (WASM = copy into scratch + kernel; kernel = bytes already in memory)`);
console.log(line(head));
console.log(w.map((n) => '-'.repeat(n)).join('  '));
for (const r of rows) console.log(line(r));
