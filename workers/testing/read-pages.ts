// Reading a Source's pages directly, the way the engine's loader asks for them
// (one destination per page, typed by the column), for the readers' tests.
import type { PageRequest, PageResult, Source } from '../sources/source';

/** A plain typed array of the column's storage type; null for dictionary pages. */
export function destFor(type: string, n: number): PageRequest['dest'] {
  switch (type) {
    case 'f32': return new Float32Array(n);
    case 'i32': return new Int32Array(n);
    case 'u32': return new Uint32Array(n);
    case 'bool': return new Uint8Array(n);
    case 'dict': return null;
    default: return new Float64Array(n);
  }
}

/** Every row of some columns, chunk by chunk, as numbers (NaN for null) or strings, and each page's result. */
export async function readPages(src: Source, names: string[]): Promise<{ values: Record<string, (number | string)[]>; results: PageResult[] }> {
  const { columns, chunkRows } = src.schema;
  const idx = names.map((n) => {
    const i = columns.findIndex((c) => c.name === n);
    if (i < 0) throw new Error(`no column ${n}`);
    return i;
  });
  const values: Record<string, (number | string)[]> = Object.fromEntries(names.map((n) => [n, []]));
  const results: PageResult[] = [];
  for (let c = 0; c < chunkRows.length; c++) {
    const pages = idx.map((column) => ({ column, dest: destFor(columns[column]!.type, chunkRows[c]!) }));
    const res = await src.read(c, pages);
    res.forEach((r, j) => {
      results.push(r);
      const out = values[names[j]!]!;
      if (r.kind === 'dict') for (const code of r.codes) out.push(r.dictionary[code]!);
      else if (r.kind === 'written') for (const v of pages[j]!.dest!) out.push(v);
      else throw new Error(`${names[j]}: ${r.reason}`);
    });
  }
  return { values, results };
}
