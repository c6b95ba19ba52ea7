// A plain JS evaluator of the IR, one row at a time. Tests use it to check
// that folding changes no value; it is not the engine's evaluator (the VM is).

import { Op } from '../../kernels/opcodes';
import { foldableValue } from './fold';
import type { IR } from './ir';

/**
 * The value of `ir` on one row. `lookup` gives a column's value (for a
 * dictionary column: the row's code) or a define's value.
 */
export function evalIR(ir: IR, lookup: (name: string) => number): number {
  switch (ir.t) {
    case 'const': return ir.value;
    case 'col':
    case 'ref': return lookup(ir.name);
    case 'code': return lookup(ir.column) === ir.code ? 1 : 0;
    case 'op': {
      const a = ir.args.map((x) => evalIR(x, lookup));
      const folded = foldableValue(ir.op, a);
      if (folded !== undefined) return folded;
      const [x, y] = a;
      switch (ir.op) {
        case Op.EXP: return Math.exp(x);
        case Op.LOG: return Math.log(x);
        case Op.LOG10: return Math.log10(x);
        case Op.SIN: return Math.sin(x);
        case Op.COS: return Math.cos(x);
        case Op.TAN: return Math.tan(x);
        case Op.ASIN: return Math.asin(x);
        case Op.ACOS: return Math.acos(x);
        case Op.ATAN: return Math.atan(x);
        case Op.ATAN2: return Math.atan2(x, y);
        case Op.HYPOT: return Math.hypot(x, y);
        // C pow where JS differs: pow(1, y) and pow(-1, ±inf) are 1.
        case Op.POW: return x === 1 || y === 0 || (x === -1 && Math.abs(y) === Infinity) ? 1 : Math.pow(x, y);
        default: throw new Error(`evalIR: ${Op[ir.op]} is not an expression op`);
      }
    }
  }
}
