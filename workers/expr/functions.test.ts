import { describe, expect, it } from 'vitest';
import { Op } from '../../kernels/opcodes';
import { checkExpr, envFrom } from './check';
import { functionNames, lookupFunction, reductionOf } from './functions';
import { printIR } from './ir';
import { parseExpr } from './parser';

const env = envFrom([{ name: 'x', kind: 'column', type: 'num' }, { name: 'y', kind: 'column', type: 'num' }]);
const ir = (src: string) => {
  const r = checkExpr(parseExpr(src).ast!, env);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return printIR(r.ir);
};

const BASE: [string, number, string][] = [
  ['abs', 1, 'ABS'], ['sqrt', 1, 'SQRT'], ['exp', 1, 'EXP'], ['log', 1, 'LOG'], ['log10', 1, 'LOG10'], ['pow', 2, 'POW'],
  ['sin', 1, 'SIN'], ['cos', 1, 'COS'], ['tan', 1, 'TAN'], ['asin', 1, 'ASIN'], ['acos', 1, 'ACOS'], ['atan', 1, 'ATAN'],
  ['atan2', 2, 'ATAN2'], ['hypot', 2, 'HYPOT'], ['min', 2, 'MIN'], ['max', 2, 'MAX'], ['floor', 1, 'FLOOR'], ['ceil', 1, 'CEIL'],
  ['round', 1, 'ROUND'], ['trunc', 1, 'TRUNC'], ['isnan', 1, 'ISNAN'], ['isinf', 1, 'ISINF'], ['sign', 1, 'SIGN'], ['fmod', 2, 'MOD'],
];
const call = (fn: string, arity: number) => `${fn}(${['x', 'y'].slice(0, arity).join(', ')})`;
const expected = (op: string, arity: number) => `(${op} ${['col:x', 'col:y'].slice(0, arity).join(' ')})`;

describe('functions', () => {
  it.each(BASE)('%s takes %i argument(s) and compiles to %s, also as std::', (fn, arity, op) => {
    expect(ir(call(fn, arity))).toBe(expected(op, arity));
    expect(ir(call(`std::${fn}`, arity))).toBe(expected(op, arity));
  });

  it.each([
    ['fabs', 'ABS', 1], ['std::fabs', 'ABS', 1], ['fmin', 'MIN', 2], ['fmax', 'MAX', 2], ['std::fmin', 'MIN', 2], ['std::fmod', 'MOD', 2],
    ['TMath::Abs', 'ABS', 1], ['TMath::Sqrt', 'SQRT', 1], ['TMath::Exp', 'EXP', 1], ['TMath::Log', 'LOG', 1],
    ['TMath::Log10', 'LOG10', 1], ['TMath::Power', 'POW', 2], ['TMath::Sin', 'SIN', 1], ['TMath::Cos', 'COS', 1],
    ['TMath::Tan', 'TAN', 1], ['TMath::ASin', 'ASIN', 1], ['TMath::ACos', 'ACOS', 1], ['TMath::ATan', 'ATAN', 1],
    ['TMath::ATan2', 'ATAN2', 2], ['TMath::Hypot', 'HYPOT', 2], ['TMath::Min', 'MIN', 2], ['TMath::Max', 'MAX', 2],
    ['TMath::Floor', 'FLOOR', 1], ['TMath::Ceil', 'CEIL', 1], ['TMath::IsNaN', 'ISNAN', 1],
  ] as [string, string, number][])('alias %s → %s', (fn, op, arity) => {
    expect(ir(call(fn, arity))).toBe(expected(op, arity));
  });

  it('compiles fmod exactly as the % operator', () => {
    expect(ir('fmod(x, y)')).toBe(ir('x % y'));
  });

  it('keeps ROOT capitalization: TMath::sqrt and TMath::PI are unknown', () => {
    expect(lookupFunction('TMath::sqrt')).toBeUndefined();
    const r = checkExpr(parseExpr('TMath::sqrt(x)').ast!, env);
    expect(r.ok ? '' : r.diagnostics[0].message).toBe("unknown function 'TMath::sqrt'; did you mean 'TMath::Sqrt'?");
  });

  it('knows the constants M_PI and TMath::Pi()', () => {
    expect(ir('M_PI')).toBe(String(Math.PI));
    expect(ir('TMath::Pi()')).toBe(String(Math.PI));
  });

  it('lists the reductions over list columns for completion; min and max reduce only with one argument', () => {
    for (const r of ['size', 'sum', 'min', 'max', 'mean', 'any', 'all', 'count']) {
      expect(functionNames()).toContain(r);
      expect(reductionOf(r, 1)).toBe(r);
    }
    expect(new Set(functionNames()).size).toBe(functionNames().length);
    expect(reductionOf('min', 2)).toBeUndefined();
    expect(reductionOf('max', 0)).toBeUndefined();
    expect(reductionOf('sum', 2)).toBe('sum');
    expect(reductionOf('fmax', 1)).toBeUndefined();
    expect(lookupFunction('sum')).toBeUndefined();
  });

  it('types isnan/isinf as bool and the rest as num', () => {
    for (const name of functionNames()) {
      const spec = lookupFunction(name);
      if (!spec) continue;
      expect(spec.result).toBe(spec.canonical === 'isnan' || spec.canonical === 'isinf' ? 'bool' : 'num');
      expect(Op[spec.op]).toBeDefined();
    }
  });
});
