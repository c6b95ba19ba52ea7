import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../expr/diagnostic';
import { validateShape } from './shape';

const base = () => ({
  version: 1,
  dataset: { kind: 'demo', name: 'dimuon', rows: 1000, seed: 1 } as Record<string, unknown>,
  defines: [{ name: 'pt', expr: 'sqrt(px*px + py*py)' }] as unknown[],
  filters: [{ name: 'central', expr: 'abs(eta) < 2.4' }, { name: 'hard', expr: 'pt > 20' }] as unknown[],
  histograms: [{ name: 'h_pt', x: { expr: 'pt', bins: 100, lo: 0, hi: 200 }, weight: 'w', after: 'central' }] as Record<string, unknown>[],
});
type Doc = ReturnType<typeof base>;
const problems = (edit: (d: Doc) => unknown): Diagnostic[] => {
  const d = base();
  const r = validateShape(edit(d) ?? d);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.diagnostics;
};
const problem = (edit: (d: Doc) => unknown): Diagnostic => {
  const ds = problems(edit);
  expect(ds).toHaveLength(1);
  return ds[0];
};

describe('validateShape', () => {
  it('accepts the design document example and fills in the lists', () => {
    expect(validateShape(base()).ok).toBe(true);
    const r = validateShape({ version: 1, dataset: { kind: 'url', url: 'https://example.org/d.parquet', format: 'parquet' } });
    expect(r).toEqual({ ok: true, doc: { version: 1, dataset: { kind: 'url', url: 'https://example.org/d.parquet', format: 'parquet' }, defines: [], filters: [], histograms: [] } });
  });

  it('accepts every dataset kind with its optional fields', () => {
    for (const dataset of [
      { kind: 'url', url: 'data/events.root', tree: 'events', format: 'root' },
      { kind: 'file', name: 'run1.csv', size: 123, fingerprint: 'sha256:ab', format: 'csv' },
      { kind: 'file', name: 'run1.arrow', size: 0 },
    ]) expect(validateShape({ version: 1, dataset }).ok, JSON.stringify(dataset)).toBe(true);
  });

  it('refuses a non-object document', () => {
    for (const v of [null, 3, 'x', []]) expect(validateShape(v)).toMatchObject({ ok: false, diagnostics: [{ message: expect.stringMatching(/^an analysis must be a JSON object, got /) }] });
  });

  it('checks the version before anything else', () => {
    expect(problem((d) => ({ ...d, version: 2, bogus: 1 }))).toEqual({ path: 'version', message: 'unsupported version 2; this Sift reads version 1' });
    expect(problem((d) => ({ ...d, version: '1' })).message).toBe('unsupported version the string "1"; this Sift reads version 1');
    expect(problem((d) => ({ ...d, version: undefined })).message).toBe("the analysis is missing 'version' (this Sift reads version 1)");
  });

  it('rejects unknown fields, naming them, with a suggestion', () => {
    expect(problem((d) => ({ ...d, histogram: [] }))).toEqual({
      path: 'histogram', message: "unknown field 'histogram' in the analysis; did you mean 'histograms'?", name: 'histogram', suggestion: 'histograms',
    });
    expect(problem((d) => { (d.histograms[0].x as Record<string, unknown>).bin = 3; })).toMatchObject({
      path: 'histograms[0].x.bin', message: "unknown field 'bin' in the x axis; did you mean 'bins'?",
    });
    expect(problem((d) => { d.dataset.color = 'red'; }).message).toBe("unknown field 'color' in a demo dataset; the fields are kind, name, rows, seed");
    expect(problem((d) => { d.defines[0] = { name: 'pt', expr: 'x', note: 'n' }; }).path).toBe('defines[0].note');
  });

  it('reports missing fields', () => {
    expect(problem((d) => { delete d.histograms[0].x; })).toEqual({ path: 'histograms[0].x', message: "a histogram is missing the field 'x'" });
    expect(problem((d) => { d.filters[0] = { name: 'f' }; })).toEqual({ path: 'filters[0].expr', message: "a filter is missing the field 'expr'" });
    expect(problem((d) => ({ ...d, dataset: undefined })).path).toBe('dataset');
  });

  it('reports wrong types with the value found', () => {
    expect(problem((d) => ({ ...d, filters: {} }))).toEqual({ path: 'filters', message: 'filters must be a list, got an object' });
    expect(problem((d) => { d.defines[0] = { name: 'pt', expr: 42 }; })).toEqual({ path: 'defines[0].expr', message: 'the expression of a define must be a string, got 42' });
    expect(problem((d) => ({ ...d, histograms: ['pt'] })).message).toBe('a histogram must be an object, got the string "pt"');
    expect(problem((d) => { d.histograms[0].weight = 1; }).path).toBe('histograms[0].weight');
    expect(problem((d) => { d.histograms[0].after = null; }).message).toBe("'after' must be a string, got null");
  });

  it('checks the dataset reference', () => {
    expect(problem((d) => { d.dataset.kind = 'dmeo'; })).toEqual({ path: 'dataset.kind', message: "the dataset kind must be 'demo', 'url' or 'file', got the string \"dmeo\"; did you mean 'demo'?" });
    expect(problem((d) => { d.dataset.rows = -1; })).toEqual({ path: 'dataset.rows', message: `rows must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got -1` });
    expect(problem((d) => { d.dataset.seed = 0.5; }).path).toBe('dataset.seed');
    expect(problem((d) => { d.dataset.seed = 2 ** 32; }).path).toBe('dataset.seed');
    expect(problem((d) => { d.dataset.name = ''; }).message).toBe('the demo name must not be empty');
    expect(problem((d) => ({ ...d, dataset: { kind: 'url', url: 'javascript:alert(1)' } }))).toEqual({
      path: 'dataset.url', message: 'only http and https addresses can be opened, got a javascript: address',
    });
    expect(problem((d) => ({ ...d, dataset: { kind: 'url', url: 'x.csv', format: 'xls' } }))).toEqual({
      path: 'dataset.format', message: 'unknown format the string "xls"; expected one of csv, tsv, parquet, arrow, root',
    });
    expect(problem((d) => ({ ...d, dataset: { kind: 'file', name: 'a', size: 1.5 } })).path).toBe('dataset.size');
    expect(problem((d) => ({ ...d, dataset: { kind: 'file', name: 'a', size: 1, tree: '' } })).path).toBe('dataset.tree');
  });

  it('requires names to be identifiers', () => {
    expect(problem((d) => { d.defines[0] = { name: '<b>pt</b>', expr: '1' }; })).toEqual({
      path: 'defines[0].name', message: 'a define name must be letters, digits and _, not starting with a digit, like pt_lead; got the string "<b>pt</b>"', name: '<b>pt</b>',
    });
    expect(problem((d) => { d.histograms[0].name = '2pt'; }).path).toBe('histograms[0].name');
    expect(problem((d) => { d.filters[0] = { name: 'a b', expr: '1' }; }).path).toBe('filters[0].name');
    expect(problem((d) => { d.defines[0] = { name: 'true', expr: '1' }; }).message).toBe("'true' is reserved in expressions; choose another define name");
    expect(problem((d) => { d.defines[0] = { name: 'M_PI', expr: '3' }; }).message).toContain('reserved');
    expect(problem((d) => { d.defines[0] = { name: 'x'.repeat(101), expr: '1' }; }).message).toBe('a define name must be at most 100 characters long');
  });

  it('refuses duplicate names within each list', () => {
    expect(problem((d) => { d.defines.push({ name: 'pt', expr: '2' }); })).toEqual({
      path: 'defines[1].name', message: "the define name 'pt' is already used by defines[0]", name: 'pt',
    });
    expect(problem((d) => { d.filters.push({ name: 'hard', expr: '1' }); }).path).toBe('filters[2].name');
    expect(problem((d) => { d.histograms.push({ ...d.histograms[0] }); }).path).toBe('histograms[1].name');
    expect(validateShape({ ...base(), filters: [{ name: 'pt', expr: 'pt > 1' }], histograms: [] }).ok).toBe(true);
  });

  it('checks binning: whole bins in range, finite ordered edges', () => {
    const axis = (patch: Record<string, unknown>) => problem((d) => { Object.assign(d.histograms[0].x as object, patch); });
    expect(axis({ bins: 2.5 })).toEqual({ path: 'histograms[0].x.bins', message: 'bins must be a whole number from 1 to 1000000, got 2.5' });
    expect(axis({ bins: 0 }).path).toBe('histograms[0].x.bins');
    expect(axis({ bins: -3 }).path).toBe('histograms[0].x.bins');
    expect(axis({ bins: 1_000_001 }).path).toBe('histograms[0].x.bins');
    expect(axis({ bins: '10' }).message).toBe('bins must be a whole number from 1 to 1000000, got the string "10"');
    expect(axis({ lo: Infinity })).toEqual({ path: 'histograms[0].x.lo', message: 'lo must be a finite number, got Infinity' });
    expect(axis({ hi: NaN }).path).toBe('histograms[0].x.hi');
    expect(axis({ lo: 5, hi: 5 })).toEqual({ path: 'histograms[0].x.hi', message: 'hi (5) must be greater than lo (5)' });
    expect(axis({ lo: 6, hi: 5 }).path).toBe('histograms[0].x.hi');
    expect(axis({ lo: -1.5e308, hi: 1.5e308 })).toEqual({ path: 'histograms[0].x.hi', message: 'the range hi − lo overflows to infinity; narrow it' });
    expect(validateShape({ ...base(), histograms: [{ name: 'h', x: { expr: 'x', bins: 1_000_000, lo: -8e307, hi: 8e307 } }] }).ok).toBe(true);
  });

  it('limits the cells of a 2D histogram', () => {
    const h2 = (xb: number, yb: number) => ({ ...base(), histograms: [{ name: 'h', x: { expr: 'a', bins: xb, lo: 0, hi: 1 }, y: { expr: 'b', bins: yb, lo: 0, hi: 1 } }] });
    expect(validateShape(h2(1000, 10_000)).ok).toBe(true);
    expect(validateShape(h2(1001, 10_000))).toEqual({ ok: false, diagnostics: [{
      path: 'histograms[0].y.bins', message: '1001 × 10000 = 10010000 cells is more than the 10000000 a 2D histogram may have; use fewer bins',
    }] });
  });

  it('requires `after` to name a filter, with a suggestion', () => {
    expect(problem((d) => { d.histograms[0].after = 'centrl'; })).toEqual({
      path: 'histograms[0].after', message: "no filter named 'centrl'; did you mean 'central'?", name: 'centrl', suggestion: 'central',
    });
    expect(problem((d) => { d.histograms[0].after = 'zzz'; }).message).toBe("no filter named 'zzz'; the filters are 'central', 'hard'");
    expect(problem((d) => { d.filters = []; }).message).toBe("no filter named 'central'; there are no filters");
  });

  it('reports syntax errors in expressions with their path and position', () => {
    expect(problem((d) => { d.filters[1] = { name: 'hard', expr: 'pt > (20' }; })).toEqual({
      path: 'filters[1].expr', message: 'the expression ends too early: expected `)` to close the `(` at column 6', start: 8, end: 8,
    });
    expect(problems((d) => { d.filters[1] = { name: 'hard', expr: 'pt > 20 &' }; })).toEqual([
      { path: 'filters[1].expr', message: '`&` (bitwise and) is not supported — did you mean `&&`?', start: 8, end: 9 },
      { path: 'filters[1].expr', message: 'the expression ends too early: expected a value after `&`', start: 9, end: 9 },
    ]);
    const ds = problems((d) => { d.defines[0] = { name: 'pt', expr: 'a = 1' }; d.histograms[0].weight = 'w +'; });
    expect(ds.map((x) => [x.path, x.start])).toEqual([['defines[0].expr', 2], ['histograms[0].weight', 3]]);
    expect(problem((d) => { (d.histograms[0].x as Record<string, unknown>).expr = ''; })).toMatchObject({ path: 'histograms[0].x.expr', message: 'the expression is empty' });
  });

  it('collects independent problems across the document', () => {
    const ds = problems((d) => {
      d.dataset.rows = 'many';
      d.defines[0] = { name: '1x', expr: 'a' };
      (d.histograms[0].x as Record<string, unknown>).bins = 0;
    });
    expect(ds.map((x) => x.path)).toEqual(['dataset.rows', 'defines[0].name', 'histograms[0].x.bins']);
  });
});
