// The typed tree the checker hands to the planner/compiler. Booleans are
// numbers 0/1 at run time (as in the VM); `type` says which a value means.

import { Op } from '../../kernels/opcodes';

export type ValueType = 'num' | 'bool';

export type IR =
  | { t: 'const'; value: number; type: ValueType }
  /** A dataset column, read as f64. */
  | { t: 'col'; name: string; type: ValueType }
  /** A define, computed once per chunk by the planner. */
  | { t: 'ref'; name: string; type: ValueType }
  | { t: 'op'; op: Op; args: IR[]; type: ValueType }
  /** 1 where the dictionary-encoded column holds `code` (the planner picks EQ_CODE8/16/32). */
  | { t: 'code'; column: string; code: number; type: 'bool' };

/** The same value with another type; a `code` node is bool by definition, so it gets a TRUTH wrapper. */
export function retype(ir: IR, type: ValueType): IR {
  if (ir.type === type) return ir;
  return ir.t === 'code' ? { t: 'op', op: Op.TRUTH, args: [ir], type } : { ...ir, type } as IR;
}

/** The columns and defines an IR reads, each once, in first-use order. */
export function irNames(ir: IR): { columns: string[]; refs: string[] } {
  const columns = new Set<string>();
  const refs = new Set<string>();
  const walk = (n: IR): void => {
    switch (n.t) {
      case 'col': columns.add(n.name); break;
      case 'code': columns.add(n.column); break;
      case 'ref': refs.add(n.name); break;
      case 'op': n.args.forEach(walk); break;
      default: break;
    }
  };
  walk(ir);
  return { columns: [...columns], refs: [...refs] };
}

/** Structural equality; constants compare with Object.is (NaN equals NaN, 0 is not -0). */
export function irEqual(a: IR, b: IR): boolean {
  if (a.t !== b.t || a.type !== b.type) return false;
  switch (a.t) {
    case 'const': return Object.is(a.value, (b as typeof a).value);
    case 'col':
    case 'ref': return a.name === (b as typeof a).name;
    case 'code': return a.column === (b as typeof a).column && a.code === (b as typeof a).code;
    case 'op': {
      const o = b as typeof a;
      return a.op === o.op && a.args.length === o.args.length && a.args.every((x, i) => irEqual(x, o.args[i]));
    }
  }
}

/** A compact text form for tests and logs: `(ADD col:px 1)`. */
export function printIR(ir: IR): string {
  switch (ir.t) {
    case 'const': return ir.type === 'bool' ? (ir.value ? 'true' : 'false') : Object.is(ir.value, -0) ? '-0' : String(ir.value);
    case 'col': return `col:${ir.name}`;
    case 'ref': return `ref:${ir.name}`;
    case 'code': return `code:${ir.column}=${ir.code}`;
    case 'op': return `(${Op[ir.op]} ${ir.args.map(printIR).join(' ')})`;
  }
}
