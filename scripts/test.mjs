// `npm test`: set up what is missing (dependencies, Chromium), build the kernels and
// Node bundles, then run every check — no-eval lint, typecheck, unit tests (vitest),
// browser tests (Playwright) — and print a summary. Every step after setup runs even
// when an earlier one failed; the exit code is 1 if any failed.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, ensureDependencies, ensureKernels, ensureNodeBundles } from './setup.mjs';
import { findEval } from './lint-no-eval.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = join(root, 'test-results');
const vitestJson = join(results, 'vitest.json');
const playwrightJson = join(results, 'playwright.json');

function exec(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32',
    });
    child.on('error', (e) => { console.error(e.message); resolve(1); });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const bin = (path) => (args, env) => exec(process.execPath, [join(root, 'node_modules', path), ...args], env);
const npmRun = (script) => {
  const cli = process.env.npm_execpath;
  return cli && /npm-cli\.js$/.test(cli)
    ? exec(process.execPath, [cli, 'run', '--silent', script])
    : exec(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script]);
};

function readJson(path) {
  try { return JSON.parse(readFileSync(path, 'utf8')); } catch { return undefined; }
}

/** The first free TCP port on 127.0.0.1 at or above `from`. */
function freePort(from) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e) => (e.code === 'EADDRINUSE' && from < 65535 ? resolve(freePort(from + 1)) : reject(e)));
    server.listen(from, '127.0.0.1', () => server.close(() => resolve(from)));
  });
}

// Each step resolves to { ok, passed?, failed? }.
const steps = [
  ['setup', async () => {
    try {
      await ensureDependencies();
      process.env.SIFT_CHROMIUM = await ensureChromium();
      return { ok: true };
    } catch (e) {
      console.error(`[setup] ${e.message}`);
      return { ok: false, fatal: true };
    }
  }],
  // Not fatal: the lint and the type check still say something useful when a build breaks.
  ['build', async () => {
    try {
      await ensureKernels();
      await ensureNodeBundles();
      return { ok: true };
    } catch (e) {
      console.error(`[build] ${e.message}`);
      return { ok: false };
    }
  }],
  ['lint:no-eval', async () => {
    const hits = findEval();
    if (hits.length === 0) console.log('no eval or Function constructor');
    else console.error(`run-time code generation is not allowed (DESIGN.md, invariant 2):\n  ${hits.join('\n  ')}`);
    return { ok: hits.length === 0 };
  }],
  ['typecheck', async () => ({ ok: (await npmRun('typecheck')) === 0 })],
  ['unit', async () => {
    rmSync(vitestJson, { force: true });
    const code = await bin('vitest/vitest.mjs')(
      ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
    );
    const r = readJson(vitestJson);
    return { ok: code === 0, passed: r?.numPassedTests, failed: r?.numFailedTests };
  }],
  ['e2e', async () => {
    rmSync(playwrightJson, { force: true });
    const port = await freePort(4173);
    const code = await bin('@playwright/test/cli.js')(['test'], { SIFT_E2E_PORT: String(port) });
    const s = readJson(playwrightJson)?.stats;
    return { ok: code === 0, passed: s && s.expected + s.flaky, failed: s?.unexpected };
  }],
];

mkdirSync(results, { recursive: true });
const rows = [];
const started = performance.now();
for (const [name, step] of steps) {
  console.log(`\n▶ ${name}`);
  const t0 = performance.now();
  const r = await step();
  rows.push({ name, seconds: (performance.now() - t0) / 1000, ...r });
  if (r.fatal) break;
}

let passed = 0;
let failed = 0;
console.log('\n── summary ' + '─'.repeat(40));
for (const r of rows) {
  const counted = typeof r.passed === 'number' && typeof r.failed === 'number';
  if (counted) { passed += r.passed; failed += r.failed; }
  // A step that failed without a test to blame (typecheck, a crashed runner) counts as one failure.
  if (!r.ok && (!counted || r.failed === 0)) failed += 1;
  const counts = counted ? `${r.passed} passed, ${r.failed} failed` : '';
  console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(13)} ${r.seconds.toFixed(1).padStart(6)} s   ${counts}`);
}
for (const [name] of steps.slice(rows.length)) console.log(`  skip  ${name}`);
console.log(`  total ${' '.repeat(13)}${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(rows.every((r) => r.ok) && rows.length === steps.length ? 0 : 1);
