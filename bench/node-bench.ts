// The bench in Node: bundled by bench/run.mjs to build/node/bench.mjs (next to the
// engine's own bundles, so its wasm and worker paths resolve), run as a child
// process; prints one JSON object on stdout, progress on stderr.
// Usage: node build/node/bench.mjs --rows N --workers N --runs N [--vec N]
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createNodeEngine } from '../workers/node/platform';
import { runSuite } from './suite';

// Two levels below the repository root, like workers/node/platform.ts.
const unsharedUrl = new URL('../../build/kernels/sift-unshared.wasm', import.meta.url);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number, got ${process.argv[i + 1]}`);
  return v;
}

const rows = option('rows', 10_000_000);
const workers = option('workers', 2);
const runs = option('runs', 5);
// 0: the engine's default
const vecLen = option('vec', 0);
const log = (m: string) => process.stderr.write(`[node] ${m}\n`);

const engine = await createNodeEngine({ workers, ...(vecLen ? { vecLen } : {}) });
try {
  const suite = await runSuite(engine, {
    rows, runs, seed: 1, log,
    kernels: new WebAssembly.Module(readFileSync(unsharedUrl)),
  });
  const result = {
    env: 'node',
    runtime: `Node ${process.versions.node} (V8 ${process.versions.v8})`,
    cpu: { model: cpus()[0]?.model ?? 'unknown', count: cpus().length },
    engine: engine.info,
    // the whole process: the engine's memory, the plain-JS copy and V8
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    engineMemory: engine.memory(),
    ...suite,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await engine.close();
}
