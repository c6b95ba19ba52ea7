// COMPACT and GATHER_* through the VM against the plain-JS reference (refRun): the
// selection a mask (and a second mask) leaves, its count, chained compactions, the
// jump when nothing is kept, typed gathers of every column type and of registers,
// and element-wise ops, counts and fills over the kept lanes.
import { describe, expect, it } from 'vitest';
import { Scratch, Worker } from '../layout';
import { Op } from '../opcodes';
import { isTrash, load, type ProgramSpec } from './program';
import { refRun } from './reference';
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
