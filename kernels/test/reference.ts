// Plain-JS reference for the VM, written from the contract text (opcodes.ts,
// layout.ts) row by row, not from the kernels: one lane at a time, no SIMD tricks.
import { HIST_STATS } from '../layout';
import { Op, PRED_NOT } from '../opcodes';
import { histLayouts, type HistLayout, type ProgramSpec } from './program';

/** C round(): halves away from zero. */
export function cRound(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

const truth = (a: number) => a !== 0; // NaN is true, as in C

export const BINARY: Record<number, (a: number, b: number) => number> = {
  [Op.ADD]: (a, b) => a + b,
  [Op.SUB]: (a, b) => a - b,
  [Op.MUL]: (a, b) => a * b,
  [Op.DIV]: (a, b) => a / b,
  [Op.MOD]: (a, b) => a % b,
  // C pow: pow(1, y), pow(x, ±0) and pow(-1, ±inf) are 1 where JS may give NaN
  [Op.POW]: (a, b) => (a === 1 || b === 0 || (a === -1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b)),
  [Op.ATAN2]: Math.atan2,
  [Op.HYPOT]: Math.hypot,
  [Op.MIN]: Math.min,
  [Op.MAX]: Math.max,
  [Op.LT]: (a, b) => +(a < b),
  [Op.LE]: (a, b) => +(a <= b),
  [Op.GT]: (a, b) => +(a > b),
  [Op.GE]: (a, b) => +(a >= b),
  [Op.EQ]: (a, b) => +(a === b),
  [Op.NE]: (a, b) => +(a !== b),
  [Op.AND]: (a, b) => +(truth(a) && truth(b)),
  [Op.OR]: (a, b) => +(truth(a) || truth(b)),
};

export const UNARY: Record<number, (a: number) => number> = {
  [Op.NOT]: (a) => +!truth(a),
  [Op.TRUTH]: (a) => +truth(a),
  [Op.NEG]: (a) => -a,
  [Op.ABS]: Math.abs,
  [Op.SQRT]: Math.sqrt,
  [Op.EXP]: Math.exp,
  [Op.LOG]: Math.log,
  [Op.LOG10]: Math.log10,
  [Op.SIN]: Math.sin,
  [Op.COS]: Math.cos,
  [Op.TAN]: Math.tan,
  [Op.ASIN]: Math.asin,
  [Op.ACOS]: Math.acos,
  [Op.ATAN]: Math.atan,
  [Op.FLOOR]: Math.floor,
  [Op.CEIL]: Math.ceil,
  [Op.ROUND]: cRound,
  [Op.SIGN]: (a) => (a > 0 ? 1 : a < 0 ? -1 : a),
  [Op.ISNAN]: (a) => +Number.isNaN(a),
  [Op.ISINF]: (a) => +(Math.abs(a) === Infinity),
  [Op.TRUNC]: Math.trunc,
};

/** Ops whose kernels use AssemblyScript's Math and may differ from V8's by an ulp. */
export const INEXACT = new Set([
  Op.EXP, Op.LOG, Op.LOG10, Op.SIN, Op.COS, Op.TAN, Op.ASIN, Op.ACOS, Op.ATAN,
  Op.POW, Op.ATAN2, Op.HYPOT,
]);

/** Axis position: 0 underflow, 1..n bins, n + 1 overflow; null for NaN. */
export function axisPos(x: number, lo: number, hi: number, inv: number, n: number): number | null {
  if (Number.isNaN(x)) return null;
  if (x >= hi) return n + 1;
  const f = Math.floor((x - lo) * inv);
  if (f < 0) return 0;
  return Math.min(f, n - 1) + 1;
}

export interface RefHist { stats: number[]; data: Float64Array; statsAbs: number[] }

/** Fills one histogram from n rows (row j of the vector at index j of x, y, m, w). */
export function refFill(
  l: HistLayout, h: RefHist, n: number,
  x: ArrayLike<number>, y: ArrayLike<number> | null, m: ArrayLike<number> | null, w: ArrayLike<number> | null,
) {
  const { lo, hi, n: nx } = l.spec.x;
  for (let j = 0; j < n; j++) {
    const px = axisPos(x[j], lo, hi, l.inv[0], nx);
    let py: number | null = 0;
    if (y) py = axisPos(y[j], l.spec.y!.lo, l.spec.y!.hi, l.inv[1], l.ny);
    let slot = px === null || py === null ? 0 : 1 + py * (nx + 2) + px;
    const dropped = m !== null && m[j] === 0;
    if (dropped) slot = l.nSlots - 1;
    const wj = w ? w[j] : 1;
    const base = ((j & (l.copies - 1)) * l.nSlots + slot) * l.stride;
    h.data[base] += 1;
    if (w) {
      h.data[base + 1] += wj;
      h.data[base + 2] += wj * wj;
    }
    const real = !dropped && px !== null && px >= 1 && px <= nx &&
      (!y || (py !== null && py >= 1 && py <= l.ny));
    if (real) {
      const xv = x[j], yv = y ? y[j] : 0;
      const terms = [wj * xv, wj * xv * xv, y ? wj * yv : 0, y ? wj * yv * yv : 0, y ? wj * xv * yv : 0];
      terms.forEach((t, i) => { h.stats[i] += t; h.statsAbs[i] += Math.abs(t); });
    }
  }
}

export function newRefHist(l: HistLayout): RefHist {
  return {
    stats: new Array(HIST_STATS).fill(0),
    statsAbs: new Array(HIST_STATS).fill(0),
    data: new Float64Array(l.copies * l.nSlots * l.stride),
  };
}

/** Runs a program vector by vector, as the VM does; returns counters, histograms and registers. */
export function refRun(spec: ProgramSpec, order?: number[]) {
  const { vecLen, nRegs, colTypes } = spec;
  const { hists } = histLayouts(spec);
  const regs = Array.from({ length: nRegs }, () => new Float64Array(vecLen).fill(NaN));
  const counters = new Array(spec.nCounters ?? 0).fill(0);
  const hs = hists.map(newRefHist);
  const exec = (code: number[][], rows: number, cols: ArrayLike<number>[], off: number) => {
    // after a COMPACT: lane i is row sel[i] of the vector, n lanes
    let n = rows;
    let sel: number[] | null = null;
    const column = (s: number) => Array.prototype.slice.call(cols[s - nRegs], off, off + rows) as number[];
    const get = (s: number): ArrayLike<number> => {
      if (s < nRegs) return regs[s];
      if (sel) throw new Error('reference: a column read in place after COMPACT');
      return column(s);
    };
    for (let pc = 0; pc < code.length; pc++) {
      const [op, a, b, c, d, e] = code[pc];
      if (op === Op.COMPACT) {
        const m = get(b), m2 = d === -1 ? null : get(d);
        const keep: number[] = [];
        for (let i = 0; i < n; i++) if (m[i] !== 0 && (!m2 || m2[i] !== 0)) keep.push(sel ? sel[i] : i);
        counters[a] += keep.length;
        if (e !== undefined && e !== -1) for (let i = 0; i < n; i++) if (m[i] !== 0) counters[e]++;
        sel = keep;
        n = keep.length;
        if (n === 0 && c > pc + 1) pc = c - 1;
        continue;
      }
      if (op === Op.PRED) {
        // registers hold a bit mask's lanes as 0/1 here; [op, dst, src, cmp, k, and, k2, target]
        const [, , , , , , , target] = code[pc];
        const src = get(b), and = e === -1 ? null : get(e);
        const not = (c & PRED_NOT) !== 0, base = c & ~PRED_NOT;
        const test = base >= Op.EQ_CODE8
          ? (v: number) => (v === d >>> 0) !== not
          : (v: number) => BINARY[base]!(v, spec.consts![d]!) === 1;
        let set = 0;
        for (let i = 0; i < n; i++) {
          regs[a][i] = +(test(src[i]) && (!and || and[i] === 1));
          set += regs[a][i];
        }
        const k2 = code[pc][6];
        if (k2 !== -1) counters[k2] += set;
        if (set === 0 && target !== -1) {
          // no lane left: the registers after hold nothing of this vector
          if (target > pc + 1) pc = target - 1;
          n = 0;
        }
        continue;
      }
      if (op === Op.COMPACT_BITS) {
        const m = get(a);
        const keep: number[] = [];
        for (let i = 0; i < n; i++) if (m[i] === 1) keep.push(sel ? sel[i] : i);
        sel = keep;
        n = keep.length;
        if (n === 0 && b > pc + 1) pc = b - 1;
        continue;
      }
      if (op >= Op.GATHER_F64 && op <= Op.GATHER_U16) {
        if (!sel) throw new Error('reference: GATHER before COMPACT');
        const src = b < nRegs ? regs[b] : column(b);
        for (let i = 0; i < n; i++) regs[a][i] = src[sel[i]];
        continue;
      }
      if (op === Op.SPLAT) {
        regs[a].fill(spec.consts![b]);
      } else if (op >= Op.LOAD_F32 && op <= Op.LOAD_U16) {
        const src = get(b);
        for (let i = 0; i < n; i++) regs[a][i] = src[i];
      } else if (op === Op.SELECT) {
        const cc = get(b), aa = get(c), bb = get(d);
        for (let i = 0; i < n; i++) regs[a][i] = truth(cc[i]) ? aa[i] : bb[i];
      } else if (op in BINARY) {
        const f = BINARY[op], aa = get(b), bb = get(c);
        for (let i = 0; i < n; i++) regs[a][i] = f(aa[i], bb[i]);
      } else if (op in UNARY) {
        const f = UNARY[op], aa = get(b);
        for (let i = 0; i < n; i++) regs[a][i] = f(aa[i]);
      } else if (op === Op.EQ_CODE8 || op === Op.EQ_CODE16 || op === Op.EQ_CODE32) {
        const col = get(b), code32 = op === Op.EQ_CODE32 ? c >>> 0 : c;
        for (let i = 0; i < n; i++) regs[a][i] = +(col[i] === code32);
      } else if (op === Op.JUMP_IF_NONE) {
        const m = get(a);
        let any = false;
        for (let i = 0; i < n; i++) if (m[i] !== 0) any = true;
        if (!any && b > pc + 1) pc = b - 1;
      } else if (op === Op.COUNT) {
        let add = n;
        if (b !== -1) {
          const m = get(b);
          add = 0;
          for (let i = 0; i < n; i++) if (m[i] === 1) add++;
        }
        counters[a] += add;
      } else if (op === Op.FILL1D) {
        refFill(hists[a], hs[a], n, get(b), null, c < 0 ? null : get(c), d < 0 ? null : get(d));
      } else if (op === Op.FILL2D) {
        refFill(hists[a], hs[a], n, get(b), get(c), d < 0 ? null : get(d), e < 0 ? null : get(e));
      } else {
        throw new Error(`reference: unknown op ${op}`);
      }
    }
    return n;
  };
  exec(spec.pro ?? [], vecLen, [], 0);
  // lanes of the registers that the last vector wrote (fewer than its rows after a COMPACT)
  let lanes = 0;
  for (const ci of order ?? spec.chunks.map((_, i) => i)) {
    const cols = spec.chunks[ci];
    const rows = spec.rows?.[ci] ?? (colTypes.length ? cols[0].length : 0);
    for (let off = 0; off < rows; off += vecLen) lanes = exec(spec.body, Math.min(vecLen, rows - off), cols, off);
  }
  return { regs, counters, hists: hs, layouts: hists, lanes };
}
