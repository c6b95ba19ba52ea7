// Pratt parser with C precedence. Lexer errors are all reported; the parser
// stops at its own first error (recovery heuristics cost more than they help).

import type { BinaryOp, Expr, Span } from './ast';
import type { Diagnostic } from './diagnostic';
import { tokenize, type Token } from './lexer';

/** Deeper trees are rejected: every later stage recurses over the tree. */
export const MAX_EXPR_DEPTH = 400;

export interface ParseResult {
  /**
   * The tree, when its structure could be recovered. Only valid when
   * `diagnostics` is empty: a recovered tree may stand in `&&` for a mistyped `&`.
   */
  ast?: Expr;
  diagnostics: Diagnostic[];
}

// C precedence, higher binds tighter; the ternary (3) sits below all of these.
const BINARY_PRECEDENCE: Record<BinaryOp, number> = {
  '||': 4, '&&': 5, '==': 9, '!=': 9, '<': 10, '<=': 10, '>': 10, '>=': 10,
  '+': 12, '-': 12, '*': 13, '/': 13, '%': 13,
};
const TERNARY_PRECEDENCE = 3;
const RELATIONAL = new Set<string>(['<', '<=', '>', '>=']);

class Stop extends Error {}

export function parseExpr(source: string): ParseResult {
  const { tokens, diagnostics } = tokenize(source);
  const p = new Parser(source, tokens, diagnostics);
  let ast: Expr | undefined;
  try {
    if (tokens[0].kind === 'eof') p.fail(tokens[0], 'the expression is empty');
    ast = p.expression(0);
    const t = p.peek();
    if (t.kind !== 'eof') p.unexpected(t, p.danglingHint(t));
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    ast = undefined;
  }
  return { ast, diagnostics };
}

const describe = (t: Token, src: string): string =>
  t.kind === 'eof' ? 'the end of the expression'
  : t.kind === 'name' ? `name \`${t.name}\``
  : t.kind === 'num' ? `number \`${src.slice(t.start, t.end)}\``
  : t.kind === 'str' ? 'a string'
  : `\`${src.slice(t.start, t.end)}\``;

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly parenthesized = new WeakSet<Expr>();
  private readonly height = new WeakMap<Expr, number>();
  /** The extent of a parenthesized node with its parentheses: a parent's span covers them. */
  private readonly outer = new WeakMap<Expr, Span>();

  constructor(private readonly src: string, private readonly tokens: Token[], private readonly diagnostics: Diagnostic[]) {}

  peek(): Token { return this.tokens[this.pos]; }
  private next(): Token { return this.tokens[this.pos++]; }
  private isOp(t: Token, op: string): boolean { return t.kind === 'op' && t.op === op; }

  fail(at: Span, message: string): never {
    this.diagnostics.push({ message, start: at.start, end: at.end });
    throw new Stop();
  }

  unexpected(t: Token, hint = ''): never {
    if (t.kind === 'invalid') throw new Stop(); // the lexer has said why
    if (t.kind === 'eof') this.fail(t, `the expression ends too early${hint}`);
    this.fail(t, `unexpected ${describe(t, this.src)}${hint}`);
  }

  danglingHint(t: Token): string {
    if (this.isOp(t, ')')) return ': there is no `(` to close';
    if (this.isOp(t, '(')) return ': only functions can be called, like `sqrt(x)` — is an operator missing?';
    if (t.kind === 'name' || t.kind === 'num' || t.kind === 'str') return ': expected an operator such as `+`, `<` or `&&` before it';
    if (this.isOp(t, ':')) return ': a `:` needs a `?` before it, as in `c ? a : b`';
    if (this.isOp(t, ']')) return ': there is no `[` to close';
    return '';
  }

  /** Tree height, tracked as nodes are built so a deep tree is refused before anything recurses over it. */
  private from(e: Expr): number { return (this.outer.get(e) ?? e.span).start; }
  private to(e: Expr): number { return (this.outer.get(e) ?? e.span).end; }

  private node<E extends Expr>(e: E, ...children: Expr[]): E {
    let h = 0;
    for (const c of children) h = Math.max(h, this.height.get(c) ?? 1);
    if (h + 1 > MAX_EXPR_DEPTH) this.fail(e.span, `the expression is nested too deeply (over ${MAX_EXPR_DEPTH} levels); split it into defines`);
    this.height.set(e, h + 1);
    return e;
  }

  expression(minPrecedence: number): Expr {
    if (++this.depth > MAX_EXPR_DEPTH) this.fail(this.peek(), `the expression is nested too deeply (over ${MAX_EXPR_DEPTH} levels); split it into defines`);
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') break;
      if (t.op === '?' && minPrecedence <= TERNARY_PRECEDENCE) {
        this.next();
        const then = this.expression(0);
        const colon = this.peek();
        if (!this.isOp(colon, ':')) this.unexpected(colon, `: expected \`:\` to go with the \`?\` at column ${t.start + 1}`);
        this.next();
        const otherwise = this.expression(TERNARY_PRECEDENCE); // right-associative
        left = this.node({ kind: 'cond', test: left, then, else: otherwise, span: { start: this.from(left), end: this.to(otherwise) } }, left, then, otherwise);
        continue;
      }
      const prec = BINARY_PRECEDENCE[t.op as BinaryOp] as number | undefined;
      if (prec === undefined || prec < minPrecedence) break;
      this.next();
      const right = this.expression(prec + 1); // left-associative
      const op = t.op as BinaryOp;
      if (RELATIONAL.has(op) && left.kind === 'binary' && RELATIONAL.has(left.op) && !this.parenthesized.has(left)) {
        // C reads `0 < x < 1` as `(0 < x) < 1`, which is always true. Python users mean a range.
        const text = (e: Expr) => this.src.slice(e.span.start, e.span.end);
        this.diagnostics.push({
          message: `\`${text(left)} ${op} ${text(right)}\` does not test a range: C compares \`(${text(left)})\`, which is 0 or 1, with ${text(right)}; write \`${text(left)} && ${text(left.right)} ${op} ${text(right)}\``,
          start: t.start, end: t.end,
        });
      }
      left = this.node({ kind: 'binary', op, left, right, span: { start: this.from(left), end: this.to(right) } }, left, right);
    }
    this.depth--;
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.op === '-' || t.op === '+' || t.op === '!')) {
      this.next();
      if (++this.depth > MAX_EXPR_DEPTH) this.fail(t, `the expression is nested too deeply (over ${MAX_EXPR_DEPTH} levels); split it into defines`);
      const arg = this.unary();
      this.depth--;
      return this.node({ kind: 'unary', op: t.op, arg, span: { start: t.start, end: this.to(arg) } }, arg);
    }
    const e = this.primary();
    return this.isOp(this.peek(), '[') ? this.index(e) : e;
  }

  /** `name[i]`. Only a name can be indexed: an element is one value, and so is everything else. */
  private index(target: Expr): Expr {
    const open = this.peek();
    if (target.kind === 'index') this.fail(open, `\`${this.src.slice(target.span.start, target.span.end)}\` is one value and can't be indexed again`);
    if (target.kind !== 'name') this.fail(open, 'only a list column can be indexed, like `Jet_pt[0]`');
    this.next();
    const index = this.expression(0);
    const close = this.peek();
    if (!this.isOp(close, ']')) this.unexpected(close, `: expected \`]\` to close the \`[\` at column ${open.start + 1}`);
    this.next();
    const e = this.node({ kind: 'index', name: target.name, nameSpan: target.span, index, span: { start: this.from(target), end: close.end } }, index);
    return this.isOp(this.peek(), '[') ? this.index(e) : e;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'num': return this.node({ kind: 'num', value: t.value, span: { start: t.start, end: t.end } });
      case 'str': return this.node({ kind: 'str', value: t.value, span: { start: t.start, end: t.end } });
      case 'name': {
        const span = { start: t.start, end: t.end };
        if (!t.quoted && (t.name === 'true' || t.name === 'false')) return this.node({ kind: 'bool', value: t.name === 'true', span });
        if (!t.quoted && this.isOp(this.peek(), '(')) return this.call(t.name, span);
        return this.node({ kind: 'name', name: t.name, span });
      }
      case 'op':
        if (t.op === '(') {
          const inner = this.expression(0);
          const close = this.peek();
          if (!this.isOp(close, ')')) this.unexpected(close, `: expected \`)\` to close the \`(\` at column ${t.start + 1}`);
          this.next();
          this.parenthesized.add(inner);
          this.outer.set(inner, { start: t.start, end: close.end });
          return inner;
        }
        if (t.op === ')') this.unexpected(t, ': expected a value before it');
        return this.unexpected(t, ': expected a value, like a number, a column name or `(`');
      case 'eof': {
        const prev = this.tokens[this.pos - 2] as Token | undefined;
        const after = prev ? ` after ${describe(prev, this.src)}` : '';
        return this.fail(t, `the expression ends too early: expected a value${after}`);
      }
      default: return this.unexpected(t);
    }
  }

  private call(fn: string, fnSpan: Span): Expr {
    const open = this.next();
    const args: Expr[] = [];
    if (!this.isOp(this.peek(), ')')) {
      for (;;) {
        args.push(this.expression(0));
        const t = this.peek();
        if (this.isOp(t, ',')) { this.next(); continue; }
        if (this.isOp(t, ')')) break;
        this.unexpected(t, `: expected \`,\` or \`)\` to close the \`(\` of ${fn} at column ${open.start + 1}`);
      }
    }
    const close = this.next();
    return this.node({ kind: 'call', fn, args, fnSpan, span: { start: fnSpan.start, end: close.end } }, ...args);
  }
}
