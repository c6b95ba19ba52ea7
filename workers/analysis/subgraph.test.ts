import { describe, expect, it } from 'vitest';
import type { AnalysisInput, DatasetSchema, Histogram } from './document';
import { digestText, subgraphKeys, subgraphTexts } from './subgraph';
import { validate } from './validate';

const schema: DatasetSchema = {
  columns: [
    { name: 'x', type: 'f64' }, { name: 'y', type: 'f64' }, { name: 'z', type: 'f64' }, { name: 'w', type: 'f64' },
    { name: 'cat', type: 'dict', dictionary: ['alpha', 'beta', 'gamma'] },
  ],
  jagged: [{ name: 'J', elementType: 'f64' }],
};

const base = (): AnalysisInput & { defines: NonNullable<AnalysisInput['defines']>; filters: NonNullable<AnalysisInput['filters']>; histograms: Histogram[] } => ({
  version: 1,
  dataset: { kind: 'demo', name: 'toy', rows: 1000, seed: 1 },
  defines: [{ name: 'r', expr: 'sqrt(x*x + y*y)' }, { name: 'r2', expr: 'r * 2' }],
  filters: [{ name: 'pos', expr: 'z > 0.5' }, { name: 'beta', expr: 'cat == "beta"' }, { name: 'far', expr: 'r2 > 1' }],
  histograms: [
    { name: 'hr', x: { expr: 'r2', bins: 50, lo: 0, hi: 10 }, after: 'beta' },
    { name: 'hx', x: { expr: 'x', bins: 100, lo: -5, hi: 5 } },
    { name: 'hxy', x: { expr: 'x', bins: 10, lo: -5, hi: 5 }, y: { expr: 'y', bins: 10, lo: -5, hi: 5 }, weight: 'w', after: 'far' },
  ],
});

type Doc = ReturnType<typeof base>;

function texts(doc: Doc, dataset = 'demo:toy:1000:1', s: DatasetSchema = schema) {
  const v = validate(doc, s);
  if (!v.ok) throw new Error(v.diagnostics.map((d) => d.message).join('; '));
  return subgraphTexts(v.analysis, s, dataset);
}

/** The key of the histogram named `name` in `doc`. */
const hist = (doc: Doc, name: string, dataset?: string) => texts(doc, dataset).histograms[doc.histograms.findIndex((h) => h.name === name)];

describe('result cache keys', () => {
  it('are the same for the same document, and differ between histograms and cut-flow rows', () => {
    const a = texts(base());
    expect(texts(base())).toEqual(a);
    expect(new Set([...a.histograms, ...a.cutflow]).size).toBe(6);
  });

  it('ignore the histogram name and its position in the list', () => {
    const d = base();
    d.histograms = [{ ...d.histograms[2]!, name: 'renamed' }, d.histograms[0]!];
    expect(hist(d, 'renamed')).toBe(hist(base(), 'hxy'));
    expect(hist(d, 'hr')).toBe(hist(base(), 'hr'));
  });

  it('ignore define names: a renamed define reads the same', () => {
    const d = base();
    d.defines = [{ name: 'radius', expr: 'sqrt(x*x + y*y)' }, { name: 'twice', expr: 'radius * 2' }];
    d.filters[2] = { name: 'far', expr: 'twice > 1' };
    d.histograms[0] = { ...d.histograms[0]!, x: { ...d.histograms[0]!.x, expr: 'twice' } };
    expect(texts(d)).toEqual(texts(base()));
  });

  it('ignore unrelated defines and cuts added after the ones a histogram reads', () => {
    const d = base();
    d.defines.push({ name: 'unused', expr: 'z * 3' });
    d.filters.push({ name: 'late', expr: 'x > 0' });
    for (const h of ['hr', 'hx', 'hxy']) expect(hist(d, h)).toBe(hist(base(), h));
    expect(texts(d).cutflow.slice(0, 3)).toEqual(texts(base()).cutflow);
  });

  it('change when a cut a histogram fills after changes, and only then', () => {
    const d = base();
    d.filters[1] = { name: 'beta', expr: 'cat == "gamma"' };
    expect(hist(d, 'hr')).not.toBe(hist(base(), 'hr'));
    expect(hist(d, 'hxy')).not.toBe(hist(base(), 'hxy'));
    expect(hist(d, 'hx')).toBe(hist(base(), 'hx'));
    const [c0, c1, c2] = texts(d).cutflow;
    const b = texts(base()).cutflow;
    expect(c0).toBe(b[0]);
    expect(c1).not.toBe(b[1]);
    expect(c2).not.toBe(b[2]);
  });

  it('change when a cut is added before the one a histogram fills after, or the order changes', () => {
    const d = base();
    d.filters.splice(0, 0, { name: 'early', expr: 'x > 0' });
    expect(hist(d, 'hr')).not.toBe(hist(base(), 'hr'));
    expect(hist(d, 'hx')).toBe(hist(base(), 'hx'));
    const swapped = base();
    swapped.filters = [swapped.filters[1]!, swapped.filters[0]!, swapped.filters[2]!];
    expect(hist(swapped, 'hr')).not.toBe(hist(base(), 'hr'));
  });

  it('change when a define read through another define changes', () => {
    const d = base();
    d.defines[0] = { name: 'r', expr: 'sqrt(x*x + z*z)' };
    expect(hist(d, 'hr')).not.toBe(hist(base(), 'hr'));
    expect(hist(d, 'hxy')).not.toBe(hist(base(), 'hxy')); // through the cut 'far'
    expect(hist(d, 'hx')).toBe(hist(base(), 'hx'));
    expect(texts(d).cutflow.slice(0, 2)).toEqual(texts(base()).cutflow.slice(0, 2));
    expect(texts(d).cutflow[2]).not.toBe(texts(base()).cutflow[2]);
  });

  it('change with binning, weight, axis expression and dataset', () => {
    const b = hist(base(), 'hxy');
    const variants: ((h: Histogram) => Histogram)[] = [
      (h) => ({ ...h, x: { ...h.x, bins: 11 } }),
      (h) => ({ ...h, x: { ...h.x, lo: -4 } }),
      (h) => ({ ...h, y: { ...h.y!, hi: 6 } }),
      (h) => ({ ...h, weight: 'w * 2' }),
      (h) => { const { weight: _, ...rest } = h; return rest; },
      (h) => ({ ...h, y: { ...h.y!, expr: 'z' } }),
      (h) => { const { y: _, ...rest } = h; return rest; },
    ];
    const seen = new Set([b]);
    for (const change of variants) {
      const d = base();
      d.histograms[2] = change(d.histograms[2]!);
      const k = hist(d, 'hxy');
      expect(seen.has(k)).toBe(false);
      seen.add(k);
    }
    expect(hist(base(), 'hxy', 'demo:toy:1000:2')).not.toBe(b);
    expect(hist(base(), 'hx', 'sha256:00')).not.toBe(hist(base(), 'hx', 'sha256:01'));
  });

  it('a switched-off cut is absent: keys equal the document without it', () => {
    // the editor's run documents leave cuts that are off out (app/state/model buildDoc)
    const without = base();
    without.filters = without.filters.filter((f) => f.name !== 'pos');
    const withEarlier = base();
    withEarlier.filters.splice(1, 0, { name: 'extra', expr: 'y < 100' });
    expect(hist(without, 'hx')).toBe(hist(base(), 'hx'));
    expect(hist(without, 'hr')).not.toBe(hist(base(), 'hr'));
    expect(hist(withEarlier, 'hr')).not.toBe(hist(base(), 'hr'));
  });

  it('read string comparisons by the string, not the dictionary code', () => {
    const other: DatasetSchema = { ...schema, columns: schema.columns.map((c) => (c.name === 'cat' ? { ...c, dictionary: ['beta', 'alpha'] } : c)) };
    expect(texts(base(), 'same', other).histograms[0]).toBe(texts(base(), 'same').histograms[0]);
  });

  it('read list reductions by what they compute, through defines', () => {
    const d = base();
    d.defines.push({ name: 'k', expr: 'x * 2' });
    d.histograms.push({ name: 'js', x: { expr: 'sum(J * k)', bins: 10, lo: 0, hi: 1 } });
    const renamed = base();
    renamed.defines.push({ name: 'kk', expr: 'x * 2' });
    renamed.histograms.push({ name: 'js', x: { expr: 'sum(J * kk)', bins: 10, lo: 0, hi: 1 } });
    const changed = base();
    changed.defines.push({ name: 'k', expr: 'x * 3' });
    changed.histograms.push({ name: 'js', x: { expr: 'sum(J * k)', bins: 10, lo: 0, hi: 1 } });
    expect(hist(renamed, 'js')).toBe(hist(d, 'js'));
    expect(hist(changed, 'js')).not.toBe(hist(d, 'js'));
  });

  it('digest to sha256 keys', async () => {
    const v = validate(base(), schema);
    if (!v.ok) throw new Error('invalid');
    const keys = await subgraphKeys(v.analysis, schema, 'demo:toy:1000:1');
    expect(keys.histograms[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(keys.histograms[0]).toBe(await digestText(subgraphTexts(v.analysis, schema, 'demo:toy:1000:1').histograms[0]!));
  });
});
