import { pageView, type Column, type Dataset } from '../store';
import { quoteName } from '../expr/names';
import type { ColumnStats, RunResult } from '../protocol';

const SPARK_BINS = 32;

/** [min, max] of each column over its resident pages (NaN skipped; [+Inf, -Inf] when empty). */
export function pageRanges(buf: ArrayBufferLike, ds: Dataset, cols: Column[]): [number, number][] {
  return cols.map((col) => {
    const r: [number, number] = [Infinity, -Infinity];
    col.chunks.forEach((ptr, c) => {
      const v = pageView(buf, col.pageType[c]!, col.pageBytes[c]!, ptr, ds.chunkRows[c]!);
      for (let j = 0; j < v.length; j++) {
        const x = v[j]!;
        if (x < r[0]) r[0] = x;
        if (x > r[1]) r[1] = x;
      }
    });
    return r;
  });
}

/** One analysis histogramming every column over its range: count, NaN, mean and sparkline in one pass. */
export function statsDoc(dataset: string, cols: Column[], ranges: [number, number][]) {
  const histograms = cols.map((c, i) => {
    const [lo, hi] = ranges[i]!;
    const ok = Number.isFinite(lo) && Number.isFinite(hi);
    const top = ok && hi > lo ? hi + (hi - lo) * 1e-9 : (ok ? lo : 0) + 1;
    return { name: `h${i}`, x: { expr: quoteName(c.info.name), bins: SPARK_BINS, lo: ok ? lo : 0, hi: top } };
  });
  return { version: 1, dataset: { kind: 'file', name: dataset, size: 0 }, defines: [], filters: [], histograms };
}

export function statsOf(cols: Column[], ranges: [number, number][], r: RunResult): ColumnStats[] {
  return cols.map((c, i) => {
    const h = r.histograms[i]!;
    const [min, max] = ranges[i]!;
    const any = h.entries > 0;
    return {
      name: c.info.name, count: h.entries, nan: h.nan,
      min: any ? min : NaN, max: any ? max : NaN, mean: any ? h.mean : NaN, sparkline: h.bins,
    };
  });
}
