// Every element-wise opcode through the VM against the plain-JS reference, lane by lane.
import { describe, expect, it } from 'vitest';
import { Op } from '../opcodes';
import { load, type ProgramSpec } from './program';
import { BINARY, cRound, INEXACT, UNARY } from './reference';
import { close, mixed, roundUp, same, specialPairs } from './data';
import { loadKernels } from './wasm';

const k = loadKernels();
const name = (op: number) => Op[op];

/** Runs `body` over one vector of n rows of f64 columns; returns dst register r and the bytes it held before. */
function runBody(body: number[][], cols: Float64Array[], n: number, r: number, nRegs = 4, vecLen = roundUp(n + 24, 16)) {
  const spec: ProgramSpec = {
    vecLen, nRegs, colTypes: cols.map(() => 'f64'), chunks: [cols.map((c) => c.subarray(0, n))], body,
  };
  const l = load(k, spec);
  const before = k.u8(l.regs, nRegs * vecLen * 8).slice();
  l.exec();
  const after = k.u8(l.regs, nRegs * vecLen * 8);
  return { out: l.reg(r).slice(0, n), before, after, vecLen };
}

function expectLanes(op: number, out: Float64Array, ref: (i: number) => number, args: (i: number) => number[]) {
  const eq = INEXACT.has(op) ? close : same;
  const bad: string[] = [];
  for (let i = 0; i < out.length; i++) {
    if (!eq(out[i], ref(i))) bad.push(`${name(op)}(${args(i).join(', ')}) = ${out[i]}, expected ${ref(i)}`);
  }
  expect(bad.slice(0, 5)).toEqual([]);
}

/** Bytes of register r from lane `from` on are unchanged; other registers wholly unchanged. */
function expectUntouched(before: Uint8Array, after: Uint8Array, vecLen: number, r: number, from: number, nRegs: number) {
  for (let q = 0; q < nRegs; q++) {
    const start = q * vecLen * 8 + (q === r ? from * 8 : 0), end = (q + 1) * vecLen * 8;
    expect(Buffer.compare(before.subarray(start, end), after.subarray(start, end))).toBe(0);
  }
}

const [pa, pb] = specialPairs();
const ma = mixed(1500, 1), mb = mixed(1500, 2);
const A = new Float64Array([...pa, ...ma]), B = new Float64Array([...pb, ...mb]);
const N = A.length;

describe('binary ops', () => {
  for (const op of Object.keys(BINARY).map(Number)) {
    it(`${name(op)} on column operands read in place`, () => {
      const { out, before, after, vecLen } = runBody([[op, 0, 4, 5]], [A, B], N, 0);
      expectLanes(op, out, (i) => BINARY[op](A[i], B[i]), (i) => [A[i], B[i]]);
      expectUntouched(before, after, vecLen, 0, roundUp(N, 8), 4);
    });
    it(`${name(op)} on registers, in place`, () => {
      const { out } = runBody([[Op.MIN, 1, 4, 4], [Op.MIN, 2, 5, 5], [op, 1, 1, 2]], [A, B], N, 1);
      expectLanes(op, out, (i) => BINARY[op](A[i], B[i]), (i) => [A[i], B[i]]);
    });
  }
});

describe('unary ops', () => {
  for (const op of Object.keys(UNARY).map(Number)) {
    it(`${name(op)}`, () => {
      const { out, before, after, vecLen } = runBody([[op, 0, 4]], [A], N, 0);
      expectLanes(op, out, (i) => UNARY[op](A[i]), (i) => [A[i]]);
      expectUntouched(before, after, vecLen, 0, roundUp(N, 8), 4);
    });
  }
  it('ROUND is C round() on the hard cases', () => {
    const cases: [number, number][] = [
      [0.5, 1], [-0.5, -1], [1.5, 2], [2.5, 3], [-2.5, -3], [0.49999999999999994, 0], [-0.49999999999999994, -0],
      [-0.3, -0], [-0, -0], [0, 0], [4503599627370495.5, 4503599627370496], [-4503599627370495.5, -4503599627370496],
      [4503599627370497, 4503599627370497], [1e300, 1e300], [Infinity, Infinity], [-Infinity, -Infinity], [NaN, NaN],
    ];
    const x = new Float64Array(cases.map((c) => c[0]));
    const { out } = runBody([[Op.ROUND, 0, 4]], [x], x.length, 0);
    cases.forEach(([, want], i) => expect(Object.is(out[i], want), `round(${x[i]}) = ${out[i]}`).toBe(true));
    cases.forEach(([v, want]) => expect(Object.is(cRound(v), want), `reference round(${v})`).toBe(true));
  });
});

describe('SELECT', () => {
  it('picks a where c is true (C truth: NaN is true), b elsewhere', () => {
    const c = mixed(N, 3);
    const { out, before, after, vecLen } = runBody([[Op.SELECT, 0, 4, 5, 6]], [c, A, B], N, 0);
    expectLanes(Op.SELECT, out, (i) => (c[i] !== 0 ? A[i] : B[i]), (i) => [c[i], A[i], B[i]]);
    expectUntouched(before, after, vecLen, 0, roundUp(N, 8), 4);
  });
});

describe('vector tails', () => {
  const ops: number[][] = [
    [Op.ADD, 0, 4, 5], [Op.LT, 0, 4, 5], [Op.SQRT, 0, 4], [Op.ROUND, 0, 4], [Op.SELECT, 0, 4, 5, 4],
    [Op.EXP, 0, 4], [Op.POW, 0, 4, 5],
  ];
  for (const n of [0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 33]) {
    it(`n = ${n}: lanes < n correct, nothing written from roundUp(n, 8) on`, () => {
      for (const ins of ops) {
        const op = ins[0];
        const { out, before, after, vecLen } = runBody([ins], [ma, mb], n, 0);
        const ref = op === Op.SELECT ? (i: number) => (ma[i] !== 0 ? mb[i] : ma[i])
          : op in BINARY ? (i: number) => BINARY[op](ma[i], mb[i]) : (i: number) => UNARY[op](ma[i]);
        expectLanes(op, out, ref, (i) => [ma[i], mb[i]]);
        expectUntouched(before, after, vecLen, 0, INEXACT.has(op) ? n : roundUp(n, 8), 4);
      }
    });
  }
});
