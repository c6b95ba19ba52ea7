// One text per document: sorted keys, defaults filled, no whitespace. Used
// for cache keys and share links, so two equal documents give equal strings.

import type { AnalysisDoc, AnalysisInput } from './document';

/**
 * The canonical JSON of a (shape-valid) document. Expression text is kept as
 * written: it is what the user sees again when the link is opened.
 */
export function canonicalize(doc: AnalysisInput | AnalysisDoc): string {
  return stableJson({ ...doc, defines: doc.defines ?? [], filters: doc.filters ?? [], histograms: doc.histograms ?? [] });
}

/** JSON with object keys sorted and undefined members left out, at every depth. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stableJson(x))).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
