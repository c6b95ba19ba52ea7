import { describe, expect, it } from 'vitest';
import { Op } from '../../kernels/opcodes';
import type { Diagnostic } from '../expr/diagnostic';
import { printIR } from '../expr/ir';
import type { AnalysisInput, DatasetSchema } from './document';
import { validate } from './validate';

const schema: DatasetSchema = {
  columns: [
    { name: 'px', type: 'f64' }, { name: 'py', type: 'f32' }, { name: 'eta', type: 'f32' }, { name: 'n', type: 'i32' },
    { name: 'run', type: 'u64' }, { name: 'w', type: 'f64' }, { name: 'good', type: 'bool' },
    { name: 'cat', type: 'dict', dictionary: ['alpha', 'beta'] }, { name: 'odd col', type: 'u32' },
  ],
};
const doc = (patch: Partial<AnalysisInput> = {}): AnalysisInput => ({
  version: 1,
  dataset: { kind: 'demo', name: 'dimuon', rows: 1000, seed: 1 },
  defines: [{ name: 'pt', expr: 'sqrt(px*px + py*py)' }],
  filters: [{ name: 'central', expr: 'abs(eta) < 2.4' }, { name: 'hard', expr: 'pt > 20' }],
  histograms: [{ name: 'h_pt', x: { expr: 'pt', bins: 100, lo: 0, hi: 200 }, weight: 'w', after: 'central' }],
  ...patch,
});
const checked = (d: AnalysisInput) => {
  const r = validate(d, schema);
  if (!r.ok) throw new Error(r.diagnostics.map((x) => `${x.path}: ${x.message}`).join('\n'));
  return r.analysis;
};
const problems = (d: unknown): Diagnostic[] => {
  const r = validate(d, schema);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.diagnostics;
};
const problem = (d: unknown): Diagnostic => {
  const ds = problems(d);
  expect(ds).toHaveLength(1);
  return ds[0];
};

describe('validate: the checked analysis', () => {
  it('compiles the design example to typed, folded IR', () => {
    const a = checked(doc());
    expect(a.defines).toEqual([{ name: 'pt', ir: expect.anything(), deps: [] }]);
    expect(printIR(a.defines[0].ir)).toBe('(SQRT (ADD (MUL col:px col:px) (MUL col:py col:py)))');
    expect(a.filters.map((f) => printIR(f.ir))).toEqual(['(LT (ABS col:eta) 2.4)', '(GT ref:pt 20)']);
    expect(a.histograms).toEqual([{
      name: 'h_pt', x: { ir: { t: 'ref', name: 'pt', type: 'num' }, bins: 100, lo: 0, hi: 200 },
      weight: { t: 'col', name: 'w', type: 'num' }, after: 0,
    }]);
    expect(a.doc.version).toBe(1);
  });

  it('maps every column type: integers and floats are numbers, bool is bool', () => {
    const a = checked(doc({ defines: [{ name: 'd', expr: 'px + py + eta + n + run + `odd col`' }, { name: 'g', expr: 'good' }], filters: [], histograms: [] }));
    expect(a.defines.map((d) => d.ir.type)).toEqual(['num', 'bool']);
  });

  it('sorts defines so each follows the defines it uses, wherever they are written', () => {
    const a = checked(doc({
      defines: [{ name: 'c', expr: 'b * 2' }, { name: 'b', expr: 'a + 1' }, { name: 'a', expr: 'px' }, { name: 'unused', expr: '1' }],
      filters: [], histograms: [],
    }));
    expect(a.defines.map((d) => [d.name, d.deps])).toEqual([['a', []], ['b', ['a']], ['c', ['b']], ['unused', []]]);
  });

  it('takes deps from the folded IR, so a define folded away is not a dependency', () => {
    const a = checked(doc({ defines: [{ name: 'a', expr: 'px' }, { name: 'b', expr: 'false && a > 1 ? a : px' }], filters: [], histograms: [] }));
    expect(a.defines.find((d) => d.name === 'b')!.deps).toEqual([]);
  });

  it('wraps a numeric filter in TRUTH: non-zero rows pass', () => {
    const a = checked(doc({ filters: [{ name: 'nonzero', expr: 'n' }, { name: 'b', expr: 'good' }], histograms: [] }));
    expect(a.filters[0].ir).toEqual({ t: 'op', op: Op.TRUTH, args: [{ t: 'col', name: 'n', type: 'num' }], type: 'bool' });
    expect(a.filters[1].ir).toEqual({ t: 'col', name: 'good', type: 'bool' });
  });

  it('compiles string equality to a dictionary code compare', () => {
    const a = checked(doc({ filters: [{ name: 'b', expr: 'cat == "beta"' }, { name: 'nb', expr: 'cat != "zeta"' }], histograms: [] }));
    expect(a.filters.map((f) => printIR(f.ir))).toEqual(['code:cat=1', 'true']);
  });

  it('resolves `after` to the filter index, -1 when absent', () => {
    const a = checked(doc({
      histograms: [
        { name: 'all', x: { expr: 'px', bins: 10, lo: 0, hi: 1 } },
        { name: 'c', x: { expr: 'px', bins: 10, lo: 0, hi: 1 }, after: 'central' },
        { name: 'h', x: { expr: 'px', bins: 10, lo: 0, hi: 1 }, after: 'hard' },
      ],
    }));
    expect(a.histograms.map((h) => h.after)).toEqual([-1, 0, 1]);
  });

  it('accepts bool axes and weights (counted as 0 and 1) and 2D histograms', () => {
    const a = checked(doc({ histograms: [{ name: 'h2', x: { expr: 'good', bins: 2, lo: 0, hi: 2 }, y: { expr: 'eta', bins: 10, lo: -5, hi: 5 }, weight: 'good' }] }));
    expect(a.histograms[0].y).toEqual({ ir: { t: 'col', name: 'eta', type: 'num' }, bins: 10, lo: -5, hi: 5 });
    expect(a.histograms[0].weight).toEqual({ t: 'col', name: 'good', type: 'bool' });
  });

  it('accepts a document without lists', () => {
    expect(checked({ version: 1, dataset: { kind: 'demo', name: 'd', rows: 1, seed: 0 } })).toMatchObject({ defines: [], filters: [], histograms: [] });
  });
});

describe('validate: problems', () => {
  it('returns structural problems alone', () => {
    expect(problems({ ...doc(), version: 3 })).toEqual([{ path: 'version', message: 'unsupported version 3; this Sift reads version 1' }]);
  });

  it('names an unknown column with a suggestion, at its position in the expression', () => {
    expect(problem(doc({ filters: [{ name: 'f', expr: 'abs(etaa) < 2' }], histograms: [] }))).toEqual({
      path: 'filters[0].expr', message: "unknown column 'etaa'; did you mean 'eta'?", start: 4, end: 8, name: 'etaa', suggestion: 'eta',
    });
    expect(problem(doc({ defines: [{ name: 'pt', expr: 'sqrt(px*px + pz*pz)' }] })).message).toBe("unknown column 'pz'; did you mean 'px'?");
  });

  it('suggests defines too', () => {
    expect(problem(doc({ filters: [{ name: 'f', expr: 'ptt > 1' }], histograms: [] }))).toMatchObject({ suggestion: 'pt' });
  });

  it('refuses a define that shadows a column', () => {
    expect(problem(doc({ defines: [{ name: 'px', expr: 'px * 2' }], filters: [], histograms: [] }))).toEqual({
      path: 'defines[0].name', message: "define 'px' has the same name as a column of the dataset; choose another name", name: 'px',
    });
  });

  it('names a cycle between defines', () => {
    const d = doc({ defines: [{ name: 'a', expr: 'b + 1' }, { name: 'b', expr: 'c * 2' }, { name: 'c', expr: 'px + a' }], filters: [], histograms: [] });
    expect(problem(d)).toEqual({
      path: 'defines[0].expr', message: "defines form a cycle: a → b → c → a; a define can't use itself, directly or through others", start: 0, end: 1, name: 'a',
    });
  });

  it('names a define that uses itself', () => {
    expect(problem(doc({ defines: [{ name: 'x', expr: 'px + x' }], filters: [], histograms: [] }))).toEqual({
      path: 'defines[0].expr', message: "define 'x' uses itself; a define can only use columns and other defines", start: 5, end: 6, name: 'x',
    });
  });

  it('does not repeat a cycle in the expressions that use it, but still checks them', () => {
    const ds = problems(doc({ defines: [{ name: 'a', expr: 'b' }, { name: 'b', expr: 'a' }, { name: 'c', expr: 'a + nope' }], filters: [{ name: 'f', expr: 'c > 1' }], histograms: [] }));
    expect(ds.map((x) => [x.path, x.message.split(';')[0]])).toEqual([
      ['defines[0].expr', 'defines form a cycle: a → b → a'], ['defines[2].expr', "unknown column 'nope'"],
    ]);
  });

  it('refuses a define of string type', () => {
    expect(problem(doc({ defines: [{ name: 'k', expr: 'cat' }], filters: [], histograms: [] }))).toEqual({
      path: 'defines[0].expr', message: 'define \'k\' must give a number or a boolean, but column \'cat\' holds strings; compare it with a value, like cat == "alpha"', start: 0, end: 3,
    });
    expect(problem(doc({ defines: [{ name: 'k', expr: '"beta"' }], filters: [], histograms: [] })).message).toMatch(/^define 'k' must give a number or a boolean, but "beta" is a string/);
  });

  it('refuses string-valued filters, axes and weights, suggesting a comparison', () => {
    expect(problem(doc({ filters: [{ name: 'f', expr: 'cat' }], histograms: [] })).message).toBe('filter \'f\' must give a number or a boolean, but column \'cat\' holds strings; compare it with a value, like cat == "alpha"');
    expect(problem(doc({ histograms: [{ name: 'h', x: { expr: 'cat', bins: 2, lo: 0, hi: 2 } }] }))).toMatchObject({
      path: 'histograms[0].x.expr', message: expect.stringMatching(/^the x axis of histogram 'h' must give a number or a boolean, but column 'cat'.*cat == "alpha"$/),
    });
    expect(problem(doc({ histograms: [{ name: 'h', x: { expr: 'px', bins: 2, lo: 0, hi: 2 }, y: { expr: 'cat', bins: 2, lo: 0, hi: 2 } }] })).path).toBe('histograms[0].y.expr');
    expect(problem(doc({ histograms: [{ name: 'h', x: { expr: 'px', bins: 2, lo: 0, hi: 2 }, weight: 'cat' }] }))).toMatchObject({
      path: 'histograms[0].weight', message: expect.stringMatching(/^the weight of histogram 'h' must give a number/),
    });
  });

  it('checks expressions whose defines have a syntax error without repeating it', () => {
    const ds = problems(doc({ defines: [{ name: 'pt', expr: 'sqrt(px' }], filters: [{ name: 'f', expr: 'pt > 1 && nope' }], histograms: [] }));
    expect(ds.map((x) => [x.path, x.start])).toEqual([['defines[0].expr', 7], ['filters[0].expr', 10]]);
  });

  it('collects problems across the document, in document order', () => {
    const ds = problems(doc({
      defines: [{ name: 'pt', expr: 'sqrt(qx)' }],
      filters: [{ name: 'f', expr: 'cat == 1' }],
      histograms: [{ name: 'h', x: { expr: 'pt + zz', bins: 10, lo: 0, hi: 1 }, weight: 'ww' }],
    }));
    expect(ds.map((x) => x.path)).toEqual(['defines[0].expr', 'filters[0].expr', 'histograms[0].x.expr', 'histograms[0].weight']);
  });

  it('never throws, whatever it is given', () => {
    for (const v of [undefined, null, 0, 'x', [], {}, { version: 1 }, { version: 1, dataset: {} }, { version: 1, dataset: { kind: 'demo' }, defines: [null] },
      { version: 1, dataset: { kind: 'demo', name: 'd', rows: 1, seed: 1 }, histograms: [{ name: 'h', x: [] }] }]) {
      expect(() => validate(v, schema)).not.toThrow();
      expect(validate(v, schema).ok).toBe(false);
    }
  });
});

describe('validate: list (jagged) columns', () => {
  const nano: DatasetSchema = {
    columns: [...schema.columns, { name: 'MET_pt', type: 'f32' }, { name: 'x[0]', type: 'f32' }],
    jagged: [{ name: 'Jet_pt', elementType: 'f32' }, { name: 'Jet_eta', elementType: 'f32' }, { name: 'Jet_id', elementType: 'bool' }],
  };
  const run = (d: AnalysisInput) => validate(d, nano);
  const base = (patch: Partial<AnalysisInput>): AnalysisInput => doc({ defines: [], filters: [], histograms: [], ...patch });

  it('returns the reductions as derived columns, each once, read by the IR as columns', () => {
    const r = run(base({
      defines: [{ name: 'nj', expr: 'size(Jet_pt)' }, { name: 'k', expr: '2 * MET_pt' }],
      filters: [{ name: 'jets', expr: 'nj >= 2 && max(Jet_pt) > 30' }, { name: 'central', expr: 'all(abs(Jet_eta) < 2.4 || !Jet_id)' }],
      histograms: [
        { name: 'lead', x: { expr: 'Jet_pt[0]', bins: 10, lo: 0, hi: 100 }, weight: 'sum(Jet_pt * k) / size(Jet_pt)', after: 'jets' },
        { name: 'lead2', x: { expr: 'Jet_pt [0]', bins: 10, lo: 0, hi: 200 }, y: { expr: 'x[0]', bins: 5, lo: 0, hi: 1 } },
      ],
    }));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    const a = r.analysis;
    expect(a.derived.map((d) => d.name)).toEqual([
      'size(Jet_pt)', 'max(Jet_pt)', 'all(abs(Jet_eta) < 2.4 || !Jet_id)', 'Jet_pt[0]', 'sum(Jet_pt * (2 * MET_pt))',
    ]);
    expect(a.derived[4]).toMatchObject({ reduce: 'sum', jagged: ['Jet_pt'], scalars: ['MET_pt'] });
    expect(printIR(a.defines[0].ir)).toBe('col:size(Jet_pt)');
    expect(a.filters.map((f) => printIR(f.ir))).toEqual(['(AND (GE ref:nj 2) (GT col:max(Jet_pt) 30))', 'col:all(abs(Jet_eta) < 2.4 || !Jet_id)']);
    expect(printIR(a.histograms[0].weight!)).toBe('(DIV col:sum(Jet_pt * (2 * MET_pt)) col:size(Jet_pt))');
    expect(printIR(a.histograms[1].y!.ir)).toBe('col:x[0]');
  });

  it('returns no derived columns without lists, whatever the schema', () => {
    expect(checked(doc()).derived).toEqual([]);
    const r = run(doc());
    expect(r.ok && r.analysis.derived).toEqual([]);
  });

  it('refuses a list column outside a reduction, and a define that would hold a list', () => {
    const ds = run(base({ defines: [{ name: 'pts', expr: 'Jet_pt * 2' }], filters: [{ name: 'f', expr: 'Jet_pt > 30' }] }));
    expect(ds.ok ? [] : ds.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['defines[0].expr', "define 'pts' would hold a list per row ('Jet_pt' does), which is not supported; reduce it, e.g. max(Jet_pt), size(Jet_pt) or Jet_pt[0], or write the list expression inside the reduction that needs it, like sum(Jet_pt * 2)"],
      ['filters[0].expr', "'Jet_pt' holds a list per row; reduce it, e.g. max(Jet_pt), size(Jet_pt) or Jet_pt[0]"],
    ]);
  });

  it('refuses a define that reduces, used inside a reduction', () => {
    const ds = run(base({ defines: [{ name: 'nj', expr: 'size(Jet_pt)' }], filters: [{ name: 'f', expr: 'any(Jet_pt > nj)' }] }));
    expect(ds.ok ? [] : ds.diagnostics).toEqual([{
      path: 'filters[0].expr', message: "define 'nj' reduces a list column with size(…), so it can't be used inside any(…): reductions can't be nested", start: 13, end: 15,
    }]);
  });

  it('refuses a define named like a list column, and suggests list columns', () => {
    expect(run(base({ defines: [{ name: 'Jet_pt', expr: '1' }] })).ok).toBe(false);
    const ds = run(base({ filters: [{ name: 'f', expr: 'max(Jet_ptt) > 1' }] }));
    expect(ds.ok ? undefined : ds.diagnostics[0]).toMatchObject({ suggestion: 'Jet_pt', start: 4, end: 11 });
  });

  it('refuses a reduction whose text is also the name of a column', () => {
    const clash: DatasetSchema = { columns: [{ name: 'Jet_pt[0]', type: 'f64' }], jagged: [{ name: 'Jet_pt', elementType: 'f64' }] };
    const ds = validate(base({ filters: [{ name: 'f', expr: 'Jet_pt[0] > `Jet_pt[0]`' }] }), clash);
    expect(ds.ok ? [] : ds.diagnostics).toEqual([{
      path: 'filters[0].expr', name: 'Jet_pt[0]',
      message: "the dataset has a column named 'Jet_pt[0]', the same text as the reduction written here, which Sift can't tell apart; this dataset can't use this reduction",
    }]);
  });
});
