// Memory layouts shared by the kernels and the TypeScript engine. The engine
// (main thread) writes these structures into the shared memory; kernels read
// them. Common subset of AssemblyScript and TypeScript: enums of offsets only.

/** RunDesc: i32 words describing one run; read-only while the run is going. */
export enum Run {
  /** body instruction count and pointer */
  N_BODY = 0,
  BODY = 1,
  /** prologue (executed once per worker per run, after acc is zeroed) */
  N_PRO = 2,
  PRO = 3,
  /** f64[] constants for SPLAT */
  CONSTS = 4,
  N_REGS = 5,
  /** lanes per register; a multiple of 16 */
  VEC_LEN = 6,
  N_COLS = 7,
  /** i32[N_COLS]: log2 of each column slot's element size */
  COL_SHIFT = 8,
  /** u32[N_CHUNKS * (1 + N_COLS)]: per chunk [rows, data ptr of each column slot] */
  CHUNKS = 9,
  N_CHUNKS = 10,
  /** HistDesc[N_HISTS] */
  HISTS = 11,
  N_HISTS = 12,
  N_COUNTERS = 13,
  /** bytes of one worker's accumulator block */
  ACC_BYTES = 14,
  WORDS = 16,
}

/** WorkerDesc: i32 words, one per worker per run: where its private regions are. */
export enum Worker {
  /** u32[N_REGS + N_COLS] slot pointer table; slot s < N_REGS is register s, else column slot s - N_REGS */
  SLOTS = 0,
  /** N_REGS * VEC_LEN f64, 16-byte aligned */
  REGS = 1,
  /**
   * Scratch of Scratch.LANE_BYTES * VEC_LEN + Scratch.EXTRA bytes, 16-byte aligned: Scratch.CONSTS
   * bytes where a kernel keeps splatted constants for its inner loop, i32[VEC_LEN] histogram
   * slot indices, i32 selected rows (COMPACT) in VEC_LEN * 4 + Scratch.SEL_PAD bytes, then
   * Scratch.TABLE bytes of COMPACT's swizzles (written by vm_init).
   */
  IDX = 2,
  /** accumulators: f64 counters[N_COUNTERS], then each histogram at its ACC_OFFSET */
  ACC = 3,
  WORDS = 4,
}

/** Sizes of the WorkerDesc IDX scratch. */
export enum Scratch {
  CONSTS = 512,
  LANE_BYTES = 8,
  SEL_PAD = 64,
  TABLE = 256,
  EXTRA = 832,
}

/**
 * HistDesc: 16 f64 per histogram. Per-axis binning (lo, hi, inv = n / (hi - lo), n);
 * for 1D, NY is 0. The bin rule, for x with t = (x - lo) * inv in f64:
 *   NaN -> NaN slot; x >= hi -> overflow; floor(t) < 0 -> underflow;
 *   otherwise bin min(floor(t), n - 1).
 * Slots (per copy): 0 NaN; 1 + sy * (NX + 2) + sx with sx, sy in 0 (under), 1..n (bins),
 * n + 1 (over) (sy = 0 for 1D); last slot (N_SLOTS - 1) is the trash for rows a mask drops.
 * N_SLOTS = (NX + 2) * (NY + 2 or 1) + 2.
 * At ACC_OFFSET (bytes from the worker's ACC): 8 f64 of stats
 *   [sum w*x, sum w*x^2, sum w*y, sum w*y^2, sum w*x*y] over rows inside the range on every axis, a word
 *   the kernels leave alone, then two words of the kernel's own (tries and misses of hist.ts's optimistic
 *   pass: per worker, not results, never merged),
 * then COPIES * N_SLOTS * STRIDE f64: copy-major, slot-major; STRIDE 1 = [count], 3 = [count, sum w, sum w^2].
 * Lane j of a vector (row j, or after a COMPACT the j-th kept row) is scattered into copy
 * (j & (COPIES - 1)); COPIES is 1, 2 or 4.
 */
export enum Hist {
  XLO = 0,
  XHI = 1,
  XINV = 2,
  NX = 3,
  YLO = 4,
  YHI = 5,
  YINV = 6,
  NY = 7,
  ACC_OFFSET = 8,
  STRIDE = 9,
  COPIES = 10,
  N_SLOTS = 11,
  WORDS = 16,
}

export const HIST_STATS = 8;

/**
 * CsvDesc: i32 words describing one CSV chunk for csv_decode. The chunk's bytes
 * lie at BYTES; the host writes an LF at BYTES + N_BYTES (a sentinel that ends
 * the last record) and keeps 32 readable bytes after it (16-byte loads).
 */
export enum Csv {
  BYTES = 0,
  N_BYTES = 1,
  /** the delimiter byte (0: a one-column file) */
  DELIM = 2,
  N_COLS = 3,
  /** rows the destinations hold: a chunk with more records bails */
  ROWS = 4,
  /** CsvCol[N_COLS] */
  COLS = 5,
  /** f64[23]: 10^0 … 10^22, exact */
  POW10 = 6,
  /** u32[INDEX_CAP]: the kernel's own, where each delimiter, LF, CR, quote lies (and the sentinel), a slice of the chunk at a time */
  INDEX = 7,
  /**
   * entries INDEX holds: the chunk is indexed in slices that end after their
   * last line end; a slice with no line end (a record with more structural
   * bytes than fit, less 32 for the blind stores) bails
   */
  INDEX_CAP = 8,
  /** u32[DICT_MASK + 1]: the text columns' one hash table, slots of entry number + 1 (the kernel clears it) */
  DICT_TABLE = 9,
  DICT_MASK = 10,
  /** CsvEntry[DICT_CAP]: every text column's entries, in order of first occurrence in the chunk */
  DICT_ENTRIES = 11,
  /** the most entries DICT_ENTRIES holds (≤ 65536, as codes are u16): a chunk with more distinct values bails */
  DICT_CAP = 12,
  /** out: the entries written */
  DICT_COUNT = 13,
  WORDS = 14,
}

/**
 * CsvCol: i32 words per column: what to do with its fields, and where to.
 * A DICT column is deduplicated in the kernel: per row a u16 code at DEST,
 * codes numbered by first occurrence (as PageDictionary numbers them), each
 * code a CsvEntry in Csv.DICT_ENTRIES.
 */
export enum CsvCol {
  KIND = 0,
  /** f64/f32/i32[ROWS] for numbers; u16[ROWS] codes for DICT */
  DEST = 1,
  /** out: the DICT column's entry count */
  COUNT = 2,
  /** u32[257] for DICT: code + 1 of each one-byte value (by byte) and of "" (at 256); 0 for none yet (the kernel clears it) */
  SMALL = 3,
  /** (a column is 32 bytes) */
  WORDS = 8,
}

/** CsvEntry: bytes of one DICT entry (a column's value at its first occurrence). */
export enum CsvEntry {
  /** 16 bytes: the field's first bytes, zero past its end */
  PREFIX = 0,
  /** u32 from Csv.BYTES */
  START = 16,
  /** u32 bytes */
  LEN = 20,
  /** u32: the column; LEN and COLUMN compare as one u64 */
  COLUMN = 24,
  /** u32: its code in the column */
  CODE = 28,
  BYTES = 32,
}

/** CsvCol.KIND values. */
export enum CsvKind {
  SKIP = 0,
  F64 = 1,
  F32 = 2,
  I32 = 3,
  DICT = 4,
}

/** csv_decode's answer when it does not handle a chunk (the JS decoder then decides); else the rows it read. */
export const CSV_BAIL = -1;

/**
 * CsvScanState: bytes of csv_scan's state between calls (the indexing pass,
 * workers/sources/csv/wasm-scan.ts). Positions and lines are f64 (files may
 * pass 4 GiB); the kernel updates every field but OUT and OUT_CAP.
 */
export enum CsvScan {
  /** f64: file offset of the call's first byte (advanced by the bytes scanned) */
  BASE = 0,
  /** f64: newlines seen so far, quoted or not */
  LFS = 8,
  /** f64: where the record in progress starts, and its line */
  RECORD_START = 16,
  RECORD_LINE = 24,
  /** f64: line of the last quote that opened a field (0: none) */
  QUOTE_LINE = 32,
  /** i32: quotes seen, mod 2 */
  IN_QUOTES = 40,
  /** i32: records in the chunk in progress */
  IN_CHUNK = 44,
  CHUNK_ROWS = 48,
  /** i32: the byte before the call's first byte */
  PREV = 52,
  /** u32: f64 pairs, one per event: a chunk's (start, line), or (end, -1) when it closes */
  OUT = 56,
  /** i32: pairs OUT holds; a call that would write more answers -1 */
  OUT_CAP = 60,
  BYTES = 64,
}
