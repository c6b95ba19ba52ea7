import { describe, expect, test } from 'vitest';
import { validate } from '../../workers/analysis';
import { defaultAnalysis, DIMUON } from '../../workers/demo/datasets';
import { buildDoc, freeName, modelFromDoc, moveItem, placeDiagnostics, type Model } from './model';

const schema = { columns: DIMUON.columns };
const ref = { kind: 'demo' as const, name: 'dimuon', rows: 1000, seed: 1 };

describe('buildDoc', () => {
  test('the default analysis round-trips through the model', () => {
    const doc = defaultAnalysis();
    expect(buildDoc(modelFromDoc(doc), doc.dataset, 'run').doc).toEqual(doc);
  });

  test('a cut switched off leaves the run; its histograms fill after the cut before it', () => {
    const m = modelFromDoc(defaultAnalysis());
    m.cuts = m.cuts.map((c) => (c.name === 'muon_eta' || c.name === 'muon_pt' ? { ...c, enabled: false } : c));
    const run = buildDoc(m, ref, 'run').doc;
    expect(run.filters.map((f) => f.name)).toEqual(['opposite_sign', 'trigger']);
    expect(run.histograms.find((h) => h.name === 'm_Z')!.after).toBe('trigger');
    expect(validate(run, schema).ok).toBe(true);
    // every cut is still checked, on or off
    expect(buildDoc(m, ref, 'all').doc.filters).toHaveLength(4);
  });

  test('drafts (empty expressions) and histograms waiting for a range are left out', () => {
    const m: Model = {
      defines: [{ id: 'd1', name: 'a', expr: '' }],
      cuts: [{ id: 'c1', name: 'k', expr: '  ', enabled: true }],
      histograms: [{ id: 'h1', name: 'h', x: { expr: 'mu1_pt', bins: 10, lo: 0, hi: 1 }, pending: 'finding its range…' }],
    };
    const doc = buildDoc(m, ref, 'all').doc;
    expect([doc.defines, doc.filters, doc.histograms]).toEqual([[], [], []]);
  });
});

test('diagnostics land on the field they are about', () => {
  const m = modelFromDoc(defaultAnalysis());
  m.defines[5] = { ...m.defines[5]!, expr: 'hypot(px_mumu, py_mumuu)' };
  const built = buildDoc(m, ref, 'all');
  const v = validate(built.doc, schema);
  expect(v.ok).toBe(false);
  const placed = placeDiagnostics(v.ok ? [] : v.diagnostics, built);
  const d = placed.byField.get(`${m.defines[5]!.id}.expr`)!;
  expect(d[0]).toMatchObject({ start: 15, end: 23, suggestion: 'py_mumu' });
  expect(placed.general).toEqual([]);
});

test('freeName and moveItem', () => {
  const m = modelFromDoc(defaultAnalysis());
  expect(freeName(m, 'm_Z')).toBe('m_Z_2');
  expect(freeName(m, 'mu1 pt/x')).toBe('mu1_pt_x');
  expect(freeName(m, '2x')).toBe('_2x');
  expect(moveItem(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
  expect(moveItem(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
});
