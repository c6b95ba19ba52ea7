// Whole programs through vm_init / vm_chunk: prologue, several chunks of different
// sizes with vectors shorter than a chunk, counters, jumps, fills; against refRun.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Run, Scratch, Worker } from '../layout';
import { Op } from '../opcodes';
import { isTrash, load, type ProgramSpec } from './program';
import { refRun } from './reference';
import { rng } from './data';
import { loadKernels, type Kernels } from './wasm';

const k = loadKernels();
const NR = 8; // registers 0..7; column slots from 8
const [X, Y, Z, CAT, KI, F, W, C16] = [8, 9, 10, 11, 12, 13, 14, 15];

function chunk(n: number, seed: number, pass: number) {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return [
    new Float64Array(n).map(() => (r() < 0.01 ? NaN : normal() * 2)),
    new Float64Array(n).map(() => normal() * 2),
    new Float64Array(n).map(() => (r() < pass ? 0.5 + r() : r() * 0.5)), // z > 0.5 is rare
    new Uint8Array(n).map(() => Math.floor(r() * 5)),
    new Int32Array(n).map(() => Math.floor((r() - 0.5) * 30)),
    new Float32Array(n).map(() => (r() - 0.5) * 8),
    new Float64Array(n).map(() => r() * 2),
    new Uint16Array(n).map(() => Math.floor(r() * 4) * 1000),
  ];
}

// sqrt(x*x + y*y) where z > 0.5 && cat == 1, plus a weighted 2D of (k, f) and a 1D of code16 == 2000.
const BODY: number[][] = [
  [Op.MUL, 2, X, X],
  [Op.MUL, 3, Y, Y],
  [Op.ADD, 2, 2, 3],
  [Op.SQRT, 2, 2],
  [Op.GT, 3, Z, 0],
  [Op.EQ_CODE8, 4, CAT, 1],
  [Op.AND, 3, 3, 4],
  [Op.COUNT, 0, -1],
  [Op.COUNT, 1, 3],
  [Op.JUMP_IF_NONE, 3, 12],
  [Op.COUNT, 2, -1], // only for vectors where some row passes
  [Op.FILL1D, 0, 2, 3, -1],
  [Op.LOAD_I32, 5, KI],
  [Op.LOAD_F32, 6, F],
  [Op.MUL, 6, 6, 1],
  [Op.FILL2D, 1, 5, 6, -1, W],
  [Op.EQ_CODE16, 7, C16, 2000],
  [Op.FILL1D, 2, X, 7, W],
  [Op.JUMP_IF_NONE, 4, 100], // beyond the body: ends it
  [Op.COUNT, 3, 4],
];

function spec(sizes: number[], vecLen: number, pass = 0.02): ProgramSpec {
  return {
    vecLen, nRegs: NR,
    colTypes: ['f64', 'f64', 'f64', 'u8', 'i32', 'f32', 'f64', 'u16'],
    chunks: sizes.map((n, i) => chunk(n, i * 7 + 1, i === 4 ? 0 : pass)),
    consts: [0.5, 2.0],
    pro: [[Op.SPLAT, 0, 0], [Op.SPLAT, 1, 1]],
    body: BODY,
    hists: [
      { x: { lo: 0, hi: 6, n: 12 }, copies: 4 },
      { x: { lo: -10, hi: 10, n: 20 }, y: { lo: -8, hi: 8, n: 16 }, weighted: true, copies: 2 },
      { x: { lo: -3, hi: 3, n: 5 }, weighted: true, copies: 1 },
    ],
    nCounters: 4,
  };
}

function expectSameResults(l: ReturnType<typeof load>, ref: ReturnType<typeof refRun>) {
  expect(Array.from(l.counters())).toEqual(ref.counters);
  ref.hists.forEach((h, i) => {
    const got = l.hist(i);
    const bad = Array.from(h.data).flatMap((v, j) =>
      (Object.is(v, got.data[j]) || isTrash(l.hists[i], j) ? [] : [`h${i}[${j}] ${got.data[j]} vs ${v}`]));
    expect(bad.slice(0, 5)).toEqual([]);
    // stats words 6 and 7 are the kernel's own (layout.ts)
    for (let s = 0; s < 6; s++) expect(Math.abs(got.stats[s] - h.stats[s])).toBeLessThanOrEqual(1e-12 * h.statsAbs[s]);
  });
}

describe('vm_chunk', () => {
  const sizes = [100, 0, 37, 64, 250, 1, 31, 33];
  for (const vecLen of [16, 32, 256]) {
    it(`runs a full program over ${sizes.length} chunks with VEC_LEN ${vecLen}`, () => {
      const s = spec(sizes, vecLen);
      const l = load(k, s);
      l.exec();
      const ref = refRun(s);
      expectSameResults(l, ref);
      const [all, pass, visited] = ref.counters;
      expect(all).toBe(sizes.reduce((a, b) => a + b));
      expect(pass).toBeGreaterThan(0);
      // JUMP_IF_NONE was both taken and not taken
      expect(visited).toBeGreaterThan(0);
      expect(visited).toBeLessThan(all);
    });
  }

  it('gives the same results for any chunk order (given the same order)', () => {
    const s = spec(sizes, 32);
    const order = [4, 2, 7, 0, 5, 1, 6, 3];
    const l = load(k, s);
    l.exec(order);
    expectSameResults(l, refRun(s, order));
  });

  it('prologue SPLATs fill all VEC_LEN lanes; vm_init zeroes the accumulators', () => {
    const s = spec([5], 48);
    const l = load(k, s);
    expect(l.counters().some((c) => c !== 0)).toBe(true); // garbage before
    k.exports.vm_init(l.run, l.wd);
    expect(Array.from(l.reg(0))).toEqual(new Array(48).fill(0.5));
    expect(Array.from(l.reg(1))).toEqual(new Array(48).fill(2));
    const acc = k.u8(l.acc, k.i32(l.run, Run.WORDS)[Run.ACC_BYTES]);
    expect(acc.every((b) => b === 0)).toBe(true);
  });

  it('counts with and without a mask, rows not a multiple of the vector', () => {
    const m = new Float64Array(77).map((_, i) => +(i % 3 === 0));
    const s: ProgramSpec = {
      vecLen: 16, nRegs: 1, colTypes: ['f64'], chunks: [[m], [m.subarray(0, 5)]], nCounters: 2,
      body: [[Op.COUNT, 0, -1], [Op.COUNT, 1, 1]],
    };
    const l = load(k, s);
    l.exec();
    expect(Array.from(l.counters())).toEqual([82, 26 + 2]);
  });

  it('a backward jump moves on to the next instruction (no loop)', () => {
    const s: ProgramSpec = {
      vecLen: 16, nRegs: 1, colTypes: ['f64'], chunks: [[new Float64Array(20)]], nCounters: 1,
      body: [[Op.COUNT, 0, -1], [Op.JUMP_IF_NONE, 1, 0]],
    };
    const l = load(k, s);
    l.exec();
    expect(l.counters()[0]).toBe(20);
  });

  it('traps on an unknown opcode', () => {
    const s: ProgramSpec = { vecLen: 16, nRegs: 1, colTypes: ['f64'], chunks: [[new Float64Array(3)]], body: [[99, 0, 1]] };
    const l = load(k, s);
    expect(() => l.exec()).toThrow(WebAssembly.RuntimeError);
  });
});

describe('workers', () => {
  it('two instances over one memory, each with its own WorkerDesc, merge to the single-worker counts', () => {
    const sizes = [100, 37, 64, 250, 1, 31, 33, 90];
    const s = spec(sizes, 32, 0.05);
    const l = load(k, s);
    const other = instance(k);
    const wd2 = k.alloc(Worker.WORDS * 4);
    const nCols = s.colTypes.length;
    const slots = k.alloc((NR + nCols) * 4), regs = k.alloc(NR * 32 * 8), idx = k.alloc(32 * Scratch.LANE_BYTES + Scratch.EXTRA);
    const accBytes = k.i32(l.run, Run.WORDS)[Run.ACC_BYTES], acc2 = k.alloc(accBytes);
    k.u32(wd2, Worker.WORDS).set([slots, regs, idx, acc2]);
    k.exports.vm_init(l.run, l.wd);
    other.vm_init(l.run, wd2);
    sizes.forEach((_, c) => (c % 2 ? other.vm_chunk(l.run, wd2, c) : k.exports.vm_chunk(l.run, l.wd, c)));
    const ref = refRun(s);
    const a = k.f64(l.acc, accBytes / 8), b = k.f64(acc2, accBytes / 8);
    expect([0, 1, 2, 3].map((i) => a[i] + b[i])).toEqual(ref.counters);
    ref.hists.forEach((h, i) => {
      const off = l.hists[i].accOffset / 8 + 8, stride = l.hists[i].stride;
      for (let j = 0; j < h.data.length; j += stride) if (!isTrash(l.hists[i], j)) expect(a[off + j] + b[off + j]).toBe(h.data[j]);
    });
  });
});

function instance(k: Kernels) {
  const mod = new WebAssembly.Module(readFileSync(new URL('../../build/kernels/sift.wasm', import.meta.url)));
  const inst = new WebAssembly.Instance(mod, { env: { memory: k.memory, abort: () => { throw new Error('abort'); } } });
  return inst.exports as unknown as Record<string, (...a: number[]) => number>;
}
