import { describe, expect, it } from 'vitest';
import { checkExpr, envFrom, type Env } from './check';
import { compileExpr } from './compile';
import { printIR } from './ir';
import { parseExpr } from './parser';

const env: Env = envFrom([
  { name: 'px', kind: 'column', type: 'num' },
  { name: 'py', kind: 'column', type: 'num' },
  { name: 'ok', kind: 'column', type: 'bool' },
  { name: 'cat', kind: 'column', type: 'dict', dictionary: ['alpha', 'beta', 'gamma'] },
  { name: 'tag', kind: 'column', type: 'dict', dictionary: ['x'] },
  { name: 'my col', kind: 'column', type: 'num' },
  { name: 'pt', kind: 'define', type: 'num' },
  { name: 'sel', kind: 'define', type: 'bool' },
  { name: 'broken', kind: 'define', type: 'error' },
]);

/** Checked but unfolded IR, as text, and the type. */
const typed = (src: string) => {
  const p = parseExpr(src);
  expect(p.diagnostics).toEqual([]);
  const r = checkExpr(p.ast!, env);
  if (!r.ok) throw new Error(`${src}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return `${printIR(r.ir)} : ${r.type}`;
};
const errors = (src: string, role?: string) => {
  const r = checkExpr(parseExpr(src).ast!, env, { role });
  expect(r.ok).toBe(false);
  return r.diagnostics;
};
const error = (src: string, role?: string) => {
  const ds = errors(src, role);
  expect(ds).toHaveLength(1);
  return ds[0];
};

describe('types and IR', () => {
  it.each([
    ['px', 'col:px : num'],
    ['ok', 'col:ok : bool'],
    ['pt', 'ref:pt : num'],
    ['sel', 'ref:sel : bool'],
    ['`my col` * 2', '(MUL col:my col 2) : num'],
    ['1.5', '1.5 : num'],
    ['true', 'true : bool'],
    ['px + py * 2', '(ADD col:px (MUL col:py 2)) : num'],
    ['px - py / 2 % 3', '(SUB col:px (MOD (DIV col:py 2) 3)) : num'],
    ['ok + 1', '(ADD col:ok 1) : num'],
    ['-px', '(NEG col:px) : num'],
    ['-ok', '(NEG col:ok) : num'],
    ['+px', 'col:px : num'],
    ['+ok', 'col:ok : num'],
    ['+(cat == "beta")', '(TRUTH code:cat=1) : num'],
    ['px < py', '(LT col:px col:py) : bool'],
    ['px <= 1', '(LE col:px 1) : bool'],
    ['px > ok', '(GT col:px col:ok) : bool'],
    ['px >= 1', '(GE col:px 1) : bool'],
    ['px == 1', '(EQ col:px 1) : bool'],
    ['ok != true', '(NE col:ok true) : bool'],
    ['ok && sel', '(AND col:ok ref:sel) : bool'],
    ['px && ok', '(AND (TRUTH col:px) col:ok) : bool'],
    ['px || py', '(OR (TRUTH col:px) (TRUTH col:py)) : bool'],
    ['!ok', '(NOT col:ok) : bool'],
    ['!px', '(NOT (TRUTH col:px)) : bool'],
    ['ok ? px : py', '(SELECT col:ok col:px col:py) : num'],
    ['px ? 1 : 2', '(SELECT (TRUTH col:px) 1 2) : num'],
    ['px ? ok : sel', '(SELECT (TRUTH col:px) col:ok ref:sel) : bool'],
    ['ok ? ok : 2', '(SELECT col:ok col:ok 2) : num'],
    ['sqrt(ok)', '(SQRT col:ok) : num'],
    ['isnan(px)', '(ISNAN col:px) : bool'],
    ['isinf(px) + 1', '(ADD (ISINF col:px) 1) : num'],
    ['cat == "beta"', 'code:cat=1 : bool'],
    ['"gamma" == cat', 'code:cat=2 : bool'],
    ["cat != 'alpha'", '(NOT code:cat=0) : bool'],
    ['cat == "delta"', 'false : bool'],
    ['cat != "delta"', 'true : bool'],
    ['cat == "Beta"', 'false : bool'],
    ['(cat == "beta") + 1', '(ADD code:cat=1 1) : num'],
    ['M_PI', `${Math.PI} : num`],
  ])('%s  →  %s', (src, out) => {
    expect(typed(src)).toBe(out);
  });
});

describe('type errors, at the right span', () => {
  it('a string column in arithmetic, pointing at the column', () => {
    expect(error('px + cat')).toEqual({
      message: 'a number is needed in arithmetic, but column \'cat\' holds strings; compare it with a value, like cat == "alpha"', start: 5, end: 8,
    });
  });

  it('a string literal in arithmetic', () => {
    const d = error('1 + "abc"');
    expect(d).toMatchObject({ start: 4, end: 9 });
    expect(d.message).toBe('a number is needed in arithmetic, but "abc" is a string; strings can only be compared with a string column, like cat == "abc"');
  });

  it('an ordering comparison on strings', () => {
    expect(error('cat < "beta"')).toEqual({
      message: '`<` can\'t order strings; strings can only be compared with == and !=, like cat == "beta"', start: 0, end: 12,
    });
    expect(error('cat > 2')).toEqual({
      message: '`>` can\'t order strings; strings can only be compared with == and !=, like cat == "alpha"', start: 0, end: 7,
    });
    expect(error('px >= "b"').message).toBe('`>=` can\'t order strings; strings can only be compared with == and !=, like cat == "b"');
    const none = envFrom([{ name: 'x', kind: 'column', type: 'num' }]);
    const r = checkExpr(parseExpr('x + "b"').ast!, none);
    expect(r.ok ? '' : r.diagnostics[0].message).toBe('a number is needed in arithmetic, but "b" is a string; strings can only be compared with a string column, and this dataset has none');
  });

  it('a string column compared with a number', () => {
    expect(error('cat == 1')).toEqual({
      message: 'column \'cat\' holds strings and can\'t be compared with a number; compare it with a value, like cat == "alpha"', start: 0, end: 8,
    });
    expect(error('2 != "x"')).toMatchObject({ start: 5, end: 8, message: 'the string "x" can\'t be compared with a number; strings can only be compared with a string column, like cat == "x"' });
  });

  it('two string columns, or two strings', () => {
    expect(error('cat == tag')).toEqual({
      message: "comparing two string columns ('cat' and 'tag') is not supported; compare each with a string, like cat == \"value\"", start: 0, end: 10,
    });
    expect(error('"a" == "a"').message).toBe('comparing two strings is not supported; strings can only be compared with a string column, like cat == "a"');
  });

  it('a string column as a condition, a function argument or a branch', () => {
    expect(error('cat && ok')).toMatchObject({ start: 0, end: 3 });
    expect(error('!cat')).toMatchObject({ start: 1, end: 4 });
    expect(error('cat ? 1 : 2').message).toContain('as the condition of `?:`');
    expect(error('ok ? cat : 2')).toMatchObject({ start: 5, end: 8 });
    expect(error('ok ? 1 : "s"').message).toContain('in a branch of `?:`');
    expect(error('sqrt(cat)')).toMatchObject({ start: 5, end: 8 });
    expect(error('sqrt(cat)').message).toContain('as an argument of sqrt');
    expect(error('-cat').message).toContain('after unary `-`');
  });

  it('a string result, named by its role', () => {
    expect(error('cat', 'filter \'f\'')).toEqual({
      message: 'filter \'f\' must give a number or a boolean, but column \'cat\' holds strings; compare it with a value, like cat == "alpha"', start: 0, end: 3,
    });
    expect(error('"x"').message).toMatch(/^the expression must give a number or a boolean, but "x" is a string/);
  });

  it('reports independent errors together, each once', () => {
    const ds = errors('pz + cat * qq');
    expect(ds.map((d) => [d.start, d.end])).toEqual([[0, 2], [5, 8], [11, 13]]);
    expect(errors('sqrt(pz) + 1 > 2 && nope')).toHaveLength(2);
    expect(errors('pz * pz + nope * nope').map((d) => d.name)).toEqual(['pz', 'nope']);
  });

  it('says nothing more about a name whose own definition failed', () => {
    expect(checkExpr(parseExpr('broken + 1 > 2').ast!, env)).toEqual({ ok: false, diagnostics: [] });
  });
});

describe('unknown names and functions', () => {
  it('suggests a close name', () => {
    expect(error('pz + 1')).toEqual({ message: "unknown column 'pz'; did you mean 'px'?", start: 0, end: 2, name: 'pz', suggestion: 'px' });
    expect(error('PT > 2')).toMatchObject({ suggestion: 'pt' });
    expect(error('True && ok')).toMatchObject({ suggestion: 'true' });
    expect(error('M_Pi')).toMatchObject({ suggestion: 'M_PI' });
  });

  it('lists the names when nothing is close and there are few', () => {
    expect(error('zzzzzz').message).toBe("unknown column 'zzzzzz'; the known names are 'px', 'py', 'ok', 'cat', 'tag', 'my col', 'pt', 'sel', 'broken'");
    const many = envFrom(Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, kind: 'column' as const, type: 'num' as const })));
    const r = checkExpr(parseExpr('zzzzzz').ast!, many);
    expect(r.ok ? '' : r.diagnostics[0].message).toBe("unknown column 'zzzzzz'");
  });

  it('spots a string value written without quotes', () => {
    expect(error('cat == beta')).toEqual({
      message: 'unknown column \'beta\'; to compare with the string, put it in quotes: cat == "beta"', start: 7, end: 11, name: 'beta',
    });
    expect(error('gamma != cat')).toMatchObject({ start: 0, end: 5 });
  });

  it('names functions used as values and columns used as functions', () => {
    expect(error('sqrt + 1')).toMatchObject({ message: "'sqrt' is a function; call it with arguments in parentheses, like sqrt(x)", start: 0, end: 4 });
    expect(error('TMath::Pi * 2').message).toContain('like TMath::Pi()');
    expect(error('px(2)')).toMatchObject({ message: "'px' is a column, not a function; remove the parentheses after it", start: 0, end: 2 });
    expect(error('pt(2)').message).toContain("'pt' is a define, not a function");
  });

  it('suggests functions by spelling and case', () => {
    expect(error('sqr(px)')).toEqual({ message: "unknown function 'sqr'; did you mean 'sqrt'?", start: 0, end: 3, name: 'sqr', suggestion: 'sqrt' });
    expect(error('Sqrt(px)')).toMatchObject({ suggestion: 'sqrt' });
    expect(error('TMath::ATAN2(px, py)')).toMatchObject({ suggestion: 'TMath::ATan2' });
    expect(error('cbrt(px)').message).toMatch(/^unknown function 'cbrt'; the functions are abs, sqrt, exp, /);
  });

  it('checks arity at the call', () => {
    expect(error('sqrt(px, py)')).toEqual({ message: 'sqrt takes 1 argument, got 2', start: 0, end: 12, name: 'sqrt' });
    expect(error('pow(px)').message).toBe('pow takes 2 arguments, got 1');
    expect(error('TMath::Power(1, 2, 3)').message).toBe('TMath::Power takes 2 arguments, got 3');
    expect(error('atan2()').message).toBe('atan2 takes 2 arguments, got 0');
    expect(error('TMath::Pi(1)').message).toBe('TMath::Pi() takes no arguments, got 1');
  });
});

describe('compileExpr', () => {
  it('folds the checked IR', () => {
    const r = compileExpr('px > 2 * 3 && true', env);
    expect(r.ok && printIR(r.ir)).toBe('(GT col:px 6)');
  });

  it('reports syntax and name errors together, in source order', () => {
    const r = compileExpr('pz & cat = "beta"', env);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.start)).toEqual([0, 3, 9]);
  });

  it('returns only syntax errors when the tree is unrecoverable', () => {
    const r = compileExpr('pz + (', env);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['the expression ends too early: expected a value after `(`']);
  });
});
