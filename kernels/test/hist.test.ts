// Histogram fill (FILL1D / FILL2D and the hist_fill* exports) against the bin rule
// written out in plain JS: every slot of every copy bit for bit, stats to rounding.
import { describe, expect, it } from 'vitest';
import { Run, Scratch } from '../layout';
import { Op } from '../opcodes';
import { isTrash, load, type Axis, type HistLayout, type HistSpec, type ProgramSpec } from './program';
import { newRefHist, refFill, refRun, type RefHist } from './reference';
import { nextAfter, rng } from './data';
import { loadKernels } from './wasm';

const k = loadKernels();

/** Values that probe the bin rule of axis a: edges and their neighbours, lo/hi, NaN, infinities, extremes. */
function edgy(a: Axis, n: number, seed: number): Float64Array {
  const r = rng(seed);
  const special = [a.lo, a.hi, NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308, 5e-324, -5e-324];
  for (let i = 0; i <= a.n; i++) {
    const e = a.lo + (i * (a.hi - a.lo)) / a.n;
    special.push(e, nextAfter(e, 1), nextAfter(e, -1));
  }
  const out = new Float64Array(n);
  const span = a.hi - a.lo;
  for (let i = 0; i < n; i++) {
    const u = r();
    out[i] = u < 0.3 ? special[Math.floor(r() * special.length)] : a.lo - 0.2 * span + r() * 1.4 * span;
  }
  return out;
}

const mask = (n: number, p: number, seed: number) => {
  const r = rng(seed);
  return new Float64Array(n).map(() => (r() < p ? 1 : 0));
};
const weights = (n: number, seed: number) => {
  const r = rng(seed);
  return new Float64Array(n).map(() => (r() < 0.02 ? [0, -0, -3.5][Math.floor(r() * 3)] : (r() - 0.3) * 4));
};

/** Every slot of every copy bit for bit, except the trash (unspecified); stats to rounding. */
function expectHist(l: HistLayout, got: { stats: Float64Array; data: Float64Array }, ref: RefHist, what: string) {
  const bad: string[] = [];
  for (let i = 0; i < ref.data.length; i++) {
    if (!isTrash(l, i) && !Object.is(got.data[i], ref.data[i])) bad.push(`${what}: data[${i}] = ${got.data[i]}, expected ${ref.data[i]}`);
  }
  expect(bad.slice(0, 6)).toEqual([]);
  // words 6 and 7 are the kernel's own (layout.ts)
  for (let i = 0; i < 6; i++) {
    const tol = 1e-12 * ref.statsAbs[i] + 1e-300;
    expect(Math.abs(got.stats[i] - ref.stats[i]), `${what}: stats[${i}] = ${got.stats[i]} vs ${ref.stats[i]}`)
      .toBeLessThanOrEqual(tol);
  }
}

/** Total count per slot class over all copies: [nan, under/over (any axis), real bins, trash]. */
function classes(h: HistSpec, ref: RefHist, nSlots: number, stride: number) {
  const out = { nan: 0, outside: 0, bins: 0, trash: 0 };
  const nx = h.x.n, ny = h.y?.n ?? 0;
  for (let i = 0; i < ref.data.length; i += stride) {
    const s = (i / stride) % nSlots, c = ref.data[i];
    if (s === 0) out.nan += c;
    else if (s === nSlots - 1) out.trash += c;
    else {
      const sx = (s - 1) % (nx + 2), sy = Math.floor((s - 1) / (nx + 2));
      if (sx >= 1 && sx <= nx && (!h.y || (sy >= 1 && sy <= ny))) out.bins += c;
      else out.outside += c;
    }
  }
  return out;
}

const X: Axis = { lo: -1.3, hi: 2.9, n: 7 };
const Y: Axis = { lo: 0, hi: 1, n: 3 };

describe('FILL1D / FILL2D through the VM', () => {
  // pass: the fraction of rows a mask keeps (0.6 takes the dense path, 0.04 the sparse one)
  const cases: { name: string; h: HistSpec; masked: boolean; pass: number }[] = [];
  for (const copies of [1, 2, 4]) {
    for (const weighted of [false, true]) {
      for (const pass of [1, 0.6, 0.04]) {
        const masked = pass < 1;
        cases.push({ name: `1D copies=${copies} weighted=${weighted} pass=${pass}`, h: { x: X, weighted, copies }, masked, pass });
        cases.push({ name: `2D copies=${copies} weighted=${weighted} pass=${pass}`, h: { x: X, y: Y, weighted, copies }, masked, pass });
      }
    }
  }
  for (const { name, h, masked, pass } of cases) {
    it(name, () => {
      const sizes = [0, 1, 7, 64, 65, 203, 13, 8, 9, 400];
      const chunks = sizes.map((n, i) => [edgy(X, n, i + 1), edgy(Y, n, i + 50), mask(n, pass, i + 90), weights(n, i + 130)]);
      const twoD = !!h.y;
      const fill = twoD
        ? [Op.FILL2D, 0, 4, 5, masked ? 6 : -1, h.weighted ? 7 : -1]
        : [Op.FILL1D, 0, 4, masked ? 6 : -1, h.weighted ? 7 : -1];
      const spec: ProgramSpec = {
        vecLen: 32, nRegs: 4, colTypes: ['f64', 'f64', 'f64', 'f64'], chunks, body: [fill], hists: [h], nCounters: 1,
      };
      const l = load(k, spec);
      l.exec();
      const ref = refRun(spec);
      expectHist(l.hists[0], l.hist(0), ref.hists[0], name);
      // the data reaches every kind of slot, so a wrong slot rule cannot pass unnoticed
      const c = classes(h, ref.hists[0], l.hists[0].nSlots, l.hists[0].stride);
      if (pass > 0.5) {
        expect(c.nan).toBeGreaterThan(0);
        expect(c.outside).toBeGreaterThan(0);
      }
      expect(c.bins).toBeGreaterThan(0);
      expect(c.trash > 0).toBe(masked);
      expect(c.nan + c.outside + c.bins + c.trash).toBe(sizes.reduce((a, b) => a + b));
      expect(l.counters()[0]).toBe(0); // counters are zeroed by vm_init and untouched by fills
    });
  }
});

describe('hist_fill1d / hist_fill2d exports', () => {
  /** HistDesc + zeroed accumulators for h at ACC_OFFSET 0 */
  function setup(h: HistSpec, n: number) {
    const spec: ProgramSpec = { vecLen: 16, nRegs: 0, colTypes: [], chunks: [], body: [], hists: [h] };
    const l = load(k, spec);
    k.exports.vm_init(l.run, l.wd); // zeroes ACC
    const idx = k.alloc(Scratch.CONSTS + Math.ceil(n / 8) * 32);
    const col = (v: Float64Array) => {
      const p = k.alloc(v.length * 8 + 64);
      k.f64(p, v.length).set(v);
      return p;
    };
    return { l, idx, col };
  }
  for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 100, 1001]) {
    it(`n = ${n}: weighted, masked (dense and sparse), 4 copies, 1D and 2D`, () => {
      for (const [twoD, pass] of [[false, 0.7], [true, 0.7], [false, 0.05], [true, 0.05], [false, 0], [true, 0.002]] as const) {
        const h: HistSpec = { x: X, y: twoD ? Y : undefined, weighted: true, copies: 4 };
        const { l, idx, col } = setup(h, n);
        const x = edgy(X, n, n + 3), y = edgy(Y, n, n + 4), m = mask(n, pass, n + 5), w = weights(n, n + 6);
        const xp = col(x), yp = col(y), mp = col(m), wp = col(w);
        const hd = k.i32(l.run, Run.WORDS)[Run.HISTS];
        if (twoD) k.exports.hist_fill2d(hd, l.acc, idx, xp, yp, mp, wp, n);
        else k.exports.hist_fill1d(hd, l.acc, idx, xp, mp, wp, n);
        const ref = newRefHist(l.hists[0]);
        refFill(l.hists[0], ref, n, x, twoD ? y : null, m, w);
        expectHist(l.hists[0], l.hist(0), ref, `${twoD ? '2D' : '1D'} n=${n} pass=${pass}`);
        // both paths are exercised: the dense one sends dropped rows to the trash, the sparse one skips them
        if (n >= 100) {
          const { nSlots, stride, copies } = l.hists[0], d = l.hist(0).data;
          let trash = 0;
          for (let c = 0; c < copies; c++) trash += d[(c * nSlots + nSlots - 1) * stride];
          if (pass > 0.5) expect(trash).toBeGreaterThan(0);
          else expect(trash).toBe(0);
        }
      }
    });
  }
  it('ignores a weight when the histogram has no room for weight sums (STRIDE 1)', () => {
    const n = 29;
    const h: HistSpec = { x: X, copies: 4 };
    const { l, idx, col } = setup(h, n);
    const x = edgy(X, n, 18), w = weights(n, 19);
    k.exports.hist_fill1d(k.i32(l.run, Run.WORDS)[Run.HISTS], l.acc, idx, col(x), 0, col(w), n);
    const ref = newRefHist(l.hists[0]);
    refFill(l.hists[0], ref, n, x, null, null, null);
    expectHist(l.hists[0], l.hist(0), ref, 'weight ignored');
  });
  it('absent mask and weight are pointer 0', () => {
    const n = 37;
    const h: HistSpec = { x: X, copies: 2 };
    const { l, idx, col } = setup(h, n);
    const x = edgy(X, n, 8);
    k.exports.hist_fill1d(k.i32(l.run, Run.WORDS)[Run.HISTS], l.acc, idx, col(x), 0, 0, n);
    const ref = newRefHist(l.hists[0]);
    refFill(l.hists[0], ref, n, x, null, null, null);
    expectHist(l.hists[0], l.hist(0), ref, 'unmasked');
  });
});

describe('dense path: exact overflow test, in-range check of the statistics', () => {
  // [-5, 5) with 100 bins: t(nextDown(5)) = 100, so x >= hi needs its own test (slow path);
  // [0, 5) with 100 bins and [0, 1) with 3: t >= n is exactly x >= hi (fast path)
  const axes: Record<string, Axis> = {
    slow: { lo: -5, hi: 5, n: 100 }, fast: { lo: 0, hi: 5, n: 100 }, fast3: { lo: 0, hi: 1, n: 3 }, odd: X,
  };
  /** Values inside [lo, hi) only (every row in range), with the edges of the last bin. */
  function inside(a: Axis, n: number, seed: number): Float64Array {
    const r = rng(seed);
    const special = [a.lo, nextAfter(a.hi, -1), a.lo + (a.hi - a.lo) / 2, nextAfter(a.lo, 1)];
    return new Float64Array(n).map(() => (r() < 0.2 ? special[Math.floor(r() * special.length)] : a.lo + r() * (a.hi - a.lo) * 0.999));
  }
  /** One row at index `at` replaced: the check must notice it and test every row. */
  function withOne(v: Float64Array, at: number, value: number): Float64Array {
    const out = v.slice();
    if (at < out.length) out[at] = value;
    return out;
  }
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 31, 64, 67, 300, 603, 1030];
  for (const [xa, ya] of [['slow', null], ['fast', null], ['odd', null], ['slow', 'slow'], ['fast', 'fast3'], ['fast', 'slow'], ['odd', 'fast3']] as const) {
    for (const weighted of [false, true]) {
      const name = `x ${xa}${ya ? `, y ${ya}` : ''}${weighted ? ', weighted' : ''}`;
      it(name, () => {
        const X2 = axes[xa], Y2 = ya ? axes[ya] : undefined;
        for (const [i, n] of sizes.entries()) {
          const x0 = inside(X2, n, 11 + i), y0 = Y2 ? inside(Y2, n, 41 + i) : null, w = weights(n, 71 + i);
          // all in range; then one row out of range on x, on y, NaN, exactly hi, in the last (padding) row
          const variants: [Float64Array, Float64Array | null][] = [
            [x0, y0],
            [withOne(x0, n >> 1, X2.hi), y0],
            [withOne(x0, n - 1, nextAfter(X2.lo, -1)), y0],
            [withOne(x0, 0, NaN), y0],
            [x0, y0 && withOne(y0, n - 1, Y2!.hi)],
            [x0, y0 && withOne(y0, n >> 2, -Infinity)],
          ];
          for (const [v, [xs, ys]] of variants.entries()) {
            const h: HistSpec = { x: X2, y: Y2, weighted, copies: 4 };
            const spec: ProgramSpec = { vecLen: 16, nRegs: 0, colTypes: [], chunks: [], body: [], hists: [h] };
            const l = load(k, spec);
            k.exports.vm_init(l.run, l.wd);
            const col = (a: Float64Array) => {
              const p = k.alloc(a.length * 8 + 64);
              k.f64(p, a.length).set(a);
              k.f64(p + a.length * 8, 8).fill(NaN); // padding rows must not count
              return p;
            };
            const idx = k.alloc(Scratch.CONSTS + Math.ceil(n / 8) * 32);
            const hd = k.i32(l.run, Run.WORDS)[Run.HISTS];
            const wp = weighted ? col(w) : 0;
            if (ys) k.exports.hist_fill2d(hd, l.acc, idx, col(xs), col(ys), 0, wp, n);
            else k.exports.hist_fill1d(hd, l.acc, idx, col(xs), 0, wp, n);
            const ref = newRefHist(l.hists[0]);
            refFill(l.hists[0], ref, n, xs, ys, null, weighted ? w : null);
            expectHist(l.hists[0], l.hist(0), ref, `${name} n=${n} variant ${v}`);
            // the optimistic pass is tried when t(hi) >= n on every axis, once per block of 256 rows,
            // and misses a block exactly when a row of it has floor(t) outside 0..n-1 (out of range,
            // NaN, or t rounding up to n)
            const st = l.hist(0).stats;
            const inv = (a: Axis) => a.n / (a.hi - a.lo);
            const valid = (a: Axis) => (a.hi - a.lo) * inv(a) >= a.n;
            const off = (u: number, a: Axis) => {
              const f = Math.floor((u - a.lo) * inv(a));
              return !(f >= 0 && f < a.n);
            };
            // 1D: the last n % 4 rows are always done the careful way
            const seen = ys ? n : n & ~3, blocks = Math.ceil(seen / 256);
            let misses = 0;
            for (let b = 0; b < blocks; b++) {
              let hit = false;
              for (let j = b * 256; j < Math.min(seen, (b + 1) * 256); j++) if (off(xs[j]!, X2) || (ys && off(ys[j]!, Y2!))) hit = true;
              if (hit) misses++;
            }
            const tried = valid(X2) && (!Y2 || valid(Y2));
            expect([st[6], st[7]], `${name} n=${n} variant ${v}`).toEqual(tried ? [blocks, misses] : [0, 0]);
          }
        }
      });
    }
  }
});

describe('optimistic pass 1: gives up for the run on data that keeps leaving the range', () => {
  // fast axes, and slow ones (t(nextDown(hi)) = n: the x >= hi test of the careful path)
  for (const [twoD, slow] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`${twoD ? '2D' : '1D'}, ${slow ? 'slow' : 'fast'} axes`, () => {
      const A: Axis = slow ? { lo: -5, hi: 5, n: 100 } : { lo: 0, hi: 5, n: 100 };
      const B: Axis = slow ? { lo: -5, hi: 5, n: 50 } : { lo: 0, hi: 1, n: 3 };
      const h: HistSpec = { x: A, y: twoD ? B : undefined, weighted: true, copies: 4 };
      const l = load(k, { vecLen: 16, nRegs: 0, colTypes: [], chunks: [], body: [], hists: [h] });
      k.exports.vm_init(l.run, l.wd);
      const n = 67, idx = k.alloc(Scratch.CONSTS + Math.ceil(n / 8) * 32);
      const hd = k.i32(l.run, Run.WORDS)[Run.HISTS]!;
      const ref = newRefHist(l.hists[0]!);
      const r = rng(5);
      const fill = (bad: boolean) => {
        // inside the range, every bin's lower edge included
        const inside = (a: Axis) => () => (r() < 0.1 ? a.lo + Math.floor(r() * a.n) * ((a.hi - a.lo) / a.n) : a.lo + r() * 0.999 * (a.hi - a.lo));
        const x = new Float64Array(n).map(inside(A)), y = new Float64Array(n).map(inside(B)), w = weights(n, 9);
        // (a row of the first n & ~3: the optimistic pass sees those)
        if (bad) (r() < 0.5 ? x : twoD ? y : x)[Math.floor(r() * 64)] = [NaN, 5, nextAfter(A.lo, -Infinity), -1e300, Infinity, -Infinity][Math.floor(r() * 6)]!;
        const col = (a: Float64Array) => {
          const p = k.alloc(a.length * 8 + 64);
          k.f64(p, a.length).set(a);
          return p;
        };
        if (twoD) k.exports.hist_fill2d(hd, l.acc, idx, col(x), col(y), 0, col(w), n);
        else k.exports.hist_fill1d(hd, l.acc, idx, col(x), 0, col(w), n);
        refFill(l.hists[0]!, ref, n, x, twoD ? y : null, null, w);
      };
      for (let i = 0; i < 10; i++) fill(false);
      const st = () => Array.from(l.hist(0).stats.subarray(6, 8));
      expect(st()).toEqual([10, 0]);
      for (let i = 0; i < 40; i++) fill(true);
      // tries t, misses m (one block a fill): it stops once 4 m > t + 16, here after 9 misses
      expect(st()).toEqual([19, 9]);
      for (let i = 0; i < 5; i++) fill(false);
      expect(st()).toEqual([19, 9]);
      expectHist(l.hists[0]!, l.hist(0), ref, `${twoD ? '2D' : '1D'} ${slow ? 'slow' : 'fast'}`);
    });
  }
});

describe('the comparison is sensitive', () => {
  // The same kernel output checked against deliberately wrong references must fail.
  const n = 45;
  const x = edgy(X, n, 77), w = weights(n, 78);
  const spec: ProgramSpec = {
    vecLen: 48, nRegs: 1, colTypes: ['f64', 'f64'], chunks: [[x, w]], body: [[Op.FILL1D, 0, 1, -1, 2]],
    hists: [{ x: X, weighted: true, copies: 4 }],
  };
  const l = load(k, spec);
  l.exec();
  const lay = l.hists[0];
  const mismatch = (ref: RefHist) => ref.data.some((v, i) => !Object.is(v, l.hist(0).data[i]));
  it('agrees with the true reference', () => {
    const ref = newRefHist(lay);
    refFill(lay, ref, n, x, null, null, w);
    expect(mismatch(ref)).toBe(false);
  });
  it('detects an off-by-one tail', () => {
    const ref = newRefHist(lay);
    refFill(lay, ref, n - 1, x, null, null, w);
    expect(mismatch(ref)).toBe(true);
  });
  it('detects a wrong copy', () => {
    const ref = newRefHist(lay);
    refFill({ ...lay, copies: 2 }, ref, n, x, null, null, w);
    expect(mismatch(ref)).toBe(true);
  });
  it('detects a neighbour bin (edge values in x)', () => {
    const ref = newRefHist(lay);
    refFill({ ...lay, spec: { ...lay.spec, x: { ...X, lo: nextAfter(X.lo, 1) } } }, ref, n, x, null, null, w);
    expect(mismatch(ref)).toBe(true);
  });
});
