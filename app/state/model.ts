// The editor's model of an analysis: what the user sees in the lists, with ids
// for React and with what the analysis document has no room for (a cut switched
// off, a histogram waiting for its range). It becomes an AnalysisDoc for
// validation and for the engine; the mapping back places each diagnostic at its field.
import type { AnalysisDoc, DatasetRef, Histogram } from '../../workers/analysis';
import type { Diagnostic } from '../../workers/expr';

export interface DefineItem { id: string; name: string; expr: string }
export interface CutItem extends DefineItem { enabled: boolean }
export interface AxisItem { expr: string; bins: number; lo: number; hi: number }
export interface HistItem {
  id: string;
  name: string;
  x: AxisItem;
  y?: AxisItem;
  weight?: string;
  /** a cut name; absent: all rows */
  after?: string;
  /** why it can't run yet (its range is being found) */
  pending?: string;
  /** a remark to show with it, like an auto range that found no entries */
  note?: string;
}

export interface Model {
  defines: DefineItem[];
  cuts: CutItem[];
  histograms: HistItem[];
}

let seq = 0;
export const newId = (prefix: string): string => `${prefix}${++seq}`;

export const emptyModel = (): Model => ({ defines: [], cuts: [], histograms: [] });

export function modelFromDoc(doc: AnalysisDoc): Model {
  return {
    defines: doc.defines.map((d) => ({ id: newId('d'), ...d })),
    cuts: doc.filters.map((f) => ({ id: newId('c'), ...f, enabled: true })),
    histograms: doc.histograms.map((h) => ({ id: newId('h'), ...h, x: { ...h.x }, ...(h.y ? { y: { ...h.y } } : {}) })),
  };
}

/** A document built from the model, and which item each of its list entries came from. */
export interface BuiltDoc {
  doc: AnalysisDoc;
  /** `defines[2]` → the item's id */
  ids: Map<string, string>;
}

/**
 * mode 'all': every item with an expression, so each gets its diagnostics.
 * mode 'run': what the engine runs: cuts switched off are left out, and a
 * histogram booked after one of them fills after the nearest earlier cut that is on.
 */
export function buildDoc(model: Model, dataset: DatasetRef, mode: 'all' | 'run'): BuiltDoc {
  const ids = new Map<string, string>();
  const defines = model.defines.filter((d) => d.expr.trim() !== '');
  const cuts = model.cuts.filter((c) => c.expr.trim() !== '' && (mode === 'all' || c.enabled));
  const cutNames = new Set(cuts.map((c) => c.name));
  const afterFor = (after: string | undefined): string | undefined => {
    if (after === undefined || cutNames.has(after)) return after;
    const at = model.cuts.findIndex((c) => c.name === after);
    for (let i = at - 1; i >= 0; i--) if (cutNames.has(model.cuts[i]!.name)) return model.cuts[i]!.name;
    return undefined;
  };
  const hists = model.histograms.filter((h) => !h.pending);
  defines.forEach((d, i) => ids.set(`defines[${i}]`, d.id));
  cuts.forEach((c, i) => ids.set(`filters[${i}]`, c.id));
  hists.forEach((h, i) => ids.set(`histograms[${i}]`, h.id));
  const histogram = (h: HistItem): Histogram => {
    const after = afterFor(h.after);
    return {
      name: h.name,
      x: { ...h.x },
      ...(h.y ? { y: { ...h.y } } : {}),
      ...(h.weight !== undefined && h.weight.trim() !== '' ? { weight: h.weight } : {}),
      ...(after !== undefined ? { after } : {}),
    };
  };
  return {
    doc: {
      version: 1,
      dataset,
      defines: defines.map(({ name, expr }) => ({ name, expr })),
      filters: cuts.map(({ name, expr }) => ({ name, expr })),
      histograms: hists.map(histogram),
    },
    ids,
  };
}

/** Diagnostics keyed by field (`<id>.expr`, `<id>.x.bins`…); the rest are general. */
export interface FieldDiagnostics {
  byField: ReadonlyMap<string, Diagnostic[]>;
  general: Diagnostic[];
  count: number;
}

export function placeDiagnostics(diagnostics: readonly Diagnostic[], built: BuiltDoc): FieldDiagnostics {
  const byField = new Map<string, Diagnostic[]>();
  const general: Diagnostic[] = [];
  for (const d of diagnostics) {
    const m = d.path ? /^((?:defines|filters|histograms)\[\d+\])(?:\.(.+))?$/.exec(d.path) : null;
    const id = m ? built.ids.get(m[1]!) : undefined;
    if (!id) { general.push(d); continue; }
    const key = `${id}.${m![2] ?? 'name'}`;
    const list = byField.get(key);
    if (list) list.push(d);
    else byField.set(key, [d]);
  }
  return { byField, general, count: diagnostics.length };
}

export const NO_DIAGNOSTICS: FieldDiagnostics = { byField: new Map(), general: [], count: 0 };

/** A name not yet used by any define, cut or histogram, from a base like `mu1_pt`. */
export function freeName(model: Model, base: string, taken: Iterable<string> = []): string {
  const used = new Set<string>([
    ...taken, ...model.defines.map((d) => d.name), ...model.cuts.map((c) => c.name), ...model.histograms.map((h) => h.name),
  ]);
  const clean = base.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_').slice(0, 80) || 'h';
  if (!used.has(clean)) return clean;
  for (let i = 2; ; i++) if (!used.has(`${clean}_${i}`)) return `${clean}_${i}`;
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = list.slice();
  if (from < 0 || from >= out.length || to < 0 || to >= out.length || from === to) return out;
  const [it] = out.splice(from, 1);
  out.splice(to, 0, it!);
  return out;
}
