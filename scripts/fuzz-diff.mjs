// Bundles workers/node/fuzz-diff.ts (DuckDB stays an external native module) and runs it.
// Usage: npm run fuzz:diff -- --cases 10000 --seed 7
import { buildKernels } from './build-kernels.mjs';
import { buildNode } from './build-node.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await buildKernels({ quiet: true });
await buildNode({ quiet: true });
const esbuild = await import('esbuild');
const out = `${root}build/node/fuzz-diff.mjs`;
await esbuild.build({
  absWorkingDir: root, entryPoints: ['workers/node/fuzz-diff.ts'], outfile: out, bundle: true, format: 'esm',
  platform: 'node', target: 'node20', external: ['@duckdb/node-api'], logLevel: 'warning',
});
await import(pathToFileURL(out).href);
