import { Ctl, type GenTask, type RunProgress, type ScanTask } from '../protocol';
import type { Pool } from '../exec/Pool';
import type { Allocator, Column, Dataset } from '../store';
import { Regions } from './regions';
import { PARTIAL_MS, progressAt } from './Run';

/**
 * Fills every chunk of `ds` with a generator kernel, the workers claiming
 * chunks through the control block. Row r's values depend only on (seed, r),
 * so the data is identical for any worker count or chunk size.
 */
export async function generate(
  pool: Pool, alloc: Allocator, ds: Dataset, kernel: string, seed: number, gen: number,
  onProgress?: (p: RunProgress) => void,
): Promise<boolean> {
  const nChunks = ds.chunkRows.length;
  const nColumns = ds.columns.length;
  const regions = new Regions()
    .add('ctl', Ctl.words(pool.size) * 4)
    .add('table', nChunks * nColumns * 4)
    .add('rowStart', nChunks * 8)
    .add('rows', nChunks * 4);
  const base = alloc.alloc(regions.bytes);
  const p = regions.place(base);
  const buf = alloc.memory.buffer;
  new Uint8Array(buf, base, regions.bytes).fill(0);
  const table = new Uint32Array(buf, p('table'), nChunks * nColumns);
  for (let c = 0; c < nChunks; c++) {
    ds.columns.forEach((col, i) => { table[c * nColumns + i] = col.chunks[c]!; });
  }
  new Float64Array(buf, p('rowStart'), nChunks).set(ds.rowStart);
  new Uint32Array(buf, p('rows'), nChunks).set(ds.chunkRows);
  const t0 = performance.now();
  const progress = () => {
    const rowsDone = Number(new BigInt64Array(alloc.memory.buffer, p('ctl'), 4)[Ctl.ROWS64]);
    onProgress?.(progressAt(gen, rowsDone, ds.rows, t0));
  };
  const timer = onProgress ? setInterval(progress, PARTIAL_MS) : undefined;
  try {
    const reports = await allOrCancel(alloc, p('ctl'), pool.workers.map((_, slot) => {
      const task: GenTask = {
        gen, ctl: p('ctl'), slot, kernel, seed, table: p('table'), nColumns,
        rowStart: p('rowStart'), chunkRows: p('rows'), nChunks,
      };
      return pool.task(slot, (api) => api.generate(task));
    }));
    if (onProgress) progress();
    return !reports.some((r) => r.cancelled);
  } finally {
    clearInterval(timer);
    alloc.release(base);
  }
}

/** Every worker reads whole chunks of `columns`, claiming chunks through the control block. */
export async function scan(
  pool: Pool, alloc: Allocator, ds: Dataset, columns: Column[],
): Promise<{ bytes: number; sums: number[] }> {
  const nChunks = ds.chunkRows.length;
  const nColumns = columns.length;
  const regions = new Regions().add('ctl', Ctl.words(pool.size) * 4).add('table', nChunks * nColumns * 8);
  const base = alloc.alloc(regions.bytes);
  const p = regions.place(base);
  new Uint8Array(alloc.memory.buffer, base, regions.bytes).fill(0);
  const table = new Uint32Array(alloc.memory.buffer, p('table'), nChunks * nColumns * 2);
  let bytes = 0;
  for (let c = 0; c < nChunks; c++) {
    columns.forEach((col, i) => {
      table[(c * nColumns + i) * 2] = col.chunks[c]!;
      table[(c * nColumns + i) * 2 + 1] = ds.chunkRows[c]! * col.elementBytes;
      bytes += ds.chunkRows[c]! * col.elementBytes;
    });
  }
  try {
    const reports = await allOrCancel(alloc, p('ctl'), pool.workers.map((_, slot) => {
      const task: ScanTask = { ctl: p('ctl'), slot, table: p('table'), nColumns, nChunks };
      return pool.task(slot, (api) => api.scan(task));
    }));
    const sums = columns.map((_, i) => reports.reduce((s, r) => s + r.sums[i]!, 0));
    return { bytes, sums };
  } finally {
    alloc.release(base);
  }
}

/**
 * Every worker's report; when one fails, the others are stopped at their next
 * chunk and awaited before the error is thrown, since the caller then frees
 * the memory they work in.
 */
async function allOrCancel<T>(alloc: Allocator, ctl: number, tasks: Promise<T>[]): Promise<T[]> {
  try {
    return await Promise.all(tasks);
  } catch (e) {
    Atomics.store(new Int32Array(alloc.memory.buffer, ctl, Ctl.CANCEL + 1), Ctl.CANCEL, 1);
    await Promise.allSettled(tasks);
    throw e;
  }
}
