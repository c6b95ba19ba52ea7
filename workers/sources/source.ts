// The contract between file formats and the engine. A format opens a file by
// reading its schema and row count (never its values); the engine then asks
// for the values of exactly the (column, chunk) pages a run references, and
// evicts them again under its memory budget. Everything here is plain data or
// async functions: no DOM, no Node (platform readers live in workers/node and
// workers/browser).
import type { ColumnType } from '../store/types';

/** Random access to a file's bytes: a Blob/File, a URL with range reads, a path in Node. */
export interface ByteReader {
  /** file name as the user knows it (for messages) */
  readonly name: string;
  readonly size: number;
  /** bytes [offset, offset + length), clipped at the end of the file */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** a cheap, serialisable handle other threads can read the same bytes through; absent when there is none */
  readonly handle?: ByteHandle;
}

/** Structured-cloneable: crosses to kernel workers so they read a file themselves. */
export type ByteHandle =
  | { kind: 'blob'; blob: Blob; name: string }
  | { kind: 'url'; url: string; name: string; size: number }
  | { kind: 'path'; path: string; name: string; size: number };

export interface SourceColumn {
  name: string;
  /** storage type once decoded; 'dict' columns get codes plus a dictionary */
  type: ColumnType;
  /** dictionary known at open (Arrow dictionary vectors); else built as pages decode */
  dictionary?: string[];
  unit?: string;
  /** f64 seconds since 1970-01-01 UTC: a calendar date, or an instant (shown as dates) */
  time?: 'date' | 'timestamp';
  description?: string;
  /** e.g. i64 values beyond 2^53 that f64 cannot hold exactly */
  warnings?: string[];
}

/** Per-event variable-length data (ROOT `Jet_pt[nJet]`): listed, usable through reductions. */
export interface JaggedColumn {
  name: string;
  /** element type as stored in the file */
  elementType: ColumnType;
  /** the counter branch, when the file names one */
  counter?: string;
}

export interface SourceSchema {
  format: 'csv' | 'tsv' | 'parquet' | 'arrow' | 'root' | 'demo' | 'columns';
  rows: number;
  /** rows per chunk, in row order; sums to `rows`. Pages are (column, chunk). */
  chunkRows: number[];
  columns: SourceColumn[];
  jagged: JaggedColumn[];
  /** what the file holds that Sift cannot read, and why: never dropped silently */
  unsupported: { name: string; reason: string }[];
  /** format-specific facts worth showing (e.g. "tree events", "delimiter ;", "3 row groups") */
  notes: string[];
}

/** What decoding one column of one chunk produced. */
export type PageResult =
  /** numeric/bool values were written into the destination the engine gave */
  | { kind: 'written'; warnings?: string[] }
  /** dictionary strings: codes into a page-local dictionary; the engine maps them to the column's dictionary */
  | { kind: 'dict'; codes: Uint8Array | Uint16Array | Uint32Array; dictionary: string[] }
  /**
   * A value in this page does not fit the column's type (CSV: "abc" in a column
   * sampled as numbers). The engine widens the column to `type` and asks again;
   * `reason` names file, line and column for the message ('' when only the
   * storage widens: a u8 column meeting 300).
   */
  | { kind: 'retype'; type: ColumnType; reason: string };

/** One column of one chunk to decode. */
export interface PageRequest {
  column: number;
  /**
   * For numeric/bool columns: a typed view over the shared memory, of the
   * column's storage type and the chunk's row count, to write into. For dict
   * columns: null (the result carries codes and a dictionary).
   */
  dest: Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array | null;
  /**
   * For dict columns, a hint: the column's dictionary so far (when short). A
   * source may number these strings as given (codes 0 … known.length − 1, the
   * page's dictionary starting with them) and the page's others after them:
   * the engine then copies the page's codes instead of mapping each one.
   */
  known?: readonly string[];
}

/** Runs a decode task on a kernel worker (parallel parsing); see protocol DecodeTask. */
export interface DecodeContext {
  /** number of workers that can decode at once */
  readonly parallelism: number;
  decode(task: import('../protocol').DecodeTask): Promise<import('../protocol').DecodeReport>;
  /** several parts read through one stream on one worker; a report per part */
  decodeSpan?(task: import('../protocol').DecodeSpanTask): Promise<import('../protocol').DecodeReport[]>;
  /** one range streamed and summarised on a worker (the CSV indexing pass) */
  scanRange?(task: import('../protocol').RangeScanTask): Promise<unknown>;
}

/** An opened file. `read` may be called for several chunks at once. */
export interface Source {
  readonly schema: SourceSchema;
  /** Decodes the requested columns of one chunk; results in request order. */
  read(chunk: number, pages: PageRequest[], signal?: AbortSignal): Promise<PageResult[]>;
  /**
   * Present when reading several consecutive chunks at once is cheaper than one
   * by one (a CSV File streamed on a worker): the same pages of each chunk;
   * results per chunk, in request order.
   */
  readSpan?(chunks: number[], pages: PageRequest[][], signal?: AbortSignal): Promise<PageResult[][]>;
  /** A jagged column's values over one chunk: row r holds values[offsets[r] .. offsets[r + 1]) (offsets from 0). */
  readList?(chunk: number, name: string, signal?: AbortSignal): Promise<{ offsets: Uint32Array; values: Float64Array }>;
  close(): Promise<void> | void;
}

export interface OpenOptions {
  /** a format id or extension, when the file's name and first bytes don't say */
  format?: string;
  /** CSV: explicit delimiter instead of sniffing; header presence */
  delimiter?: string;
  header?: boolean;
  /** CSV: skip malformed rows (counted in notes) instead of failing */
  skipBadRows?: boolean;
  /** ROOT: the tree to read when the file holds several */
  tree?: string;
  /** preferred rows per chunk where the format lets the reader choose (CSV) */
  chunkRows?: number;
  ctx?: DecodeContext;
  signal?: AbortSignal;
  /** bytes indexed so far, for an ingest progress bar */
  onProgress?(bytesDone: number, bytesTotal: number): void;
}

export interface SourceFormat {
  readonly id: SourceSchema['format'];
  /** lower-case file extensions, without the dot */
  readonly extensions: string[];
  /** true when the first bytes say this is the format (magic numbers) */
  sniff(head: Uint8Array): boolean;
  open(reader: ByteReader, opts: OpenOptions): Promise<Source>;
}
