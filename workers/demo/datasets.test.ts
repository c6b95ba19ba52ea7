import { describe, expect, it } from 'vitest';
import { DEMO_DATASETS, DIMUON, ERAS_2016, TOY, defaultAnalysis, demoDataset } from './datasets';
import { codeBytes } from '../store/types';
import { validate } from '../analysis';

// The expression language's functions (DESIGN.md).
const FUNCTIONS = new Set(['abs', 'sqrt', 'exp', 'log', 'log10', 'pow', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'atan2', 'hypot', 'min', 'max', 'floor', 'ceil', 'round', 'isnan']);

/** Identifiers of an expression, outside string literals. */
const identifiers = (expr: string) => expr.replace(/"[^"]*"/g, '').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];

describe('demo datasets', () => {
  it('list columns in the order kernels/demo.ts writes them', () => {
    const mu = (i: number) => ['pt', 'eta', 'phi', 'px', 'py', 'pz', 'E', 'charge'].map((f) => `mu${i}_${f}`);
    expect(DIMUON.columns.map((c) => c.name)).toEqual(['run', 'event', 'period', ...mu(1), ...mu(2), 'nJet', 'weight', 'trigger']);
    expect(TOY.columns.map((c) => c.name)).toEqual(['x', 'y', 'z', 'k', 'cat', 'w']);
    expect(DIMUON.kernel).toBe('gen_dimuon');
    expect(TOY.kernel).toBe('gen_toy');
  });

  it('describe every column consistently', () => {
    for (const ds of DEMO_DATASETS) {
      expect(new Set(ds.columns.map((c) => c.name)).size, ds.name).toBe(ds.columns.length);
      expect(demoDataset(ds.name)).toBe(ds);
      for (const c of ds.columns) {
        expect(c.type === 'dict', `${ds.name}.${c.name}`).toBe(c.dictionary !== undefined);
        // the kernels write dictionary codes as u8
        if (c.dictionary) expect(codeBytes(c.dictionary.length), `${ds.name}.${c.name}`).toBe(1);
        expect(c.description, `${ds.name}.${c.name}`).toBeTruthy();
      }
    }
    expect(demoDataset('nope')).toBeUndefined();
  });

  it('has 2016 eras in run order, non-overlapping, with the luminosity the kernel draws by', () => {
    for (let e = 1; e < ERAS_2016.length; e++) expect(ERAS_2016[e]!.runs[0]).toBeGreaterThan(ERAS_2016[e - 1]!.runs[1]);
    for (const e of ERAS_2016) expect(e.runs[1]).toBeGreaterThan(e.runs[0]);
    expect(ERAS_2016.reduce((s, e) => s + e.lumi, 0)).toBeCloseTo(35.922, 9);
    expect(DIMUON.columns.find((c) => c.name === 'period')!.dictionary).toEqual(ERAS_2016.map((e) => e.name));
  });
});

describe('default analysis', () => {
  it('refers only to dimuon columns, earlier defines and known functions', () => {
    const doc = defaultAnalysis();
    expect(doc.version).toBe(1);
    expect(doc.dataset).toMatchObject({ kind: 'demo', name: 'dimuon' });
    expect(Number.isInteger(doc.dataset.rows) && doc.dataset.rows > 0).toBe(true);
    const known = new Set([...DIMUON.columns.map((c) => c.name), ...FUNCTIONS]);
    const check = (expr: string, where: string) => {
      for (const id of identifiers(expr)) expect(known.has(id), `${where}: unknown name ${id} in ${expr}`).toBe(true);
    };
    for (const d of doc.defines) {
      check(d.expr, `define ${d.name}`);
      expect(known.has(d.name), `define ${d.name} shadows a name`).toBe(false);
      known.add(d.name);
    }
    for (const f of doc.filters) check(f.expr, `filter ${f.name}`);
    const filters = doc.filters.map((f) => f.name);
    expect(new Set(filters).size).toBe(filters.length);
    expect(new Set(doc.histograms.map((h) => h.name)).size).toBe(doc.histograms.length);
    for (const h of doc.histograms) {
      for (const axis of [h.x, h.y]) {
        if (!axis) continue;
        check(axis.expr, `histogram ${h.name}`);
        expect(Number.isInteger(axis.bins) && axis.bins > 0 && axis.lo < axis.hi, h.name).toBe(true);
      }
      if (h.weight) check(h.weight, `histogram ${h.name} weight`);
      if (h.after !== undefined) expect(filters, h.name).toContain(h.after);
    }
  });

  it('passes the analysis validator against the dimuon schema', () => {
    const r = validate(defaultAnalysis(), { columns: DIMUON.columns });
    expect(r.ok ? [] : r.diagnostics).toEqual([]);
    // and the validator does reject a wrong name, so the check above means something
    const bad = defaultAnalysis();
    bad.filters[0]!.expr = 'mu1_charge * mu3_charge < 0';
    expect(validate(bad, { columns: DIMUON.columns }).ok).toBe(false);
  });

  it('books the Z window after every cut, weighted, and a 2D eta map', () => {
    const doc = defaultAnalysis();
    const z = doc.histograms.find((h) => h.x.expr === 'm' && h.x.lo === 60 && h.x.hi === 120)!;
    expect(z.after).toBe(doc.filters.at(-1)!.name);
    expect(doc.histograms.every((h) => h.weight === 'weight')).toBe(true);
    expect(doc.histograms.some((h) => h.y !== undefined)).toBe(true);
  });

  it('is a fresh copy on every call', () => {
    const a = defaultAnalysis();
    a.filters.pop();
    a.histograms[0]!.x.bins = 1;
    expect(defaultAnalysis()).not.toEqual(a);
    expect(defaultAnalysis()).toEqual(defaultAnalysis());
  });
});
