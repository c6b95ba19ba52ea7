// Source text from a tree, with only the parentheses C precedence needs.
// parseExpr(printExpr(e)) gives back e (up to spans).

import type { BinaryOp, Expr } from './ast';
import { quoteName } from './names';

const PRECEDENCE: Record<BinaryOp, number> = {
  '||': 4, '&&': 5, '==': 9, '!=': 9, '<': 10, '<=': 10, '>': 10, '>=': 10,
  '+': 12, '-': 12, '*': 13, '/': 13, '%': 13,
};
const COND = 3;
const UNARY = 14;
const ATOM = 16;
const RELATIONAL = new Set<string>(['<', '<=', '>', '>=']);

function precedence(e: Expr): number {
  switch (e.kind) {
    case 'cond': return COND;
    case 'binary': return PRECEDENCE[e.op];
    case 'unary': return UNARY;
    default: return ATOM;
  }
}

/** A string literal the lexer reads back as `s`. */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** A number literal that reads back as exactly `v` (v ≥ 0 or -0 never occurs in parsed trees). */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '(0.0 / 0.0)';
  if (v === Infinity) return '1e999';
  if (v === -Infinity) return '-1e999';
  return Object.is(v, -0) ? '-0.0' : String(v);
}

export function printExpr(e: Expr): string {
  const wrap = (x: Expr, paren: boolean) => (paren ? `(${printExpr(x)})` : printExpr(x));
  switch (e.kind) {
    case 'num': return formatNumber(e.value);
    case 'bool': return e.value ? 'true' : 'false';
    case 'str': return quoteString(e.value);
    case 'name': return quoteName(e.name);
    case 'unary': {
      const arg = wrap(e.arg, precedence(e.arg) < UNARY);
      // `- -x`, not `--x` (a decrement to the lexer).
      return e.op !== '!' && arg.startsWith(e.op) ? `${e.op} ${arg}` : `${e.op}${arg}`;
    }
    case 'binary': {
      const p = PRECEDENCE[e.op];
      // `(a < b) < c` keeps its parentheses: the parser refuses the chained form.
      const chained = RELATIONAL.has(e.op) && e.left.kind === 'binary' && RELATIONAL.has(e.left.op);
      return `${wrap(e.left, precedence(e.left) < p || chained)} ${e.op} ${wrap(e.right, precedence(e.right) <= p)}`;
    }
    case 'cond':
      return `${wrap(e.test, precedence(e.test) <= COND)} ? ${printExpr(e.then)} : ${printExpr(e.else)}`;
    case 'call': return `${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'index': return `${quoteName(e.name)}[${printExpr(e.index)}]`;
  }
}
