// What a run still has to compute once the cache has answered, and how its
// result joins the cached ones. Pure: the session does the I/O.
import type { AnalysisDoc } from '../../workers/analysis';
import type { CutflowRow, HistogramResult, RunResult } from '../../workers/protocol';

export interface CachePlan {
  /** per histogram of the document: the cached result (under the document's name), or undefined */
  hists: (HistogramResult | undefined)[];
  /** per filter of the document: the cached cut-flow row, or undefined */
  cuts: (CutflowRow | undefined)[];
  /**
   * What the engine still runs: the missing histograms and the filters up to the
   * last one a missing result needs (a cut-flow row needs all cuts before it).
   * Undefined when everything is cached.
   */
  reduced?: AnalysisDoc;
}

export function planRun(doc: AnalysisDoc, hists: readonly (HistogramResult | undefined)[], cuts: readonly (CutflowRow | undefined)[]): CachePlan {
  const named = {
    hists: doc.histograms.map((h, i) => (hists[i] ? { ...hists[i]!, name: h.name } : undefined)),
    cuts: doc.filters.map((f, k) => (cuts[k] ? { ...cuts[k]!, name: f.name } : undefined)),
  };
  const missing = doc.histograms.filter((_, i) => !named.hists[i]);
  let last = -1;
  named.cuts.forEach((c, k) => { if (!c) last = k; });
  for (const h of missing) if (h.after !== undefined) last = Math.max(last, doc.filters.findIndex((f) => f.name === h.after));
  if (missing.length === 0 && last < 0) return named;
  return { ...named, reduced: { ...doc, filters: doc.filters.slice(0, last + 1), histograms: missing } };
}

/**
 * The document's whole result: cached parts where the plan has them, the
 * run's (partial or final) for the rest. Without a run, everything came from the cache.
 */
export function mergeRun(doc: AnalysisDoc, plan: CachePlan, run: RunResult | undefined, base: { gen: number; rows: number; workers: number }): RunResult {
  const byName = new Map(run?.histograms.map((h) => [h.name, h]));
  const histograms = doc.histograms.map((h, i) => plan.hists[i] ?? byName.get(h.name)).filter((h): h is HistogramResult => h !== undefined);
  const cutflow = doc.filters.map((_, k) => plan.cuts[k] ?? run?.cutflow[k]).filter((c): c is CutflowRow => c !== undefined);
  return {
    gen: base.gen,
    status: run?.status ?? 'done',
    rows: run?.rows ?? base.rows,
    rowsDone: run?.rowsDone ?? 0,
    cutflow,
    histograms,
    elapsedMs: run?.elapsedMs ?? 0,
    workers: run?.workers ?? base.workers,
  };
}
