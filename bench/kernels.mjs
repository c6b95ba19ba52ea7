// Kernel micro-benchmarks: build/kernels/sift.wasm over one shared memory, single
// thread, each kernel next to the plain JS typed-array loop doing the same work.
// Usage: node bench/kernels.mjs [--rows 16777216] [--vec 2048] [--runs 5] [--chunk 65536] [--only TEXT]
// (--only: just the rows whose name contains TEXT)
// Prints ns/row: process CPU time (robust to busy neighbours), best of --runs after one warm-up run.
import { readFileSync } from 'node:fs';
import { buildKernels } from '../scripts/build-kernels.mjs';
import { arg } from './args.mjs';

const ROWS = arg('rows', 1 << 24), VEC = arg('vec', 2048), RUNS = arg('runs', 5), CHUNK = arg('chunk', 1 << 16);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : '';

// Contract constants (kernels/layout.ts, kernels/opcodes.ts; plain JS cannot import the .ts enums).
const Run = { N_BODY: 0, BODY: 1, N_PRO: 2, PRO: 3, CONSTS: 4, N_REGS: 5, VEC_LEN: 6, N_COLS: 7, COL_SHIFT: 8,
  CHUNKS: 9, N_CHUNKS: 10, HISTS: 11, N_HISTS: 12, N_COUNTERS: 13, ACC_BYTES: 14, WORDS: 16 };
const Hist = { XLO: 0, XHI: 1, XINV: 2, NX: 3, YLO: 4, YHI: 5, YINV: 6, NY: 7, ACC_OFFSET: 8, STRIDE: 9,
  COPIES: 10, N_SLOTS: 11, WORDS: 16 };
const Scratch = { LANE_BYTES: 8, EXTRA: 832 };
const Op = { SPLAT: 1, ADD: 10, MUL: 12, LT: 20, GT: 22, AND: 30, SQRT: 42, EQ_CODE8: 60, JUMP_IF_NONE: 70, COMPACT: 71, PRED: 72, COMPACT_BITS: 73, COUNT: 80,
  FILL1D: 81, FILL2D: 82, GATHER_F64: 90 };
const INSTR_WORDS = 8;

await buildKernels({ quiet: true });
const module = new WebAssembly.Module(readFileSync(new URL('../build/kernels/sift.wasm', import.meta.url)));
const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
const k = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('abort'); } } }).exports;

let top = 65536;
function alloc(bytes) {
  const p = top;
  top = (top + bytes + 64 + 63) & ~63;
  const need = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
  if (need > 0) memory.grow(need);
  return p;
}
const f64 = (p, n) => new Float64Array(memory.buffer, p, n);

// ---- data: x, y normal; z exponential; w around 1; c constant; m, m2 0/1 with 12%, 2% ones; cat u8 codes 0..4
let seed = 12345;
const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const col = (bytes) => alloc(bytes);
const P = {
  x: col(ROWS * 8), y: col(ROWS * 8), z: col(ROWS * 8), w: col(ROWS * 8), c: col(ROWS * 8), m: col(ROWS * 8), m2: col(ROWS * 8),
  cat: col(ROWS),
};
const x = f64(P.x, ROWS), y = f64(P.y, ROWS), z = f64(P.z, ROWS), w = f64(P.w, ROWS), c = f64(P.c, ROWS);
const m = f64(P.m, ROWS), m2 = f64(P.m2, ROWS);
const cat = new Uint8Array(memory.buffer, P.cat, ROWS);
for (let i = 0; i < ROWS; i++) {
  x[i] = normal(); y[i] = normal(); z[i] = -Math.log(1 - rand()); w[i] = 0.5 + rand();
  c[i] = 0.25; m[i] = rand() < 0.12 ? 1 : 0; m2[i] = rand() < 0.02 ? 1 : 0; cat[i] = Math.floor(rand() * 5);
}

// ---- one VM run: columns x y z w c m m2 cat (slots N_REGS + 0..7), given body and histograms
const COLS = ['x', 'y', 'z', 'w', 'c', 'm', 'm2', 'cat'];
const NREGS = 4;
const S = Object.fromEntries(COLS.map((n, i) => [n, NREGS + i]));
function vmRun(body, hists = [], consts = [], pro = []) {
  const nChunks = Math.ceil(ROWS / CHUNK), nCols = COLS.length;
  const run = alloc(Run.WORDS * 4), rw = new Int32Array(memory.buffer, run, Run.WORDS);
  const code = (ins) => {
    const p = alloc(Math.max(1, ins.length) * INSTR_WORDS * 4);
    const a = new Int32Array(memory.buffer, p, ins.length * INSTR_WORDS).fill(-1);
    ins.forEach((v, i) => a.set(v, i * INSTR_WORDS));
    return p;
  };
  const cp = alloc(8 * Math.max(1, consts.length));
  f64(cp, consts.length).set(consts);
  const shifts = alloc(nCols * 4);
  new Int32Array(memory.buffer, shifts, nCols).set(COLS.map((n) => (n === 'cat' ? 0 : 3)));
  const chunks = alloc(nChunks * (1 + nCols) * 4), ct = new Uint32Array(memory.buffer, chunks, nChunks * (1 + nCols));
  for (let i = 0; i < nChunks; i++) {
    const off = i * CHUNK;
    ct[i * (1 + nCols)] = Math.min(CHUNK, ROWS - off);
    COLS.forEach((n, j) => { ct[i * (1 + nCols) + 1 + j] = P[n] + off * (n === 'cat' ? 1 : 8); });
  }
  const hd = alloc(Math.max(1, hists.length) * 128);
  let acc = 0;
  hists.forEach((h, i) => {
    const f = f64(hd + i * 128, 16);
    const nSlots = (h.nx + 2) * (h.ny ? h.ny + 2 : 1) + 2, stride = h.weighted ? 3 : 1, copies = h.copies;
    f[Hist.XLO] = h.lo; f[Hist.XHI] = h.hi; f[Hist.XINV] = h.nx / (h.hi - h.lo); f[Hist.NX] = h.nx;
    f[Hist.YLO] = h.lo; f[Hist.YHI] = h.hi; f[Hist.YINV] = (h.ny ?? 0) / (h.hi - h.lo); f[Hist.NY] = h.ny ?? 0;
    f[Hist.ACC_OFFSET] = 64 + acc; f[Hist.STRIDE] = stride; f[Hist.COPIES] = copies; f[Hist.N_SLOTS] = nSlots;
    acc += (8 + copies * nSlots * stride) * 8;
  });
  Object.assign(rw, {
    [Run.N_BODY]: body.length, [Run.BODY]: code(body), [Run.N_PRO]: pro.length, [Run.PRO]: code(pro),
    [Run.CONSTS]: cp, [Run.N_REGS]: NREGS, [Run.VEC_LEN]: VEC, [Run.N_COLS]: nCols, [Run.COL_SHIFT]: shifts,
    [Run.CHUNKS]: chunks, [Run.N_CHUNKS]: nChunks, [Run.HISTS]: hd, [Run.N_HISTS]: hists.length,
    [Run.N_COUNTERS]: 8, [Run.ACC_BYTES]: 64 + acc,
  });
  const wd = alloc(16), accP = alloc(64 + acc);
  new Uint32Array(memory.buffer, wd, 4).set([alloc((NREGS + nCols) * 4), alloc(NREGS * VEC * 8), alloc(VEC * Scratch.LANE_BYTES + Scratch.EXTRA), accP]);
  return () => {
    k.vm_init(run, wd);
    for (let i = 0; i < nChunks; i++) k.vm_chunk(run, wd, i);
    return f64(accP, 8)[0];
  };
}

// ---- plain JS loops over the same typed arrays: the same bin rule and statistics,
// written the way a careful JS programmer would (t | 0 is floor for 0 <= t < 2^31)
const scratch = new Float64Array(VEC);
const perVector = (f) => () => { for (let o = 0; o < ROWS; o += VEC) f(o, Math.min(o + VEC, ROWS)); return scratch[0]; };
// One function literal per variant: closures of one literal share V8's feedback, and
// a loop optimised for one data set can run 2x slower on another. Bins inline: calling
// a small helper for the bin made V8's loop 2x slower.
function jsFill1d(src, nb, lo, hi) {
  const counts = new Float64Array(nb + 3), inv = nb / (hi - lo);
  return () => {
    let sx = 0, sxx = 0;
    for (let i = 0; i < ROWS; i++) {
      const v = src[i];
      let s = 0;
      if (v >= hi) s = nb + 2;
      else if (v === v) {
        const t = (v - lo) * inv;
        if (t < 0) s = 1;
        else { const b = t | 0; s = (b < nb ? b : nb - 1) + 2; sx += v; sxx += v * v; }
      }
      counts[s]++;
    }
    return sx + sxx;
  };
}
function jsFill1dConstant(src, nb, lo, hi) {
  const counts = new Float64Array(nb + 3), inv = nb / (hi - lo);
  return () => {
    let sx = 0, sxx = 0;
    for (let i = 0; i < ROWS; i++) {
      const v = src[i];
      let s = 0;
      if (v >= hi) s = nb + 2;
      else if (v === v) {
        const t = (v - lo) * inv;
        if (t < 0) s = 1;
        else { const b = t | 0; s = (b < nb ? b : nb - 1) + 2; sx += v; sxx += v * v; }
      }
      counts[s]++;
    }
    return sx + sxx;
  };
}
function jsFill1dWeighted(src, weight, nb, lo, hi) {
  const counts = new Float64Array(nb + 3), sw = new Float64Array(nb + 3), sw2 = new Float64Array(nb + 3);
  const inv = nb / (hi - lo);
  return () => {
    let sx = 0, sxx = 0;
    for (let i = 0; i < ROWS; i++) {
      const v = src[i], wv = weight[i];
      let s = 0;
      if (v >= hi) s = nb + 2;
      else if (v === v) {
        const t = (v - lo) * inv;
        if (t < 0) s = 1;
        else { const b = t | 0; s = (b < nb ? b : nb - 1) + 2; sx += wv * v; sxx += wv * v * v; }
      }
      counts[s]++; sw[s] += wv; sw2[s] += wv * wv;
    }
    return sx + sxx;
  };
}
function jsFill1dMasked(src, mask, nb, lo, hi) {
  const counts = new Float64Array(nb + 3), inv = nb / (hi - lo);
  return () => {
    let sx = 0, sxx = 0;
    for (let i = 0; i < ROWS; i++) {
      if (mask[i] === 0) continue;
      const v = src[i];
      let s = 0;
      if (v >= hi) s = nb + 2;
      else if (v === v) {
        const t = (v - lo) * inv;
        if (t < 0) s = 1;
        else { const b = t | 0; s = (b < nb ? b : nb - 1) + 2; sx += v; sxx += v * v; }
      }
      counts[s]++;
    }
    return sx + sxx;
  };
}
function jsFill2d(nb, lo, hi) {
  const counts = new Float64Array((nb + 2) * (nb + 2) + 1), inv = nb / (hi - lo);
  return () => {
    let sx = 0, sxx = 0, sy = 0, syy = 0, sxy = 0;
    for (let i = 0; i < ROWS; i++) {
      const a = x[i], b = y[i];
      if (a !== a || b !== b) { counts[0]++; continue; }
      const t = (a - lo) * inv, u = (b - lo) * inv;
      const px = a >= hi ? nb + 1 : t < 0 ? 0 : (t < nb ? t | 0 : nb - 1) + 1;
      const py = b >= hi ? nb + 1 : u < 0 ? 0 : (u < nb ? u | 0 : nb - 1) + 1;
      if (px >= 1 && px <= nb && py >= 1 && py <= nb) { sx += a; sxx += a * a; sy += b; syy += b * b; sxy += a * b; }
      counts[1 + py * (nb + 2) + px]++;
    }
    return sx + sxx + sy + syy + sxy;
  };
}
function jsFill2dMasked(mask, nb, lo, hi) {
  const counts = new Float64Array((nb + 2) * (nb + 2) + 1), inv = nb / (hi - lo);
  return () => {
    let sx = 0, sxx = 0, sy = 0, syy = 0, sxy = 0;
    for (let i = 0; i < ROWS; i++) {
      if (mask[i] === 0) continue;
      const a = x[i], b = y[i];
      if (a !== a || b !== b) { counts[0]++; continue; }
      const t = (a - lo) * inv, u = (b - lo) * inv;
      const px = a >= hi ? nb + 1 : t < 0 ? 0 : (t < nb ? t | 0 : nb - 1) + 1;
      const py = b >= hi ? nb + 1 : u < 0 ? 0 : (u < nb ? u | 0 : nb - 1) + 1;
      if (px >= 1 && px <= nb && py >= 1 && py <= nb) { sx += a; sxx += a * a; sy += b; syy += b * b; sxy += a * b; }
      counts[1 + py * (nb + 2) + px]++;
    }
    return sx + sxx + sy + syy + sxy;
  };
}
function jsProgram(nb, lo, hi) {
  const counts = new Float64Array(nb + 3), inv = nb / (hi - lo);
  return () => {
    let sx = 0, sxx = 0;
    for (let i = 0; i < ROWS; i++) {
      if (!(z[i] > 0.5 && cat[i] === 1)) continue;
      const v = Math.sqrt(x[i] * x[i] + y[i] * y[i]);
      let s = 0;
      if (v >= hi) s = nb + 2;
      else if (v === v) {
        const t = (v - lo) * inv;
        if (t < 0) s = 1;
        else { const b = t | 0; s = (b < nb ? b : nb - 1) + 2; sx += v; sxx += v * v; }
      }
      counts[s]++;
    }
    return sx + sxx;
  };
}

function jsCompact(mask, mask2) {
  const sel = new Int32Array(VEC);
  return () => {
    let total = 0;
    for (let o = 0; o < ROWS; o += VEC) {
      const e = Math.min(o + VEC, ROWS);
      let k = 0;
      for (let i = o; i < e; i++) if (mask[i] !== 0 && (mask2 === null || mask2[i] !== 0)) sel[k++] = i - o;
      total += k;
    }
    return total;
  };
}
function jsGather(mask) {
  const sel = new Int32Array(VEC), gx = new Float64Array(VEC), gy = new Float64Array(VEC);
  return () => {
    for (let o = 0; o < ROWS; o += VEC) {
      const e = Math.min(o + VEC, ROWS);
      let k = 0;
      for (let i = o; i < e; i++) if (mask[i] !== 0) sel[k++] = i;
      for (let i = 0; i < k; i++) gx[i] = x[sel[i]];
      for (let i = 0; i < k; i++) gy[i] = y[sel[i]];
    }
    return gx[0] + gy[0];
  };
}

const Q4_HISTS = [{ lo: -5, hi: 5, nx: 100, copies: 4 }, { lo: 0, hi: 5, nx: 100, copies: 4 },
  { lo: -5, hi: 5, nx: 50, ny: 50, copies: 4 }];
const Q4_END = 13;
const Q4_BODY = [
  [Op.COUNT, 0, -1], [Op.FILL1D, 0, S.x, -1, -1], [Op.FILL2D, 2, S.x, S.y, -1, -1],
  // the cuts as bit masks: z > 0.5 (consts[0]) counted into counter 1, cat == 1 and-ed onto it into 2
  [Op.PRED, 1, S.z, Op.GT, 0, -1, 1, Q4_END], [Op.PRED, 2, S.cat, Op.EQ_CODE8, 1, 1, 2, Q4_END],
  [Op.COMPACT_BITS, 2, Q4_END], [Op.GATHER_F64, 2, S.x], [Op.MUL, 1, 2, 2], [Op.GATHER_F64, 2, S.y],
  [Op.MUL, 3, 2, 2], [Op.ADD, 2, 1, 3], [Op.SQRT, 3, 2], [Op.FILL1D, 1, 3, -1, -1],
];
// as compiled before the cuts had bit masks: f64 masks, COMPACT counting z > 0.5 as it compacts
const Q4_F64_MASKS = [
  ...Q4_BODY.slice(0, 3), [Op.GT, 1, S.z, 0], [Op.JUMP_IF_NONE, 1, 14], [Op.EQ_CODE8, 2, S.cat, 1],
  [Op.COMPACT, 2, 1, 14, 2, 1], ...Q4_BODY.slice(6),
];

// COPIES as the compiler books them (4); `1 copy` shows what the copies buy.
const H100 = { lo: -5, hi: 5, nx: 100, copies: 4 };
const rows = [
  ['sum_f64', () => k.sum_f64(P.x, ROWS), () => { let s = 0; for (let i = 0; i < ROWS; i++) s += x[i]; return s; }],
  ['ADD (x + y)', vmRun([[Op.ADD, 0, S.x, S.y]]),
    perVector((o, e) => { for (let i = o; i < e; i++) scratch[i - o] = x[i] + y[i]; })],
  ['SQRT (sqrt z)', vmRun([[Op.SQRT, 0, S.z]]),
    perVector((o, e) => { for (let i = o; i < e; i++) scratch[i - o] = Math.sqrt(z[i]); })],
  ['LT (x < y)', vmRun([[Op.LT, 0, S.x, S.y]]),
    perVector((o, e) => { for (let i = o; i < e; i++) scratch[i - o] = +(x[i] < y[i]); })],
  ['1D fill, 100 bins, normal', vmRun([[Op.FILL1D, 0, S.x, -1, -1]], [H100]), jsFill1d(x, 100, -5, 5)],
  ['1D fill, 100 bins, constant', vmRun([[Op.FILL1D, 0, S.c, -1, -1]], [H100]), jsFill1dConstant(c, 100, -5, 5)],
  ['1D fill, constant, 1 copy', vmRun([[Op.FILL1D, 0, S.c, -1, -1]], [{ ...H100, copies: 1 }]), null],
  // about 1 row in 16000 outside the range: most vectors of 2048 rows have one, most blocks of 256 don't
  ['1D fill, 100 bins on [-4, 4), normal', vmRun([[Op.FILL1D, 0, S.x, -1, -1]], [{ ...H100, lo: -4, hi: 4 }]), jsFill1d(x, 100, -4, 4)],
  ['2D fill, 50×50 on [-4, 4)², normal', vmRun([[Op.FILL2D, 0, S.x, S.y, -1, -1]], [{ lo: -4, hi: 4, nx: 50, ny: 50, copies: 4 }]), jsFill2d(50, -4, 4)],
  ['1D fill, weighted', vmRun([[Op.FILL1D, 0, S.x, -1, S.w]], [{ ...H100, weighted: true }]), jsFill1dWeighted(x, w, 100, -5, 5)],
  ['1D fill, masked (12% pass)', vmRun([[Op.FILL1D, 0, S.x, S.m, -1]], [H100]), jsFill1dMasked(x, m, 100, -5, 5)],
  ['1D fill, masked (2% pass)', vmRun([[Op.FILL1D, 0, S.x, S.m2, -1]], [H100]), jsFill1dMasked(x, m2, 100, -5, 5)],
  ['2D fill, 50×50', vmRun([[Op.FILL2D, 0, S.x, S.y, -1, -1]], [{ lo: -5, hi: 5, nx: 50, ny: 50, copies: 4 }]),
    jsFill2d(50, -5, 5)],
  ['2D fill, 50×50, masked (12% pass)', vmRun([[Op.FILL2D, 0, S.x, S.y, S.m, -1]], [{ lo: -5, hi: 5, nx: 50, ny: 50, copies: 4 }]),
    jsFill2dMasked(m, 50, -5, 5)],
  ['COMPACT (12% pass)', vmRun([[Op.COMPACT, 1, S.m, 100, -1]]), jsCompact(m, null)],
  ['COMPACT, two masks (12% × 2%)', vmRun([[Op.COMPACT, 1, S.m, 100, S.m2]]), jsCompact(m, m2)],
  ['GATHER_F64 x2 after COMPACT (12%)', vmRun([[Op.COMPACT, 1, S.m, 100, -1], [Op.GATHER_F64, 0, S.x], [Op.GATHER_F64, 1, S.y]]),
    jsGather(m)],
  // masked evaluation, as the compiler emitted it before COMPACT: every row computed, the fill masked
  ['VM: sqrt(x²+y²) if z > 0.5 && cat == 1, masked', vmRun([
    [Op.MUL, 0, S.x, S.x], [Op.MUL, 1, S.y, S.y], [Op.ADD, 0, 0, 1], [Op.SQRT, 0, 0],
    [Op.GT, 1, S.z, 3], [Op.EQ_CODE8, 2, S.cat, 1], [Op.AND, 1, 1, 2], [Op.FILL1D, 0, 0, 1, -1],
  ], [{ lo: 0, hi: 5, nx: 100, copies: 4 }], [0.5], [[Op.SPLAT, 3, 0]]), jsProgram(100, 0, 5)],
  // as compiled now: the kept rows compacted (COMPACT also counting z > 0.5), x and y gathered,
  // the define computed on them only
  ['VM: the same, compacted', vmRun([
    [Op.GT, 1, S.z, 3], [Op.EQ_CODE8, 2, S.cat, 1], [Op.COMPACT, 2, 1, 100, 2, 1],
    [Op.GATHER_F64, 0, S.x], [Op.MUL, 0, 0, 0], [Op.GATHER_F64, 1, S.y], [Op.MUL, 1, 1, 1], [Op.ADD, 0, 0, 1],
    [Op.SQRT, 0, 0], [Op.FILL1D, 0, 0, -1, -1],
  ], [{ lo: 0, hi: 5, nx: 100, copies: 4 }], [0.5], [[Op.SPLAT, 3, 0]]), null],
  // Q4 exactly as compile() emits it for bench/jobs.ts's Q4 document over the toy dataset
  // (register 0 the splatted 0.5; column slots renumbered to this table's), z > 0.5 keeps 61%, cat == 1 20% of those
  ['VM: Q4 as compiled (x 1D, r after z > 0.5 && cat == 1, x:y 2D)', vmRun(Q4_BODY, Q4_HISTS, [0.5], [[Op.SPLAT, 0, 0]]), null],
  // its parts: the two fills over every row; the cut-flow up to COMPACT; everything after COMPACT
  ['VM: Q4 part, the fills of x and x:y', vmRun(Q4_BODY.slice(0, 3), Q4_HISTS, [0.5], [[Op.SPLAT, 0, 0]]), null],
  ['VM: Q4 part, the cuts to COMPACT_BITS', vmRun(Q4_BODY.slice(3, 6), Q4_HISTS, [0.5], [[Op.SPLAT, 0, 0]]), null],
  ['VM: Q4 part, the cuts and the gathers', vmRun([...Q4_BODY.slice(3, 7), Q4_BODY[8]], Q4_HISTS, [0.5], [[Op.SPLAT, 0, 0]]), null],
  ['VM: Q4 part, the fills, cuts and gathers', vmRun([...Q4_BODY.slice(0, 7), Q4_BODY[8]], Q4_HISTS, [0.5], [[Op.SPLAT, 0, 0]]), null],
  ['VM: Q4 with f64 masks (before PRED)', vmRun(Q4_F64_MASKS, Q4_HISTS, [0.5], [[Op.SPLAT, 0, 0]]), null],
  ['VM: Q4 part, f64 masks: the cuts to COMPACT', vmRun(Q4_F64_MASKS.slice(3, 7), Q4_HISTS, [0.5], [[Op.SPLAT, 0, 0]]), null],
];

function best(f) {
  if (!f) return NaN;
  f(); // warm-up: reaches V8's optimising tier
  let t = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    t = Math.min(t, (c.user + c.system) * 1000);
  }
  return t / ROWS;
}

console.log(`Sift kernels, single thread: ${ROWS} rows, VEC_LEN ${VEC}, chunks of ${CHUNK}, best of ${RUNS} (CPU ns/row)`);
console.log(`node ${process.version}, ${process.arch}`);
console.log('| kernel | WASM | plain JS | JS / WASM |');
console.log('|---|---:|---:|---:|');
for (const [name, wasm, js] of rows) {
  if (!name.includes(ONLY)) continue;
  const a = best(wasm), b = best(js);
  console.log(`| ${name} | ${a.toFixed(2)} | ${Number.isNaN(b) ? '–' : b.toFixed(2)} | ${Number.isNaN(b) ? '' : (b / a).toFixed(1) + '×'} |`);
}
