import { describe, expect, it } from 'vitest';
import type { Expr } from './ast';
import { MAX_EXPR_DEPTH, parseExpr } from './parser';

/** Fully parenthesized form, to see the tree's shape at a glance. */
function shape(e: Expr): string {
  switch (e.kind) {
    case 'num': return String(e.value);
    case 'bool': return String(e.value);
    case 'str': return JSON.stringify(e.value);
    case 'name': return e.name;
    case 'unary': return `(${e.op}${shape(e.arg)})`;
    case 'binary': return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case 'cond': return `(${shape(e.test)} ? ${shape(e.then)} : ${shape(e.else)})`;
    case 'call': return `${e.fn}(${e.args.map(shape).join(', ')})`;
    case 'index': return `${e.name}[${shape(e.index)}]`;
  }
}

const ok = (src: string): Expr => {
  const r = parseExpr(src);
  expect(r.diagnostics).toEqual([]);
  return r.ast!;
};
const tree = (src: string) => shape(ok(src));
const fail = (src: string) => {
  const r = parseExpr(src);
  expect(r.diagnostics.length).toBeGreaterThan(0);
  return r.diagnostics;
};

describe('precedence and associativity (C rules)', () => {
  it.each([
    ['a + b * c', '(a + (b * c))'],
    ['a * b + c', '((a * b) + c)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b / c', '((a / b) / c)'],
    ['a / b * c', '((a / b) * c)'],
    ['a % b * c', '((a % b) * c)'],
    ['a - b + c', '((a - b) + c)'],
    ['-a * b', '((-a) * b)'],
    ['-a + b', '((-a) + b)'],
    ['- -a', '(-(-a))'],
    ['!a == b', '((!a) == b)'],
    ['!!a', '(!(!a))'],
    ['+a', '(+a)'],
    ['a + b < c', '((a + b) < c)'],
    ['a < b == c < d', '((a < b) == (c < d))'],
    ['a == b != c', '((a == b) != c)'],
    ['a == b && c', '((a == b) && c)'],
    ['a || b && c', '(a || (b && c))'],
    ['a && b || c', '((a && b) || c)'],
    ['a || b || c', '((a || b) || c)'],
    ['a ? b : c ? d : e', '(a ? b : (c ? d : e))'],
    ['a ? b ? c : d : e', '(a ? (b ? c : d) : e)'],
    ['a || b ? c : d', '((a || b) ? c : d)'],
    ['a ? b : c || d', '(a ? b : (c || d))'],
    ['a ? b + 1 : c * 2', '(a ? (b + 1) : (c * 2))'],
    ['x + (a ? b : c)', '(x + (a ? b : c))'],
    ['(a + b) * c', '((a + b) * c)'],
    ['f(a, b + c)', 'f(a, (b + c))'],
    ['-f(a)', '(-f(a))'],
    ['TMath::Pi()', 'TMath::Pi()'],
    ['true && false', '(true && false)'],
    ['`my col` * 2', '(my col * 2)'],
    ['`true`', 'true'],
    ['Jet_pt[0]', 'Jet_pt[0]'],
    ['-Jet_pt[1] * 2', '((-Jet_pt[1]) * 2)'],
    ['!ok[0]', '(!ok[0])'],
    ['Jet_pt [ 2 ] + x', '(Jet_pt[2] + x)'],
    ['`Jet pt`[0]', 'Jet pt[0]'],
    ['(Jet_pt)[0]', 'Jet_pt[0]'],
    ['J[i + 1]', 'J[(i + 1)]'],
    ['max(Jet_pt[0], 3)', 'max(Jet_pt[0], 3)'],
    ['sum(Jet_pt * (Jet_eta > 0))', 'sum((Jet_pt * (Jet_eta > 0)))'],
  ])('%s  →  %s', (src, expected) => {
    expect(tree(src)).toBe(expected);
  });

  it('keeps `true` in backticks as a name, not a literal', () => {
    expect(ok('`true`').kind).toBe('name');
    expect(ok('true').kind).toBe('bool');
  });
});

describe('spans', () => {
  it('gives every node its source range', () => {
    const e = ok('sqrt(px*px) > 2.5 && cat == "b"');
    expect(e).toMatchObject({ kind: 'binary', op: '&&', span: { start: 0, end: 31 } });
    if (e.kind !== 'binary' || e.left.kind !== 'binary' || e.left.left.kind !== 'call' || e.right.kind !== 'binary') throw new Error('shape');
    expect(e.left.span).toEqual({ start: 0, end: 17 });
    expect(e.left.left.span).toEqual({ start: 0, end: 11 });
    expect(e.left.left.fnSpan).toEqual({ start: 0, end: 4 });
    expect(e.left.left.args[0].span).toEqual({ start: 5, end: 10 });
    expect(e.left.right.span).toEqual({ start: 14, end: 17 });
    expect(e.right.right.span).toEqual({ start: 28, end: 31 });
  });

  it('puts a unary operator in its node span and parentheses outside', () => {
    const e = ok('-(a + b)');
    expect(e.span).toEqual({ start: 0, end: 8 });
    if (e.kind !== 'unary') throw new Error('shape');
    expect(e.arg.span).toEqual({ start: 2, end: 7 });
    expect(ok('(a + b) * c').span).toEqual({ start: 0, end: 11 });
    expect(ok('c ? ((a)) : (b)').span).toEqual({ start: 0, end: 15 });
    expect(ok('((a))').span).toEqual({ start: 2, end: 3 });
  });
});

describe('indexing', () => {
  it('spans the name, the brackets and the index', () => {
    const e = ok('x + J[ 10 ]');
    if (e.kind !== 'binary' || e.right.kind !== 'index') throw new Error('shape');
    expect(e.right).toMatchObject({ name: 'J', nameSpan: { start: 4, end: 5 }, span: { start: 4, end: 11 }, index: { kind: 'num', value: 10, span: { start: 7, end: 9 } } });
    expect(ok('(J)[0]').span).toEqual({ start: 0, end: 6 });
  });
});

describe('syntax errors point at the offending token', () => {
  it.each([
    ['', 'the expression is empty', 0, 0],
    ['   ', 'the expression is empty', 3, 3],
    ['1 +', 'the expression ends too early: expected a value after `+`', 3, 3],
    ['(a + b', 'the expression ends too early: expected `)` to close the `(` at column 1', 6, 6],
    ['f(a, b', 'the expression ends too early: expected `,` or `)` to close the `(` of f at column 2', 6, 6],
    ['a b', 'unexpected name `b`: expected an operator such as `+`, `<` or `&&` before it', 2, 3],
    ['a 2', 'unexpected number `2`: expected an operator such as `+`, `<` or `&&` before it', 2, 3],
    ['a + b)', 'unexpected `)`: there is no `(` to close', 5, 6],
    ['2(x)', 'unexpected `(`: only functions can be called, like `sqrt(x)` — is an operator missing?', 1, 2],
    ['a ? b', 'the expression ends too early: expected `:` to go with the `?` at column 3', 5, 5],
    ['a ? b , c', 'unexpected `,`: expected `:` to go with the `?` at column 3', 6, 7],
    ['a : b', 'unexpected `:`: a `:` needs a `?` before it, as in `c ? a : b`', 2, 3],
    ['f(a,)', 'unexpected `)`: expected a value before it', 4, 5],
    ['()', 'unexpected `)`: expected a value before it', 1, 2],
    ['* a', 'unexpected `*`: expected a value, like a number, a column name or `(`', 0, 1],
    ['a + * b', 'unexpected `*`: expected a value, like a number, a column name or `(`', 4, 5],
    ['J[0', 'the expression ends too early: expected `]` to close the `[` at column 2', 3, 3],
    ['J[]', 'unexpected `]`: expected a value, like a number, a column name or `(`', 2, 3],
    ['J[0 1]', 'unexpected number `1`: expected `]` to close the `[` at column 2', 4, 5],
    ['a ]', 'unexpected `]`: there is no `[` to close', 2, 3],
    ['[0]', 'unexpected `[`: expected a value, like a number, a column name or `(`', 0, 1],
    ['f(x)[0]', 'only a list column can be indexed, like `Jet_pt[0]`', 4, 5],
    ['(a + b)[0]', 'only a list column can be indexed, like `Jet_pt[0]`', 7, 8],
    ['2[0]', 'only a list column can be indexed, like `Jet_pt[0]`', 1, 2],
    ['J[0][1]', '`J[0]` is one value and can\'t be indexed again', 4, 5],
  ])('%j', (src, message, start, end) => {
    expect(fail(src)[0]).toEqual({ message, start, end });
  });

  it('refuses a chained comparison, which C reads as (a < b) < c', () => {
    const d = fail('0 < x < 1');
    expect(d).toEqual([{
      message: '`0 < x < 1` does not test a range: C compares `(0 < x)`, which is 0 or 1, with 1; write `0 < x && x < 1`',
      start: 6, end: 7,
    }]);
    expect(parseExpr('0 < x < 1').ast).toBeDefined();
    expect(tree('(0 < x) < 1')).toBe('((0 < x) < 1)');
    expect(fail('a >= b > c')[0].start).toBe(7);
  });

  it('reports lexer errors and keeps parsing through obvious substitutes', () => {
    const r = parseExpr('a & b | c');
    expect(r.diagnostics.map((d) => d.start)).toEqual([2, 6]);
    expect(r.ast && shape(r.ast)).toBe('((a && b) || c)');
  });

  it('stops quietly at a token the lexer already reported', () => {
    const r = parseExpr('v{0} + 1');
    expect(r.ast).toBeUndefined();
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      '`{` (braces) is not supported: write a single expression',
      '`}` (braces) is not supported: write a single expression',
    ]);
  });

  it('refuses trees deeper than the limit instead of overflowing the stack', () => {
    const deep = '('.repeat(MAX_EXPR_DEPTH + 5) + 'x' + ')'.repeat(MAX_EXPR_DEPTH + 5);
    expect(fail(deep)[0].message).toContain('nested too deeply');
    const long = Array.from({ length: MAX_EXPR_DEPTH + 5 }, (_, i) => `x${i}`).join(' + ');
    expect(fail(long)[0].message).toBe(`the expression is nested too deeply (over ${MAX_EXPR_DEPTH} levels); split it into defines`);
    const huge = '('.repeat(100_000) + 'x';
    expect(fail(huge)[0].message).toContain('nested too deeply');
    expect(parseExpr(Array.from({ length: 100 }, (_, i) => `x${i}`).join(' + ')).diagnostics).toEqual([]);
  });

  it('never throws, whatever the input', () => {
    const junk = ['(', ')', '?', ':', ',', '"', '`', '\\', '&', '=', '[', ']', 'f(', '1e', 'a', '+', '!', '.', '/*'];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let k = 0; k < 8; k++) s += junk[(i * 7 + k * 13 + (i >> k)) % junk.length];
      expect(() => parseExpr(s)).not.toThrow();
    }
  });
});
