import { checkShape } from '../analysis/shape';
import { exprNames } from '../expr/ast';
import type { Column, Dataset } from '../store';

/**
 * The columns a run must decode: those the compiled plan reads, plus every
 * column the filters and histograms name, directly or through defines — a
 * comparison with a string the dictionary doesn't hold yet folds to false
 * (taking the columns beside it along) until the string's pages are decoded.
 */
export function readColumns(doc: unknown, ds: Dataset, planned: Column[]): Column[] {
  const out = new Set(planned);
  const shape = checkShape(doc);
  const defines = new Map<string, string>();
  shape.doc?.defines.forEach((d, i) => defines.set(d.name, `defines[${i}].expr`));
  const seen = new Set<string>();
  const visit = (path: string) => {
    const ast = shape.asts.get(path);
    if (!ast || seen.has(path)) return;
    seen.add(path);
    for (const n of exprNames(ast)) {
      const c = ds.column(n.name);
      if (c) out.add(c);
      else if (defines.has(n.name)) visit(defines.get(n.name)!);
    }
  };
  for (const path of shape.asts.keys()) if (!path.startsWith('defines[')) visit(path);
  return [...out];
}

/** Columns of `ds` that `needed` (perhaps a window's copies of them) has and `have` lacks. */
export function missing(ds: Dataset, needed: Column[], have: Column[]): Column[] {
  const ids = new Set(have.map((c) => c.id));
  return ds.columns.filter((c) => !ids.has(c.id) && needed.some((n) => n.id === c.id));
}

export function allChunks(ds: Dataset): number[] {
  return ds.chunkRows.map((_, c) => c);
}
