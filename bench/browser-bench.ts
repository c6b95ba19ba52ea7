// The bench in a page: the engine through EngineClient (its own worker and kernel
// workers, as in the app), the plain-JS loops on this page's main thread.
// Query: ?rows=N&workers=N&runs=N. Publishes window.benchResult ({ error } on failure).
import { EngineClient } from '../workers/browser/client';
import unsharedUrl from '../build/kernels/sift-unshared.wasm?url';
import { runSuite } from './suite';

declare global {
  interface Window { benchResult?: unknown }
}

const params = new URLSearchParams(location.search);
const option = (name: string, fallback: number) => Number(params.get(name) ?? fallback);
const out = document.getElementById('log')!;
const log = (m: string) => {
  console.log(`[chromium] ${m}`);
  out.textContent += `${m}\n`;
};

async function main() {
  const rows = option('rows', 10_000_000), workers = option('workers', 2), runs = option('runs', 5);
  const client = await EngineClient.start({ workers });
  log(`page crossOriginIsolated=${self.crossOriginIsolated}, engine ${JSON.stringify(client.info)}`);
  const kernels = await WebAssembly.compileStreaming(fetch(unsharedUrl));
  const suite = await runSuite(client, { rows, runs, seed: 1, kernels, log });
  for (const j of suite.jobs) {
    const floor = j.floor ? `, floor ${j.floor.medianMs.toFixed(1)} ms` : '';
    log(`${j.job}: Sift ${j.sift.medianMs.toFixed(1)} ms, plain JS ${j.plain.medianMs.toFixed(1)} ms${floor}; bins ${j.check.ok ? 'equal' : 'DIFFER'}`);
  }
  return {
    env: 'chromium',
    runtime: navigator.userAgent,
    cpu: { count: navigator.hardwareConcurrency },
    crossOriginIsolated: self.crossOriginIsolated,
    engine: client.info,
    engineMemory: await client.memory(),
    ...suite,
  };
}

main().then(
  (r) => { window.benchResult = r; },
  (e: unknown) => {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    log(error);
    window.benchResult = { error };
  },
);
