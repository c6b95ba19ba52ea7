// Column loads (widening every element type to f64) and dictionary-code comparisons.
import { describe, expect, it } from 'vitest';
import { Op } from '../opcodes';
import { load, type ColType } from './program';
import { rng, roundUp } from './data';
import { loadKernels } from './wasm';

const k = loadKernels();

const EXTREMES: Record<Exclude<ColType, 'f64'>, number[]> = {
  f32: [0, -0, 1, -1, 0.1, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, NaN, Infinity, -Infinity],
  i32: [0, 1, -1, 2147483647, -2147483648, 123456789, -98765],
  u32: [0, 1, 4294967295, 2147483648, 2147483647, 3000000000],
  u8: [0, 1, 127, 128, 254, 255],
  u16: [0, 1, 32767, 32768, 65534, 65535],
};
const LOAD: Record<Exclude<ColType, 'f64'>, Op> = {
  f32: Op.LOAD_F32, i32: Op.LOAD_I32, u32: Op.LOAD_U32, u8: Op.LOAD_U8, u16: Op.LOAD_U16,
};
const TYPED = { f32: Float32Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array, u16: Uint16Array };

function column(t: Exclude<ColType, 'f64'>, n: number, seed: number) {
  const r = rng(seed), ex = EXTREMES[t];
  const max = { f32: 1e6, i32: 2 ** 31, u32: 2 ** 32, u8: 256, u16: 65536 }[t];
  const v = new TYPED[t](n);
  for (let i = 0; i < n; i++) {
    v[i] = r() < 0.3 ? ex[Math.floor(r() * ex.length)] : t === 'f32' ? (r() - 0.5) * max : Math.floor(r() * max);
  }
  return v;
}

/** One chunk of a single column `t`, vector length vecLen; runs body and returns register 0 of the last vector. */
function run(t: ColType, values: ArrayLike<number>, body: number[][], vecLen: number) {
  const l = load(k, { vecLen, nRegs: 2, colTypes: [t], chunks: [[values]], body });
  l.exec();
  return l;
}

describe('LOAD_*', () => {
  for (const t of Object.keys(LOAD) as (keyof typeof LOAD)[]) {
    for (const n of [0, 1, 3, 7, 8, 9, 31, 1000]) {
      it(`${Op[LOAD[t]]} widens ${n} ${t} values exactly`, () => {
        const v = column(t, n, n + 11);
        const vecLen = roundUp(n + 16, 16);
        const l = run(t, v, [[LOAD[t], 0, 2]], vecLen);
        const out = l.reg(0);
        for (let i = 0; i < n; i++) expect(Object.is(out[i], v[i]), `${t}[${i}] = ${v[i]}, got ${out[i]}`).toBe(true);
      });
    }
  }
  it('reads each vector of a chunk at its offset (vector shorter than the chunk)', () => {
    for (const t of Object.keys(LOAD) as (keyof typeof LOAD)[]) {
      const v = column(t, 50, 5);
      // last vector covers rows 48..49: register 0 then holds those two rows in lanes 0, 1
      const l = run(t, v, [[LOAD[t], 0, 2]], 16);
      expect([l.reg(0)[0], l.reg(0)[1]]).toEqual([v[48], v[49]]);
    }
  });
});

describe('EQ_CODE*', () => {
  const cases: [Op, 'u8' | 'u16' | 'u32', number[]][] = [
    [Op.EQ_CODE8, 'u8', [0, 3, 200, 255, 256, -1, 259]],
    [Op.EQ_CODE16, 'u16', [0, 7, 40000, 65535, 65536, -1, 65543]],
    [Op.EQ_CODE32, 'u32', [0, 5, 4000000000 | 0, -1, 2147483647]],
  ];
  for (const [op, t, codes] of cases) {
    for (const code of codes) {
      it(`${Op[op]} with code ${code}`, () => {
        const r = rng(code + 1000);
        const pool = t === 'u8' ? [0, 3, 200, 255, 1, 2] : t === 'u16' ? [0, 7, 40000, 65535, 1, 7 + 65536 * 0]
          : [0, 5, 4000000000, 4294967295, 2147483647, 1];
        const n = 203;
        const v = new TYPED[t](n).map(() => pool[Math.floor(r() * pool.length)]);
        const l = run(t, v, [[op, 0, 2, code]], 208);
        const want = t === 'u32' ? code >>> 0 : code;
        const out = l.reg(0);
        let hits = 0;
        for (let i = 0; i < n; i++) {
          expect(out[i], `row ${i}: ${v[i]} vs ${code}`).toBe(v[i] === want ? 1 : 0);
          hits += out[i];
        }
        if (pool.includes(want)) expect(hits).toBeGreaterThan(0);
      });
    }
  }
});
