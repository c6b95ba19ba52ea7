#!/usr/bin/env node
// The `sift` command: builds what is missing (kernels, Node bundle), then runs the CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { buildKernels } = await import(pathToFileURL(`${root}scripts/build-kernels.mjs`).href);
await buildKernels({ quiet: true });
const nodeBuild = `${root}scripts/build-node.mjs`;
if (existsSync(nodeBuild)) {
  const { buildNode } = await import(pathToFileURL(nodeBuild).href);
  await buildNode({ quiet: true });
}
await import(pathToFileURL(`${root}build/node/cli.mjs`).href);
