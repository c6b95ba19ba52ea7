// How the single-thread bench scripts reach the engine's TypeScript: the kernels
// built, then the named modules bundled by esbuild into build/bench-csv/ and imported.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildKernels } from '../scripts/build-kernels.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const outDir = `${root}build/bench-csv`;

/** Builds the kernels if stale, bundles `contents` (module source, paths from the repository root) to outDir/name. */
export async function bundle(name, contents, platform = 'neutral') {
  mkdirSync(outDir, { recursive: true });
  await buildKernels({ quiet: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: root,
    stdin: { contents, resolveDir: root, loader: 'ts' },
    outfile: `${outDir}/${name}`, bundle: true, format: 'esm', platform, target: 'es2022', logLevel: 'warning',
  });
  return `${outDir}/${name}`;
}
