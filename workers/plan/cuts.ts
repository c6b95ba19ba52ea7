// Which filters compile to bit masks (PRED in kernels/opcodes.ts): those that are
// comparisons of a value with a constant, string equalities (or inequalities) of a
// dictionary column, and conjunctions of them: the common shape of a cut
// (`pt > 20`, `abs(eta) < 2.4 && q == "tight"`). Anything else keeps f64 masks.
import { Op } from '../../kernels/opcodes';
import type { IR } from '../expr/ir';

export type Atom =
  | { t: 'cmp'; op: Op; arg: IR; k: number }
  | { t: 'code'; column: string; code: number; not: boolean };

/** A comparison with its operands swapped: c < x is x > c (NaN compares false both ways). */
const SWAPPED = new Map<Op, Op>([
  [Op.LT, Op.GT], [Op.GT, Op.LT], [Op.LE, Op.GE], [Op.GE, Op.LE], [Op.EQ, Op.EQ], [Op.NE, Op.NE],
]);

/** The comparisons whose conjunction `ir` is, or null if it is something else. */
export function atomsOf(ir: IR, defines: ReadonlyMap<string, IR>, depth = 0): Atom[] | null {
  // defines can't form cycles (checked), but a deep chain is no cut shape worth following
  if (depth > 16) return null;
  switch (ir.t) {
    case 'ref': {
      const d = defines.get(ir.name);
      return d ? atomsOf(d, defines, depth + 1) : null;
    }
    case 'code': return [{ t: 'code', column: ir.column, code: ir.code, not: false }];
    case 'op': {
      const [a, b] = ir.args;
      if (ir.op === Op.AND) {
        const l = atomsOf(a!, defines, depth + 1);
        const r = l && atomsOf(b!, defines, depth + 1);
        return l && r ? [...l, ...r] : null;
      }
      if (ir.op === Op.NOT && a!.t === 'code') return [{ t: 'code', column: a!.column, code: a!.code, not: true }];
      const swapped = SWAPPED.get(ir.op);
      if (swapped === undefined) return null;
      if (b!.t === 'const' && a!.t !== 'const') return [{ t: 'cmp', op: ir.op, arg: a!, k: b!.value }];
      if (a!.t === 'const' && b!.t !== 'const') return [{ t: 'cmp', op: swapped, arg: b!, k: a!.value }];
      return null;
    }
    default: return null;
  }
}
