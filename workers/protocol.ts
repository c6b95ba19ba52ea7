// Every type that crosses a thread boundary, in one place: engine ↔ kernel
// workers (through comlink) and engine ↔ UI. Memory regions cross as offsets
// into the one shared WebAssembly.Memory, never as copies.
import type { ColumnInfo, MemoryStats } from './store';
import type { Diagnostic } from './expr/diagnostic';
import type { ByteHandle, JaggedColumn, PageResult, SourceSchema } from './sources/source';

// ---------------------------------------------------------------- kernel workers

/**
 * Per-run control block in shared memory (Int32Array words). Workers claim
 * chunks with Atomics.add on NEXT, so a slow chunk never idles the others.
 * Snapshot handshake: the engine bumps REQ(w); between chunks worker w copies
 * its accumulators to its snapshot region and stores ACK(w) = REQ(w). The
 * engine reads a snapshot only when ACK == REQ, so partials are consistent.
 */
export const Ctl = {
  NEXT: 0,
  CANCEL: 1,
  GEN: 2,
  CHUNKS_DONE: 3,
  /** BigInt64 word index (i32 words 4..5): rows processed so far */
  ROWS64: 2,
  REQ: (w: number) => 8 + 4 * w,
  ACK: (w: number) => 9 + 4 * w,
  FINISHED: (w: number) => 10 + 4 * w,
  words: (workers: number) => 8 + 4 * workers,
} as const;

export interface RunTask {
  gen: number;
  /** RunDesc pointer (kernels/layout.ts) */
  run: number;
  ctl: number;
  /** this worker's index in the control block */
  slot: number;
  /** WorkerDesc pointer */
  wd: number;
  /** this worker's snapshot region (accBytes) */
  snap: number;
  acc: number;
  accBytes: number;
  nChunks: number;
}

export interface GenTask {
  gen: number;
  ctl: number;
  slot: number;
  /** exported kernel name, e.g. "gen_dimuon" */
  kernel: string;
  seed: number;
  /** u32 per chunk per column: the column data pointers, chunk-major */
  table: number;
  nColumns: number;
  /** f64 per chunk: first row; u32 per chunk: rows */
  rowStart: number;
  chunkRows: number;
  nChunks: number;
}

/** Read whole column chunks (the bandwidth floor; later column statistics). */
export interface ScanTask {
  ctl: number;
  slot: number;
  /** u32 per chunk per column: [data pointer, bytes], chunk-major */
  table: number;
  nColumns: number;
  nChunks: number;
}

export interface ScanReport {
  chunks: number;
  /** per column checksum of the bytes read */
  sums: number[];
}

export interface TaskReport {
  gen: number;
  chunks: number;
  cancelled: boolean;
  ms: number;
}

/**
 * Decode one chunk of a file on a kernel worker (parallel parsing). The worker
 * gets the raw bytes (transferred) or reads them itself through `handle`, and
 * writes numeric pages straight into the shared memory at `dest`.
 */
export interface DecodeTask {
  /** a decoder registered in workers/sources/decoders.ts, e.g. "csv" */
  decoder: string;
  bytes?: Uint8Array;
  handle?: ByteHandle;
  offset?: number;
  length?: number;
  /** the decoder's own arguments (plain data: types, delimiter, which fields) */
  args: unknown;
  /** per requested page: destination pointer in the shared memory (0 = none, e.g. dict) */
  dest: number[];
  /** bytes of scratch the decoder can use (its WASM path); the context fills `scratch` when it can */
  scratchBytes?: number;
  /** a region of the shared memory the worker may use while decoding (the csv decoder's WASM path needs one: chunkScratchBytes) */
  scratch?: { ptr: number; bytes: number };
}

/**
 * Decode several byte ranges of one file in order, read through one sequential
 * stream (a File read piece by piece costs several times more; see
 * workers/sources/stream.ts). Parts are ascending and don't overlap; bytes
 * between them are skipped.
 */
export interface DecodeSpanTask {
  decoder: string;
  handle: ByteHandle;
  parts: DecodePart[];
  /** bytes of scratch the decoder can use (its WASM path); the context fills `scratch` when it can */
  scratchBytes?: number;
  scratch?: { ptr: number; bytes: number };
}

export interface DecodePart {
  offset: number;
  length: number;
  args: unknown;
  dest: number[];
}

/** Stream one byte range of a file and summarise it (the CSV indexing pass, range by range on the workers). */
export interface RangeScanTask {
  /** a scanner registered in workers/sources/decoders.ts, e.g. "csv-rows" */
  scanner: string;
  handle: ByteHandle;
  offset: number;
  length: number;
  args: unknown;
  /** bytes of scratch the scanner can use (its WASM path); the context fills `scratch` when it can */
  scratchBytes?: number;
  scratch?: { ptr: number; bytes: number };
}

export interface DecodeReport {
  /** one per requested page, in order */
  pages: PageResult[];
  /** decoder-specific facts (e.g. rows skipped) */
  info?: unknown;
}

/** The API each kernel worker exposes (comlink). Calls are coarse: one per run. */
export interface KernelWorkerApi {
  init(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<void>;
  run(task: RunTask): Promise<TaskReport>;
  generate(task: GenTask): Promise<TaskReport>;
  scan(task: ScanTask): Promise<ScanReport>;
  decode(task: DecodeTask): Promise<DecodeReport>;
  /** one report per part, in order */
  decodeSpan(task: DecodeSpanTask): Promise<DecodeReport[]>;
  /** the scanner's summary (plain data) */
  scanRange(task: RangeScanTask): Promise<unknown>;
  /** Test-only (e2e/README.md): fail during the coming run(s) once `afterChunks` more chunks are done, or at the end of a run's chunks at the latest */
  fault(fault: Fault | null): Promise<void>;
}

/**
 * A fault a test injects into a kernel worker: `throw` fails its task (the
 * worker lives on); `die` stops the worker mid-run without answering, as a
 * crash would.
 */
export interface Fault {
  afterChunks: number;
  how: 'throw' | 'die';
}

// ---------------------------------------------------------------- engine ↔ UI

/** Errors cross boundaries flattened (DuckDB-WASM habit). */
export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string;
  diagnostics?: Diagnostic[];
}

export interface EngineInfo {
  workers: number;
  /** true when the memory is shared across workers (cross-origin isolated) */
  shared: boolean;
  vecLen: number;
  chunkRows: number;
}

export interface DatasetInfo {
  name: string;
  /** 'demo' for generated data, else the file format */
  format: SourceSchema['format'];
  rows: number;
  chunks: number;
  /** size of the file on disk (0 for demo data) */
  fileBytes: number;
  /** bytes: resident bytes of the column now (columns decode lazily, so 0 until a run reads them) */
  columns: (ColumnInfo & { bytes: number })[];
  /** per-event variable-length columns (ROOT), usable through reductions */
  jagged: JaggedColumn[];
  /** what the file holds that Sift cannot read, with the reason */
  unsupported: { name: string; reason: string }[];
  notes: string[];
  /** time to produce or open, ms */
  loadMs: number;
}

/** Where a dataset comes from, as the UI hands it to the engine. */
export type DataRef =
  | { kind: 'demo'; name: string; rows: number; seed: number }
  | { kind: 'file'; file: Blob; name: string }
  | { kind: 'url'; url: string };

/** Opening a file: bytes indexed so far (CSV reads the file once to find its rows). */
export interface OpenProgress {
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
  bytesPerSec: number;
  etaMs: number;
}

/** One column's statistics from a kernel pass (on demand: it decodes the column). */
export interface ColumnStats {
  name: string;
  /** non-NaN values */
  count: number;
  nan: number;
  min: number;
  max: number;
  mean: number;
  /** a small histogram over [min, max] for a sparkline */
  sparkline: number[];
}

export interface HistogramResult {
  name: string;
  /** x axis; y present for 2D */
  x: { bins: number; lo: number; hi: number };
  y?: { bins: number; lo: number; hi: number };
  weighted: boolean;
  /** per-bin counts; 2D: row-major nx*ny, index ix * ny + iy */
  bins: number[];
  sumw: number[];
  sumw2: number[];
  /** rows below the range (2D: below on either axis) */
  underflow: number;
  /** rows above the range (2D: above on either axis, below on neither) */
  overflow: number;
  /** rows where a coordinate is NaN */
  nan: number;
  /** selected rows with no NaN coordinate, in range or not */
  entries: number;
  /** of in-range rows, weighted; 2D: of x */
  mean: number;
  std: number;
  meanY?: number;
  stdY?: number;
}

export interface CutflowRow {
  name: string;
  pass: number;
  total: number;
}

export interface RunProgress {
  gen: number;
  rowsDone: number;
  rowsTotal: number;
  elapsedMs: number;
  rowsPerSec: number;
  etaMs: number;
}

export interface RunResult {
  gen: number;
  /** partial: a snapshot while running */
  status: 'done' | 'cancelled' | 'partial';
  rows: number;
  /** rows processed (less than rows when cancelled) */
  rowsDone: number;
  cutflow: CutflowRow[];
  histograms: HistogramResult[];
  elapsedMs: number;
  workers: number;
}

export interface RunListener {
  onProgress?(p: RunProgress): void;
  /** a consistent partial result; never from a run other than `gen` */
  onPartial?(r: RunResult): void;
}

/** A file whose parsed columns the column cache holds (browser engine only). */
export interface ColumnCacheEntry {
  id: string;
  /** the file's fingerprint: the result cache's dataset identity too */
  fingerprint: string;
  label: string;
  bytes: number;
}

export type { MemoryStats };
