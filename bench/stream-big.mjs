// Proof that a file larger than wasm32's 4 GiB streams under a small budget:
// writes a toy CSV of --gb gigabytes (x, y ~ normal, z ~ exp, k 0-9, cat one of
// 5 strings) to the temp folder once, then runs `sift run` on it with
// --budget, reporting time and the process's peak RSS (VmHWM).
// Usage: node bench/stream-big.mjs [--gb 6] [--budget 512MB] [--workers 2] [--keep]
import { createWriteStream, existsSync, statSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const gb = Number(arg('gb', '6'));
const budget = arg('budget', '512MB');
const workers = arg('workers', '2');
const file = join(tmpdir(), `sift-stream-${gb}g.csv`);
const target = gb * 1024 ** 3;

async function writeCsv() {
  if (existsSync(file) && statSync(file).size >= target) return;
  console.log(`writing ${file} (${gb} GiB)…`);
  const out = createWriteStream(file);
  out.write('x,y,z,k,cat\n');
  const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  let s = 0x9e3779b9 >>> 0;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const normal = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
  let written = 0;
  const t0 = performance.now();
  while (written < target) {
    let block = '';
    for (let i = 0; i < 20000; i++) {
      block += `${normal().toFixed(5)},${normal().toFixed(5)},${(-Math.log(rnd())).toFixed(5)},${Math.floor(rnd() * 10)},${cats[Math.floor(rnd() * 5)]}\n`;
    }
    written += block.length;
    if (!out.write(block)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  console.log(`  ${(written / 1024 ** 3).toFixed(2)} GiB in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

function vmHwm(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch { return 0; }
}

await writeCsv();
const analysis = join(tmpdir(), 'sift-stream-analysis.json');
writeFileSync(analysis, JSON.stringify({
  version: 1,
  dataset: { kind: 'file', name: 'stream.csv', size: statSync(file).size },
  defines: [{ name: 'r', expr: 'sqrt(x*x + y*y)' }],
  filters: [{ name: 'z', expr: 'z > 0.5' }, { name: 'beta', expr: 'cat == "beta"' }],
  histograms: [
    { name: 'x', x: { expr: 'x', bins: 100, lo: -5, hi: 5 } },
    { name: 'xy', x: { expr: 'x', bins: 50, lo: -5, hi: 5 }, y: { expr: 'y', bins: 50, lo: -5, hi: 5 } },
    { name: 'r', x: { expr: 'r', bins: 100, lo: 0, hi: 5 }, after: 'beta' },
  ],
}));
console.log(`sift run --data ${file} --budget ${budget} --workers ${workers}`);
const t0 = performance.now();
const child = spawn(process.execPath, [join(root, 'bin/sift.mjs'), 'run', analysis, '--data', file, '--budget', budget, '--workers', workers, '--stats'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let peak = 0;
const poll = setInterval(() => { peak = Math.max(peak, vmHwm(child.pid)); }, 50);
let stdout = '';
child.stdout.on('data', (d) => { stdout += d; });
const code = await new Promise((r) => child.on('exit', r));
clearInterval(poll);
const ms = performance.now() - t0;
if (code !== 0) { console.error(`sift run failed (exit ${code})`); process.exit(1); }
const result = JSON.parse(stdout);
const size = statSync(file).size;
console.log(JSON.stringify({
  fileGiB: +(size / 1024 ** 3).toFixed(2), rows: result.rows, budget, workers: Number(workers),
  seconds: +(ms / 1000).toFixed(1), MBps: +((size / 1024 ** 2) / (ms / 1000)).toFixed(0),
  peakRssMiB: +(peak / 1024 ** 2).toFixed(0),
  cutflow: result.cutflow,
}, null, 1));
if (!process.argv.includes('--keep')) rmSync(file, { force: true });
