// Vitest global setup: tests load build/ artefacts, so make sure they are current.
import { buildKernels } from './build-kernels.mjs';
import { buildNode } from './build-node.mjs';

export default async function setup() {
  await buildKernels({ quiet: true });
  // A broken engine bundle fails only the tests that start Node workers, not the kernel tests.
  try {
    await buildNode({ quiet: true });
  } catch (e) {
    console.warn(`[vitest-setup] build/node not rebuilt, tests that need it will fail:\n${e.message}`);
  }
}
