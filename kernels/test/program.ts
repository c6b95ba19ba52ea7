// Test helper: lays out a VM run (RunDesc, WorkerDesc, HistDescs, chunks) in a
// kernel instance's memory from layout.ts, the way the engine will, and reads
// the results back. Padding after every column and all scratch start as garbage.
import { Hist, HIST_STATS, Run, Scratch, Worker } from '../layout';
import { INSTR_WORDS } from '../opcodes';
import type { Kernels } from './wasm';

export type ColType = 'f64' | 'f32' | 'i32' | 'u32' | 'u8' | 'u16';
export const SHIFT: Record<ColType, number> = { f64: 3, f32: 2, i32: 2, u32: 2, u8: 0, u16: 1 };
const ARRAY = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array, u16: Uint16Array,
};

export interface Axis { lo: number; hi: number; n: number }
export interface HistSpec { x: Axis; y?: Axis; weighted?: boolean; copies?: number }

export interface ProgramSpec {
  vecLen: number;
  nRegs: number;
  colTypes: ColType[];
  /** chunks[k][c]: the values of column c in chunk k (all columns of a chunk have the same length) */
  chunks: ArrayLike<number>[][];
  /** rows of each chunk, when a program reads no column (default: the columns' length) */
  rows?: number[];
  consts?: number[];
  pro?: number[][];
  body: number[][];
  hists?: HistSpec[];
  nCounters?: number;
}

export interface HistLayout {
  spec: HistSpec; nx: number; ny: number; nSlots: number; stride: number; copies: number;
  accOffset: number; inv: [number, number];
}

/** Whether entry i of a histogram's slot data belongs to a trash slot (unspecified content). */
export const isTrash = (l: HistLayout, i: number) => Math.floor(i / l.stride) % l.nSlots === l.nSlots - 1;

export function histLayouts(spec: ProgramSpec): { hists: HistLayout[]; accBytes: number } {
  let off = (spec.nCounters ?? 0) * 8;
  const hists = (spec.hists ?? []).map((h) => {
    const nx = h.x.n, ny = h.y ? h.y.n : 0;
    const nSlots = (nx + 2) * (h.y ? ny + 2 : 1) + 2;
    const stride = h.weighted ? 3 : 1, copies = h.copies ?? 1;
    const l: HistLayout = {
      spec: h, nx, ny, nSlots, stride, copies, accOffset: off,
      inv: [h.x.n / (h.x.hi - h.x.lo), h.y ? h.y.n / (h.y.hi - h.y.lo) : 0],
    };
    off += (HIST_STATS + copies * nSlots * stride) * 8;
    return l;
  });
  return { hists, accBytes: off };
}

/** Deterministic garbage bytes (mostly NaN-ish and huge values when read as numbers). */
function garbage(k: Kernels, ptr: number, bytes: number, seed: number) {
  const b = k.u8(ptr, bytes);
  let s = seed | 1;
  for (let i = 0; i < bytes; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    b[i] = s & 0xff;
  }
}

function instr(k: Kernels, code: number[][]): number {
  const p = k.alloc(Math.max(1, code.length) * INSTR_WORDS * 4);
  const w = k.i32(p, code.length * INSTR_WORDS);
  w.fill(-1);
  code.forEach((ins, i) => ins.forEach((v, j) => { w[i * INSTR_WORDS + j] = v; }));
  return p;
}

export interface Loaded {
  run: number; wd: number; regs: number; acc: number; hists: HistLayout[];
  /** runs vm_init, then vm_chunk over `order` (default: every chunk in turn) */
  exec(order?: number[]): void;
  reg(r: number): Float64Array;
  counters(): Float64Array;
  /** stats (8 f64) and the copy-major slot data of histogram h */
  hist(h: number): { stats: Float64Array; data: Float64Array };
}

export function load(k: Kernels, spec: ProgramSpec): Loaded {
  const { vecLen, nRegs, colTypes } = spec;
  const nCols = colTypes.length;
  const run = k.alloc(Run.WORDS * 4);
  const rw = k.i32(run, Run.WORDS);
  const { hists, accBytes } = histLayouts(spec);
  const consts = k.alloc(Math.max(1, spec.consts?.length ?? 0) * 8);
  k.f64(consts, spec.consts?.length ?? 0).set(spec.consts ?? []);
  const shifts = k.alloc(Math.max(1, nCols) * 4);
  k.i32(shifts, nCols).set(colTypes.map((t) => SHIFT[t]));
  const chunks = k.alloc(Math.max(1, spec.chunks.length * (1 + nCols)) * 4);
  const table = k.u32(chunks, spec.chunks.length * (1 + nCols));
  spec.chunks.forEach((cols, ci) => {
    const rows = spec.rows?.[ci] ?? (nCols ? cols[0].length : 0);
    table[ci * (1 + nCols)] = rows;
    cols.forEach((values, c) => {
      const t = colTypes[c];
      if (values.length !== rows) throw new Error('ragged chunk');
      const bytes = rows << SHIFT[t];
      const p = k.alloc(bytes + 64);
      garbage(k, p + bytes, 64, ci * 977 + c * 31 + 7);
      new ARRAY[t](k.memory.buffer, p, rows).set(values as ArrayLike<number>);
      table[ci * (1 + nCols) + 1 + c] = p;
    });
  });
  const hd = k.alloc(Math.max(1, hists.length) * Hist.WORDS * 8);
  hists.forEach((l, i) => {
    const f = k.f64(hd + i * Hist.WORDS * 8, Hist.WORDS);
    const { x, y } = l.spec;
    f[Hist.XLO] = x.lo; f[Hist.XHI] = x.hi; f[Hist.XINV] = l.inv[0]; f[Hist.NX] = x.n;
    f[Hist.YLO] = y?.lo ?? 0; f[Hist.YHI] = y?.hi ?? 0; f[Hist.YINV] = l.inv[1]; f[Hist.NY] = l.ny;
    f[Hist.ACC_OFFSET] = l.accOffset; f[Hist.STRIDE] = l.stride; f[Hist.COPIES] = l.copies;
    f[Hist.N_SLOTS] = l.nSlots;
  });
  rw[Run.N_BODY] = spec.body.length;
  rw[Run.BODY] = instr(k, spec.body);
  rw[Run.N_PRO] = spec.pro?.length ?? 0;
  rw[Run.PRO] = instr(k, spec.pro ?? []);
  rw[Run.CONSTS] = consts;
  rw[Run.N_REGS] = nRegs;
  rw[Run.VEC_LEN] = vecLen;
  rw[Run.N_COLS] = nCols;
  rw[Run.COL_SHIFT] = shifts;
  rw[Run.CHUNKS] = chunks;
  rw[Run.N_CHUNKS] = spec.chunks.length;
  rw[Run.HISTS] = hd;
  rw[Run.N_HISTS] = hists.length;
  rw[Run.N_COUNTERS] = spec.nCounters ?? 0;
  rw[Run.ACC_BYTES] = accBytes;

  const wd = k.alloc(Worker.WORDS * 4);
  const slots = k.alloc((nRegs + nCols) * 4);
  const regs = k.alloc(nRegs * vecLen * 8);
  const scratch = vecLen * Scratch.LANE_BYTES + Scratch.EXTRA;
  const idx = k.alloc(scratch);
  const acc = k.alloc(accBytes);
  garbage(k, regs, nRegs * vecLen * 8, 99);
  garbage(k, idx, scratch, 98);
  garbage(k, acc, accBytes, 97);
  k.u32(wd, Worker.WORDS).set([slots, regs, idx, acc]);
  return {
    run, wd, regs, acc, hists,
    exec(order) {
      k.exports.vm_init(run, wd);
      for (const c of order ?? spec.chunks.map((_, i) => i)) k.exports.vm_chunk(run, wd, c);
    },
    reg: (r) => k.f64(regs + r * vecLen * 8, vecLen),
    counters: () => k.f64(acc, spec.nCounters ?? 0),
    hist(h) {
      const l = hists[h];
      return {
        stats: k.f64(acc + l.accOffset, HIST_STATS),
        data: k.f64(acc + l.accOffset + HIST_STATS * 8, l.copies * l.nSlots * l.stride),
      };
    },
  };
}
