import { describe, expect, it } from 'vitest';
import { parseExpr } from './parser';
import { evalExpr } from './reference';

const row: Record<string, number | string> = { x: 2, y: -3, z: 0, nz: -0, nan: NaN, inf: Infinity, b: 1, f: 0, cat: 'beta' };
const ev = (src: string, lookup: (n: string) => number | string = (n) => row[n]) => {
  const r = parseExpr(src);
  expect(r.diagnostics).toEqual([]);
  return evalExpr(r.ast!, lookup);
};
const same = (src: string, expected: number) => expect(Object.is(ev(src), expected), `${src} = ${ev(src)}, want ${expected}`).toBe(true);

describe('reference evaluator', () => {
  it('does f64 arithmetic with float division and C fmod', () => {
    same('x + y * 2', -4);
    same('7 / 2', 3.5);
    same('x / z', Infinity);
    same('y / nz', Infinity);
    same('z / z', NaN);
    same('-7 % 3', -1);
    same('7 % -3', 1);
    same('5.5 % 2', 1.5);
    same('x % z', NaN);
    same('-z', -0);
    same('nz + 0', 0);
    same('inf - inf', NaN);
    same('b + b', 2);
  });

  it('reads `J[0]` as the value named by that text: a list element or a column named with brackets', () => {
    const values: Record<string, number> = { 'J[0]': 5, 'x[1]': 2, '`J x`[3]': 7 };
    expect(ev('J [ 0 ] * x[1] + `J x`[3]', (n) => values[n])).toBe(17);
  });

  it('compares with NaN as false, except !=', () => {
    same('nan < 1', 0);
    same('nan >= 1', 0);
    same('nan == nan', 0);
    same('nan != nan', 1);
    same('z == nz', 1);
    same('inf > 1e308', 1);
  });

  it('tests truth as C does: non-zero and NaN are true', () => {
    same('nan && 1', 1);
    same('!nan', 0);
    same('z || f', 0);
    same('nz ? 1 : 2', 2);
    same('nan ? 1 : 2', 1);
    same('!x', 0);
    same('x && y', 1);
  });

  it('compares strings by value, in both quote styles', () => {
    same('cat == "beta"', 1);
    same("'beta' == cat", 1);
    same('cat != "alpha"', 1);
    same('cat == "Beta"', 0);
  });

  it('reads dictionary codes through the dictionaries option', () => {
    const r = parseExpr('cat == "beta" && x > 1').ast!;
    expect(evalExpr(r, (n) => (n === 'cat' ? 1 : 2), { dictionaries: { cat: ['alpha', 'beta'] } })).toBe(1);
    expect(evalExpr(r, (n) => (n === 'cat' ? 0 : 2), { dictionaries: { cat: ['alpha', 'beta'] } })).toBe(0);
  });

  it('implements every function and its aliases', () => {
    same('abs(y) + fabs(y) + std::abs(y) + TMath::Abs(y)', 12);
    same('sqrt(x * 8)', 4);
    same('exp(z)', 1);
    same('log(1)', 0);
    same('log10(1000)', 3);
    same('pow(x, 10)', 1024);
    same('TMath::Power(x, 3)', 8);
    same('atan2(1, 1)', Math.PI / 4);
    same('TMath::ATan2(1, -1)', Math.atan2(1, -1));
    same('hypot(3, 4)', 5);
    same('min(x, y)', -3);
    same('max(x, y)', 2);
    same('fmin(x, y) + fmax(x, y) + TMath::Min(1, 2) + TMath::Max(1, 2)', 2);
    same('floor(-1.5)', -2);
    same('ceil(-1.5)', -1);
    same('trunc(-1.5)', -1);
    same('TMath::Floor(1.5) + TMath::Ceil(1.5)', 3);
    same('sin(z) + cos(z) + tan(z) + asin(z) + acos(1) + atan(z)', 1);
    same('TMath::Sin(z) + TMath::Cos(z) + TMath::Tan(z) + TMath::ASin(z) + TMath::ACos(1) + TMath::ATan(z)', 1);
    same('TMath::Sqrt(4) + TMath::Exp(0) + TMath::Log(1) + TMath::Log10(10) + TMath::Hypot(3, 4)', 9);
    same('fmod(-7, 3)', -1);
    same('std::fmod(7, 3)', 1);
    same('isnan(nan) + isinf(-inf) + isnan(x) + isinf(x) + TMath::IsNaN(nan)', 3);
    same('M_PI', Math.PI);
    same('TMath::Pi()', Math.PI);
  });

  it('propagates NaN through min and max (unlike C fmin/fmax)', () => {
    same('min(nan, 1)', NaN);
    same('max(1, nan)', NaN);
    same('fmin(nan, 1)', NaN);
    same('std::fmax(1, nan)', NaN);
    same('min(z, nz)', -0);
  });

  it('rounds like C and signs as specified', () => {
    same('round(2.5)', 3);
    same('round(-2.5)', -3);
    same('round(0.49999999999999994)', 0);
    same('round(-0.2)', -0);
    same('round(nz)', -0);
    same('round(nan)', NaN);
    same('round(-inf)', -Infinity);
    same('sign(y)', -1);
    same('sign(inf)', 1);
    same('sign(nz)', -0);
    same('sign(z)', 0);
    same('sign(nan)', NaN);
  });

  it('follows C pow where JS differs', () => {
    same('pow(1, nan)', 1);
    same('pow(-1, inf)', 1);
    same('pow(-1, -inf)', 1);
    same('pow(nan, 0)', 1);
    same('pow(nan, 1)', NaN);
    same('pow(z, -1)', Infinity);
    same('pow(nz, -1)', -Infinity);
    same('pow(-8, 1.0 / 3)', NaN);
  });

  it('throws on ill-typed input rather than guessing', () => {
    expect(() => ev('cat + 1')).toThrow(TypeError);
    expect(() => ev('cat == 1')).toThrow(TypeError);
    expect(() => ev('cat')).toThrow(TypeError);
    expect(() => ev('nope + 1', () => undefined as unknown as number)).toThrow(ReferenceError);
    expect(() => ev('cbrt(x)')).toThrow(ReferenceError);
  });
});
