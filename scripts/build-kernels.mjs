// Compiles kernels/ to build/kernels/*.wasm for every asconfig target, unless
// the outputs are newer than every kernel source. Usage: node scripts/build-kernels.mjs [--force]
import { readdirSync, statSync, mkdirSync, readFileSync } from 'node:fs';
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
  for (const [name] of stale) {
    if (!quiet) console.log(`[kernels] asc --target ${name}`);
    const { error, stderr } = await asc.main(
      ['--config', join(root, 'asconfig.json'), '--target', name],
      { stdout: process.stdout, stderr: process.stderr },
    );
    if (error) throw new Error(`kernel build (${name}) failed: ${error.message}\n${stderr}`);
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildKernels({ force: process.argv.includes('--force') }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
