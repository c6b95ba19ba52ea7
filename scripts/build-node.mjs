// Bundles the engine's Node entry points to build/node/*.mjs with esbuild, unless
// the outputs are newer than every source. Both outputs sit directly in build/node/:
// the engine finds ../../build/node/kernel-worker.mjs and ../../build/kernels/sift.wasm
// relative to its own file, which holds from workers/node/*.ts and build/node/*.mjs alike.
// Usage: node scripts/build-node.mjs [--force]
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const entries = [
  { src: 'workers/node/kernel-worker.ts', out: 'build/node/kernel-worker.mjs' },
  { src: 'workers/node/cli.ts', out: 'build/node/cli.mjs' },
];

function mtime(path) {
  try { return statSync(path).mtimeMs; } catch { return -1; }
}

function newestTs(dir) {
  let t = -1;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestTs(path));
    else if (e.name.endsWith('.ts')) t = Math.max(t, mtime(path));
  }
  return t;
}

function newestSource() {
  return Math.max(
    newestTs(join(root, 'workers')),
    mtime(join(root, 'kernels/opcodes.ts')),
    mtime(join(root, 'kernels/layout.ts')),
    mtime(fileURLToPath(import.meta.url)),
    mtime(join(root, 'package-lock.json')),
  );
}

// Bundled CommonJS dependencies may call require(); ESM output has none unless we make one.
// Some (jsroot) also read __dirname/__filename.
const requireShim = "import { createRequire as __siftCreateRequire } from 'node:module';\n" +
  "import { fileURLToPath as __siftPath } from 'node:url';\n" +
  'const require = __siftCreateRequire(import.meta.url);\n' +
  'const __filename = __siftPath(import.meta.url);\n' +
  "const __dirname = __siftPath(new URL('.', import.meta.url));";

export async function buildNode({ force = false, quiet = false } = {}) {
  const present = entries.filter((e) => {
    if (existsSync(join(root, e.src))) return true;
    if (!quiet) console.log(`[node] skipping ${e.src}: not written yet`);
    return false;
  });
  const src = newestSource();
  const stale = present.filter((e) => force || mtime(join(root, e.out)) < src);
  if (stale.length === 0) return false;
  const esbuild = await import('esbuild');
  if (!quiet) console.log(`[node] esbuild ${stale.map((e) => e.src).join(' ')}`);
  // Build into a private folder and rename into place, so a concurrent test run
  // never imports a half-written bundle.
  const tmp = join('build/node', `.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(join(root, tmp), { recursive: true });
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: Object.fromEntries(stale.map((e) => [relative('build/node', e.out).replace(/\.mjs$/, ''), e.src])),
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      banner: { js: requireShim },
      logLevel: quiet ? 'silent' : 'warning',
    });
    for (const entry of stale) {
      const name = relative('build/node', entry.out);
      for (const f of [name, `${name}.map`]) renameSync(join(root, tmp, f), join(root, 'build/node', f));
    }
  } catch (e) {
    // No stale bundle may pass for a fresh one: tests that need it fail plainly instead.
    for (const entry of stale) rmSync(join(root, entry.out), { force: true });
    throw e;
  } finally {
    rmSync(join(root, tmp), { recursive: true, force: true });
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildNode({ force: process.argv.includes('--force') }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
