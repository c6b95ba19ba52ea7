// The engine's own thread in the browser: owns the shared memory, the store,
// and the kernel workers it spawns, so the page's main thread never blocks on
// planning, merging or generating.
import { expose, wrap, releaseProxy } from 'comlink';
import sharedUrl from '../../build/kernels/sift.wasm?url';
import unsharedUrl from '../../build/kernels/sift-unshared.wasm?url';
import { Engine } from '../engine/Engine';
import { errorInfo } from '../engine/errors';
import type { Platform } from '../exec/Pool';
import type { KernelWorkerApi } from '../protocol';
import type { EngineWorkerApi, Outcome } from './api';
import { opfsColumnCache } from './opfs-store';

let engine: Engine | null = null;
let hasColumnCache = false;

async function outcome<T>(f: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return { ok: false, error: errorInfo(e) };
  }
}

function need(): Engine {
  if (!engine) throw new Error('engine not started');
  return engine;
}

async function browserPlatform(): Promise<Platform> {
  const shared = self.crossOriginIsolated === true;
  const module = await WebAssembly.compileStreaming(fetch(shared ? sharedUrl : unsharedUrl));
  return {
    module,
    shared,
    concurrency: Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8)),
    createWorker() {
      const worker = new Worker(new URL('./kernel.worker.ts', import.meta.url), { type: 'module', name: 'sift-kernels' });
      const api = wrap<KernelWorkerApi>(worker);
      // a browser says nothing when a worker stops; an uncaught error is the sign there is
      const died = new Promise<Error>((resolve) => {
        worker.addEventListener('error', (e) => {
          e.preventDefault(); // handled here: the pool fails the run and replaces the worker
          resolve(new Error(e.message || 'an uncaught error'));
        }, { once: true });
      });
      return { api, died, terminate() { api[releaseProxy](); worker.terminate(); } };
    },
  };
}

const api: EngineWorkerApi = {
  start: (opts) => outcome(async () => {
    if (!engine) {
      const columnCache = opts.columnCache === false ? undefined : await opfsColumnCache();
      hasColumnCache = columnCache !== undefined;
      engine = await Engine.create(await browserPlatform(), { ...(opts.workers ? { workers: opts.workers } : {}), ...(columnCache ? { columnCache } : {}) });
    }
    return { ...engine.info, crossOriginIsolated: self.crossOriginIsolated === true, columnCache: hasColumnCache };
  }),
  openDemo: (ref, onProgress) => outcome(() => need().openDemo(ref, onProgress)),
  open: (ref, onProgress) => outcome(() => need().open(ref, onProgress)),
  cancelOpen: async () => { engine?.cancelOpen(); },
  dataset: async () => engine?.dataset ?? null,
  columnStats: (names) => outcome(() => need().columnStats(names)),
  evict: async (column) => { engine?.evict(column); },
  setBudget: async (bytes) => { engine?.setBudget(bytes); },
  check: async (doc) => (engine ? engine.check(doc) : [{ message: 'engine not started' }]),
  run: (doc, listener) => outcome(() => need().run(doc, listener ?? {})),
  scanSum: (columns) => outcome(() => need().scanSum(columns)),
  cancel: async () => { engine?.cancel(); },
  memory: async () => need().memory(),
  columnCache: async () => (engine ? engine.columnCacheEntries().catch(() => []) : []),
  clearColumnCache: async (fingerprint) => { await engine?.clearColumnCache(fingerprint); },
  injectFault: (worker, fault) => outcome(() => need().injectFault(worker, fault)),
};

expose(api);
