import { describe, expect, it } from 'vitest';
import type { Expr } from './ast';
import { checkExpr, envFrom, type NameInfo } from './check';
import type { Diagnostic } from './diagnostic';
import { printIR } from './ir';
import { evalDerived, type JaggedColumn } from './jagged';
import { parseExpr } from './parser';
import { printExpr } from './print';

const tree = (src: string): Expr => {
  const r = parseExpr(src);
  expect(r.diagnostics).toEqual([]);
  return r.ast!;
};

const env = envFrom([
  { name: 'Jet_pt', kind: 'column', type: 'num', jagged: true },
  { name: 'Jet_eta', kind: 'column', type: 'num', jagged: true },
  { name: 'Jet_good', kind: 'column', type: 'bool', jagged: true },
  { name: 'Jet_flav', kind: 'column', type: 'dict', dictionary: ['b', 'c', 'l'], jagged: true },
  { name: 'MET', kind: 'column', type: 'num' },
  { name: 'x[0]', kind: 'column', type: 'num' },
  { name: 'x[1]', kind: 'column', type: 'num' },
  { name: 'period', kind: 'column', type: 'dict', dictionary: ['A', 'B'] },
  { name: 'k', kind: 'define', type: 'num', expr: tree('2 * MET') },
  { name: 'kk', kind: 'define', type: 'num', expr: tree('k + `x[0]`') },
  { name: 'nj', kind: 'define', type: 'num', expr: tree('size(Jet_pt)') },
  { name: 'lead', kind: 'define', type: 'num', expr: tree('1 + Jet_pt[0]') },
  { name: 'broken', kind: 'define', type: 'error' },
] as ({ name: string } & NameInfo)[]);

const checked = (src: string, define?: string) => {
  const r = checkExpr(tree(src), env, define !== undefined ? { define } : {});
  if (!r.ok) throw new Error(`${src}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r;
};
const typed = (src: string) => {
  const r = checked(src);
  return `${printIR(r.ir)} : ${r.type}`;
};
const names = (src: string) => checked(src).derived.map((d) => d.name);
const errors = (src: string, define?: string): Diagnostic[] => {
  const r = checkExpr(tree(src), env, define !== undefined ? { define } : {});
  expect(r.ok).toBe(false);
  return r.diagnostics;
};
const error = (src: string, define?: string): Diagnostic => {
  const ds = errors(src, define);
  expect(ds).toHaveLength(1);
  return ds[0];
};

describe('reductions become derived columns', () => {
  it.each([
    ['sum(Jet_pt)', 'col:sum(Jet_pt) : num'],
    ['size(Jet_pt)', 'col:size(Jet_pt) : num'],
    ['min(Jet_pt)', 'col:min(Jet_pt) : num'],
    ['max(Jet_pt) > 30', '(GT col:max(Jet_pt) 30) : bool'],
    ['mean(Jet_eta)', 'col:mean(Jet_eta) : num'],
    ['any(Jet_pt > 30)', 'col:any(Jet_pt > 30) : bool'],
    ['all(Jet_good)', 'col:all(Jet_good) : bool'],
    ['count(Jet_good && Jet_pt > MET)', 'col:count(Jet_good && Jet_pt > MET) : num'],
    ['Jet_pt[0]', 'col:Jet_pt[0] : num'],
    ['Jet_good[1]', 'col:Jet_good[1] : num'],
    ['any(Jet_flav == "b")', 'col:any(Jet_flav == "b") : bool'],
    ['min(MET, 3)', '(MIN col:MET 3) : num'],
    ['max(Jet_pt[0], Jet_pt[1])', '(MAX col:Jet_pt[0] col:Jet_pt[1]) : num'],
    ['x[0] + x[1]', '(ADD col:x[0] col:x[1]) : num'],
    ['`x[1]`', 'col:x[1] : num'],
    ['nj', 'ref:nj : num'],
  ])('%s  →  %s', (src, out) => {
    expect(typed(src)).toBe(out);
  });

  it('describes each reduction for the engine', () => {
    expect(checked('sum(Jet_pt * MET) + Jet_eta[2] + size(Jet_eta)').derived).toEqual([
      { name: 'sum(Jet_pt * MET)', type: 'num', reduce: 'sum', element: expect.objectContaining({ kind: 'binary', op: '*' }), jagged: ['Jet_pt'], scalars: ['MET'] },
      { name: 'Jet_eta[2]', type: 'num', reduce: 'index', index: 2, jagged: ['Jet_eta'], scalars: [] },
      { name: 'size(Jet_eta)', type: 'num', reduce: 'size', jagged: ['Jet_eta'], scalars: [] },
    ]);
    const any = checked('any(Jet_pt > MET && abs(Jet_eta) < 2.4 && period == "A")').derived[0];
    expect(any).toMatchObject({ type: 'bool', reduce: 'any', jagged: ['Jet_pt', 'Jet_eta'], scalars: ['MET', 'period'] });
  });

  it('names each reduction by its canonical text, so equal ones share one column', () => {
    expect(names('sum( Jet_pt*2 ) + sum((Jet_pt) * 2.0) + Jet_pt[ 0 ] + Jet_pt[0]')).toEqual(['sum(Jet_pt * 2)', 'Jet_pt[0]']);
    expect(names('sum(fabs(Jet_eta) * M_PI) + sum(TMath::Abs(Jet_eta) * TMath::Pi()) + sum(std::abs(Jet_eta) * 3.141592653589793)'))
      .toEqual([`sum(abs(Jet_eta) * ${Math.PI})`]);
    expect(names('max(Jet_pt) + max(Jet_pt) + min(Jet_pt)')).toEqual(['max(Jet_pt)', 'min(Jet_pt)']);
  });

  it('writes defines out in the element expression, so it reads columns only', () => {
    const [d] = checked('sum(Jet_pt * kk)').derived;
    expect(d.name).toBe('sum(Jet_pt * (2 * MET + `x[0]`))');
    expect(d.scalars).toEqual(['MET', 'x[0]']);
    expect(names('sum(Jet_pt * k) + sum(Jet_pt * (2 * MET))')).toEqual(['sum(Jet_pt * (2 * MET))']);
  });

  it('reads `x[0]` as the column of that name when there is no list x, inside reductions too', () => {
    const [d] = checked('sum(Jet_pt * x[1])').derived;
    expect(d).toMatchObject({ name: 'sum(Jet_pt * `x[1]`)', scalars: ['x[1]'] });
    const jaggedX = envFrom([{ name: 'x', kind: 'column', type: 'num', jagged: true }, { name: 'x[0]', kind: 'column', type: 'num' }]);
    const r = checkExpr(tree('x[0] + `x[0]`'), jaggedX);
    expect(r.ok && printIR(r.ir)).toBe('(ADD col:x[0] col:x[0])');
    expect(r.ok && r.derived.map((x) => x.reduce)).toEqual(['index']);
  });

  it('returns no derived columns when the expression has no reduction', () => {
    expect(checked('MET * 2 > 1').derived).toEqual([]);
  });
});

describe('errors', () => {
  it('a list column outside a reduction', () => {
    expect(error('Jet_pt > 30')).toEqual({
      message: "'Jet_pt' holds a list per row; reduce it, e.g. max(Jet_pt), size(Jet_pt) or Jet_pt[0]", start: 0, end: 6, name: 'Jet_pt',
    });
    expect(errors('Jet_pt * Jet_pt + Jet_eta').map((d) => d.name)).toEqual(['Jet_pt', 'Jet_eta']);
    expect(error('min(Jet_pt, 3)').start).toBe(4);
    expect(error('Jet_flav == "b"').message).toBe("'Jet_flav' holds a list per row; reduce it, e.g. size(Jet_flav) or any(Jet_flav == \"value\")");
  });

  it('a define that would hold a list', () => {
    expect(error('Jet_pt * 2', 'pts').message).toBe(
      "define 'pts' would hold a list per row ('Jet_pt' does), which is not supported; reduce it, e.g. max(Jet_pt), size(Jet_pt) or Jet_pt[0], or write the list expression inside the reduction that needs it, like sum(Jet_pt * 2)",
    );
    expect(checked('size(Jet_pt)', 'nj').derived).toHaveLength(1);
  });

  it('nested reductions', () => {
    expect(error('sum(Jet_pt - max(Jet_pt))')).toEqual({
      message: "`max(…)` is inside sum(…): reductions can't be nested; a reduction's argument works on one element at a time", start: 13, end: 24,
    });
    expect(error('any(Jet_pt > Jet_pt[0])').message).toBe("`Jet_pt[0]` is inside any(…): reductions can't be nested; a reduction's argument works on one element at a time");
    expect(error('sum(Jet_pt * nj)')).toEqual({ message: "define 'nj' reduces a list column with size(…), so it can't be used inside sum(…): reductions can't be nested", start: 13, end: 15 });
    expect(error('sum(Jet_pt * lead)').message).toBe("define 'lead' takes an element of the list 'Jet_pt', so it can't be used inside sum(…): reductions can't be nested");
    expect(checked('sum(Jet_pt) * nj + lead').derived.map((d) => d.name)).toEqual(['sum(Jet_pt)']);
  });

  it('an index that is not a whole number written out', () => {
    expect(error('Jet_pt[i]')).toEqual({ message: "the index of 'Jet_pt' must be a whole number from 0 written out, like Jet_pt[0]; got `i`", start: 7, end: 8 });
    expect(error('Jet_pt[-1]').message).toContain('got `-1`');
    expect(error('Jet_pt[0.5]').message).toContain('got `0.5`');
    expect(error('Jet_pt[1 + 1]').message).toContain('got `1 + 1`');
    expect(error('Jet_pt[1e10]').message).toContain('got `10000000000`');
  });

  it('indexing what is not a list', () => {
    expect(error('MET[0]')).toMatchObject({ message: "'MET' is a column with one value per row; only list columns can be indexed", start: 0, end: 3 });
    expect(error('k[0]').message).toBe("'k' is a define with one value per row; only list columns can be indexed");
    expect(error('M_PI[0]').message).toBe("'M_PI' is a number; only list columns can be indexed");
    expect(error('Jet_flav[0]').message).toBe("'Jet_flav' holds a list of strings, whose elements can't be taken one by one; compare them inside a reduction, like any(Jet_flav == \"value\")");
    expect(checkExpr(tree('broken[0]'), env)).toEqual({ ok: false, diagnostics: [] });
  });

  it('unknown list columns, with a suggestion', () => {
    expect(error('max(Jet_ptt)')).toEqual({ message: "unknown column 'Jet_ptt'; did you mean 'Jet_pt'?", start: 4, end: 11, name: 'Jet_ptt', suggestion: 'Jet_pt' });
    expect(error('Jet_ptt[0]')).toMatchObject({ message: "unknown column 'Jet_ptt'; did you mean 'Jet_pt'?", start: 0, end: 7 });
    expect(error('size(Jet_ptt)')).toMatchObject({ suggestion: 'Jet_pt', start: 5, end: 12 });
    expect(error('x[2]')).toEqual({ message: "unknown column 'x[2]'; did you mean 'x[0]'?", start: 0, end: 4, name: 'x[2]', suggestion: 'x[0]' });
  });

  it('reductions of what is not a list, and wrong arguments', () => {
    expect(error('sum(MET)')).toEqual({ message: 'sum adds up a list column, like sum(Jet_pt), but `MET` reads none', start: 4, end: 7, name: 'sum' });
    expect(error('max(MET)').message).toBe('max takes the largest element of a list column, like max(Jet_pt), but `MET` reads none; for the larger of two values write max(a, b)');
    expect(error('any(MET > 2)').message).toBe('any tests the elements of a list column, like any(Jet_pt > 30), but `MET > 2` reads none');
    expect(error('size(Jet_pt * 2)').message).toBe('size counts the elements of a list column, like size(Jet_pt); `Jet_pt * 2` is not a list column');
    expect(error('size(MET)').message).toContain('`MET` is not a list column');
    expect(error('sum(Jet_pt, 2)').message).toBe('sum takes 1 argument, a list expression like sum(Jet_pt), got 2');
    expect(error('count()').message).toBe('count takes 1 argument, a list expression like count(Jet_pt > 30), got 0');
    expect(error('sum(Jet_flav)').message).toBe('a number is needed as the argument of sum, but column \'Jet_flav\' holds strings; compare it with a value, like Jet_flav == "b"');
    expect(error('sum + 1').message).toBe("'sum' is a function; call it with arguments in parentheses, like sum(Jet_pt)");
    expect(error('summ(Jet_pt)')).toMatchObject({ message: "unknown function 'summ'; did you mean 'sum'?" });
    expect(error('summ(sqrt(Jet_pt), Jet_eta)').message).toBe("unknown function 'summ'; did you mean 'sum'?");
  });

  it('bounds an element expression whose defines double at each step', () => {
    const chain: ({ name: string } & NameInfo)[] = [
      { name: 'J', kind: 'column', type: 'num', jagged: true }, { name: 'm', kind: 'column', type: 'num' }, { name: 'd0', kind: 'define', type: 'num', expr: tree('m') },
    ];
    for (let i = 1; i <= 40; i++) chain.push({ name: `d${i}`, kind: 'define', type: 'num', expr: tree(`d${i - 1} + d${i - 1}`) });
    const r = checkExpr(tree('sum(J * d40) + sum(J * d3)'), envFrom(chain));
    expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([
      'the argument of sum is too large once the defines it uses are written out (over 10000 terms or 1000 levels); simplify those defines',
    ]);
  });
});

/** Lists as row-major arrays → the columnar form evalDerived reads. */
function jaggedColumn(rows: number[][]): JaggedColumn {
  const offsets = new Uint32Array(rows.length + 1);
  rows.forEach((r, i) => { offsets[i + 1] = offsets[i] + r.length; });
  return { offsets, values: Float64Array.from(rows.flat()) };
}

const LISTS: Record<string, number[][]> = {
  Jet_pt: [[10, 20], [], [1, NaN, 3], [7]],
  Jet_eta: [[0.5], [], [1, -2, 3], [-1, 2]],
  Jet_good: [[1, 0], [], [1, 1, 1], [0]],
  Jet_flav: [[0, 2], [], [1, 1, 2], [0]],
};
const SCALARS: Record<string, number[]> = { MET: [1, 2, 3, 0.5], 'x[0]': [0, 0, 0, 10], 'x[1]': [1, 1, 1, 1], period: [0, 1, 0, 1] };
const DICTS = { Jet_flav: ['b', 'c', 'l'], period: ['A', 'B'] };

/** The one derived column of `src`, computed over the four rows above. */
const rowsOf = (src: string): number[] => {
  const [spec] = checked(src).derived;
  return [...evalDerived(spec, 4, (n) => jaggedColumn(LISTS[n]), (n) => SCALARS[n], DICTS)];
};

describe('evalDerived', () => {
  it.each([
    ['size(Jet_pt)', [2, 0, 3, 1]],
    ['sum(Jet_pt)', [30, 0, NaN, 7]],
    ['min(Jet_pt)', [10, NaN, NaN, 7]],
    ['max(Jet_pt)', [20, NaN, NaN, 7]],
    ['mean(Jet_pt)', [15, NaN, NaN, 7]],
    ['mean(Jet_eta)', [0.5, NaN, 2 / 3, 0.5]],
    ['min(Jet_eta)', [0.5, NaN, -2, -1]],
    ['Jet_pt[0]', [10, NaN, 1, 7]],
    ['Jet_pt[2]', [NaN, NaN, 3, NaN]],
    ['any(Jet_pt > 15)', [1, 0, 0, 0]],
    ['all(Jet_pt > 5)', [1, 1, 0, 1]],
    ['count(Jet_pt > 5)', [2, 0, 0, 1]],
    ['any(Jet_pt)', [1, 0, 1, 1]],
    ['all(isnan(Jet_pt) || Jet_pt < 5)', [0, 1, 1, 0]],
    ['count(Jet_good)', [1, 0, 3, 0]],
    ['sum(Jet_pt * MET)', [30, 0, NaN, 3.5]],
    ['sum(Jet_pt * x[0] + `x[1]`)', [2, 0, NaN, 71]],
    // Different lengths: the shorter list decides.
    ['sum(Jet_pt * Jet_eta)', [5, 0, NaN, -7]],
    ['count(Jet_pt > 0 || Jet_eta > 0)', [1, 0, 2, 1]],
    ['any(Jet_flav == "b")', [1, 0, 0, 1]],
    ['count(Jet_flav == "c" && period == "A")', [0, 0, 2, 0]],
    ['sum(Jet_pt * k)', [60, 0, NaN, 7]],
  ] as [string, number[]][])('%s', (src, expected) => {
    expect(rowsOf(src)).toEqual(expected);
  });

  it('refuses offsets that leave the values', () => {
    const [spec] = checked('sum(Jet_pt)').derived;
    const bad = (offsets: number[], values: number[], rows: number) => () => evalDerived(spec, rows, () => ({ offsets: Uint32Array.from(offsets), values: Float64Array.from(values) }), () => []);
    expect(bad([0, 1], [1], 2)).toThrow(/needs rows \+ 1/);
    expect(bad([0, 2, 1], [1, 2], 2)).toThrow(/decrease at row 1/);
    expect(bad([0, 3], [1, 2], 1)).toThrow(/run past/);
    expect(bad([0, 2], [1, 2, 3], 1)()).toEqual(Float64Array.of(3));
  });
});

describe('evalDerived against an independent loop, on random data and expressions', () => {
  /** mulberry32, kept separate from the code under test. */
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ELEMENTS = [
    'Jet_pt', 'Jet_pt * 2 - MET', 'abs(Jet_eta) * Jet_pt', 'Jet_pt > MET', 'Jet_pt - Jet_eta', 'Jet_good ? Jet_pt : -Jet_eta',
    'sqrt(Jet_pt) + x[0]', 'fmod(Jet_pt, 3) == 1', 'Jet_eta < 0 && Jet_good', 'min(Jet_pt, MET) + max(Jet_eta, 0)', 'isnan(Jet_pt)',
    'Jet_pt / Jet_eta', 'pow(Jet_eta, 2) + TMath::Pi()', 'Jet_flav == "b" || Jet_pt > 4', 'round(Jet_eta) == 0 ? 1 : Jet_pt % 2',
  ];
  const REDUCE = ['sum', 'min', 'max', 'mean', 'any', 'all', 'count'] as const;

  /** Straight from the definitions: slice each row's lists, evaluate, reduce. */
  function expected(fn: string, element: Expr, lists: Record<string, number[][]>, scalars: Record<string, number[]>, rows: number): number[] {
    const out: number[] = [];
    const used = Object.keys(lists).filter((n) => printExpr(element).includes(n));
    for (let r = 0; r < rows; r++) {
      const n = Math.min(...used.map((u) => lists[u][r].length));
      const vals: number[] = [];
      for (let k = 0; k < n; k++) {
        vals.push(evalElement(element, (name) => (name in lists ? lists[name][r][k] : scalars[name][r])));
      }
      const nan = vals.some((v) => Number.isNaN(v));
      const total = vals.reduce((a, b) => a + b, 0);
      out.push(
        fn === 'sum' ? total
        : fn === 'mean' ? (n === 0 ? NaN : total / n)
        : fn === 'min' ? (n === 0 || nan ? NaN : Math.min(...vals))
        : fn === 'max' ? (n === 0 || nan ? NaN : Math.max(...vals))
        : fn === 'any' ? (vals.some((v) => v !== 0) ? 1 : 0)
        : fn === 'all' ? (vals.every((v) => v !== 0) ? 1 : 0)
        : vals.filter((v) => v !== 0).length,
      );
    }
    return out;
  }

  it('agrees on 3000 random rows for every reduction of every element expression', () => {
    const rand = rng(11);
    const rows = 3000;
    const value = () => (rand() < 0.05 ? NaN : rand() < 0.2 ? Math.floor(rand() * 5) : (rand() - 0.3) * 50);
    const list = (make: () => number) => Array.from({ length: rows }, () => Array.from({ length: Math.floor(rand() * 6) }, make));
    const lists: Record<string, number[][]> = {
      Jet_pt: list(value), Jet_eta: list(value), Jet_good: list(() => (rand() < 0.5 ? 1 : 0)), Jet_flav: list(() => Math.floor(rand() * 3)),
    };
    const scalars: Record<string, number[]> = {
      MET: Array.from({ length: rows }, value), 'x[0]': Array.from({ length: rows }, value), period: Array.from({ length: rows }, () => Math.floor(rand() * 2)),
    };
    const columns = Object.fromEntries(Object.entries(lists).map(([n, l]) => [n, jaggedColumn(l)]));
    for (const e of ELEMENTS) {
      for (const fn of REDUCE) {
        const [spec] = checked(`${fn}(${e})`).derived;
        const got = evalDerived(spec, rows, (n) => columns[n], (n) => scalars[n], DICTS);
        const want = expected(fn, tree(e), lists, scalars, rows);
        const bad = want.findIndex((w, r) => !Object.is(got[r], w));
        if (bad >= 0) expect(got[bad], `${fn}(${e}) row ${bad}`).toBe(want[bad]);
      }
    }
    for (const [i, name] of ['Jet_pt', 'Jet_eta'].entries()) {
      const size = evalDerived(checked(`size(${name})`).derived[0], rows, (n) => columns[n], (n) => scalars[n]);
      const at = evalDerived(checked(`${name}[${i + 1}]`).derived[0], rows, (n) => columns[n], (n) => scalars[n]);
      expect([...size]).toEqual(lists[name].map((l) => l.length));
      expect([...at]).toEqual(lists[name].map((l) => (l.length > i + 1 ? l[i + 1] : NaN)));
    }
  });
});

/**
 * The element expression evaluated on its own, without the reference
 * evaluator: the few operators and functions the random cases use, with
 * the language's semantics (NaN-propagating min/max, C truth, fmod).
 */
function evalElement(e: Expr, value: (name: string) => number): number {
  const ev = (x: Expr) => evalElement(x, value);
  const DICT: Record<string, string[]> = { Jet_flav: ['b', 'c', 'l'] };
  switch (e.kind) {
    case 'num': return e.value;
    case 'bool': return e.value ? 1 : 0;
    case 'name': return value(e.name);
    case 'index': return value(`${e.name}[${(e.index as { value: number }).value}]`);
    case 'unary': return e.op === '-' ? -ev(e.arg) : e.op === '!' ? (ev(e.arg) === 0 ? 1 : 0) : ev(e.arg);
    case 'cond': return ev(e.test) !== 0 ? ev(e.then) : ev(e.else);
    case 'binary': {
      if (e.op === '==' && e.right.kind === 'str' && e.left.kind === 'name') return DICT[e.left.name][value(e.left.name)] === e.right.value ? 1 : 0;
      const a = ev(e.left);
      const b = ev(e.right);
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '%': return a % b;
        case '<': return a < b ? 1 : 0;
        case '>': return a > b ? 1 : 0;
        case '==': return a === b ? 1 : 0;
        case '&&': return a !== 0 && b !== 0 ? 1 : 0;
        case '||': return a !== 0 || b !== 0 ? 1 : 0;
        default: throw new Error(`evalElement: ${e.op}`);
      }
    }
    case 'call': {
      const [a, b] = e.args.map(ev);
      switch (e.fn) {
        case 'abs': return Math.abs(a);
        case 'sqrt': return Math.sqrt(a);
        case 'fmod': return a % b;
        case 'min': return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
        case 'max': return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
        case 'isnan': return Number.isNaN(a) ? 1 : 0;
        case 'pow': return Math.pow(a, b);
        case 'round': return Math.sign(a) * Math.floor(Math.abs(a) + 0.5);
        case 'TMath::Pi': return Math.PI;
        default: throw new Error(`evalElement: ${e.fn}`);
      }
    }
    default: throw new Error(`evalElement: ${e.kind}`);
  }
}
