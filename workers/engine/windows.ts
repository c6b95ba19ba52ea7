import { OutOfMemoryError, fmt, type Column, type Dataset } from '../store';

export interface Windows {
  /** chunk indices of each window, in row order */
  chunks: number[][];
  /** two windows fit at once: the next decodes while the current computes */
  prefetch: boolean;
}

/**
 * Splits a pass over a lazy dataset into windows whose pages fit the budget.
 * When every page the run reads fits, there is one window and the pages stay
 * resident for the next run. Otherwise each window takes under half the
 * budget, so the next one can decode while kernels run on this one.
 */
export function planWindows(ds: Dataset, cols: Column[], budget: number): Windows {
  const bytes = ds.chunkRows.map((rows) => cols.reduce((s, c) => s + rows * Math.max(c.elementBytes, 1), 0));
  const total = bytes.reduce((a, b) => a + b, 0);
  const all = ds.chunkRows.map((_, c) => c);
  // dictionary codes may widen while decoding; keep some slack
  if (total <= budget * 0.9) return { chunks: [all], prefetch: false };
  // not Math.max(...bytes): a file of millions of chunks would overflow the call stack
  const largest = bytes.reduce((m, b) => Math.max(m, b), 0);
  if (largest > budget * 0.9) {
    throw new OutOfMemoryError(
      `the memory budget (${fmt(budget)}) is smaller than one chunk of the columns this analysis reads ` +
        `(${fmt(largest)}: ${cols.map((c) => c.info.name).join(', ')}); raise the budget to at least ${fmt(Math.ceil(largest / 0.45))}`,
    );
  }
  const prefetch = largest <= budget * 0.45;
  const limit = prefetch ? budget * 0.45 : budget * 0.9;
  const chunks: number[][] = [];
  let cur: number[] = [];
  let used = 0;
  all.forEach((c) => {
    if (cur.length > 0 && used + bytes[c]! > limit) { chunks.push(cur); cur = []; used = 0; }
    cur.push(c);
    used += bytes[c]!;
  });
  if (cur.length > 0) chunks.push(cur);
  return { chunks, prefetch };
}

/** The dataset restricted to some chunks, as one run sees it (renumbered from 0). */
export function windowView(ds: Dataset, chunks: number[]): Dataset {
  if (chunks.length === ds.chunkRows.length && chunks.every((c, i) => c === i)) return ds;
  const columns = ds.columns.map((col): Column => ({
    ...col,
    chunks: chunks.map((c) => col.chunks[c]!),
    pageType: chunks.map((c) => col.pageType[c]!),
    pageBytes: chunks.map((c) => col.pageBytes[c]!),
    pins: chunks.map((c) => col.pins[c]!),
  }));
  const byName = new Map(columns.map((c) => [c.info.name, c]));
  const chunkRows = chunks.map((c) => ds.chunkRows[c]!);
  return {
    id: ds.id, name: ds.name, lazy: ds.lazy, columns, chunkRows,
    rows: chunkRows.reduce((a, b) => a + b, 0),
    rowStart: chunks.map((c) => ds.rowStart[c]!),
    column: (n) => byName.get(n),
  };
}
