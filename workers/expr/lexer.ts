// Tokens of the expression language. The lexer never stops early: it reports
// every bad token it sees, and where the intent is obvious (`&` for `&&`) it
// emits the intended token so the parser can go on and find more problems.

import type { Diagnostic } from './diagnostic';

export type Token =
  | { kind: 'num'; value: number; start: number; end: number }
  | { kind: 'str'; value: string; start: number; end: number }
  | { kind: 'name'; name: string; quoted: boolean; start: number; end: number }
  | { kind: 'op'; op: string; start: number; end: number }
  /** Already reported; the parser gives up quietly when it reaches one. */
  | { kind: 'invalid'; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '(', ')', '[', ']', ',', '?', ':', '+', '-', '*', '/', '%', '!', '<', '>'];

/** Operators of C (and habits from other languages) that we reject; `as` is the token to go on with. */
const REJECTED: { text: string; message: string; as?: string }[] = [
  { text: '===', message: '`===` is JavaScript; write `==`', as: '==' },
  { text: '!==', message: '`!==` is JavaScript; write `!=`', as: '!=' },
  { text: '<<=', message: '`<<=` (assignment) is not supported: expressions cannot change values' },
  { text: '>>=', message: '`>>=` (assignment) is not supported: expressions cannot change values' },
  { text: '<<', message: '`<<` (bit shift) is not supported — to scale by 2ⁿ write `x * pow(2, n)`' },
  { text: '>>', message: '`>>` (bit shift) is not supported — to scale by 2⁻ⁿ write `x / pow(2, n)`' },
  { text: '<>', message: '`<>` is SQL; write `!=`', as: '!=' },
  { text: '++', message: '`++` (increment) is not supported — did you mean `+ 1`?' },
  { text: '--', message: '`--` (decrement) is not supported — did you mean `- 1`? (write `- -x` to negate twice)' },
  { text: '//', message: '`//` is Python floor division; write `floor(a / b)`' },
  { text: '**', message: '`**` is not an operator in C — write `pow(x, y)`' },
  { text: '->', message: '`->` (member access) is not supported: columns hold one number or string per row' },
  { text: '::', message: '`::` must join names, as in `std::abs`' },
  { text: '+=', message: '`+=` (assignment) is not supported: expressions cannot change values' },
  { text: '-=', message: '`-=` (assignment) is not supported: expressions cannot change values' },
  { text: '*=', message: '`*=` (assignment) is not supported: expressions cannot change values' },
  { text: '/=', message: '`/=` (assignment) is not supported: expressions cannot change values' },
  { text: '%=', message: '`%=` (assignment) is not supported: expressions cannot change values' },
  { text: '&=', message: '`&=` (assignment) is not supported: expressions cannot change values' },
  { text: '|=', message: '`|=` (assignment) is not supported: expressions cannot change values' },
  { text: '^=', message: '`^=` (assignment) is not supported: expressions cannot change values' },
  { text: '&', message: '`&` (bitwise and) is not supported — did you mean `&&`?', as: '&&' },
  { text: '|', message: '`|` (bitwise or) is not supported — did you mean `||`?', as: '||' },
  { text: '^', message: '`^` is bitwise xor in C, not a power — write `pow(x, y)`' },
  { text: '~', message: '`~` (bitwise not) is not supported — did you mean `!`?', as: '!' },
  { text: '=', message: '`=` is assignment — did you mean `==`?', as: '==' },
  { text: '{', message: '`{` (braces) is not supported: write a single expression' },
  { text: '}', message: '`}` (braces) is not supported: write a single expression' },
  { text: ';', message: '`;` is not needed: an expression is a single value, not a statement — remove it' },
  { text: '\u2212', message: '`\u2212` is a typographic minus; write `-`', as: '-' },
  { text: '\u00d7', message: '`\u00d7` is not an operator; write `*`', as: '*' },
  { text: '\u2264', message: '`\u2264` is not an operator; write `<=`', as: '<=' },
  { text: '\u2265', message: '`\u2265` is not an operator; write `>=`', as: '>=' },
  { text: '\u2260', message: '`\u2260` is not an operator; write `!=`', as: '!=' },
  { text: '.', message: '`.` (member access) is not supported: columns hold one number or string per row' },
];

const WORD_OPERATORS: Record<string, string> = { and: '&&', or: '||', not: '!' };
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r' };

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

export function tokenize(src: string): { tokens: Token[]; diagnostics: Diagnostic[] } {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const report = (start: number, end: number, message: string) => diagnostics.push({ message, start, end });
  let i = 0;

  while (i < src.length) {
    const c = src[i];
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    // C block comments, so expressions pasted from C++ keep working. Not `//`:
    // from a Python user `x // 2` would silently become `x`.
    if (src.startsWith('/*', i)) {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) { report(i, src.length, 'this comment is never closed: add `*/`'); i = src.length; } else i = close + 2;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1]))) { i = lexNumber(src, i, tokens, report); continue; }
    if (c === '"' || c === "'") { i = lexString(src, i, tokens, report); continue; }
    if (c === '`') { i = lexQuotedName(src, i, tokens, report); continue; }
    if (isIdentStart(c)) {
      while (isIdentPart(src[i])) i++;
      while (src.startsWith('::', i) && isIdentStart(src[i + 2])) { i += 2; while (isIdentPart(src[i])) i++; }
      const name = src.slice(start, i);
      const op = WORD_OPERATORS[name];
      if (op !== undefined) {
        report(start, i, `\`${name}\` is not supported; write \`${op}\``);
        tokens.push({ kind: 'op', op, start, end: i });
      } else tokens.push({ kind: 'name', name, quoted: false, start, end: i });
      continue;
    }
    const bad = REJECTED.find((r) => src.startsWith(r.text, i));
    const good = OPERATORS.find((o) => src.startsWith(o, i));
    // Longest match wins, as in C: `<<` is a shift, `<=` a comparison.
    if (bad && (!good || bad.text.length > good.length)) {
      i += bad.text.length;
      report(start, i, bad.message);
      tokens.push(bad.as ? { kind: 'op', op: bad.as, start, end: i } : { kind: 'invalid', start, end: i });
      continue;
    }
    if (good) { i += good.length; tokens.push({ kind: 'op', op: good, start, end: i }); continue; }
    const ch = String.fromCodePoint(src.codePointAt(i)!);
    i += ch.length;
    const hint = /\p{L}/u.test(ch) ? `; write names with unusual characters in backticks, like \`${ch}\`` : '';
    report(start, i, `unexpected character \`${ch}\`${hint}`);
    tokens.push({ kind: 'invalid', start, end: i });
  }
  tokens.push({ kind: 'eof', start: src.length, end: src.length });
  return { tokens, diagnostics };
}

type Report = (start: number, end: number, message: string) => void;

function lexNumber(src: string, start: number, tokens: Token[], report: Report): number {
  let i = start;
  if (src[i] === '0' && (src[i + 1] === 'x' || src[i + 1] === 'X')) {
    i += 2;
    while (isIdentPart(src[i])) i++;
    report(start, i, `hexadecimal numbers like \`${src.slice(start, i)}\` are not supported; write the decimal value`);
    tokens.push({ kind: 'invalid', start, end: i });
    return i;
  }
  while (isDigit(src[i])) i++;
  const intEnd = i;
  let fractional = false;
  if (src[i] === '.') { fractional = true; i++; while (isDigit(src[i])) i++; }
  if ((src[i] === 'e' || src[i] === 'E') && (isDigit(src[i + 1]) || ((src[i + 1] === '+' || src[i + 1] === '-') && isDigit(src[i + 2])))) {
    fractional = true;
    i += 2;
    while (isDigit(src[i])) i++;
  }
  const text = src.slice(start, i);
  const value = Number(text);
  if (!fractional && intEnd - start > 1 && src[start] === '0') {
    report(start, i, /[89]/.test(text)
      ? `\`${text}\` is not a C number (a leading 0 means octal); write \`${String(value)}\``
      : `\`${text}\` would be read as octal (${String(parseInt(text, 8))}) in C++; write \`${String(value)}\` without the leading 0, or \`${String(parseInt(text, 8))}\` if you meant octal`);
  }
  // C float suffix: `1.f`, `2.5f`, `1e3f` (but `1f` is not C).
  if ((src[i] === 'f' || src[i] === 'F') && fractional && !isIdentPart(src[i + 1])) i++;
  if (isIdentPart(src[i])) {
    let j = i;
    while (isIdentPart(src[j])) j++;
    const suffix = src.slice(i, j);
    const message = /^[eE]$/.test(suffix) ? `the exponent of \`${src.slice(start, j)}\` has no digits, like \`1e-3\``
      : /^[fF]$/.test(suffix) ? `\`${src.slice(start, j)}\` is not a C number; write \`${text}.f\` or \`${text}\``
      : /^[uUlL]+$/.test(suffix) ? `integer suffixes like \`${suffix}\` are not supported; write \`${text}\``
      : `unexpected \`${suffix}\` right after the number \`${text}\` — is an operator missing?`;
    report(start, j, message);
    tokens.push({ kind: 'invalid', start, end: j });
    return j;
  }
  tokens.push({ kind: 'num', value, start, end: i });
  return i;
}

function lexString(src: string, start: number, tokens: Token[], report: Report): number {
  const quote = src[start];
  let i = start + 1;
  let value = '';
  let ok = true;
  while (i < src.length && src[i] !== quote) {
    if (src[i] !== '\\') { value += src[i++]; continue; }
    const e = src[i + 1];
    const hex = src.slice(i + 2, i + 4);
    if (e !== undefined && e in ESCAPES) { value += ESCAPES[e]; i += 2; }
    else if (e === 'x' && /^[0-9A-Fa-f]{2}$/.test(hex)) { value += String.fromCharCode(parseInt(hex, 16)); i += 4; }
    else {
      report(i, Math.min(i + 2, src.length), `unknown escape \`\\${e ?? ''}\` in a string; known: \\\\ \\" \\' \\n \\t \\r \\xHH`);
      ok = false;
      i += 2;
    }
  }
  if (i >= src.length) {
    report(start, src.length, `this string is never closed: add \`${quote}\``);
    tokens.push({ kind: 'invalid', start, end: src.length });
    return src.length;
  }
  i++;
  tokens.push(ok ? { kind: 'str', value, start, end: i } : { kind: 'invalid', start, end: i });
  return i;
}

function lexQuotedName(src: string, start: number, tokens: Token[], report: Report): number {
  let i = start + 1;
  let name = '';
  while (i < src.length && src[i] !== '`') {
    if (src[i] === '\\' && (src[i + 1] === '`' || src[i + 1] === '\\')) { name += src[i + 1]; i += 2; }
    else name += src[i++];
  }
  if (i >= src.length) {
    report(start, src.length, 'this backtick-quoted name is never closed: add `');
    tokens.push({ kind: 'invalid', start, end: src.length });
    return src.length;
  }
  i++;
  if (name === '') {
    report(start, i, 'empty name in backticks');
    tokens.push({ kind: 'invalid', start, end: i });
  } else tokens.push({ kind: 'name', name, quoted: true, start, end: i });
  return i;
}
