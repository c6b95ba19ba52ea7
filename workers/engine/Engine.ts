import { Allocator, ColumnStore, OutOfMemoryError, type ColumnInfo, type Dataset, type MemoryStats } from '../store';
import { Pool, type Platform } from '../exec/Pool';
import { compile } from '../plan/compile';
import { validate } from '../analysis';
import { demoDataset } from '../demo/datasets';
import type { Diagnostic } from '../expr/diagnostic';
import type { ColumnStats, DataRef, DatasetInfo, EngineInfo, OpenProgress, RunListener, RunProgress, RunResult } from '../protocol';
import { RunState } from './Run';
import { generate, scan } from './generate';
import { EngineError } from './errors';

export interface EngineOptions {
  /** kernel workers (default: the platform's concurrency) */
  workers?: number;
  /** rows per register vector; a multiple of 16 */
  vecLen?: number;
  /** rows per chunk */
  chunkRows?: number;
  /** bytes of column data the store may hold */
  budgetBytes?: number;
}

export interface DemoRef {
  name: string;
  rows: number;
  seed: number;
}

/** A column handed over whole (tests, the simple CSV reader): copied into chunks once. */
export interface ColumnData {
  info: ColumnInfo;
  values: ArrayLike<number>;
}

const GiB = 1024 ** 3;

/**
 * The engine: one shared memory, its column store, a pool of kernel workers,
 * and at most one run in flight (a new run cancels the stale one). This is the
 * whole typed interface the UI and the CLI use; it never touches the DOM.
 */
export class Engine {
  private current: RunState | null = null;
  private gen = 0;
  private ds: Dataset | null = null;
  private dsInfo: DatasetInfo | null = null;

  private constructor(
    private readonly pool: Pool,
    private readonly alloc: Allocator,
    private readonly store: ColumnStore,
    private readonly vecLen: number,
    private readonly chunkRows: number,
  ) {}

  static async create(platform: Platform, opts: EngineOptions = {}): Promise<Engine> {
    const vecLen = opts.vecLen ?? 1024;
    if (vecLen % 16 !== 0 || vecLen <= 0) throw new RangeError('vecLen must be a positive multiple of 16');
    const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: platform.shared } as WebAssembly.MemoryDescriptor);
    const alloc = new Allocator(memory);
    const store = new ColumnStore(alloc, opts.budgetBytes ?? 3 * GiB);
    const pool = await Pool.create(platform, memory, opts.workers ?? platform.concurrency);
    return new Engine(pool, alloc, store, vecLen, opts.chunkRows ?? 65536);
  }

  get info(): EngineInfo {
    return { workers: this.pool.size, shared: this.pool.shared, vecLen: this.vecLen, chunkRows: this.chunkRows };
  }

  get dataset(): DatasetInfo | null {
    return this.dsInfo;
  }

  /** Generates a built-in demo dataset in parallel, replacing the open dataset. */
  async openDemo(ref: DemoRef, onProgress?: (p: RunProgress) => void): Promise<DatasetInfo> {
    const demo = demoDataset(ref.name);
    if (!demo) throw new EngineError('UnknownDataset', `no demo dataset named "${ref.name}"`);
    if (!Number.isInteger(ref.rows) || ref.rows < 0 || ref.rows > 2 ** 40) {
      throw new EngineError('BadDataset', `demo rows must be a whole number ≥ 0, got ${ref.rows}`);
    }
    const t0 = performance.now();
    const ds = await this.replaceDataset(() => this.store.create(demo.name, ref.rows, this.chunkRows, demo.columns));
    await generate(this.pool, this.alloc, ds, demo.kernel, ref.seed, ++this.gen, onProgress);
    return this.describe(ds, performance.now() - t0);
  }

  /** Loads whole columns (copied once into the store), replacing the open dataset. */
  async openColumns(name: string, rows: number, columns: ColumnData[]): Promise<DatasetInfo> {
    const t0 = performance.now();
    const ds = await this.replaceDataset(() => this.store.create(name, rows, this.chunkRows, columns.map((c) => c.info)));
    columns.forEach((c, i) => {
      const col = ds.columns[i]!;
      ds.chunkRows.forEach((n, k) => {
        const view = typedView(this.alloc.memory.buffer, col.info.type, col.elementBytes, col.chunks[k]!, n);
        for (let j = 0, r = ds.rowStart[k]!; j < n; j++, r++) view[j] = c.values[r]!;
      });
    });
    return this.describe(ds, performance.now() - t0);
  }

  /**
   * Opens a dataset by reference, replacing the open one: a demo is generated;
   * a file or URL has its schema read (CSV: one indexing pass), not its values.
   */
  async open(ref: DataRef, onProgress?: (p: OpenProgress) => void): Promise<DatasetInfo> {
    if (ref.kind === 'demo') return this.openDemo(ref);
    void onProgress;
    throw new EngineError('NotImplemented', `opening ${ref.kind === 'file' ? ref.name : ref.url} is not built yet`);
  }

  /** min/max/mean/NaN count and a sparkline per column, from one kernel pass (decodes them if needed). */
  async columnStats(names: string[]): Promise<ColumnStats[]> {
    void names;
    throw new EngineError('NotImplemented', 'column statistics are not built yet');
  }

  /** Frees a column's resident pages; the next run that reads it decodes it again. */
  evict(column: string): void {
    void column;
  }

  /** Changes the memory budget for column data (evicts down to it when lower). */
  setBudget(bytes: number): void {
    this.store.budgetBytes = bytes;
  }

  /**
   * Reads the named columns once across all workers and does nothing else:
   * the memory-bandwidth floor that a pass over the same columns is measured against.
   */
  async scanSum(columns: string[]): Promise<{ ms: number; bytes: number; sums: number[] }> {
    const ds = this.ds;
    if (!ds) throw new EngineError('NoDataset', 'open a dataset first');
    const cols = columns.map((n) => {
      const c = ds.column(n);
      if (!c) throw new EngineError('UnknownColumn', `no column named "${n}"`);
      return c;
    });
    const t0 = performance.now();
    const result = await scan(this.pool, this.alloc, ds, cols);
    return { ...result, ms: performance.now() - t0 };
  }

  /** Checks a document against the open dataset; empty when valid. */
  check(doc: unknown): Diagnostic[] {
    if (!this.ds) return [{ message: 'no dataset is open' }];
    const v = validate(doc, { columns: this.ds.columns.map((c) => c.info) });
    return v.ok ? [] : v.diagnostics;
  }

  /**
   * Runs an analysis over the open dataset: all histograms and the cut-flow in
   * one pass. A run already going is cancelled (its promise resolves with
   * status "cancelled"); partials never cross from one run to another.
   */
  async run(doc: unknown, listener: RunListener = {}): Promise<RunResult> {
    if (!this.ds) throw new EngineError('NoDataset', 'open a dataset before running an analysis');
    const v = validate(doc, { columns: this.ds.columns.map((c) => c.info) });
    if (!v.ok) throw new EngineError('InvalidAnalysis', v.diagnostics.map((d) => d.message).join('\n'), v.diagnostics);
    const plan = compile(v.analysis, this.ds);
    this.cancel();
    const gen = ++this.gen;
    let state: RunState;
    try {
      state = new RunState(gen, plan, this.ds, this.pool, this.alloc, this.vecLen, {
        onProgress: (p) => { if (this.gen === gen) listener.onProgress?.(p); },
        onPartial: (r) => { if (this.gen === gen) listener.onPartial?.(r); },
      });
    } catch (e) {
      if (e instanceof OutOfMemoryError) throw new EngineError('OutOfMemory', e.message);
      throw e;
    }
    this.current = state;
    try {
      return await state.result;
    } finally {
      if (this.current === state) this.current = null;
    }
  }

  /** Cancels the run in flight, if any; workers stop at their next chunk. */
  cancel(): void {
    this.current?.cancel();
  }

  memory(): MemoryStats {
    return this.store.stats();
  }

  async close(): Promise<void> {
    const running = this.current;
    this.cancel();
    if (running) await running.result.catch(() => undefined);
    this.pool.close();
  }

  private async replaceDataset(make: () => Dataset): Promise<Dataset> {
    const running = this.current;
    this.cancel();
    if (running) await running.result.catch(() => undefined);
    if (this.ds) this.store.drop(this.ds);
    this.ds = null;
    this.dsInfo = null;
    try {
      this.ds = make();
    } catch (e) {
      if (e instanceof OutOfMemoryError) throw new EngineError('OutOfMemory', e.message);
      throw e;
    }
    return this.ds;
  }

  private describe(ds: Dataset, loadMs: number): DatasetInfo {
    this.dsInfo = {
      name: ds.name,
      format: 'demo',
      rows: ds.rows,
      chunks: ds.chunkRows.length,
      fileBytes: 0,
      columns: ds.columns.map((c) => ({ ...c.info, bytes: c.bytes })),
      jagged: [],
      unsupported: [],
      notes: [],
      loadMs,
    };
    return this.dsInfo;
  }
}

function typedView(buf: ArrayBufferLike, type: ColumnInfo['type'], eb: number, ptr: number, n: number) {
  switch (type) {
    case 'f64': case 'i64': case 'u64': return new Float64Array(buf, ptr, n);
    case 'f32': return new Float32Array(buf, ptr, n);
    case 'i32': return new Int32Array(buf, ptr, n);
    case 'u32': return new Uint32Array(buf, ptr, n);
    case 'bool': return new Uint8Array(buf, ptr, n);
    case 'dict': return eb === 1 ? new Uint8Array(buf, ptr, n) : eb === 2 ? new Uint16Array(buf, ptr, n) : new Uint32Array(buf, ptr, n);
  }
}
