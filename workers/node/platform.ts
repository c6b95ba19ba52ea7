import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { wrap, releaseProxy } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Platform } from '../exec/Pool';
import type { KernelWorkerApi } from '../protocol';
import { Engine, type EngineOptions } from '../engine/Engine';

// Both this file (workers/node/) and its bundle (build/node/) sit two levels
// below the repository root, so these resolve to the same build artefacts.
const wasmUrl = new URL('../../build/kernels/sift.wasm', import.meta.url);
const workerUrl = new URL('../../build/node/kernel-worker.mjs', import.meta.url);

let module: WebAssembly.Module | undefined;

export function nodePlatform(): Platform {
  module ??= new WebAssembly.Module(readFileSync(wasmUrl));
  return {
    module,
    shared: true,
    concurrency: availableParallelism(),
    createWorker() {
      const worker = new Worker(workerUrl);
      const api = wrap<KernelWorkerApi>(nodeEndpoint(worker));
      const died = new Promise<Error>((resolve) => {
        worker.once('error', (e) => resolve(e));
        worker.once('exit', (code) => resolve(new Error(`its thread exited with code ${code}`)));
      });
      return {
        api,
        died,
        terminate() {
          api[releaseProxy]();
          void worker.terminate();
        },
      };
    },
  };
}

/** An engine whose kernel workers are Node worker_threads. */
export function createNodeEngine(opts: EngineOptions = {}): Promise<Engine> {
  return Engine.create(nodePlatform(), opts);
}
