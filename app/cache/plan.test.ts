import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../workers/node/platform';
import type { Engine } from '../../workers/engine/Engine';
import { validate, type AnalysisDoc, type DatasetSchema } from '../../workers/analysis';
import { subgraphTexts } from '../../workers/analysis/subgraph';
import type { CutflowRow, DatasetInfo, HistogramResult, RunResult } from '../../workers/protocol';
import { mergeRun, planRun } from './plan';

const dataset = { kind: 'demo' as const, name: 'toy', rows: 300_000, seed: 5 };
const docA: AnalysisDoc = {
  version: 1, dataset,
  defines: [{ name: 'r', expr: 'sqrt(x*x + y*y)' }],
  filters: [{ name: 'pos', expr: 'z > 0.5' }, { name: 'beta', expr: 'cat == "beta"' }, { name: 'near', expr: 'r < 2' }],
  histograms: [
    { name: 'hx', x: { expr: 'x', bins: 40, lo: -4, hi: 4 } },
    { name: 'hr', x: { expr: 'r', bins: 50, lo: 0, hi: 5 }, after: 'pos' },
    { name: 'hxy', x: { expr: 'x', bins: 10, lo: -3, hi: 3 }, y: { expr: 'y', bins: 10, lo: -3, hi: 3 }, weight: 'z', after: 'near' },
  ],
};

const schemaOf = (info: DatasetInfo): DatasetSchema => ({ columns: info.columns.map((c) => ({ name: c.name, type: c.type, ...(c.dictionary ? { dictionary: c.dictionary } : {}) })) });

/** A stand-in cache: canonical text → result, filled from finished runs as the session does. */
class MemoryCache {
  readonly map = new Map<string, HistogramResult | CutflowRow>();
  constructor(private readonly schema: DatasetSchema) {}
  texts(doc: AnalysisDoc) {
    const v = validate(doc, this.schema);
    if (!v.ok) throw new Error(v.diagnostics[0]!.message);
    return subgraphTexts(v.analysis, this.schema, `demo:${dataset.name}:${dataset.rows}:${dataset.seed}`);
  }
  lookup(doc: AnalysisDoc) {
    const t = this.texts(doc);
    return { hists: t.histograms.map((k) => this.map.get(k) as HistogramResult | undefined), cuts: t.cutflow.map((k) => this.map.get(k) as CutflowRow | undefined) };
  }
  store(doc: AnalysisDoc, r: RunResult) {
    const t = this.texts(doc);
    doc.histograms.forEach((h, i) => this.map.set(t.histograms[i]!, r.histograms.find((x) => x.name === h.name)!));
    doc.filters.forEach((_, k) => this.map.set(t.cutflow[k]!, r.cutflow[k]!));
  }
}

describe('running only what the cache lacks', () => {
  let engine: Engine;
  let cache: MemoryCache;
  beforeAll(async () => {
    engine = await createNodeEngine({ workers: 2 });
    cache = new MemoryCache(schemaOf(await engine.openDemo(dataset)));
    cache.store(docA, await engine.run(docA));
  });
  afterAll(async () => { await engine.close(); });

  /** Plans `doc` against the cache, runs the reduced document, merges: must equal a full run of `doc`. */
  async function check(doc: AnalysisDoc) {
    const { hists, cuts } = cache.lookup(doc);
    const plan = planRun(doc, hists, cuts);
    const part = plan.reduced ? await engine.run(plan.reduced) : undefined;
    const merged = mergeRun(doc, plan, part, { gen: 1, rows: dataset.rows, workers: 2 });
    const full = await engine.run(doc);
    expect(merged.cutflow).toEqual(full.cutflow);
    expect(merged.histograms.map((h) => h.name)).toEqual(full.histograms.map((h) => h.name));
    merged.histograms.forEach((h, i) => {
      const f = full.histograms[i]!;
      expect(h.bins).toEqual(f.bins);
      expect([h.entries, h.underflow, h.overflow, h.nan]).toEqual([f.entries, f.underflow, f.overflow, f.nan]);
      h.sumw.forEach((w, j) => expect(w).toBeCloseTo(f.sumw[j]!, 6));
    });
    return { plan, part };
  }

  it('the same document is wholly cached: nothing to run', async () => {
    const { plan, part } = await check(docA);
    expect(plan.reduced).toBeUndefined();
    expect(part).toBeUndefined();
  });

  it('renamed histograms and an unrelated cut at the end: only the new cut-flow row runs, with no histograms', async () => {
    const doc = { ...docA, filters: [...docA.filters, { name: 'late', expr: 'x > 0' }], histograms: docA.histograms.map((h) => ({ ...h, name: `${h.name}_renamed` })) };
    const { plan } = await check(doc);
    expect(plan.reduced?.histograms).toEqual([]);
    expect(plan.reduced?.filters.map((f) => f.name)).toEqual(['pos', 'beta', 'near', 'late']);
  });

  it('a changed cut reruns only the histograms and cut-flow rows after it', async () => {
    const doc = { ...docA, filters: docA.filters.map((f) => (f.name === 'beta' ? { ...f, expr: 'cat == "alpha"' } : f)) };
    const { plan, part } = await check(doc);
    expect(plan.reduced?.histograms.map((h) => h.name)).toEqual(['hxy']);
    expect(plan.cuts.map((c) => c !== undefined)).toEqual([true, false, false]);
    expect(part!.histograms.map((h) => h.name)).toEqual(['hxy']);
  });

  it('a new histogram runs alone, with the cuts before it', async () => {
    const doc = { ...docA, histograms: [...docA.histograms, { name: 'hz', x: { expr: 'z', bins: 20, lo: 0, hi: 4 }, after: 'pos' }] };
    const { plan } = await check(doc);
    expect(plan.reduced?.histograms.map((h) => h.name)).toEqual(['hz']);
    expect(plan.reduced?.filters.map((f) => f.name)).toEqual(['pos']);
  });
});
