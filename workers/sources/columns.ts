// A Source over columns already in JS arrays (tests, the CLI's small readers):
// it behaves like a file format, so everything lazy — page requests, dictionary
// merging, eviction and re-decoding — can be tested without a file.
import type { ColumnInfo } from '../store/types';
import type { PageRequest, PageResult, Source, SourceSchema } from './source';

export interface ColumnData {
  info: ColumnInfo;
  /** numbers, or dictionary codes for 'dict' columns */
  values: ArrayLike<number>;
}

export interface CountingSource extends Source {
  /** pages decoded so far, per column name */
  readonly reads: Map<string, number>;
}

export function columnsSource(rows: number, columns: ColumnData[], chunkRows = 65536): CountingSource {
  const sizes: number[] = [];
  for (let r = 0; r < rows; r += chunkRows) sizes.push(Math.min(chunkRows, rows - r));
  const starts = sizes.map((_, c) => c * chunkRows);
  const schema: SourceSchema = {
    format: 'columns', rows, chunkRows: sizes,
    // a dictionary is discovered page by page, as a file format would
    columns: columns.map((c) => ({ name: c.info.name, type: c.info.type })),
    jagged: [], unsupported: [], notes: [],
  };
  const reads = new Map<string, number>();
  return {
    schema,
    reads,
    async read(chunk: number, pages: PageRequest[]): Promise<PageResult[]> {
      const r0 = starts[chunk]!, n = sizes[chunk]!;
      return pages.map((p): PageResult => {
        const col = columns[p.column]!;
        reads.set(col.info.name, (reads.get(col.info.name) ?? 0) + 1);
        if (col.info.type === 'dict') {
          // page-local dictionary: only the strings this page uses, in first-seen order
          const local: string[] = [];
          const index = new Map<number, number>();
          const codes = new Uint32Array(n);
          for (let j = 0; j < n; j++) {
            const g = col.values[r0 + j]!;
            let l = index.get(g);
            if (l === undefined) { l = local.length; index.set(g, l); local.push(col.info.dictionary![g]!); }
            codes[j] = l;
          }
          return { kind: 'dict', codes, dictionary: local };
        }
        const dest = p.dest!;
        for (let j = 0; j < n; j++) dest[j] = col.values[r0 + j]!;
        return { kind: 'written' };
      });
    },
    close() {},
  };
}
