import { Allocator, OutOfMemoryError, fmt } from './Allocator';
import { elementBytes, type ColumnInfo, type ColumnType } from './types';

/**
 * One column: its schema entry and one page (block of shared memory) per
 * chunk. Pages of a column read from a file are virtual: 0 until a run needs
 * them, evicted again under the budget. The type of a file's column can widen
 * while pages decode (CSV), so every page records the type it was written as.
 */
export interface Column {
  readonly id: number;
  info: ColumnInfo;
  /** element width for pages written from now on */
  elementBytes: number;
  /** data pointer of each chunk's page; 0 = not resident */
  readonly chunks: number[];
  /** type each resident page was written as (null = not resident) */
  readonly pageType: (ColumnType | null)[];
  /** element width of each resident page */
  readonly pageBytes: number[];
  /** pins per page: a pinned page is never evicted */
  readonly pins: number[];
  /** resident bytes */
  bytes: number;
  /** dict columns: string → code, kept with info.dictionary (append-only) */
  dictIndex?: Map<string, number>;
}

export interface Dataset {
  readonly id: number;
  readonly name: string;
  readonly rows: number;
  /** rows in each chunk; chunk c covers rows [rowStart[c], rowStart[c] + chunkRows[c]) */
  readonly chunkRows: number[];
  readonly rowStart: number[];
  readonly columns: Column[];
  /** false for generated or handed-over data: its pages are the only copy and never evicted */
  readonly lazy: boolean;
  column(name: string): Column | undefined;
}

export interface MemoryStats {
  /** bytes of column data resident in memory */
  columnBytes: number;
  /** bytes held by runs in flight (registers, accumulators, descriptors) */
  scratchBytes: number;
  budgetBytes: number;
  /** size of the shared WebAssembly.Memory (it never shrinks) */
  memoryBytes: number;
  /** pages decoded since the store was made, and pages evicted (for tests and the memory panel) */
  pagesDecoded: number;
  pagesEvicted: number;
  /** string dictionaries, estimated: they live in the engine's JS heap, outside the memory and its budget */
  dictionaryBytes: number;
  columns: { name: string; bytes: number; residentChunks: number; chunks: number; dictionaryBytes: number }[];
}

/** V8's cost of a dictionary entry beyond its characters: string header, array slot, index Map entry. */
const DICT_ENTRY_BYTES = 48;

/**
 * The column store: datasets whose pages live in the shared memory. It owns
 * the layout (through the allocator), the accounting against a budget, and
 * the eviction of the least recently used unpinned pages of lazy datasets.
 */
export class ColumnStore {
  private datasets = new Map<number, Dataset>();
  private nextId = 1;
  private nextColumn = 1;
  private columnBytes = 0;
  /** resident pages of lazy datasets in least-recently-used order (Map keeps insertion order) */
  private lru = new Map<number, { col: Column; chunk: number }>();
  private decoded = 0;
  private evicted = 0;
  private chunkRowsOf = new Map<number, number[]>();
  private names = new WeakMap<Dataset, Map<string, Column>>();
  /** per dictionary array (append-only): entries counted so far and their bytes */
  private dictCounted = new WeakMap<readonly string[], { n: number; bytes: number }>();

  constructor(readonly alloc: Allocator, public budgetBytes: number) {}

  /** A dataset whose every page is allocated now (generated or handed-over data). */
  create(name: string, rows: number, chunkRows: number, schema: ColumnInfo[]): Dataset {
    const sizes = splitRows(rows, chunkRows);
    const need = schema.reduce((s, c) => s + rows * elementBytes(c.type, c.dictionary?.length), 0);
    if (this.columnBytes + need > this.budgetBytes) this.evictFor(need, name);
    const ds = this.make(name, sizes, schema, false);
    try {
      for (const col of ds.columns) {
        sizes.forEach((n, c) => this.place(col, c, n, col.info.type, col.elementBytes));
      }
    } catch (e) {
      this.drop(ds);
      throw e;
    }
    return ds;
  }

  /** A dataset of virtual columns: chunk sizes and schema known, no page resident. */
  createLazy(name: string, chunkRows: number[], schema: ColumnInfo[]): Dataset {
    return this.make(name, chunkRows.slice(), schema, true);
  }

  private make(name: string, sizes: number[], schema: ColumnInfo[], lazy: boolean): Dataset {
    const rowStart: number[] = [];
    let r0 = 0;
    for (const n of sizes) { rowStart.push(r0); r0 += n; }
    const columns = schema.map((info) => this.newColumn(info, sizes));
    for (const c of columns) this.chunkRowsOf.set(c.id, sizes);
    const byName = new Map(columns.map((c) => [c.info.name, c]));
    const ds: Dataset = {
      id: this.nextId++, name, rows: r0, chunkRows: sizes, rowStart, columns, lazy,
      column: (n) => byName.get(n),
    };
    this.names.set(ds, byName);
    this.datasets.set(ds.id, ds);
    return ds;
  }

  /** Adds a virtual column to a lazy dataset (a reduction of a jagged column); it decodes like the others. */
  addColumn(ds: Dataset, info: ColumnInfo): Column {
    const byName = this.names.get(ds)!;
    if (byName.has(info.name)) throw new Error(`column ${info.name} exists`);
    const col = this.newColumn(info, ds.chunkRows);
    this.chunkRowsOf.set(col.id, ds.chunkRows);
    ds.columns.push(col);
    byName.set(info.name, col);
    return col;
  }

  private newColumn(info: ColumnInfo, sizes: number[]): Column {
    const col: Column = {
      id: this.nextColumn++,
      info: { ...info, ...(info.dictionary ? { dictionary: info.dictionary.slice() } : {}) },
      elementBytes: elementBytes(info.type, info.dictionary?.length),
      chunks: sizes.map(() => 0),
      pageType: sizes.map(() => null),
      pageBytes: sizes.map(() => 0),
      pins: sizes.map(() => 0),
      bytes: 0,
    };
    if (info.type === 'dict') col.dictIndex = new Map((col.info.dictionary ?? []).map((s, i) => [s, i]));
    return col;
  }

  /**
   * Allocates the page of `col` for chunk `chunk` (rows × width bytes),
   * evicting least recently used unpinned pages to stay within the budget.
   * The page starts pinned once; the caller unpins it when done.
   */
  allocPage(col: Column, chunk: number, rows: number, type: ColumnType, width: number): number {
    if (col.chunks[chunk] !== 0) this.freePage(col, chunk);
    const need = rows * width;
    if (this.columnBytes + need > this.budgetBytes) this.evictFor(need, col.info.name);
    this.decoded++;
    return this.place(col, chunk, rows, type, width, true);
  }

  private place(col: Column, chunk: number, rows: number, type: ColumnType, width: number, lazy = false): number {
    const ptr = this.alloc.alloc(rows * width);
    col.chunks[chunk] = ptr;
    col.pageType[chunk] = type;
    col.pageBytes[chunk] = width;
    col.bytes += rows * width;
    this.columnBytes += rows * width;
    if (lazy) {
      col.pins[chunk] = 1;
      this.lru.set(pageKey(col, chunk), { col, chunk });
    }
    return ptr;
  }

  freePage(col: Column, chunk: number): void {
    const ptr = col.chunks[chunk]!;
    if (ptr === 0) return;
    const bytes = this.rowsOf(col, chunk) * col.pageBytes[chunk]!;
    this.alloc.release(ptr);
    col.chunks[chunk] = 0;
    col.pageType[chunk] = null;
    col.pageBytes[chunk] = 0;
    col.pins[chunk] = 0;
    col.bytes -= bytes;
    this.columnBytes -= bytes;
    this.lru.delete(pageKey(col, chunk));
  }

  pin(col: Column, chunk: number): void {
    col.pins[chunk]! += 1;
    this.touch(col, chunk);
  }

  unpin(col: Column, chunk: number): void {
    if (col.pins[chunk]! > 0) col.pins[chunk]! -= 1;
  }

  /** Marks a page as just used: it becomes the last to be evicted. */
  touch(col: Column, chunk: number): void {
    const key = pageKey(col, chunk);
    const entry = this.lru.get(key);
    if (!entry) return;
    this.lru.delete(key);
    this.lru.set(key, entry);
  }

  /** Frees every unpinned page of a lazy column; returns the bytes freed. */
  evictColumn(ds: Dataset, name: string): number {
    const col = ds.column(name);
    if (!col || !ds.lazy) return 0;
    const before = col.bytes;
    col.chunks.forEach((p, c) => { if (p !== 0 && col.pins[c] === 0) { this.freePage(col, c); this.evicted++; } });
    return before - col.bytes;
  }

  /** Evicts unpinned pages down to the budget (after the budget was lowered). */
  shrinkToBudget(): void {
    if (this.columnBytes > this.budgetBytes) this.evictFor(0, '');
  }

  private evictFor(need: number, what: string): void {
    for (const [key, { col, chunk }] of this.lru) {
      if (this.columnBytes + need <= this.budgetBytes) return;
      if (col.pins[chunk]! > 0) continue;
      this.lru.delete(key);
      this.freePage(col, chunk);
      this.evicted++;
    }
    if (this.columnBytes + need > this.budgetBytes && what !== '') {
      throw new OutOfMemoryError(
        `"${what}" needs ${fmt(need)} more; the memory budget is ${fmt(this.budgetBytes)} and ` +
          `${fmt(this.columnBytes)} is held by data in use. Raise the budget or use fewer rows.`,
      );
    }
  }

  private rowsOf(col: Column, chunk: number): number {
    const rows = this.chunkRowsOf.get(col.id);
    if (!rows) throw new Error('page of an unknown column');
    return rows[chunk]!;
  }

  drop(ds: Dataset): void {
    if (!this.datasets.has(ds.id)) return;
    for (const col of ds.columns) {
      col.chunks.forEach((p, c) => {
        if (p === 0) return;
        const bytes = ds.chunkRows[c]! * col.pageBytes[c]!;
        this.alloc.release(p);
        this.columnBytes -= bytes;
        this.lru.delete(pageKey(col, c));
        col.chunks[c] = 0;
        col.pageType[c] = null;
        col.pageBytes[c] = 0;
      });
      col.bytes = 0;
      this.chunkRowsOf.delete(col.id);
    }
    this.datasets.delete(ds.id);
  }

  /** A dictionary's estimated heap bytes, counting only the entries added since the last call (stats() runs every second). */
  private dictionaryBytes(dict: readonly string[]): number {
    let seen = this.dictCounted.get(dict);
    if (!seen) this.dictCounted.set(dict, (seen = { n: 0, bytes: 0 }));
    for (; seen.n < dict.length; seen.n++) {
      const v = dict[seen.n]!;
      // V8 keeps Latin-1 strings at a byte a character, others at two
      seen.bytes += DICT_ENTRY_BYTES + (/[^\u0000-\u00ff]/.test(v) ? 2 : 1) * v.length;
    }
    return seen.bytes;
  }

  /** Scratch is everything allocated that is not a column: runs' descriptors, registers, accumulators. */
  stats(): MemoryStats {
    const scratchBytes = this.alloc.allocated - this.columnBytes;
    const columns: MemoryStats['columns'] = [];
    let dictionaryBytes = 0;
    for (const ds of this.datasets.values()) {
      for (const c of ds.columns) {
        const dict = c.info.dictionary ? this.dictionaryBytes(c.info.dictionary) : 0;
        dictionaryBytes += dict;
        columns.push({
          name: c.info.name, bytes: c.bytes,
          residentChunks: c.chunks.reduce((n, p) => n + (p !== 0 ? 1 : 0), 0), chunks: c.chunks.length,
          dictionaryBytes: dict,
        });
      }
    }
    return {
      dictionaryBytes,
      columnBytes: this.columnBytes,
      scratchBytes,
      budgetBytes: this.budgetBytes,
      memoryBytes: this.alloc.memory.buffer.byteLength,
      pagesDecoded: this.decoded,
      pagesEvicted: this.evicted,
      columns,
    };
  }
}

function pageKey(col: Column, chunk: number): number {
  return col.id * 2 ** 26 + chunk;
}

export function splitRows(rows: number, chunkRows: number): number[] {
  const sizes: number[] = [];
  for (let r = 0; r < rows; r += chunkRows) sizes.push(Math.min(chunkRows, rows - r));
  return sizes;
}
