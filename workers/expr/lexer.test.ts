import { describe, expect, it } from 'vitest';
import { tokenize, type Token } from './lexer';

const lex = (src: string) => tokenize(src);
const only = (src: string): Token => {
  const { tokens, diagnostics } = lex(src);
  expect(diagnostics).toEqual([]);
  expect(tokens).toHaveLength(2);
  return tokens[0];
};
const num = (src: string) => {
  const t = only(src);
  expect(t.kind).toBe('num');
  return (t as { value: number }).value;
};
const errors = (src: string) => lex(src).diagnostics;

describe('numbers', () => {
  it('reads integers, decimals and exponents', () => {
    expect(num('42')).toBe(42);
    expect(num('0')).toBe(0);
    expect(num('3.25')).toBe(3.25);
    expect(num('.5')).toBe(0.5);
    expect(num('5.')).toBe(5);
    expect(num('1e-3')).toBe(0.001);
    expect(num('1E+3')).toBe(1000);
    expect(num('2.5e2')).toBe(250);
    expect(num('5.e1')).toBe(50);
    expect(num('1e999')).toBe(Infinity);
  });

  it('accepts the C float suffix after a decimal point or exponent', () => {
    expect(num('1.f')).toBe(1);
    expect(num('2.5f')).toBe(2.5);
    expect(num('2.5F')).toBe(2.5);
    expect(num('1e3f')).toBe(1000);
    expect(num('.5f')).toBe(0.5);
  });

  it('refuses `1f`, which is not C', () => {
    expect(errors('1f')[0]).toMatchObject({ message: '`1f` is not a C number; write `1.f` or `1`', start: 0, end: 2 });
  });

  it('refuses integer suffixes', () => {
    expect(errors('10u')[0].message).toBe('integer suffixes like `u` are not supported; write `10`');
    expect(errors('3UL')[0].message).toContain('`UL`');
  });

  it('refuses a leading zero, which C++ reads as octal', () => {
    expect(errors('010')[0]).toMatchObject({
      message: '`010` would be read as octal (8) in C++; write `10` without the leading 0, or `8` if you meant octal', start: 0, end: 3,
    });
    expect(errors('09')[0].message).toBe('`09` is not a C number (a leading 0 means octal); write `9`');
    expect(errors('0.5')).toEqual([]);
    expect(errors('00.5')).toEqual([]);
  });

  it('refuses hexadecimal and an exponent without digits', () => {
    expect(errors('0x1F')[0].message).toBe('hexadecimal numbers like `0x1F` are not supported; write the decimal value');
    expect(errors('1e')[0]).toMatchObject({ message: 'the exponent of `1e` has no digits, like `1e-3`', start: 0, end: 2 });
  });

  it('reports letters glued to a number', () => {
    expect(errors('x + 2pt')[0]).toMatchObject({ message: 'unexpected `pt` right after the number `2` — is an operator missing?', start: 4, end: 7 });
  });
});

describe('strings', () => {
  it('reads both quote styles with escapes', () => {
    expect(only('"beta"')).toMatchObject({ kind: 'str', value: 'beta', start: 0, end: 6 });
    expect(only("'be\\'ta'")).toMatchObject({ kind: 'str', value: "be'ta" });
    expect(only('"a\\"b\\\\c\\n\\t\\r\\x41"')).toMatchObject({ value: 'a"b\\c\n\t\rA' });
    expect(only('""')).toMatchObject({ kind: 'str', value: '' });
  });

  it('reports an unknown escape at the backslash', () => {
    expect(errors('"a\\qb"')[0]).toMatchObject({ start: 2, end: 4 });
    expect(errors('"a\\qb"')[0].message).toContain('unknown escape `\\q`');
  });

  it('reports an unterminated string at its opening quote', () => {
    expect(errors('x == "beta')[0]).toMatchObject({ message: 'this string is never closed: add `"`', start: 5, end: 10 });
    expect(errors("x == 'beta")[0].message).toBe("this string is never closed: add `'`");
  });
});

describe('names', () => {
  it('reads identifiers and :: namespaces', () => {
    expect(only('px_1')).toMatchObject({ kind: 'name', name: 'px_1', quoted: false });
    expect(only('_x')).toMatchObject({ name: '_x' });
    expect(only('std::abs')).toMatchObject({ name: 'std::abs', start: 0, end: 8 });
    expect(only('TMath::ATan2')).toMatchObject({ name: 'TMath::ATan2' });
  });

  it('reads backtick-quoted names with odd characters', () => {
    expect(only('`my col`')).toMatchObject({ kind: 'name', name: 'my col', quoted: true, start: 0, end: 8 });
    expect(only('`a\\`b`')).toMatchObject({ name: 'a`b' });
    expect(errors('``')[0].message).toBe('empty name in backticks');
    expect(errors('`abc')[0]).toMatchObject({ message: 'this backtick-quoted name is never closed: add `', start: 0, end: 4 });
  });

  it('turns Python word operators into errors with the C spelling', () => {
    const r = lex('a and not b or c');
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      '`and` is not supported; write `&&`', '`not` is not supported; write `!`', '`or` is not supported; write `||`',
    ]);
    expect(r.tokens.filter((t) => t.kind === 'op').map((t) => (t as { op: string }).op)).toEqual(['&&', '!', '||']);
  });

  it('suggests backticks for a non-ASCII letter', () => {
    expect(errors('η > 1')[0]).toMatchObject({ message: 'unexpected character `η`; write names with unusual characters in backticks, like `η`', start: 0, end: 1 });
  });
});

describe('operators', () => {
  it('reads every supported operator, longest first', () => {
    const ops = lex('&& || == != <= >= ( ) , ? : + - * / % ! < >').tokens.filter((t) => t.kind === 'op').map((t) => (t as { op: string }).op);
    expect(ops).toEqual(['&&', '||', '==', '!=', '<=', '>=', '(', ')', ',', '?', ':', '+', '-', '*', '/', '%', '!', '<', '>']);
    expect(lex('a<=b').tokens.map((t) => t.kind)).toEqual(['name', 'op', 'name', 'eof']);
  });

  it.each([
    ['a & b', '`&` (bitwise and) is not supported — did you mean `&&`?', 2, 3],
    ['a | b', '`|` (bitwise or) is not supported — did you mean `||`?', 2, 3],
    ['a = 1', '`=` is assignment — did you mean `==`?', 2, 3],
    ['~a', '`~` (bitwise not) is not supported — did you mean `!`?', 0, 1],
    ['a ^ 2', '`^` is bitwise xor in C, not a power — write `pow(x, y)`', 2, 3],
    ['a ** 2', '`**` is not an operator in C — write `pow(x, y)`', 2, 4],
    ['a << 2', '`<<` (bit shift) is not supported — to scale by 2ⁿ write `x * pow(2, n)`', 2, 4],
    ['a >> 2', '`>>` (bit shift) is not supported — to scale by 2⁻ⁿ write `x / pow(2, n)`', 2, 4],
    ['a++', '`++` (increment) is not supported — did you mean `+ 1`?', 1, 3],
    ['a--b', '`--` (decrement) is not supported — did you mean `- 1`? (write `- -x` to negate twice)', 1, 3],
    ['a += 1', '`+=` (assignment) is not supported: expressions cannot change values', 2, 4],
    ['a === 1', '`===` is JavaScript; write `==`', 2, 5],
    ['a !== 1', '`!==` is JavaScript; write `!=`', 2, 5],
    ['a <> 1', '`<>` is SQL; write `!=`', 2, 4],
    ['a // 2', '`//` is Python floor division; write `floor(a / b)`', 2, 4],
    ['p.x', '`.` (member access) is not supported: columns hold one number or string per row', 1, 2],
    ['p->x', '`->` (member access) is not supported: columns hold one number or string per row', 1, 3],
    ['{a}', '`{` (braces) is not supported: write a single expression', 0, 1],
    ['a;', '`;` is not needed: an expression is a single value, not a statement — remove it', 1, 2],
    ['a − b', '`−` is a typographic minus; write `-`', 2, 3],
    ['a ≤ b', '`≤` is not an operator; write `<=`', 2, 3],
    ['a # b', 'unexpected character `#`', 2, 3],
  ])('%s: %s', (src, message, start, end) => {
    expect(errors(src)[0]).toEqual({ message, start, end });
  });

  it('reads `[` and `]` as operators, for indexing list columns', () => {
    const { tokens, diagnostics } = lex('J[0]');
    expect(diagnostics).toEqual([]);
    expect(tokens.map((t) => (t.kind === 'op' ? t.op : t.kind))).toEqual(['name', '[', 'num', ']', 'eof']);
  });

  it('collects every bad token, not just the first', () => {
    expect(errors('a & b | c = d').map((d) => d.start)).toEqual([2, 6, 10]);
  });

  it('skips whitespace and block comments', () => {
    const r = lex(' a /* the \n comment */ +\tb ');
    expect(r.diagnostics).toEqual([]);
    expect(r.tokens.map((t) => t.kind)).toEqual(['name', 'op', 'name', 'eof']);
    expect(errors('a /* open')[0].message).toBe('this comment is never closed: add `*/`');
  });

  it('ends with eof at the source length', () => {
    expect(lex('ab ').tokens.at(-1)).toEqual({ kind: 'eof', start: 3, end: 3 });
  });
});
