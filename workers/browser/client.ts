import { proxy, wrap, type Remote } from 'comlink';
import type { DemoRef } from '../engine/Engine';
import type { Diagnostic } from '../expr/diagnostic';
import type { ColumnCacheEntry, ColumnStats, DataRef, DatasetInfo, ErrorInfo, Fault, MemoryStats, OpenProgress, RunListener, RunProgress, RunResult } from '../protocol';
import type { BrowserEngineInfo, EngineWorkerApi, Outcome } from './api';

/** An engine error as the page sees it: a message to show, diagnostics to place. */
export class EngineFailure extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
    this.diagnostics = info.diagnostics ?? [];
  }
}

function unwrap<T>(o: Outcome<T>): T {
  if (o.ok) return o.value;
  throw new EngineFailure(o.error);
}

/** The page's handle on the engine worker: the small typed interface the UI uses. */
export class EngineClient {
  private constructor(private readonly remote: Remote<EngineWorkerApi>, readonly info: BrowserEngineInfo) {}

  static async start(opts: { workers?: number; columnCache?: boolean } = {}): Promise<EngineClient> {
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'sift-engine' });
    const remote = wrap<EngineWorkerApi>(worker);
    return new EngineClient(remote, unwrap(await remote.start(opts)));
  }

  async openDemo(ref: DemoRef, onProgress?: (p: RunProgress) => void): Promise<DatasetInfo> {
    return unwrap(await this.remote.openDemo(ref, onProgress ? proxy(onProgress) : undefined));
  }

  /** Opens a demo, a local file (File/Blob) or a URL; replaces the open dataset. */
  async open(ref: DataRef, onProgress?: (p: OpenProgress) => void): Promise<DatasetInfo> {
    return unwrap(await this.remote.open(ref, onProgress ? proxy(onProgress) : undefined));
  }

  /** Stops an open in progress; the dataset open before stays. */
  cancelOpen(): Promise<void> {
    return this.remote.cancelOpen();
  }

  /** The open dataset now (dictionaries and resident bytes change as runs decode columns). */
  dataset(): Promise<DatasetInfo | null> {
    return this.remote.dataset();
  }

  async columnStats(names: string[]): Promise<ColumnStats[]> {
    return unwrap(await this.remote.columnStats(names));
  }

  evict(column: string): Promise<void> {
    return this.remote.evict(column);
  }

  setBudget(bytes: number): Promise<void> {
    return this.remote.setBudget(bytes);
  }

  check(doc: unknown): Promise<Diagnostic[]> {
    return this.remote.check(doc);
  }

  async run(doc: unknown, listener: RunListener = {}): Promise<RunResult> {
    // both methods always exist: the engine calls them through the proxy
    const relay = proxy({
      onProgress: (p: RunProgress) => listener.onProgress?.(p),
      onPartial: (r: RunResult) => listener.onPartial?.(r),
    });
    return unwrap(await this.remote.run(doc, relay));
  }

  /** Reads the columns once on every worker: the bandwidth floor. */
  async scanSum(columns: string[]): Promise<{ ms: number; bytes: number; sums: number[] }> {
    return unwrap(await this.remote.scanSum(columns));
  }

  cancel(): Promise<void> {
    return this.remote.cancel();
  }

  columnCache(): Promise<ColumnCacheEntry[]> {
    return this.remote.columnCache();
  }

  clearColumnCache(fingerprint?: string): Promise<void> {
    return this.remote.clearColumnCache(fingerprint);
  }

  memory(): Promise<MemoryStats> {
    return this.remote.memory();
  }

  /** Test-only: kernel worker `worker` throws or dies once `afterChunks` more chunks of runs are done (e2e/README.md). */
  async injectFault(worker: number, fault: Fault | null): Promise<void> {
    unwrap(await this.remote.injectFault(worker, fault));
  }
}
