// COMPACT and GATHER_* through the VM against the plain-JS reference (refRun): the
// selection a mask (and a second mask) leaves, its count, chained compactions, the
// jump when nothing is kept, typed gathers of every column type and of registers,
// and element-wise ops, counts and fills over the kept lanes.
import { describe, expect, it } from 'vitest';
import { Scratch, Worker } from '../layout';
import { Op, PRED_NOT } from '../opcodes';
import { isTrash, load, type ProgramSpec } from './program';
import { BINARY, refRun } from './reference';
import { rng, SPECIAL } from './data';
import { loadKernels } from './wasm';

const k = loadKernels();
const NR = 8; // registers 0..7; column slots from 8
const [M1, M2, X, F, KI, U, B8, C16] = [8, 9, 10, 11, 12, 13, 14, 15];

/** Masks with a given pass rate (0/1, with NaN and other nonzero values), and columns of every type. */
function chunk(n: number, seed: number, pass: number) {
  const r = rng(seed);
  const maskValue = () => (r() < pass ? [1, 1, 1, NaN, -0.5, 3][Math.floor(r() * 6)]! : [0, 0, 0, -0][Math.floor(r() * 4)]!);
  const any = () => (r() < 0.3 ? SPECIAL[Math.floor(r() * SPECIAL.length)]! : (r() - 0.5) * 1e3);
  return [
    new Float64Array(n).map(maskValue),
    new Float64Array(n).map(() => (r() < 0.7 ? 1 : 0)),
    new Float64Array(n).map(any),
    new Float32Array(n).map(any),
    new Int32Array(n).map(() => (r() < 0.2 ? [-(2 ** 31), 2 ** 31 - 1][Math.floor(r() * 2)]! : Math.floor((r() - 0.5) * 1e6))),
    new Uint32Array(n).map(() => (r() < 0.2 ? 2 ** 32 - 1 : Math.floor(r() * 2 ** 32))),
    new Uint8Array(n).map(() => Math.floor(r() * 256)),
    new Uint16Array(n).map(() => Math.floor(r() * 65536)),
  ];
}

function spec(sizes: number[], vecLen: number, pass: number, body: number[][]): ProgramSpec {
  return {
    vecLen, nRegs: NR, colTypes: ['f64', 'f64', 'f64', 'f32', 'i32', 'u32', 'u8', 'u16'],
    chunks: sizes.map((n, i) => chunk(n, i * 13 + 5, pass)),
    consts: [2], pro: [[Op.SPLAT, 7, 0]],
    body, hists: [{ x: { lo: -500, hi: 500, n: 10 }, copies: 4 }, { x: { lo: 0, hi: 70000, n: 7 }, copies: 2 }], nCounters: 4,
  };
}

/** Runs both and compares counters, the lanes of `regs` the last vector kept, and the histograms (trash aside). */
function expectSame(s: ProgramSpec, regs: number[]) {
  const l = load(k, s);
  l.exec();
  const ref = refRun(s);
  expect(Array.from(l.counters())).toEqual(ref.counters);
  for (const r of regs) {
    const got = l.reg(r), want = ref.regs[r]!;
    const bad: string[] = [];
    for (let i = 0; i < ref.lanes; i++) if (!Object.is(got[i], want[i])) bad.push(`r${r}[${i}] ${got[i]} vs ${want[i]}`);
    expect(bad.slice(0, 4)).toEqual([]);
  }
  ref.hists.forEach((h, i) => {
    const got = l.hist(i).data;
    const bad = Array.from(h.data).flatMap((v, j) => (Object.is(v, got[j]) || isTrash(l.hists[i], j) ? [] : [`h${i}[${j}] ${got[j]} vs ${v}`]));
    expect(bad.slice(0, 4)).toEqual([]);
  });
  return { l, ref };
}

const sizes = [100, 1, 37, 64, 250, 0, 5, 31, 33, 200];

describe('COMPACT and GATHER', () => {
  for (const pass of [0.5, 0.05, 1, 0]) {
    for (const vecLen of [16, 48, 256]) {
      it(`gathers every column type after a COMPACT (pass ${pass}, VEC_LEN ${vecLen})`, () => {
        const body = [
          [Op.COUNT, 0, -1],
          [Op.MUL, 6, X, 7], // a register written before the COMPACT
          [Op.COMPACT, 1, M1, 100, -1],
          [Op.GATHER_F64, 0, X], [Op.GATHER_F32, 1, F], [Op.GATHER_I32, 2, KI], [Op.GATHER_U32, 3, U],
          [Op.GATHER_U8, 4, B8], [Op.GATHER_U16, 5, C16], [Op.GATHER_F64, 6, 6],
          [Op.COUNT, 3, -1],
          [Op.FILL1D, 0, 0, -1, -1],
          [Op.FILL1D, 1, 5, -1, -1],
        ];
        expectSame(spec(sizes, vecLen, pass, body), [0, 1, 2, 3, 4, 5, 6]);
      });
    }
  }

  it('ands a second mask, and compacts again from the kept lanes (chained)', () => {
    for (const pass of [0.6, 0.1]) {
      const body = [
        [Op.COMPACT, 1, M1, 100, M2],
        [Op.GATHER_F64, 0, X], [Op.GATHER_U8, 1, B8],
        [Op.GT, 2, 1, 7], // kept rows with b8 > 2, most of them
        [Op.ADD, 3, 0, 0],
        [Op.COMPACT, 2, 2, 100, -1],
        [Op.GATHER_F64, 4, X], [Op.GATHER_I32, 5, KI],
        [Op.COUNT, 3, -1],
        [Op.FILL1D, 0, 4, -1, -1],
      ];
      expectSame(spec(sizes, 32, pass, body), [4, 5]);
    }
  });

  it("counts its first mask's nonzero lanes (NaN included) into a second counter, with and without m2, chained", () => {
    for (const pass of [0.5, 0.05, 1, 0]) {
      for (const vecLen of [16, 48, 256]) {
        const s = spec(sizes, vecLen, pass, [
          [Op.COMPACT, 1, M1, 100, M2, 3],
          [Op.GATHER_F64, 0, X],
          [Op.GT, 2, 0, 7],
          [Op.COMPACT, 2, 2, 100, -1, 0], // chained, no m2: its m's count is the number kept
          [Op.GATHER_F64, 4, X],
          [Op.FILL1D, 0, 4, -1, -1],
        ]);
        const { l } = expectSame(s, [4]);
        // independent of the reference: M1's nonzero values over every row, each counted once
        const nonzero = s.chunks.reduce((t, c) => t + Array.from(c[0] as Float64Array).filter((v) => v !== 0).length, 0);
        expect(l.counters()[3], `pass ${pass}, VEC_LEN ${vecLen}`).toBe(nonzero);
        expect(l.counters()[0]).toBe(l.counters()[2]);
      }
    }
  });

  it('jumps to its target when no row is kept, on every vector', () => {
    const body = [
      [Op.COUNT, 0, -1],
      [Op.COMPACT, 1, M1, 4, -1],
      [Op.GATHER_F64, 0, X],
      [Op.COUNT, 3, -1], // never reached
    ];
    const { l } = expectSame(spec(sizes, 32, 0, body), []);
    expect(Array.from(l.counters())).toEqual([sizes.reduce((a, b) => a + b), 0, 0, 0]);
  });

  it('keeps every row: the gathers are plain copies (identity selection)', () => {
    const body = [
      [Op.COMPACT, 1, M1, 100, -1],
      [Op.GATHER_F64, 0, X], [Op.GATHER_F32, 1, F], [Op.GATHER_I32, 2, KI], [Op.GATHER_U32, 3, U],
      [Op.GATHER_U8, 4, B8], [Op.GATHER_U16, 5, C16],
      [Op.COMPACT, 2, 7, 100, -1], // all lanes nonzero again: still the identity
      [Op.GATHER_F64, 6, X],
      [Op.FILL1D, 0, 6, -1, -1],
    ];
    const { l, ref } = expectSame(spec(sizes, 64, 1, body), [0, 1, 2, 3, 4, 5, 6]);
    expect(l.counters()[1]).toBe(sizes.reduce((a, b) => a + b));
    expect(ref.lanes).toBe(200 - 192);
  });

  it('leaves the selection in the scratch: row numbers of the kept lanes, then zeros', () => {
    const n = 45;
    const m = new Float64Array(n).map((_, i) => +(i % 3 === 1 || i === 44));
    const s: ProgramSpec = {
      vecLen: 48, nRegs: 1, colTypes: ['f64'], chunks: [[m]], nCounters: 2, body: [[Op.COMPACT, 1, 1, 100, -1]],
    };
    const l = load(k, s);
    l.exec();
    const want = Array.from({ length: n }, (_, i) => i).filter((i) => m[i]);
    const sel = k.i32(k.u32(l.wd, Worker.WORDS)[Worker.IDX]! + Scratch.CONSTS + 48 * 4, want.length + 8);
    expect(Array.from(sel)).toEqual([...want, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(l.counters()[1]).toBe(want.length);
  });
});

describe('PRED and COMPACT_BITS (cuts as bit masks)', () => {
  const CMPS = [Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE];
  // consts: 0 → 2 (the prologue's splat), then the compared values
  const CONSTS = [2, 0, 250, -1e3, NaN, Infinity, -Infinity, 1];
  const withConsts = (s: ProgramSpec): ProgramSpec => ({ ...s, consts: CONSTS });

  it('compares f64 lanes (NaN, ±Inf, ±0 among them) with every constant, counting and compacting', () => {
    for (const op of CMPS) {
      for (let k = 1; k < CONSTS.length; k++) {
        for (const vecLen of [16, 48]) {
          const body = [
            [Op.COUNT, 0, -1],
            [Op.PRED, 0, X, op, k, -1, 1, 100],
            [Op.COMPACT_BITS, 0, 100],
            [Op.GATHER_F64, 1, X],
            [Op.COUNT, 2, -1],
            [Op.FILL1D, 0, 1, -1, -1],
          ];
          const { l } = expectSame(withConsts(spec(sizes, vecLen, 0.5, body)), [1]);
          // independent of the reference: the counter is the number of rows the comparison keeps
          const f = BINARY[op]!;
          const want = spec(sizes, vecLen, 0.5, []).chunks.reduce(
            (t, c) => t + Array.from(c[2] as Float64Array).filter((v) => f(v, CONSTS[k]!) === 1).length, 0);
          expect(l.counters()[1], `op ${op}, k ${CONSTS[k]}`).toBe(want);
          expect(l.counters()[2]).toBe(want);
        }
      }
    }
  });

  it('ands bit masks, reads registers and code columns of every width (== and !=), chained after a COMPACT', () => {
    const codeOps = [Op.EQ_CODE8, Op.EQ_CODE16, Op.EQ_CODE8 + PRED_NOT, Op.EQ_CODE16 + PRED_NOT];
    for (const pass of [0.5, 0.05]) {
      for (const vecLen of [16, 48, 256]) {
        for (const [ci, cop] of codeOps.entries()) {
          const col = cop % PRED_NOT === Op.EQ_CODE8 ? B8 : C16;
          const code = [7, 300, 200, 70000][ci]!; // 300 fits u16; 70000 fits neither width
          const body = [
            [Op.COUNT, 0, -1],
            [Op.LOAD_F32, 3, F],
            [Op.PRED, 0, 3, Op.GT, 1, -1, -1, 100], // a register
            [Op.PRED, 1, col, cop, code, 0, 1, 100],
            [Op.PRED, 2, M1, Op.NE, 1, 1, 2, 100], // M1 != 0: NaN counts
            [Op.COMPACT_BITS, 2, 100],
            [Op.GATHER_F64, 4, X],
            [Op.PRED, 5, 4, Op.LT, 2, -1, 3, 100], // after the COMPACT, on gathered lanes
            [Op.COMPACT_BITS, 5, 100],
            [Op.GATHER_F64, 6, X],
            [Op.FILL1D, 0, 6, -1, -1],
          ];
          expectSame(withConsts(spec(sizes, vecLen, pass, body)), [6]);
        }
      }
    }
  });

  it('compares u32 codes (EQ_CODE32) and codes no column can hold', () => {
    const s0 = spec(sizes, 32, 0.5, []);
    // a value the u32 column holds, above 2^31 (a negative i32 immediate)
    const present = Array.from(s0.chunks[0]![5] as Uint32Array).find((v) => v >= 2 ** 31 && v < 2 ** 32 - 1)!;
    for (const [cop, code] of [[Op.EQ_CODE32, present], [Op.EQ_CODE32 + PRED_NOT, present], [Op.EQ_CODE8, 256], [Op.EQ_CODE8 + PRED_NOT, 256]] as const) {
      const col = cop % PRED_NOT === Op.EQ_CODE32 ? U : B8;
      const body = [[Op.COUNT, 0, -1], [Op.PRED, 0, col, cop, code | 0, -1, 1, -1], [Op.COMPACT_BITS, 0, 100], [Op.COUNT, 2, -1]];
      const { l } = expectSame(withConsts(spec(sizes, 32, 0.5, body)), []);
      const total = sizes.reduce((a, b) => a + b);
      const hits = s0.chunks.reduce((t, c) => t + Array.from(c[5] as Uint32Array).filter((v) => v === present).length, 0);
      const want = cop === Op.EQ_CODE32 ? hits : cop === Op.EQ_CODE32 + PRED_NOT ? total - hits : cop === Op.EQ_CODE8 ? 0 : total;
      expect(l.counters()[1], `op ${cop}`).toBe(want);
      expect(l.counters()[2]).toBe(want);
    }
  });

  it('jumps to its target when no lane is left, and leaves the selection as COMPACT does', () => {
    const body = [[Op.COUNT, 0, -1], [Op.PRED, 0, X, Op.GT, 5, -1, 1, 3], [Op.COUNT, 2, -1]]; // x > Inf: never
    const { l } = expectSame(withConsts(spec(sizes, 32, 0.5, body)), []);
    expect(Array.from(l.counters())).toEqual([sizes.reduce((a, b) => a + b), 0, 0, 0]);
    const n = 45;
    const x = new Float64Array(n).map((_, i) => (i % 3 === 1 || i === 44 ? 1 : i === 7 ? NaN : 0));
    const s: ProgramSpec = {
      vecLen: 48, nRegs: 1, colTypes: ['f64'], chunks: [[x]], nCounters: 2, consts: [0.5],
      body: [[Op.PRED, 0, 1, Op.GT, 0, -1, 1, 100], [Op.COMPACT_BITS, 0, 100]],
    };
    const l2 = load(k, s);
    l2.exec();
    const want = Array.from({ length: n }, (_, i) => i).filter((i) => x[i]! > 0.5);
    const sel = k.i32(k.u32(l2.wd, Worker.WORDS)[Worker.IDX]! + Scratch.CONSTS + 48 * 4, want.length + 8);
    expect(Array.from(sel)).toEqual([...want, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(l2.counters()[1]).toBe(want.length);
  });
});
