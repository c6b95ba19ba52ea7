// The editor's changes to a model, as pure functions: the session applies one,
// then re-validates, rewrites the link and schedules a run.
import { moveItem, newId, type CutItem, type DefineItem, type HistItem, type Model } from './model';

export const addDefine = (m: Model, name: string, expr: string): Model =>
  ({ ...m, defines: [...m.defines, { id: newId('d'), name, expr }] });

export const updateDefine = (m: Model, id: string, patch: Partial<Omit<DefineItem, 'id'>>): Model =>
  ({ ...m, defines: m.defines.map((d) => (d.id === id ? { ...d, ...patch } : d)) });

export const removeDefine = (m: Model, id: string): Model => ({ ...m, defines: m.defines.filter((d) => d.id !== id) });

export const addCut = (m: Model, name: string, expr: string): Model =>
  ({ ...m, cuts: [...m.cuts, { id: newId('c'), name, expr, enabled: true }] });

/** Histograms booked after a cut follow it through a rename. */
export function updateCut(m: Model, id: string, patch: Partial<Omit<CutItem, 'id'>>): Model {
  const old = m.cuts.find((c) => c.id === id);
  const renamed = old && patch.name !== undefined && patch.name !== old.name ? [old.name, patch.name] as const : undefined;
  return {
    ...m,
    cuts: m.cuts.map((c) => (c.id === id ? { ...c, ...patch } : c)),
    histograms: renamed ? m.histograms.map((h) => (h.after === renamed[0] ? { ...h, after: renamed[1] } : h)) : m.histograms,
  };
}

export const moveCut = (m: Model, from: number, to: number): Model => ({ ...m, cuts: moveItem(m.cuts, from, to) });

/** Histograms booked after a removed cut move to the cut before it (or to all rows). */
export function removeCut(m: Model, id: string): Model {
  const at = m.cuts.findIndex((c) => c.id === id);
  const gone = m.cuts[at];
  const before = at > 0 ? m.cuts[at - 1]!.name : undefined;
  return {
    ...m,
    cuts: m.cuts.filter((c) => c.id !== id),
    histograms: m.histograms.map((h) => {
      if (h.after !== gone?.name) return h;
      const { after: _, ...rest } = h;
      return before !== undefined ? { ...rest, after: before } : rest;
    }),
  };
}

export const removeHistogram = (m: Model, id: string): Model => ({ ...m, histograms: m.histograms.filter((h) => h.id !== id) });

/** Adds h, or puts it in the place of the histogram with id `replace`. */
export const putHistogram = (m: Model, h: HistItem, replace?: string): Model =>
  ({ ...m, histograms: replace ? m.histograms.map((x) => (x.id === replace ? h : x)) : [...m.histograms, h] });

/** Histogram `id` with its pending note gone and `patch` applied. */
export const settleHistogram = (m: Model, id: string, patch: Partial<HistItem>): Model => ({
  ...m,
  histograms: m.histograms.map((h) => {
    if (h.id !== id) return h;
    const { pending: _, ...rest } = h;
    return { ...rest, ...patch };
  }),
});
