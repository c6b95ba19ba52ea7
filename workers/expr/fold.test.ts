import { describe, expect, it } from 'vitest';
import { Op } from '../../kernels/opcodes';
import { checkExpr, envFrom } from './check';
import { cRound, foldIR, foldableValue, signOf } from './fold';
import { evalIR } from './ir-eval';
import { printIR, type IR } from './ir';
import { parseExpr } from './parser';

const env = envFrom([
  { name: 'x', kind: 'column', type: 'num' },
  { name: 'b', kind: 'column', type: 'bool' },
  { name: 'c', kind: 'column', type: 'bool' },
  { name: 'cat', kind: 'column', type: 'dict', dictionary: ['a', 'b'] },
]);
const unfolded = (src: string): IR => {
  const r = checkExpr(parseExpr(src).ast!, env);
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.ir;
};
const folded = (src: string) => printIR(foldIR(unfolded(src)));

describe('constant folding', () => {
  it.each([
    ['1 + 2 * 3', '7'],
    ['7 / 2', '3.5'],
    ['-7 % 3', '-1'],
    ['7 % -3', '1'],
    ['1 / 0', 'Infinity'],
    ['-1 / 0', '-Infinity'],
    ['0 / 0', 'NaN'],
    ['-0.0', '-0'],
    ['0 * -1', '-0'],
    ['min(1, 2) + max(3, 4)', '5'],
    ['min(0 / 0, 1)', 'NaN'],
    ['max(1, 0 / 0)', 'NaN'],
    ['min(0, -0.0)', '-0'],
    ['1 < 2', 'true'],
    ['2 <= 1', 'false'],
    ['0 / 0 == 0 / 0', 'false'],
    ['0 / 0 != 0 / 0', 'true'],
    ['0 / 0 < 1', 'false'],
    ['0 / 0 >= 1', 'false'],
    ['1 > 0 && 2 > 3', 'false'],
    ['!(1 > 0)', 'false'],
    ['!0', 'true'],
    ['!(0 / 0)', 'false'],
    ['(0 / 0) ? 1 : 2', '1'],
    ['0 ? 1 : 2', '2'],
    ['-(2)', '-2'],
    ['abs(-3)', '3'],
    ['sqrt(16)', '4'],
    ['sqrt(-1)', 'NaN'],
    ['floor(-1.5) + ceil(-1.5)', '-3'],
    ['trunc(-1.7)', '-1'],
    ['round(2.5)', '3'],
    ['round(-2.5)', '-3'],
    ['round(0.49999999999999994)', '0'],
    ['round(-0.4)', '-0'],
    ['sign(-5)', '-1'],
    ['sign(-0.0)', '-0'],
    ['sign(0 / 0)', 'NaN'],
    ['isnan(0 / 0)', 'true'],
    ['isinf(-1 / 0)', 'true'],
    ['isinf(1e308)', 'false'],
    ['fmod(5.5, 2)', '1.5'],
    ['M_PI * 2', String(Math.PI * 2)],
    ['cat == "z" || b', 'col:b'],
    ['1 + true', '2'],
  ])('%s  →  %s', (src, out) => {
    expect(folded(src)).toBe(out);
  });

  it.each([
    ['exp(1)', '(EXP 1)'],
    ['log(2)', '(LOG 2)'],
    ['log10(1000)', '(LOG10 1000)'],
    ['pow(2, 10)', '(POW 2 10)'],
    ['sin(0)', '(SIN 0)'],
    ['cos(0)', '(COS 0)'],
    ['tan(1)', '(TAN 1)'],
    ['asin(1)', '(ASIN 1)'],
    ['acos(1)', '(ACOS 1)'],
    ['atan(1)', '(ATAN 1)'],
    ['atan2(1, 1)', '(ATAN2 1 1)'],
    ['hypot(3, 4)', '(HYPOT 3 4)'],
    ['1 + exp(2 * 3)', '(ADD 1 (EXP 6))'],
    ['isnan(log(-1))', '(ISNAN (LOG -1))'],
  ])('leaves the transcendental %s unfolded', (src, out) => {
    expect(folded(src)).toBe(out);
  });

  it.each([
    ['true && b', 'col:b'],
    ['b && true', 'col:b'],
    ['false && b', 'false'],
    ['b && false', 'false'],
    ['x > 1 && 2 > 1', '(GT col:x 1)'],
    ['true || b', 'true'],
    ['b || true', 'true'],
    ['false || b', 'col:b'],
    ['b || 0', 'col:b'],
    ['x || 0', '(TRUTH col:x)'],
    ['true ? x : 1', 'col:x'],
    ['false ? x : 1', '1'],
    ['true ? b : 2', 'col:b'],
    ['b ? x + 1 : x + 1', '(ADD col:x 1)'],
    ['b ? c : c', 'col:c'],
    ['b ? true : false', 'col:b'],
    ['b ? false : true', '(NOT col:b)'],
    ['!!b', 'col:b'],
    ['!!x', '(TRUTH col:x)'],
    ['b ? 1 : 0', '(SELECT col:b 1 0)'],
    ['b ? x : 0 / 0', '(SELECT col:b col:x NaN)'],
  ])('simplifies %s  →  %s', (src, out) => {
    expect(folded(src)).toBe(out);
  });

  it('keeps the type of the node a simplification replaces', () => {
    const r = foldIR(unfolded('true ? b : 2'));
    expect(r).toEqual({ t: 'col', name: 'b', type: 'num' });
    const code = foldIR(unfolded('true ? cat == "a" : 2'));
    expect(code).toEqual({ t: 'op', op: Op.TRUTH, args: [{ t: 'code', column: 'cat', code: 0, type: 'bool' }], type: 'num' });
  });

  it('changes no value: folded and unfolded IR agree on every row', () => {
    const srcs = ['b ? x * 0 : -x', 'true && (x > 1 || false)', 'c ? b : b', '!!(x + 0)', 'round(x) + sign(x) + min(x, 1 / 0)', 'b ? true : false'];
    const xs = [0, -0, 1, -1, 0.5, -0.5, 2.5, NaN, Infinity, -Infinity, 1e308, 5e-324];
    for (const src of srcs) {
      const ir = unfolded(src);
      const f = foldIR(ir);
      for (const x of xs) {
        for (const b of [0, 1]) {
          const row = (n: string) => (n === 'x' ? x : b);
          expect(Object.is(evalIR(f, row), evalIR(ir, row)), `${src} at x=${x} b=${b}`).toBe(true);
        }
      }
    }
  });
});

describe('C round and sign', () => {
  it('rounds halves away from zero, exactly', () => {
    const cases: [number, number][] = [
      [0.5, 1], [1.5, 2], [2.5, 3], [-0.5, -1], [-1.5, -2], [-2.5, -3], [0.49999999999999994, 0], [-0.49999999999999994, -0],
      [4503599627370495.5, 4503599627370496], [4503599627370497, 4503599627370497], [1e300, 1e300], [0.3, 0], [-0.3, -0],
      [0, 0], [-0, -0], [Infinity, Infinity], [-Infinity, -Infinity],
    ];
    for (const [x, r] of cases) expect(Object.is(cRound(x), r), `round(${x})`).toBe(true);
    expect(cRound(NaN)).toBeNaN();
  });

  it('signs: 1, -1, or the argument itself for ±0 and NaN', () => {
    expect(signOf(3)).toBe(1);
    expect(signOf(-1e-300)).toBe(-1);
    expect(signOf(Infinity)).toBe(1);
    expect(signOf(-Infinity)).toBe(-1);
    expect(Object.is(signOf(0), 0)).toBe(true);
    expect(Object.is(signOf(-0), -0)).toBe(true);
    expect(signOf(NaN)).toBeNaN();
  });

  it('folds only the exact ops', () => {
    const exact = [Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.MIN, Op.MAX, Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE, Op.AND, Op.OR,
      Op.NOT, Op.TRUTH, Op.SELECT, Op.NEG, Op.ABS, Op.SQRT, Op.FLOOR, Op.CEIL, Op.ROUND, Op.TRUNC, Op.SIGN, Op.ISNAN, Op.ISINF];
    for (const op of exact) expect(foldableValue(op, [1, 2, 3]), Op[op]).not.toBeUndefined();
    for (const op of [Op.EXP, Op.LOG, Op.LOG10, Op.POW, Op.SIN, Op.COS, Op.TAN, Op.ASIN, Op.ACOS, Op.ATAN, Op.ATAN2, Op.HYPOT]) {
      expect(foldableValue(op, [1, 2]), Op[op]).toBeUndefined();
    }
  });
});
