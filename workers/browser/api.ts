import type { DemoRef } from '../engine/Engine';
import type { Diagnostic } from '../expr/diagnostic';
import type { ColumnCacheEntry, ColumnStats, DataRef, DatasetInfo, EngineInfo, ErrorInfo, Fault, MemoryStats, OpenProgress, RunListener, RunProgress, RunResult } from '../protocol';

/** Results cross the UI boundary as values; errors flattened with their diagnostics. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export interface BrowserEngineInfo extends EngineInfo {
  crossOriginIsolated: boolean;
  /** parsed columns of local files are kept in OPFS between opens */
  columnCache: boolean;
}

/** What the engine worker exposes to the page (comlink). */
export interface EngineWorkerApi {
  /** columnCache: false keeps parsed columns out of OPFS (benchmarks of parsing itself) */
  start(opts: { workers?: number; columnCache?: boolean }): Promise<Outcome<BrowserEngineInfo>>;
  openDemo(ref: DemoRef, onProgress?: (p: RunProgress) => void): Promise<Outcome<DatasetInfo>>;
  open(ref: DataRef, onProgress?: (p: OpenProgress) => void): Promise<Outcome<DatasetInfo>>;
  cancelOpen(): Promise<void>;
  /** the open dataset now: dictionaries and resident bytes grow as runs decode columns */
  dataset(): Promise<DatasetInfo | null>;
  columnStats(names: string[]): Promise<Outcome<ColumnStats[]>>;
  evict(column: string): Promise<void>;
  setBudget(bytes: number): Promise<void>;
  check(doc: unknown): Promise<Diagnostic[]>;
  run(doc: unknown, listener?: RunListener): Promise<Outcome<RunResult>>;
  scanSum(columns: string[]): Promise<Outcome<{ ms: number; bytes: number; sums: number[] }>>;
  cancel(): Promise<void>;
  memory(): Promise<MemoryStats>;
  /** the column cache's files (none when the browser has no OPFS) */
  columnCache(): Promise<ColumnCacheEntry[]>;
  clearColumnCache(fingerprint?: string): Promise<void>;
  /** test-only: kernel worker `worker` fails in a coming run (e2e/README.md) */
  injectFault(worker: number, fault: Fault | null): Promise<Outcome<void>>;
}
