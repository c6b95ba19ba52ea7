// Long fuzz campaigns: `npm run fuzz -- --target csv|expr|parquet|arrow|root|all
// --iterations N --seed S [--case-ms MS]`. Runs workers/testing/fuzz/fuzz.test.ts
// in Vitest with the campaign in SIFT_FUZZ_* variables; crashing and hanging
// inputs land in test-results/fuzz/ with a line saying what happened. A
// watchdog here keeps the input of a case that hangs the engine's own thread
// (a synchronous loop in a library, which no in-process timer interrupts).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'all' },
    iterations: { type: 'string', default: '2000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    'case-ms': { type: 'string', default: '10000' },
  },
});
const targets = ['csv', 'expr', 'parquet', 'arrow', 'root'];
for (const t of values.target.split(',')) {
  if (t !== 'all' && !targets.includes(t)) {
    console.error(`fuzz: unknown target "${t}" (known: ${targets.join(', ')}, all)`);
    process.exit(2);
  }
}
const out = join(root, 'test-results', 'fuzz');
mkdirSync(out, { recursive: true });
const inFlight = join(out, 'in-flight');
const caseMs = Number(values['case-ms']);
console.log(`fuzz: target ${values.target}, ${values.iterations} iterations, seed ${values.seed}, ${caseMs} ms per case; failures go to ${out}`);

const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'workers/testing/fuzz/fuzz.test.ts', '-t', 'fuzz campaign'], {
  cwd: root,
  stdio: 'inherit',
  // its own process group, so the watchdog stops Vitest's forks with it
  detached: true,
  env: {
    ...process.env,
    SIFT_FUZZ_TARGET: values.target,
    SIFT_FUZZ_ITERATIONS: values.iterations,
    SIFT_FUZZ_SEED: values.seed,
    SIFT_FUZZ_CASE_MS: String(caseMs),
    SIFT_FUZZ_OUT: out,
    SIFT_FUZZ_IN_FLIGHT: inFlight,
  },
});

// the harness's own time box reports async hangs; this catches a thread that stopped answering
const watchdog = setInterval(() => {
  let names = [];
  try { names = readdirSync(out); } catch { return; }
  for (const f of names) {
    if (!f.startsWith('in-flight.')) continue;
    const path = join(out, f);
    if (!existsSync(path)) continue;
    let age;
    try { age = Date.now() - statSync(path).mtimeMs; } catch { continue; }
    if (age > caseMs * 3 + 5000) {
      const keep = join(out, `${f.slice('in-flight.'.length)}-seed${values.seed}-hang-${Date.now()}.bin`);
      copyFileSync(path, keep);
      console.error(`fuzz: a case has run for ${(age / 1000).toFixed(0)} s without returning; its input is ${keep}; stopping`);
      process.kill(-child.pid, 'SIGKILL');
    }
  }
}, 1000);

child.on('exit', (code, signal) => {
  clearInterval(watchdog);
  process.exit(signal ? 1 : code ?? 1);
});
