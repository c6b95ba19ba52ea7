import { Op, PRED_NOT } from '../../kernels/opcodes';
import type { IR } from '../expr/ir';
import { atomsOf, type Atom } from './cuts';
import type { Column, Dataset } from '../store';
import { encode, type Field, type Instr, type Operand, type Program } from './program';

/** A histogram as the planner lays it out (see HistDesc in kernels/layout.ts). */
export interface HistPlan {
  name: string;
  x: AxisPlan;
  y?: AxisPlan;
  weighted: boolean;
  /** index of the last filter applied, -1 for all rows */
  after: number;
  stride: 1 | 3;
  copies: number;
  nSlots: number;
  /** byte offset within a worker's accumulator block */
  accOffset: number;
}

export interface AxisPlan {
  bins: number;
  lo: number;
  hi: number;
}

export interface Plan {
  program: Program;
  /** column slot c reads this column */
  columns: Column[];
  histograms: HistPlan[];
  filters: string[];
  accBytes: number;
}

/** What the planner needs from the checked analysis document. */
export interface PlanInput {
  defines: { name: string; ir: IR }[];
  filters: { name: string; ir: IR }[];
  histograms: {
    name: string;
    x: { ir: IR; bins: number; lo: number; hi: number };
    y?: { ir: IR; bins: number; lo: number; hi: number };
    weight?: IR;
    after: number;
  }[];
}

const STATS_BYTES = 64;
const COPIES_MAX_WORDS = 1 << 15;
const align64 = (n: number) => Math.ceil(n / 64) * 64;

/**
 * Compiles a checked analysis into one VM program that evaluates every needed
 * define at most once per vector, shares every filter mask, and fills every
 * histogram and cut-flow counter in the same pass. The body is staged by the
 * cut-flow: stage k runs the histograms booked after filter k-1 and filter k
 * itself, and a vector whose mask is empty jumps straight to the end.
 * A filter followed directly by histograms COMPACTs the vector to the rows it
 * keeps, so the histograms' defines and fills run on those rows only (columns
 * and values computed before are gathered); other filters carry a mask.
 * Identical sub-expressions are computed once (value numbering).
 */
export function compile(input: PlanInput, ds: Dataset): Plan {
  const b = new Builder(input, ds);
  // which of the current lanes are selected; null: all of them
  let mask: Operand | null = null;
  // the COUNT of `mask`'s cut: a COMPACT that reads the mask counts it instead
  let maskCount: Instr | null = null;
  // indexed by document position: FILL's immediate and the HistDesc table agree on it
  const histograms: HistPlan[] = new Array(input.histograms.length);
  let accBytes = align64((input.filters.length + 1) * 8);
  b.emit({ op: Op.COUNT, fields: [{ imm: 0 }, null] });
  const book = (i: number) => {
    const h = input.histograms[i]!;
    const x = b.value(h.x.ir);
    const y = h.y ? b.value(h.y.ir) : null;
    const w = h.weight ? b.value(h.weight) : null;
    const nSlots = (h.x.bins + 2) * (h.y ? h.y.bins + 2 : 1) + 2;
    const stride = w ? 3 : 1;
    const copies = nSlots * stride <= COPIES_MAX_WORDS ? 4 : 1;
    b.emit(y ? { op: Op.FILL2D, fields: [{ imm: i }, x, y, mask, w] } : { op: Op.FILL1D, fields: [{ imm: i }, x, mask, w] });
    histograms[i] = {
      name: h.name,
      x: { bins: h.x.bins, lo: h.x.lo, hi: h.x.hi },
      ...(h.y ? { y: { bins: h.y.bins, lo: h.y.lo, hi: h.y.hi } } : {}),
      weighted: w !== null,
      after: h.after,
      stride,
      copies,
      nSlots,
      accOffset: accBytes,
    };
    accBytes += align64(STATS_BYTES + copies * nSlots * stride * 8);
  };
  const nStages = input.filters.length + 1;
  const byStage = Array.from({ length: nStages }, () => [] as number[]);
  input.histograms.forEach((h, i) => byStage[h.after + 1]!.push(i));
  const jumps: Instr[] = [];
  // a segment (the filters up to a COMPACT, or to the end) of comparisons only runs on bit masks
  const defines = new Map(input.defines.map((d) => [d.name, d.ir]));
  const atoms = input.filters.map((f) => atomsOf(f.ir, defines));
  const segmentOfAtoms = (s: number) => {
    for (let t = s; t < input.filters.length; t++) {
      if (!atoms[t]) return false;
      if (byStage[t + 1]!.length > 0) return true;
    }
    return true;
  };
  let bits: Operand | null = null;
  let onBits = false;
  for (let s = 0; s < nStages; s++) {
    for (const i of byStage[s]!) book(i);
    if (s === nStages - 1) break;
    const f = input.filters[s]!;
    if (mask === null && bits === null) onBits = segmentOfAtoms(s);
    if (onBits) {
      bits = b.pred(atoms[s]!, bits, s + 1, jumps);
      if (byStage[s + 1]!.length > 0) {
        const j: Instr = { op: Op.COMPACT_BITS, fields: [bits, { imm: -1 }] };
        jumps.push(j);
        b.emit(j);
        b.level++;
        bits = null;
      }
      continue;
    }
    const kept = b.value(f.ir.type === 'bool' ? f.ir : { t: 'op', op: Op.TRUTH, args: [f.ir], type: 'bool' });
    const laterWork = byStage.slice(s + 1).some((l) => l.length > 0) || s + 1 < input.filters.length;
    if (byStage[s + 1]!.length > 0) {
      // COMPACT ands the two masks itself, and counts the first for the cut before
      let k1 = -1;
      if (maskCount) {
        b.body.splice(b.body.indexOf(maskCount), 1);
        k1 = (maskCount.fields[0] as { imm: number }).imm;
      }
      const j: Instr = {
        op: Op.COMPACT, fields: [{ imm: s + 1 }, mask ?? kept, { imm: -1 }, mask ? kept : null, { imm: k1 }],
      };
      jumps.push(j);
      b.emit(j);
      b.level++;
      mask = null;
      maskCount = null;
      continue;
    }
    const m: Operand = mask ? b.op(Op.AND, [mask, kept]) : kept;
    maskCount = { op: Op.COUNT, fields: [{ imm: s + 1 }, m] };
    b.emit(maskCount);
    mask = m;
    if (laterWork) {
      const j: Instr = { op: Op.JUMP_IF_NONE, fields: [m, { imm: -1 }] };
      jumps.push(j);
      b.emit(j);
    }
  }
  const end = { imm: b.body.length };
  for (const j of jumps) j.fields[TARGET_FIELD.get(j.op)!] = end;
  return {
    program: encode(b.prologue, b.body, b.consts, b.columns.length),
    columns: b.columns,
    histograms,
    filters: input.filters.map((f) => f.name),
    accBytes,
  };
}

/** Where each jumping instruction keeps its target, among its fields. */
const TARGET_FIELD = new Map<Op, number>([[Op.JUMP_IF_NONE, 1], [Op.COMPACT, 2], [Op.PRED, 5], [Op.COMPACT_BITS, 1]]);
const CODE_EQ = [Op.EQ_CODE8, Op.EQ_CODE16, 0, Op.EQ_CODE32];
const CODE_GATHER = [Op.GATHER_U8, Op.GATHER_U16, 0, Op.GATHER_U32];

class Builder {
  readonly prologue: Instr[] = [];
  readonly body: Instr[] = [];
  readonly consts: number[] = [];
  readonly columns: Column[] = [];
  /** COMPACTs emitted so far: values of one level are not valid in another */
  level = 0;
  private nextV = 0;
  private readonly cse = new Map<string, Operand>();
  private readonly colSlot = new Map<string, number>();
  private readonly defines: Map<string, IR>;
  /** values computed before the first COMPACT, by irKey: later levels gather them */
  private readonly dense = new Map<string, Operand>();
  /** virtual registers the prologue splats: the same on every lane of every level */
  private readonly constants = new Set<number>();
  /** constants table indices by constKey */
  private readonly constIdx = new Map<string, number>();

  constructor(input: PlanInput, private readonly ds: Dataset) {
    this.defines = new Map(input.defines.map((d) => [d.name, d.ir]));
  }

  emit(ins: Instr): void {
    this.body.push(ins);
  }

  op(op: Op, args: Operand[], imm: number[] = []): Operand {
    const k = `${this.level}|${op}(${args.map(operandKey).join(',')}${imm.length ? ';' + imm.join(',') : ''})`;
    const hit = this.cse.get(k);
    if (hit) return hit;
    const v = this.nextV++;
    const fields: Field[] = [...args, ...imm.map((n) => ({ imm: n }))];
    this.body.push({ op, dst: v, fields });
    const out = { v };
    this.cse.set(k, out);
    return out;
  }

  value(ir: IR): Operand {
    if (ir.t === 'const') return this.constant(ir.value);
    if (ir.t === 'col') return this.column(ir.name);
    const key = irKey(ir);
    if (this.level > 0) {
      const d = this.dense.get(key);
      if (d && 'v' in d && !this.constants.has(d.v)) return this.op(Op.GATHER_F64, [d]);
    }
    const v = this.compute(ir);
    if (this.level === 0) this.dense.set(key, v);
    return v;
  }

  private compute(ir: Exclude<IR, { t: 'const' | 'col' }>): Operand {
    switch (ir.t) {
      case 'ref': {
        const def = this.defines.get(ir.name);
        if (!def) throw new Error(`internal: unknown define ${ir.name}`);
        return this.value(def);
      }
      case 'code': {
        const col = this.slotOf(ir.column);
        const bytes = this.columns[col]!.elementBytes;
        if (this.level === 0) {
          const op = CODE_EQ[bytes - 1]!;
          return this.op(op, [{ c: col }], [ir.code]);
        }
        // codes are below 2^32, exact in f64
        const gather = CODE_GATHER[bytes - 1]!;
        return this.op(Op.EQ, [this.op(gather, [{ c: col }]), this.constant(ir.code)]);
      }
      case 'op': return this.op(ir.op, ir.args.map((a) => this.value(a)));
    }
  }

  /**
   * A filter's comparisons as PREDs, each and-ed onto the bit mask before (`and`,
   * null: none), each jumping to the end when no lane is left (`jumps`); the last
   * counts the filter's cut into counter k2. Returns the filter's bit mask.
   */
  pred(atoms: Atom[], and: Operand | null, k2: number, jumps: Instr[]): Operand {
    let m = and;
    atoms.forEach((a, i) => {
      let src: Operand, cmp: number, k: number;
      if (a.t === 'code') {
        const c = this.slotOf(a.column);
        const bytes = this.columns[c]!.elementBytes;
        if (this.level === 0) {
          [src, cmp, k] = [{ c }, CODE_EQ[bytes - 1]! + (a.not ? PRED_NOT : 0), a.code];
        } else {
          [src, cmp, k] = [this.op(CODE_GATHER[bytes - 1]!, [{ c }]), a.not ? Op.NE : Op.EQ, this.constIndex(a.code)];
        }
      } else {
        [src, cmp, k] = [this.value(a.arg), a.op, this.constIndex(a.k)];
      }
      const v = this.nextV++;
      const ins: Instr = { op: Op.PRED, dst: v, fields: [src, { imm: cmp }, { imm: k }, m, { imm: i === atoms.length - 1 ? k2 : -1 }, { imm: -1 }] };
      this.emit(ins);
      jumps.push(ins);
      m = { v };
    });
    return m!;
  }

  /** Index of x in the constants table (SPLAT, and PRED, which reads it there). */
  private constIndex(x: number): number {
    const key = constKey(x);
    let i = this.constIdx.get(key);
    if (i === undefined) {
      i = this.consts.length;
      this.consts.push(x);
      this.constIdx.set(key, i);
    }
    return i;
  }

  private constant(x: number): Operand {
    const k = `k${constKey(x)}`;
    const hit = this.cse.get(k);
    if (hit) return hit;
    const v = this.nextV++;
    this.prologue.push({ op: Op.SPLAT, dst: v, fields: [{ imm: this.constIndex(x) }] });
    this.constants.add(v);
    const out = { v };
    this.cse.set(k, out);
    return out;
  }

  private column(name: string): Operand {
    const c = this.slotOf(name);
    const type = this.columns[c]!.info.type;
    const dense = this.level === 0;
    switch (type) {
      case 'f64': case 'i64': case 'u64': return dense ? { c } : this.op(Op.GATHER_F64, [{ c }]);
      case 'f32': return this.op(dense ? Op.LOAD_F32 : Op.GATHER_F32, [{ c }]);
      case 'i32': return this.op(dense ? Op.LOAD_I32 : Op.GATHER_I32, [{ c }]);
      case 'u32': return this.op(dense ? Op.LOAD_U32 : Op.GATHER_U32, [{ c }]);
      case 'bool': case 'u8': return this.op(dense ? Op.LOAD_U8 : Op.GATHER_U8, [{ c }]);
      case 'u16': return this.op(dense ? Op.LOAD_U16 : Op.GATHER_U16, [{ c }]);
      case 'dict': throw new Error(`internal: dictionary column ${name} used as a number`);
    }
  }

  private slotOf(name: string): number {
    let c = this.colSlot.get(name);
    if (c === undefined) {
      const col = this.ds.column(name);
      if (!col) throw new Error(`internal: unknown column ${name}`);
      c = this.columns.length;
      this.columns.push(col);
      this.colSlot.set(name, c);
    }
    return c;
  }
}

/** A structural key: equal for IR trees that compute the same value. */
function irKey(ir: IR): string {
  switch (ir.t) {
    case 'const': return `k${constKey(ir.value)}`;
    case 'col': return `c${JSON.stringify(ir.name)}`;
    case 'ref': return `r${JSON.stringify(ir.name)}`;
    case 'code': return `e${JSON.stringify(ir.column)}=${ir.code}`;
    case 'op': return `(${ir.op} ${ir.args.map(irKey).join(' ')})`;
  }
}

const operandKey = (o: Operand) => ('v' in o ? `v${o.v}` : `c${o.c}`);

const bits = new Float64Array(1);
const bitsU = new Uint32Array(bits.buffer);
/** Constants are keyed by their bits, so -0 and 0 (and NaN payloads) stay distinct. */
function constKey(x: number): string {
  bits[0] = x;
  return `${bitsU[0]}:${bitsU[1]}`;
}
