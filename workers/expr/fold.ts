// Constant folding. Only ops that IEEE 754 rounds exactly (or that are exact
// by nature) are folded, so a folded constant is bit-identical to what the WASM
// VM would compute. exp, log, sin, pow… differ in the last bit between JS
// engines and musl, so they stay as instructions (the VM computes them once).

import { Op } from '../../kernels/opcodes';
import { irEqual, retype, type IR, type ValueType } from './ir';

/** C round(): halves away from zero; keeps -0, NaN and ±Infinity. */
export function cRound(x: number): number {
  const t = Math.trunc(x);
  // x - t is exact: the fractional part of a double is representable.
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/** 1 for positive, -1 for negative, x itself for ±0 and NaN. */
export function signOf(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x;
}

const b = (c: boolean): number => (c ? 1 : 0);

/** The value of a foldable op, or undefined for ops left to the VM. Booleans are 0/1, truth is != 0 (as in the VM). */
export function foldableValue(op: Op, a: number[]): number | undefined {
  const [x, y, z] = a;
  switch (op) {
    case Op.ADD: return x + y;
    case Op.SUB: return x - y;
    case Op.MUL: return x * y;
    case Op.DIV: return x / y;
    case Op.MOD: return x % y;
    case Op.MIN: return Math.min(x, y);
    case Op.MAX: return Math.max(x, y);
    case Op.LT: return b(x < y);
    case Op.LE: return b(x <= y);
    case Op.GT: return b(x > y);
    case Op.GE: return b(x >= y);
    case Op.EQ: return b(x === y);
    case Op.NE: return b(x !== y);
    case Op.AND: return b(x !== 0 && y !== 0);
    case Op.OR: return b(x !== 0 || y !== 0);
    case Op.NOT: return b(x === 0);
    case Op.TRUTH: return b(x !== 0);
    case Op.SELECT: return x !== 0 ? y : z;
    case Op.NEG: return -x;
    case Op.ABS: return Math.abs(x);
    case Op.SQRT: return Math.sqrt(x);
    case Op.FLOOR: return Math.floor(x);
    case Op.CEIL: return Math.ceil(x);
    case Op.ROUND: return cRound(x);
    case Op.TRUNC: return Math.trunc(x);
    case Op.SIGN: return signOf(x);
    case Op.ISNAN: return b(Number.isNaN(x));
    case Op.ISINF: return b(x === Infinity || x === -Infinity);
    default: return undefined;
  }
}

const constant = (value: number, type: ValueType): IR => ({ t: 'const', value, type });
const isConst = (ir: IR, value?: number): boolean => ir.t === 'const' && (value === undefined || ir.value === value);
/** Folds constants bottom-up and drops logic that a constant decides. */
export function foldIR(ir: IR): IR {
  if (ir.t !== 'op') return ir;
  const args = ir.args.map(foldIR);
  const node: IR = { ...ir, args };
  if (args.every((a) => a.t === 'const')) {
    const v = foldableValue(ir.op, args.map((a) => (a as { value: number }).value));
    if (v !== undefined) return constant(v, ir.type);
  }
  const [x, y, z] = args;
  switch (ir.op) {
    // Operands of AND/OR/NOT are 0/1 (the checker inserts TRUTH), so these are exact.
    case Op.AND:
      if (isConst(x, 0) || isConst(y, 0)) return constant(0, ir.type);
      if (isConst(x, 1)) return retype(y, ir.type);
      if (isConst(y, 1)) return retype(x, ir.type);
      break;
    case Op.OR:
      if (isConst(x, 1) || isConst(y, 1)) return constant(1, ir.type);
      if (isConst(x, 0)) return retype(y, ir.type);
      if (isConst(y, 0)) return retype(x, ir.type);
      break;
    case Op.NOT:
      if (x.t === 'op' && x.op === Op.NOT && x.args[0].type === 'bool') return x.args[0];
      break;
    case Op.SELECT:
      if (x.t === 'const') return retype(x.value !== 0 ? y : z, ir.type);
      if (irEqual(y, z)) return retype(y, ir.type);
      if (ir.type === 'bool' && isConst(y, 1) && isConst(z, 0)) return x;
      if (ir.type === 'bool' && isConst(y, 0) && isConst(z, 1)) return { t: 'op', op: Op.NOT, args: [x], type: 'bool' };
      break;
    default: break;
  }
  return node;
}
