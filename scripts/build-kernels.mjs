// Compiles kernels/ to build/kernels/*.wasm for every asconfig target, unless
// the outputs are newer than every kernel source. Usage: node scripts/build-kernels.mjs [--force]
import { readdirSync, statSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = JSON.parse(readFileSync(join(root, 'asconfig.json'), 'utf8'));

function newestSource() {
  let t = statSync(join(root, 'asconfig.json')).mtimeMs;
  for (const f of readdirSync(join(root, 'kernels'))) {
    if (f.endsWith('.ts')) t = Math.max(t, statSync(join(root, 'kernels', f)).mtimeMs);
  }
  return t;
}

function mtime(path) {
  try { return statSync(path).mtimeMs; } catch { return -1; }
}

export async function buildKernels({ force = false, quiet = false } = {}) {
  const src = newestSource();
  const stale = Object.entries(config.targets).filter(
    ([, t]) => force || mtime(join(root, t.outFile)) < src,
  );
  if (stale.length === 0) return false;
  const asc = (await import('assemblyscript/asc')).default;
  mkdirSync(join(root, 'build/kernels'), { recursive: true });
  // Build into a private folder and rename into place: concurrent builds (two
  // test runs, a watcher) then never see or leave a half-written module.
  const tmp = join(root, 'build/kernels', `.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    for (const [name, target] of stale) {
      if (!quiet) console.log(`[kernels] asc --target ${name}`);
      const outs = [['--outFile', target.outFile], ...(target.textFile ? [['--textFile', target.textFile]] : [])];
      const { error, stderr } = await asc.main(
        ['--config', join(root, 'asconfig.json'), '--target', name,
          ...outs.flatMap(([flag, file]) => [flag, join(tmp, file.split('/').pop())])],
        { stdout: process.stdout, stderr: process.stderr },
      );
      if (error) throw new Error(`kernel build (${name}) failed: ${error.message}\n${stderr}`);
      for (const [, file] of outs) renameSync(join(tmp, file.split('/').pop()), join(root, file));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildKernels({ force: process.argv.includes('--force') }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
