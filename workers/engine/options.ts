import { EngineError } from './errors';
import type { OpenProgress } from '../protocol';
import type { OpenOptions } from '../sources/source';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
/** wasm32 addresses 4 GiB; leave room for runs' scratch and fragmentation */
export const MAX_BUDGET = 3.5 * GiB;
export const DEFAULT_BUDGET = 3 * GiB;

export function checkBudget(bytes: number): number {
  if (!(bytes >= MiB) || !Number.isFinite(bytes)) throw new EngineError('BadBudget', `the memory budget must be at least 1 MiB, got ${bytes} bytes`);
  return Math.min(bytes, MAX_BUDGET);
}

/** Bytes indexed so far as the UI shows them: rate and ETA from the start of the open. */
export function progressOption(onProgress?: (p: OpenProgress) => void): Pick<OpenOptions, 'onProgress'> {
  if (!onProgress) return {};
  const t0 = performance.now();
  return {
    onProgress(done, total) {
      const elapsedMs = performance.now() - t0;
      const bytesPerSec = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
      onProgress({ bytesDone: done, bytesTotal: total, elapsedMs, bytesPerSec, etaMs: bytesPerSec > 0 ? ((total - done) / bytesPerSec) * 1000 : Infinity });
    },
  };
}
