import { INSTR_WORDS, Op } from '../../kernels/opcodes';

/** An operand before register allocation: a virtual register or a column slot. */
export type Operand = { v: number } | { c: number };
/** One word of an instruction: an operand (-1 when null) or an immediate. */
export type Field = Operand | null | { imm: number };

export interface Instr {
  op: Op;
  /** virtual register written, if any */
  dst?: number;
  fields: Field[];
}

/** A compiled program: prologue (once per worker per run) and body (per vector). */
export interface Program {
  prologue: Int32Array;
  body: Int32Array;
  consts: Float64Array;
  nRegs: number;
  nCols: number;
}

const isOperand = (f: Field): f is Operand => f !== null && !('imm' in f);

/**
 * Linear-scan register allocation over straight-line code (the body only
 * jumps forward to its end, so program order is execution order). Prologue
 * registers (constants) stay live for the whole run. A destination never
 * shares a register with its own operands, so kernels may read and write
 * the same lanes in any order.
 */
export function encode(prologue: Instr[], body: Instr[], consts: number[], nCols: number): Program {
  const phys = new Map<number, number>();
  let nRegs = 0;
  for (const ins of prologue) if (ins.dst !== undefined) phys.set(ins.dst, nRegs++);

  const lastUse = new Map<number, number>();
  body.forEach((ins, i) => {
    for (const f of ins.fields) if (f && 'v' in f) lastUse.set(f.v, i);
  });
  const free: number[] = [];
  const expiring: number[][] = body.map(() => []);
  for (const [v, i] of lastUse) if (!phys.has(v)) expiring[i]!.push(v);
  body.forEach((ins, i) => {
    if (ins.dst !== undefined) {
      phys.set(ins.dst, free.length > 0 ? free.pop()! : nRegs++);
      if (!lastUse.has(ins.dst)) free.push(phys.get(ins.dst)!); // dead value: reuse at once
    }
    for (const v of expiring[i]!) free.push(phys.get(v)!);
  });

  const slot = (o: Operand): number => {
    if ('c' in o) return nRegs + o.c;
    const r = phys.get(o.v);
    if (r === undefined) throw new Error(`internal: virtual register ${o.v} used before definition`);
    return r;
  };
  const words = (list: Instr[]): Int32Array => {
    const out = new Int32Array(list.length * INSTR_WORDS);
    list.forEach((ins, i) => {
      const w = i * INSTR_WORDS;
      out[w] = ins.op;
      let k = 1;
      if (ins.dst !== undefined) out[w + k++] = phys.get(ins.dst)!;
      for (const f of ins.fields) out[w + k++] = f === null ? -1 : isOperand(f) ? slot(f) : f.imm;
    });
    return out;
  };
  return {
    prologue: words(prologue),
    body: words(body),
    consts: Float64Array.from(consts),
    nRegs,
    nCols,
  };
}
