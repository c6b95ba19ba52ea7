// The compiler and the WASM VM together against the reference evaluator: random
// expressions go through the real path (validate -> compile -> bytecode -> vm_chunk)
// and every row's value must equal evalExpr on that row, bit for bit (NaN equals NaN,
// -0 is not 0). Plus the shape of the staged body: where COMPACT and GATHER appear.
//
// Transcendental functions (exp log log10 sin cos tan asin acos atan pow atan2 hypot):
// the VM uses AssemblyScript's libm (musl), V8's Math may differ by an ulp
// (kernels/test/ops.test.ts holds the two within 1e-14 relative), and floor, %,
// comparisons and ?: turn an ulp into any difference at all. So this test is exact
// everywhere and instead gives the reference, and the constant folder, the kernel's
// own libm for those functions: what it checks is that the compiler and the VM
// compute what the language says; how close the libm is to V8's is ops.test.ts's job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTR_WORDS, Op } from '../../kernels/opcodes';
import { Run, Scratch, Worker } from '../../kernels/layout';
import { loadKernels, type Kernels } from '../../kernels/test/wasm';
import { load, type ColType, type ProgramSpec } from '../../kernels/test/program';
import { validate } from '../analysis';
import type { AnalysisInput } from '../analysis';
import { evalExpr, parseExpr, randomExprs, seededRandom, type RandomColumn } from '../expr';
import type { Column, ColumnInfo, Dataset } from '../store';
import { compile, type Plan } from './compile';

const k = loadKernels();
const ROWS = 203; // one vector, not a multiple of 4 or 8
const VEC = 208;

const DICT = ['alpha', 'beta', 'gamma', ''];
const SCHEMA: ColumnInfo[] = [
  { name: 'x', type: 'f64' }, { name: 'y', type: 'f64' }, { name: 'f', type: 'f32' }, { name: 'k', type: 'i32' },
  { name: 'u', type: 'u32' }, { name: 'b', type: 'bool' }, { name: 'cat', type: 'dict', dictionary: DICT },
];
const BYTES: Record<string, number> = { f64: 8, f32: 4, i32: 4, u32: 4, bool: 1, dict: 1 };
const COL_TYPE: Record<string, ColType> = { f64: 'f64', f32: 'f32', i32: 'i32', u32: 'u32', bool: 'u8', dict: 'u8' };

/** NaN, ±Inf, ±0, the extremes, halves and bin-edge-like values, and ordinary numbers of every magnitude. */
function table(seed: number): Record<string, ArrayLike<number>> {
  const r = seededRandom(seed);
  const special = [
    NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, 10, 1e300, -1e300, 1.7976931348623157e308,
    -1.7976931348623157e308, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 0.49999999999999994,
    4503599627370495.5, -4503599627370497, 2 ** 53, Math.PI, 1e-3,
  ];
  const num = () => (r() < 0.35 ? special[Math.floor(r() * special.length)]! : (r() - 0.5) * 10 ** Math.floor(r() * 12 - 4));
  const x = new Float64Array(ROWS), y = new Float64Array(ROWS), f = new Float32Array(ROWS);
  const ki = new Int32Array(ROWS), u = new Uint32Array(ROWS), b = new Uint8Array(ROWS), cat = new Uint8Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    x[i] = num();
    y[i] = num();
    f[i] = num();
    ki[i] = r() < 0.2 ? [-(2 ** 31), 2 ** 31 - 1, 0, -1][Math.floor(r() * 4)]! : Math.floor((r() - 0.5) * 40);
    u[i] = r() < 0.2 ? [0, 2 ** 32 - 1, 2 ** 31][Math.floor(r() * 3)]! : Math.floor(r() * 2 ** 32);
    b[i] = r() < 0.5 ? 1 : 0;
    cat[i] = Math.floor(r() * DICT.length);
  }
  return { x, y, f, k: ki, u, b, cat };
}

/** The store's view of those columns, enough for compile (it reads types and element sizes). */
function dataset(): Dataset {
  const columns: Column[] = SCHEMA.map((info, id) => ({
    id, info, elementBytes: BYTES[info.type]!, chunks: [0], pageType: [null], pageBytes: [0], pins: [0], bytes: 0,
  }));
  return {
    id: 1, name: 'random', rows: ROWS, chunkRows: [ROWS], rowStart: [0], columns, lazy: false,
    column: (n) => columns.find((c) => c.info.name === n),
  };
}

const RANDOM_COLUMNS: RandomColumn[] = [
  ...SCHEMA.map((c): RandomColumn => ({ name: c.name, type: c.type === 'dict' ? 'dict' : c.type === 'bool' ? 'bool' : 'num', dictionary: c.dictionary })),
  { name: 'd', type: 'num' }, // a define, so filters and histograms share values
];

// ---- the kernel's libm, one value at a time, for the reference and the folder

type MathName = 'exp' | 'log' | 'log10' | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan' | 'pow' | 'atan2' | 'hypot';
const LIBM: [MathName, Op][] = [
  ['exp', Op.EXP], ['log', Op.LOG], ['log10', Op.LOG10], ['sin', Op.SIN], ['cos', Op.COS], ['tan', Op.TAN],
  ['asin', Op.ASIN], ['acos', Op.ACOS], ['atan', Op.ATAN], ['pow', Op.POW], ['atan2', Op.ATAN2], ['hypot', Op.HYPOT],
];

function kernelMath(kk: Kernels, op: Op): (a: number, b?: number) => number {
  const spec: ProgramSpec = {
    vecLen: 16, nRegs: 1, colTypes: ['f64', 'f64'], chunks: [[[0], [0]]], body: [[op, 0, 1, 2]],
  };
  const l = load(kk, spec);
  const chunk = kk.u32(kk.i32(l.run, Run.WORDS)[Run.CHUNKS]!, 3);
  const a = kk.f64(chunk[1]!, 1), b = kk.f64(chunk[2]!, 1);
  return (x, y = 0) => {
    a[0] = x;
    b[0] = y;
    l.exec();
    return l.reg(0)[0]!;
  };
}

const saved = new Map<MathName, unknown>();
beforeAll(() => {
  const other = loadKernels(); // its own memory: the VM under test keeps its allocations
  for (const [name, op] of LIBM) {
    saved.set(name, Math[name]);
    const f = kernelMath(other, op);
    (Math as unknown as Record<string, unknown>)[name] = (a: number, b: number) => f(a, b);
  }
});
afterAll(() => {
  for (const [name, f] of saved) (Math as unknown as Record<string, unknown>)[name] = f;
});

// ---- running a document through validate, compile and the VM

interface Ran {
  plan: Plan;
  body: number[][];
  /** the x operand of the last instruction (a FILL): its values on the kept lanes */
  values: Float64Array;
  /** row of each lane of `values` */
  rows: number[];
  counters: number[];
}

function run(doc: AnalysisInput, data: Record<string, ArrayLike<number>>): Ran {
  const v = validate(doc, { columns: SCHEMA });
  if (!v.ok) throw new Error(`invalid: ${v.diagnostics.map((d) => d.message).join('; ')}`);
  const plan = compile(v.analysis, dataset());
  const { program } = plan;
  const words = (w: Int32Array) => Array.from({ length: w.length / INSTR_WORDS }, (_, i) => Array.from(w.subarray(i * INSTR_WORDS, (i + 1) * INSTR_WORDS)));
  const body = words(program.body);
  const nCounters = plan.filters.length + 1;
  const spec: ProgramSpec = {
    vecLen: VEC, nRegs: program.nRegs, colTypes: plan.columns.map((c) => COL_TYPE[c.info.type]!),
    chunks: [plan.columns.map((c) => data[c.info.name]!)], rows: [ROWS],
    consts: Array.from(program.consts), pro: words(program.prologue), body,
    hists: plan.histograms.map((h) => ({ x: { lo: h.x.lo, hi: h.x.hi, n: h.x.bins }, y: h.y && { lo: h.y.lo, hi: h.y.hi, n: h.y.bins }, weighted: h.weighted, copies: h.copies })),
    nCounters,
  };
  const l = load(k, spec);
  l.exec();
  const last = body[body.length - 1]!;
  if (last[0] !== Op.FILL1D) throw new Error('the test expects the body to end with the histogram fill');
  const counters = Array.from(l.counters());
  const compacted = body.some((ins) => ins[0] === Op.COMPACT || ins[0] === Op.COMPACT_BITS);
  const n = compacted ? counters[nCounters - 1]! : ROWS;
  const slot = last[2]!;
  const values = slot < program.nRegs ? l.reg(slot).slice(0, n) : Float64Array.from(data[plan.columns[slot - program.nRegs]!.info.name]!).slice(0, n);
  const sel = k.i32(k.u32(l.wd, Worker.WORDS)[Worker.IDX]! + Scratch.CONSTS + VEC * 4, n);
  return { plan, body, values, rows: compacted ? Array.from(sel) : values.map((_, i) => i) as unknown as number[], counters };
}

/** evalExpr over one row of the table, with the define d. */
function reference(data: Record<string, ArrayLike<number>>, defines: Record<string, string>) {
  const asts = new Map(Object.entries(defines).map(([n, e]) => [n, parseExpr(e).ast!]));
  return (expr: string) => {
    const ast = parseExpr(expr).ast!;
    return (row: number): number => {
      const lookup = (name: string): number | string => {
        const def = asts.get(name);
        if (def) return evalExpr(def, lookup, { dictionaries: { cat: DICT } });
        const v = data[name]![row]!;
        return v;
      };
      return evalExpr(ast, lookup, { dictionaries: { cat: DICT } });
    };
  };
}

const axis = { bins: 4, lo: -1, hi: 1 };
const DATASET = { kind: 'file' as const, name: 'random', size: 0 };

/** Lanes where the VM and the reference differ, as readable lines. */
function differences(ran: Ran, want: (row: number) => number, what: string): string[] {
  const bad: string[] = [];
  ran.rows.forEach((row, i) => {
    const got = ran.values[i]!, ref = want(row);
    if (!Object.is(got, ref)) bad.push(`${what} row ${row}: VM ${got}, reference ${ref}`);
  });
  return bad;
}

describe('random expressions: compiler + VM equal the reference evaluator, row by row', () => {
  const data = table(1);
  const D = 'sqrt(abs(x)) - y * 0.5';
  const ref = reference(data, { d: D });

  it('in the first stage (every row, columns read in place)', () => {
    const exprs = randomExprs(RANDOM_COLUMNS, 400, { seed: 11, maxDepth: 4 });
    for (const e of exprs) {
      const ran = run({ version: 1, dataset: DATASET, defines: [{ name: 'd', expr: D }], histograms: [{ name: 'h', x: { expr: e, ...axis } }] }, data);
      expect(ran.body.some((i) => i[0] === Op.COMPACT || i[0] === Op.COMPACT_BITS), e).toBe(false);
      expect(differences(ran, ref(e), e).slice(0, 3)).toEqual([]);
    }
  });

  it('after a filter: the kept rows compacted, columns and earlier values gathered', () => {
    const filters = randomExprs(RANDOM_COLUMNS, 250, { seed: 12, maxDepth: 3, type: 'bool' });
    const exprs = randomExprs(RANDOM_COLUMNS, 250, { seed: 13, maxDepth: 4 });
    let gathered = 0, kept = 0;
    filters.forEach((f, i) => {
      const e = exprs[i]!;
      // the filter value also feeds the histogram: a value computed before COMPACT, gathered after it
      const x = i % 3 === 0 ? `(${e}) + (${f})` : e;
      const ran = run({
        version: 1, dataset: DATASET, defines: [{ name: 'd', expr: D }], filters: [{ name: 'f', expr: f }],
        histograms: [{ name: 'h', x: { expr: x, ...axis }, after: 'f' }],
      }, data);
      const pass = ref(f);
      const rows = Array.from({ length: ROWS }, (_, r) => r).filter((r) => pass(r) !== 0);
      expect(ran.counters, f).toEqual([ROWS, rows.length]);
      if (rows.length === 0) return;
      expect(ran.rows, f).toEqual(rows);
      expect(differences(ran, ref(x), `${x} after ${f}`).slice(0, 3)).toEqual([]);
      if (ran.body.some((ins) => ins[0] === Op.GATHER_F64 && ins[2]! < ran.plan.program.nRegs)) gathered++;
      kept += rows.length;
    });
    expect(gathered).toBeGreaterThan(20);
    expect(kept).toBeGreaterThan(5000);
  });

  it('after two filters (chained COMPACT), and after a filter that keeps every row', () => {
    const f1s = randomExprs(RANDOM_COLUMNS, 120, { seed: 14, maxDepth: 2, type: 'bool' });
    const f2s = randomExprs(RANDOM_COLUMNS, 120, { seed: 15, maxDepth: 2, type: 'bool' });
    const exprs = randomExprs(RANDOM_COLUMNS, 120, { seed: 16, maxDepth: 4 });
    f1s.forEach((f1Random, i) => {
      const f1 = i % 4 === 0 ? 'k >= -2147483648' : f1Random; // every row: the identity selection
      const f2 = f2s[i]!, e = exprs[i]!;
      const ran = run({
        version: 1, dataset: DATASET, defines: [{ name: 'd', expr: D }],
        filters: [{ name: 'f1', expr: f1 }, { name: 'f2', expr: f2 }],
        histograms: [{ name: 'h1', x: { expr: 'd', ...axis }, after: 'f1' }, { name: 'h2', x: { expr: e, ...axis }, after: 'f2' }],
      }, data);
      expect(ran.body.filter((ins) => ins[0] === Op.COMPACT || ins[0] === Op.COMPACT_BITS)).toHaveLength(2);
      const p1 = ref(f1), p2 = ref(f2);
      const r1 = Array.from({ length: ROWS }, (_, r) => r).filter((r) => p1(r) !== 0);
      const r2 = r1.filter((r) => p2(r) !== 0);
      expect(ran.counters, `${f1} / ${f2}`).toEqual([ROWS, r1.length, r2.length]);
      if (r2.length === 0) return;
      expect(ran.rows).toEqual(r2);
      expect(differences(ran, ref(e), `${e} after ${f1}, ${f2}`).slice(0, 3)).toEqual([]);
    });
  });
});

describe('the cut-flow through masks and COMPACT', () => {
  const data = table(3);
  const ref = reference(data, {});
  const rowsWhere = (f: (r: number) => number, from: number[]) => from.filter((r) => f(r) !== 0);

  it('counts a cut carried as a mask inside the COMPACT of the next cut, with and without more cuts before', () => {
    const fs = randomExprs(RANDOM_COLUMNS.filter((c) => c.name !== 'd'), 3 * 80, { seed: 17, maxDepth: 2, type: 'bool' });
    let folded = 0, onBits = 0;
    for (let i = 0; i < 80; i++) {
      // every third case: a cut that keeps no row, or every row, first
      const f1 = i % 6 === 0 ? 'x != x && x == x' : i % 6 === 3 ? 'k >= -2147483648' : fs[3 * i]!;
      const f2 = fs[3 * i + 1]!, f3 = fs[3 * i + 2]!;
      const three = i % 2 === 1;
      const filters = [{ name: 'f1', expr: f1 }, { name: 'f2', expr: f2 }, ...(three ? [{ name: 'f3', expr: f3 }] : [])];
      const last = filters[filters.length - 1]!.name;
      const ran = run({
        version: 1, dataset: DATASET, filters,
        histograms: [{ name: 'h', x: { expr: 'x', ...axis }, after: last }],
      }, data);
      if (ran.body.some((ins) => ins[0] === Op.COMPACT && ins[5] !== -1)) {
        folded++;
        // the total, and every cut but the last two
        expect(ran.body.filter((ins) => ins[0] === Op.COUNT)).toHaveLength(filters.length - 1);
      } else if (ran.body.some((ins) => ins[0] === Op.PRED)) {
        onBits++;
        // the total only: every cut's PRED counts it
        expect(ran.body.filter((ins) => ins[0] === Op.COUNT)).toHaveLength(1);
      }
      let rows = Array.from({ length: ROWS }, (_, r) => r);
      const want = [ROWS];
      for (const f of filters) {
        rows = rowsWhere(ref(f.expr), rows);
        want.push(rows.length);
      }
      expect(ran.counters, filters.map((f) => f.expr).join(' / ')).toEqual(want);
      if (rows.length) expect(ran.rows).toEqual(rows);
    }
    expect(folded).toBeGreaterThan(15);
    expect(onBits).toBeGreaterThan(2);
  });

  it('runs cuts made of comparisons on bit masks: random comparisons and string tests, and-ed, chained, at every level', () => {
    const nums = randomExprs(RANDOM_COLUMNS, 600, { seed: 18, maxDepth: 2 });
    const rnd = seededRandom(19);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const CONSTS = ['0', '-0', '0.5', '-1', '3', '1e300', '1/0', '-1/0', '0/0'];
    let next = 0;
    const atom = () => {
      const r = rnd();
      if (r < 0.25) return `cat ${pick(['==', '!='])} "${pick([...DICT, 'none'])}"`;
      const [a, b] = [nums[next++ % nums.length]!, pick(CONSTS)];
      const op = pick(['<', '<=', '>', '>=', '==', '!=']);
      return r < 0.6 ? `(${a}) ${op} ${b}` : `${b} ${op} (${a})`;
    };
    const cut = () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, atom).join(' && ');
    const D = 'sqrt(abs(x)) - y * 0.5';
    const refD = reference(data, { d: D });
    let onBits = 0;
    for (let i = 0; i < 120; i++) {
      const filters = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, j) => ({ name: `f${j}`, expr: cut() }));
      // a histogram after the last cut (what run() reads), and maybe one after an earlier cut: a COMPACT there
      const hs = [{ name: 'h', x: { expr: 'x', ...axis }, after: filters[filters.length - 1]!.name }];
      if (filters.length > 1 && rnd() < 0.5) hs.unshift({ name: 'e', x: { expr: 'y', ...axis }, after: filters[0]!.name });
      const ran = run({ version: 1, dataset: DATASET, defines: [{ name: 'd', expr: D }], filters, histograms: hs }, data);
      if (ran.body.some((ins) => ins[0] === Op.PRED)) onBits++;
      let rows = Array.from({ length: ROWS }, (_, r) => r);
      const want = [ROWS];
      for (const f of filters) {
        rows = rowsWhere(refD(f.expr), rows);
        want.push(rows.length);
      }
      const what = filters.map((f) => f.expr).join(' / ');
      expect(ran.counters, what).toEqual(want);
      if (rows.length) expect(ran.rows, what).toEqual(rows);
    }
    expect(onBits).toBeGreaterThan(80);
  });
});

describe('compile: the staged body', () => {
  const columns = SCHEMA;
  const plan = (doc: Omit<AnalysisInput, 'version' | 'dataset'>) => {
    const v = validate({ version: 1, dataset: DATASET, ...doc }, { columns });
    if (!v.ok) throw new Error(v.diagnostics.map((d) => d.message).join('; '));
    const p = compile(v.analysis, dataset());
    const body = Array.from({ length: p.program.body.length / INSTR_WORDS }, (_, i) => p.program.body[i * INSTR_WORDS]! as Op);
    return { p, body };
  };

  it('runs cuts of comparisons on bit masks: one PRED per comparison, counting its cut, then COMPACT_BITS', () => {
    const { p, body } = plan({
      defines: [{ name: 'r', expr: 'sqrt(x*x + y*y)' }, { name: 'hard', expr: '0.5 < f' }],
      filters: [{ name: 'z', expr: 'hard' }, { name: 'beta', expr: 'cat == "beta" && k != 3' }],
      histograms: [{ name: 'x', x: { expr: 'x', ...axis } }, { name: 'r', x: { expr: 'r', ...axis }, after: 'beta' }],
    });
    expect(body).toEqual([
      Op.COUNT, Op.FILL1D, Op.LOAD_F32, Op.PRED, Op.PRED, Op.LOAD_I32, Op.PRED, Op.COMPACT_BITS,
      Op.GATHER_F64, Op.MUL, Op.GATHER_F64, Op.MUL, Op.ADD, Op.SQRT, Op.FILL1D,
    ]);
    const word = (i: number, w: number) => p.program.body[i * INSTR_WORDS + w]!;
    const preds = body.flatMap((op, i) => (op === Op.PRED ? [i] : []));
    // [cmp, const or code, counter]: 0.5 < f is f > 0.5; the code compare reads the column in place
    expect(preds.map((i) => [word(i, 3), word(i, 3) === Op.EQ_CODE8 ? word(i, 4) : p.program.consts[word(i, 4)], word(i, 6)]))
      .toEqual([[Op.GT, 0.5, 1], [Op.EQ_CODE8, DICT.indexOf('beta'), -1], [Op.NE, 3, 2]]);
    // each ands onto the mask before it; each jumps to the end when no lane is left
    expect(preds.map((i) => word(i, 5))).toEqual([-1, word(preds[0]!, 1), word(preds[1]!, 1)]);
    expect(preds.map((i) => word(i, 7))).toEqual(preds.map(() => body.length));
  });

  it('compacts at a filter followed by histograms, carries a mask through one that is not', () => {
    const { p, body } = plan({
      defines: [{ name: 'r', expr: 'sqrt(x*x + y*y)' }],
      filters: [{ name: 'z', expr: 'f > 0.5 || b' }, { name: 'beta', expr: 'cat == "beta"' }],
      histograms: [{ name: 'x', x: { expr: 'x', ...axis } }, { name: 'r', x: { expr: 'r', ...axis }, after: 'beta' }],
    });
    // the cut z's count is COMPACT's second counter (word 5), not a COUNT of its own
    expect(body).toEqual([
      Op.COUNT, Op.FILL1D, Op.LOAD_F32, Op.GT, Op.LOAD_U8, Op.OR, Op.JUMP_IF_NONE, Op.EQ_CODE8, Op.COMPACT,
      Op.GATHER_F64, Op.MUL, Op.GATHER_F64, Op.MUL, Op.ADD, Op.SQRT, Op.FILL1D,
    ]);
    const at = body.indexOf(Op.COMPACT) * INSTR_WORDS;
    expect([p.program.body[at + 1], p.program.body[at + 5]]).toEqual([2, 1]);
  });

  it('gathers a value computed before the COMPACT instead of computing it again', () => {
    const { body } = plan({
      defines: [{ name: 'pt', expr: 'hypot(x, y)' }],
      filters: [{ name: 'hard', expr: 'pt > 2' }],
      histograms: [{ name: 'pt', x: { expr: 'pt', ...axis }, after: 'hard' }],
    });
    expect(body.filter((op) => op === Op.HYPOT)).toHaveLength(1);
    expect(body.slice(-2)).toEqual([Op.GATHER_F64, Op.FILL1D]);
  });

  it('reads narrow columns through typed gathers after a COMPACT', () => {
    const { body } = plan({
      filters: [{ name: 'pos', expr: 'x > 0' }],
      histograms: [{ name: 'all', x: { expr: 'f + k + u + b + (cat == "gamma")', ...axis }, after: 'pos' }],
    });
    for (const op of [Op.GATHER_F32, Op.GATHER_I32, Op.GATHER_U32, Op.GATHER_U8]) expect(body).toContain(op);
    expect(body).not.toContain(Op.EQ_CODE8);
  });
});
