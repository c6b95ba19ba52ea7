// Vitest global setup: tests load build/ artefacts, so make sure they are current.
import { buildKernels } from './build-kernels.mjs';

export default async function setup() {
  await buildKernels({ quiet: true });
}
