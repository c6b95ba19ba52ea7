import { Allocator, ColumnStore, OutOfMemoryError, type Column, type Dataset, type MemoryStats } from '../store';
import { Pool, type Platform, type ScratchAllocator } from '../exec/Pool';
import { compile } from '../plan/compile';
import { validate } from '../analysis';
import { demoDataset } from '../demo/datasets';
import type { Diagnostic } from '../expr/diagnostic';
import type {
  ColumnStats, DataRef, DatasetInfo, EngineInfo, Fault, OpenProgress, RunListener, RunProgress, RunResult,
} from '../protocol';
import { RunState, progressAt } from './Run';
import { PageLoader } from './loader';
import { planWindows, windowView } from './windows';
import { columnsSource, type ColumnData } from '../sources/columns';
import { openSource } from '../sources';
import { openCached } from '../sources/cache/CachingSource';
import type { ColumnCacheEntry, ColumnCacheStore } from '../sources/cache/page-store';
import { blobReader, urlReader } from '../sources/bytes';
import type { ByteReader, OpenOptions, Source } from '../sources/source';
import { DerivedSource } from '../sources/derived';
import { generate, scan } from './generate';
import { EngineError } from './errors';
import { allChunks, missing, readColumns } from './columns';
import { DEFAULT_BUDGET, checkBudget, progressOption } from './options';
import { pageRanges, statsDoc, statsOf } from './stats';

export type { ColumnData };

export interface EngineOptions {
  /** kernel workers (default: the platform's concurrency) */
  workers?: number;
  /** rows per register vector; a multiple of 16 */
  vecLen?: number;
  /** rows per chunk (demo data, CSV) */
  chunkRows?: number;
  /** bytes of column data the store may hold */
  budgetBytes?: number;
  /** where parsed pages of local text files are kept between opens (the browser's OPFS; none in Node) */
  columnCache?: ColumnCacheStore;
}

export interface DemoRef {
  name: string;
  rows: number;
  seed: number;
}

export { MAX_BUDGET } from './options';

/** A run in flight: the window running now, and a flag the window loop checks. */
interface Job {
  gen: number;
  cancelled: boolean;
  state: RunState | null;
  abort: AbortController;
  done: Promise<unknown>;
}

/**
 * The engine: one shared memory, its column store, a pool of kernel workers,
 * the open dataset (generated, or a file whose columns decode lazily), and at
 * most one run in flight (a new run cancels the stale one). This is the whole
 * typed interface the UI and the CLI use; it never touches the DOM.
 */
export class Engine {
  private current: Job | null = null;
  private gen = 0;
  private ds: Dataset | null = null;
  private source: DerivedSource | null = null;
  private loader: PageLoader | null = null;
  private dsInfo: DatasetInfo | null = null;
  private opening: AbortController | null = null;
  private columnCache?: ColumnCacheStore;
  /** decode tasks' scratch (the CSV decoder's WASM path), outside the column budget: a few MB per worker while a span decodes */
  private readonly scratch: ScratchAllocator = {
    alloc: (bytes) => {
      try {
        return this.alloc.alloc(bytes);
      } catch (e) {
        if (e instanceof OutOfMemoryError) return 0;
        throw e;
      }
    },
    release: (ptr) => this.alloc.release(ptr),
  };

  private constructor(
    private readonly pool: Pool,
    private readonly alloc: Allocator,
    private readonly store: ColumnStore,
    private readonly vecLen: number,
    private readonly chunkRows: number,
  ) {}

  static async create(platform: Platform, opts: EngineOptions = {}): Promise<Engine> {
    // Q4 in bench/kernels.mjs from memory, CPU ns/row: 8.4 at 1024, 8.0 at 2048, 7.7 at 4096
    // (fewer per-vector calls), but end to end in Chromium 1024 and 2048 ran Q4 alike, and at
    // 2048 the process grew by more than 5 MB over 200 runs with distinct expressions (the
    // engine test's bound) in 2 runs of 3: 1024 stays
    const vecLen = opts.vecLen ?? 1024;
    if (vecLen % 16 !== 0 || vecLen <= 0) throw new RangeError('vecLen must be a positive multiple of 16');
    const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: platform.shared } as WebAssembly.MemoryDescriptor);
    const alloc = new Allocator(memory);
    const store = new ColumnStore(alloc, checkBudget(opts.budgetBytes ?? DEFAULT_BUDGET));
    const pool = await Pool.create(platform, memory, opts.workers ?? platform.concurrency);
    const engine = new Engine(pool, alloc, store, vecLen, opts.chunkRows ?? 65536);
    engine.columnCache = opts.columnCache;
    return engine;
  }

  get info(): EngineInfo {
    return { workers: this.pool.size, shared: this.pool.shared, vecLen: this.vecLen, chunkRows: this.chunkRows };
  }

  get dataset(): DatasetInfo | null {
    return this.dsInfo && this.describe();
  }

  /**
   * Opens a dataset by reference, replacing the open one: a demo is generated;
   * a file or URL has its schema read (CSV: one indexing pass), not its values.
   */
  async open(ref: DataRef, onProgress?: (p: OpenProgress) => void, opts: OpenOptions = {}): Promise<DatasetInfo> {
    switch (ref.kind) {
      case 'demo': return this.openDemo(ref);
      case 'file': return this.openReader(blobReader(ref.file, ref.name), { ...opts, ...progressOption(onProgress) });
      case 'url': return this.openReader(await urlReader(ref.url), { ...opts, ...progressOption(onProgress) });
    }
  }

  /**
   * Opens any byte reader (Node paths come through here), reading only its
   * schema. The open dataset is replaced only once the new one has opened: a
   * file that fails to open, or an open that is cancelled, loses nothing.
   */
  async openReader(reader: ByteReader, opts: OpenOptions = {}): Promise<DatasetInfo> {
    const t0 = performance.now();
    await this.pool.heal();
    this.opening?.abort();
    const opening = new AbortController();
    this.opening = opening;
    const signal = opts.signal ? AbortSignal.any([opts.signal, opening.signal]) : opening.signal;
    let source: Source;
    try {
      const o: OpenOptions = { chunkRows: this.chunkRows, ctx: this.pool.decodeContext(this.scratch), ...opts, signal };
      // local files only: a URL's bytes can change behind the same address
      source = this.columnCache && reader.handle?.kind === 'blob'
        ? await openCached(reader, o, this.columnCache, (x) => openSource(reader, x))
        : await openSource(reader, o);
      signal.throwIfAborted();
    } catch (e) {
      if (signal.aborted) throw new EngineError('Cancelled', `opening ${reader.name} was cancelled`);
      throw e;
    } finally {
      if (this.opening === opening) this.opening = null;
    }
    await this.closeDataset();
    return this.adopt(source, reader.size, performance.now() - t0, reader.name);
  }

  /** The column cache's datasets (empty without one). */
  async columnCacheEntries(): Promise<ColumnCacheEntry[]> {
    return this.columnCache ? this.columnCache.list() : [];
  }

  /** Clears the column cache of one file fingerprint, or all of it. */
  async clearColumnCache(fingerprint?: string): Promise<void> {
    await this.columnCache?.clear(fingerprint);
  }

  /** Stops an open in progress (the CSV indexing pass); the open dataset stays. */
  cancelOpen(): void {
    this.opening?.abort();
  }

  /** Generates a built-in demo dataset in parallel, replacing the open dataset. */
  async openDemo(ref: DemoRef, onProgress?: (p: RunProgress) => void): Promise<DatasetInfo> {
    const demo = demoDataset(ref.name);
    if (!demo) throw new EngineError('UnknownDataset', `no demo dataset named "${ref.name}"`);
    if (!Number.isInteger(ref.rows) || ref.rows < 0 || ref.rows > 2 ** 40) {
      throw new EngineError('BadDataset', `demo rows must be a whole number ≥ 0, got ${ref.rows}`);
    }
    const t0 = performance.now();
    await this.pool.heal();
    await this.closeDataset();
    const ds = this.adoptResident(() => this.store.create(demo.name, ref.rows, this.chunkRows, demo.columns));
    await generate(this.pool, this.alloc, ds, demo.kernel, ref.seed, ++this.gen, onProgress);
    this.dsInfo = this.info0('demo', 0, performance.now() - t0);
    return this.describe();
  }

  /** Opens columns held in JS arrays, decoded lazily like a file's (tests, small readers). */
  async openColumns(name: string, rows: number, columns: ColumnData[]): Promise<DatasetInfo> {
    await this.closeDataset();
    const source = columnsSource(rows, columns, this.chunkRows);
    return this.adopt(source, 0, 0, name);
  }

  private adopt(base: Source, fileBytes: number, loadMs: number, name?: string): DatasetInfo {
    const { schema } = base;
    const ds = this.store.createLazy(name ?? schema.format, schema.chunkRows, schema.columns);
    const source = new DerivedSource(base, () => ds.columns.map((c) => c.info));
    this.ds = ds;
    this.source = source;
    this.loader = new PageLoader(this.store, ds, source, Math.max(2, this.pool.size * 2));
    this.dsInfo = this.info0(schema.format, fileBytes, loadMs);
    return this.describe();
  }

  private adoptResident(make: () => Dataset): Dataset {
    try {
      this.ds = make();
    } catch (e) {
      if (e instanceof OutOfMemoryError) throw new EngineError('OutOfMemory', e.message);
      throw e;
    }
    return this.ds;
  }

  /**
   * Reads the named columns once across all workers and does nothing else:
   * the memory-bandwidth floor that a pass over the same columns is measured against.
   */
  async scanSum(columns: string[]): Promise<{ ms: number; bytes: number; sums: number[] }> {
    const ds = this.need();
    const cols = columns.map((n) => this.column(ds, n));
    await this.ensureResident(ds, cols);
    const t0 = performance.now();
    try {
      const result = await scan(this.pool, this.alloc, ds, cols);
      return { ...result, ms: performance.now() - t0 };
    } finally {
      this.loader?.unpin(allChunks(ds), cols);
    }
  }

  /**
   * Test-only (workers/engine/faults.test.ts, e2e/faults.spec.ts): kernel
   * worker `worker` fails in its next run after `afterChunks` chunks, or when
   * that run's chunks run out — it throws, or dies as a crash would.
   */
  injectFault(worker: number, fault: Fault | null): Promise<void> {
    return this.pool.injectFault(worker, fault);
  }

  /** Checks a document against the open dataset; empty when valid. */
  check(doc: unknown): Diagnostic[] {
    if (!this.ds) return [{ message: 'no dataset is open' }];
    const v = validate(doc, this.schemaOf(this.ds));
    return v.ok ? [] : v.diagnostics;
  }

  /**
   * Runs an analysis over the open dataset: all histograms and the cut-flow in
   * one pass. A run already going is cancelled (its promise resolves with
   * status "cancelled"); partials never cross from one run to another. Columns
   * the analysis reads are decoded first; when they exceed the memory budget
   * the pass streams in windows (decode → compute → evict), the next window
   * decoding while kernels run on the current one.
   */
  async run(doc: unknown, listener: RunListener = {}): Promise<RunResult> {
    const ds = this.need();
    const first = this.validated(doc, ds);
    this.cancel();
    const previous = this.current;
    const gen = ++this.gen;
    const job: Job = { gen, cancelled: false, state: null, abort: new AbortController(), done: Promise.resolve() };
    this.current = job;
    const guarded: RunListener = {
      onProgress: (p) => { if (this.gen === gen) listener.onProgress?.(p); },
      onPartial: (r) => { if (this.gen === gen) listener.onPartial?.(r); },
    };
    const work = (async () => {
      if (previous) await previous.done.catch(() => undefined);
      // a worker that died in an earlier run is replaced before this one counts on it
      await this.pool.heal();
      return this.execute(job, ds, doc, first, guarded);
    })();
    job.done = work;
    try {
      return await work;
    } catch (e) {
      if (e instanceof OutOfMemoryError) throw new EngineError('OutOfMemory', e.message);
      throw e;
    } finally {
      if (this.current === job) this.current = null;
    }
  }

  private async execute(
    job: Job, ds: Dataset, doc: unknown, first: ReturnType<typeof compile>, listener: RunListener,
  ): Promise<RunResult> {
    const t0 = performance.now();
    const cols = readColumns(doc, ds, first.columns);
    if (job.cancelled) return this.cancelledResult(job, first, t0);
    const loader = this.loader;
    if (!ds.lazy || !loader) {
      const state = new RunState(job.gen, first, ds, this.pool, this.alloc, this.vecLen, listener, { t0 });
      job.state = state;
      if (job.cancelled) state.cancel();
      return state.result;
    }
    const windows = planWindows(ds, cols, this.store.budgetBytes);
    const signal = job.abort.signal;
    let prior: Float64Array | null = null;
    let rowsBefore = 0;
    let loading: Promise<void> | null = loader.load(windows.chunks[0] ?? [], cols, signal);
    let result: RunResult | null = null;
    try {
      for (let k = 0; k < windows.chunks.length; k++) {
        const chunks = windows.chunks[k]!;
        listener.onProgress?.(progressAt(job.gen, rowsBefore, ds.rows, t0));
        await (loading ?? loader.load(chunks, cols, signal));
        loading = null;
        // pages written before a column widened are converted now, while no kernel reads them
        await loader.settleAndRefill(chunks, cols, signal);
        if (job.cancelled) break;
        let plan = this.validated(doc, windowView(ds, chunks));
        // a plan never reads a page that isn't loaded (decoding can change what it reads)
        for (let extra = missing(ds, plan.columns, cols); extra.length > 0; extra = missing(ds, plan.columns, cols)) {
          await loader.load(chunks, extra, signal);
          cols.push(...extra);
          await loader.settleAndRefill(chunks, extra, signal);
          plan = this.validated(doc, windowView(ds, chunks));
        }
        if (job.cancelled) break;
        if (windows.prefetch && k + 1 < windows.chunks.length) {
          loading = loader.load(windows.chunks[k + 1]!, cols, signal);
          loading.catch(() => undefined);
        }
        const state = new RunState(job.gen, plan, windowView(ds, chunks), this.pool, this.alloc, this.vecLen, listener, {
          prior, rowsBefore, rowsTotal: ds.rows, t0,
        });
        job.state = state;
        if (job.cancelled) state.cancel();
        result = await state.result;
        job.state = null;
        loader.unpin(chunks, cols);
        if (result.status === 'cancelled') return result;
        prior = state.totals;
        rowsBefore += chunks.reduce((n, c) => n + ds.chunkRows[c]!, 0);
      }
    } catch (e) {
      if (job.cancelled && signal.aborted) return this.cancelledResult(job, first, t0);
      throw e;
    } finally {
      job.abort.abort();
      if (loading) await loading.catch(() => undefined);
      loader.unpin(allChunks(ds), cols);
      this.store.shrinkToBudget();
    }
    return result && !job.cancelled ? result : this.cancelledResult(job, first, t0);
  }

  private cancelledResult(job: Job, plan: ReturnType<typeof compile>, t0: number): RunResult {
    const ds = this.need();
    return {
      gen: job.gen, status: 'cancelled', rows: ds.rows, rowsDone: 0,
      cutflow: plan.filters.map((name) => ({ name, pass: 0, total: 0 })), histograms: [],
      elapsedMs: performance.now() - t0, workers: this.pool.size,
    };
  }

  /**
   * Validates against the dataset's current schema and compiles; errors carry
   * diagnostics. Reductions of jagged columns become columns of the dataset
   * (computed when their pages decode) the first time an analysis uses them.
   */
  private validated(doc: unknown, ds: Dataset) {
    const v = validate(doc, this.schemaOf(ds));
    if (!v.ok) throw new EngineError('InvalidAnalysis', v.diagnostics.map((d) => d.message).join('\n'), v.diagnostics);
    for (const spec of v.analysis.derived) {
      if (ds.column(spec.name)) continue;
      if (!this.source || ds !== this.ds) throw new EngineError('Unsupported', `${spec.name}: this dataset has no list columns`);
      this.store.addColumn(ds, { name: spec.name, type: 'f64', derived: true });
      this.source.add(ds.columns.length - 1, spec);
    }
    return compile(v.analysis, ds);
  }

  private schemaOf(ds: Dataset) {
    return {
      columns: ds.columns.filter((c) => !c.info.derived).map((c) => c.info),
      jagged: this.source?.schema.jagged ?? [],
    };
  }

  /** Cancels the run in flight, if any; workers stop at their next chunk, decoding stops. */
  cancel(): void {
    const job = this.current;
    if (!job) return;
    job.cancelled = true;
    job.abort.abort();
    job.state?.cancel();
  }

  /**
   * min/max/mean/NaN count and a sparkline per numeric column: min and max
   * from the resident pages, then one engine pass that histograms every column
   * over its range (so count, mean and the sparkline come from the kernels).
   */
  async columnStats(names: string[]): Promise<ColumnStats[]> {
    const ds = this.need();
    const cols = names.map((n) => this.column(ds, n)).filter((c) => c.info.type !== 'dict');
    if (this.current) await this.current.done.catch(() => undefined);
    await this.ensureResident(ds, cols);
    let ranges: [number, number][];
    try {
      ranges = pageRanges(this.alloc.memory.buffer, ds, cols);
    } finally {
      this.loader?.unpin(allChunks(ds), cols);
    }
    return statsOf(cols, ranges, await this.run(statsDoc(ds.name, cols, ranges)));
  }

  /** Loads every page of `cols` (pinned) when the dataset is lazy; fails cleanly past the budget. */
  private async ensureResident(ds: Dataset, cols: Column[]): Promise<void> {
    if (!ds.lazy || !this.loader) return;
    try {
      await this.loader.load(allChunks(ds), cols);
      await this.loader.settleAndRefill(allChunks(ds), cols);
    } catch (e) {
      this.loader.unpin(allChunks(ds), cols);
      if (e instanceof OutOfMemoryError) throw new EngineError('OutOfMemory', e.message);
      throw e;
    }
  }

  /** Frees a column's resident pages; the next run that reads it decodes it again. */
  evict(column: string): number {
    const ds = this.need();
    this.column(ds, column);
    return this.store.evictColumn(ds, column);
  }

  /** Changes the memory budget for column data (evicting down to it when lower). */
  setBudget(bytes: number): void {
    this.store.budgetBytes = checkBudget(bytes);
    this.store.shrinkToBudget();
  }

  memory(): MemoryStats {
    return this.store.stats();
  }

  async close(): Promise<void> {
    await this.closeDataset();
    this.pool.close();
  }

  private async closeDataset(): Promise<void> {
    const running = this.current;
    this.cancel();
    if (running) await running.done.catch(() => undefined);
    if (this.ds) this.store.drop(this.ds);
    await this.source?.close();
    this.ds = null;
    this.source = null;
    this.loader = null;
    this.dsInfo = null;
  }

  private need(): Dataset {
    if (!this.ds) throw new EngineError('NoDataset', 'open a dataset first');
    return this.ds;
  }

  private column(ds: Dataset, name: string): Column {
    const c = ds.column(name);
    if (!c) throw new EngineError('UnknownColumn', `no column named "${name}"`);
    return c;
  }

  private info0(format: DatasetInfo['format'], fileBytes: number, loadMs: number): DatasetInfo {
    const ds = this.need();
    const schema = this.source?.schema;
    return {
      name: ds.name, format, rows: ds.rows, chunks: ds.chunkRows.length, fileBytes,
      columns: [], jagged: schema?.jagged ?? [], unsupported: schema?.unsupported ?? [], notes: schema?.notes ?? [],
      loadMs,
    };
  }

  /** The dataset as it is now: column types, dictionaries and resident bytes change as pages decode. */
  private describe(): DatasetInfo {
    const ds = this.need();
    const columns = ds.columns.filter((c) => !c.info.derived);
    return { ...this.dsInfo!, columns: columns.map((c) => ({ ...c.info, bytes: c.bytes })) };
  }
}

