import { Allocator, OutOfMemoryError, fmt } from './Allocator';
import { elementBytes, type ColumnInfo } from './types';

/** One column: its schema entry and one block of shared memory per chunk. */
export interface Column {
  readonly info: ColumnInfo;
  readonly elementBytes: number;
  /** data pointer of each chunk */
  readonly chunks: number[];
  bytes: number;
}

export interface Dataset {
  readonly id: number;
  readonly name: string;
  readonly rows: number;
  /** rows in each chunk; chunk c covers rows [rowStart[c], rowStart[c] + chunkRows[c]) */
  readonly chunkRows: number[];
  readonly rowStart: number[];
  readonly columns: Column[];
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
  columns: { name: string; bytes: number }[];
}

/**
 * The column store: datasets whose chunks live in the shared memory. It owns
 * the layout (through the allocator) and the accounting against a budget.
 */
export class ColumnStore {
  private datasets = new Map<number, Dataset>();
  private nextId = 1;
  private columnBytes = 0;

  constructor(readonly alloc: Allocator, public budgetBytes: number) {}

  /** Splits `rows` into chunks of `chunkRows` and allocates every column chunk. */
  create(name: string, rows: number, chunkRows: number, schema: ColumnInfo[]): Dataset {
    const sizes: number[] = [];
    for (let r = 0; r < rows; r += chunkRows) sizes.push(Math.min(chunkRows, rows - r));
    const need = schema.reduce((s, c) => s + rows * elementBytes(c.type, c.dictionary?.length), 0);
    if (this.columnBytes + need > this.budgetBytes) {
      throw new OutOfMemoryError(
        `dataset "${name}" needs ${fmt(need)} of columns; the memory budget is ${fmt(this.budgetBytes)} ` +
          `and ${fmt(this.columnBytes)} is in use. Use fewer rows or raise the budget.`,
      );
    }
    const columns: Column[] = [];
    try {
      for (const info of schema) {
        const eb = elementBytes(info.type, info.dictionary?.length);
        const col: Column = { info, elementBytes: eb, chunks: [], bytes: 0 };
        columns.push(col);
        for (const n of sizes) {
          col.chunks.push(this.alloc.alloc(n * eb));
          col.bytes += n * eb;
        }
      }
    } catch (e) {
      for (const col of columns) for (const p of col.chunks) this.alloc.release(p);
      throw e;
    }
    const rowStart: number[] = [];
    let r0 = 0;
    for (const n of sizes) { rowStart.push(r0); r0 += n; }
    const byName = new Map(columns.map((c) => [c.info.name, c]));
    const ds: Dataset = {
      id: this.nextId++, name, rows, chunkRows: sizes, rowStart, columns,
      column: (n) => byName.get(n),
    };
    for (const c of columns) this.columnBytes += c.bytes;
    this.datasets.set(ds.id, ds);
    return ds;
  }

  drop(ds: Dataset): void {
    if (!this.datasets.delete(ds.id)) return;
    for (const col of ds.columns) {
      for (const p of col.chunks) this.alloc.release(p);
      this.columnBytes -= col.bytes;
      col.chunks.length = 0;
      col.bytes = 0;
    }
  }

  /** Scratch is everything allocated that is not a column: runs' descriptors, registers, accumulators. */
  stats(): MemoryStats {
    const scratchBytes = this.alloc.allocated - this.columnBytes;
    const columns: MemoryStats['columns'] = [];
    for (const ds of this.datasets.values()) {
      for (const c of ds.columns) columns.push({ name: c.info.name, bytes: c.bytes });
    }
    return {
      columnBytes: this.columnBytes,
      scratchBytes,
      budgetBytes: this.budgetBytes,
      memoryBytes: this.alloc.memory.buffer.byteLength,
      columns,
    };
  }
}
