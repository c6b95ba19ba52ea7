import { describe, expect, it } from 'vitest';
import { withoutSpans as strip } from './ast';
import { parseExpr } from './parser';
import { formatNumber, printExpr, quoteString } from './print';

const reprint = (src: string) => {
  const r = parseExpr(src);
  expect(r.diagnostics).toEqual([]);
  return printExpr(r.ast!);
};

describe('printExpr', () => {
  it.each([
    ['((a + b))', 'a + b'],
    ['(a + b) * c', '(a + b) * c'],
    ['a + (b * c)', 'a + b * c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['a / (b * c)', 'a / (b * c)'],
    ['-(a + b)', '-(a + b)'],
    ['-(-a)', '- -a'],
    ['+(+a)', '+ +a'],
    ['-(+a)', '-+a'],
    ['!(!a)', '!!a'],
    ['a - (-b)', 'a - -b'],
    ['(a ? b : c) ? d : e', '(a ? b : c) ? d : e'],
    ['a ? b : (c ? d : e)', 'a ? b : c ? d : e'],
    ['(a || b) ? c : d', 'a || b ? c : d'],
    ['(a < b) < c', '(a < b) < c'],
    ['a < (b < c)', 'a < (b < c)'],
    ['(a == b) == c', 'a == b == c'],
    ['x + (c ? 1 : 2)', 'x + (c ? 1 : 2)'],
    ['f((a), b+c)', 'f(a, b + c)'],
    ['`my col` + `true`', '`my col` + `true`'],
    ['1e-3 + .5 + 5. + 2.5f', '0.001 + 0.5 + 5 + 2.5'],
    ["'it\\'s' == cat", '"it\'s" == cat'],
    ['1e999', '1e999'],
    ['Jet_pt [ 0 ]', 'Jet_pt[0]'],
    ['-(Jet_pt[0])', '-Jet_pt[0]'],
    ['`Jet pt`[2]', '`Jet pt`[2]'],
    ['`x[0]` + x[0]', '`x[0]` + x[0]'],
    ['sum( (Jet_pt*2) )', 'sum(Jet_pt * 2)'],
  ])('%s  →  %s', (src, out) => {
    expect(reprint(src)).toBe(out);
  });

  it('prints text that parses back to the same tree', () => {
    for (const src of ['a - (b - c) * -(d % e)', '!(a && b) || c ? x : y ? z : w', 'std::pow(-x, 2) / (y + 1e-300)', '`a b` == "q\\"x\\n"', '-J[0] + `J x`[3] * max(J) - `x[1]`']) {
      const a = parseExpr(src).ast!;
      const b = parseExpr(printExpr(a)).ast!;
      expect(strip(b)).toEqual(strip(a));
    }
  });
});

describe('literals', () => {
  it('quotes strings so the lexer reads them back', () => {
    for (const s of ['plain', 'q"uote', "ap'os", 'back\\slash', 'new\nline', 'tab\t', 'bell\x07', 'del\x7f', 'ünï ∅', '']) {
      const r = parseExpr(quoteString(s));
      expect(r.diagnostics).toEqual([]);
      expect(r.ast).toMatchObject({ kind: 'str', value: s });
    }
  });

  it('formats numbers that read back exactly', () => {
    for (const v of [0, 1, 0.1, 1 / 3, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2, Infinity]) {
      const r = parseExpr(formatNumber(v));
      expect(r.ast).toMatchObject({ kind: 'num', value: v });
    }
  });
});
