// The expression syntax tree. Every node carries the [start, end) character
// offsets of the source text it came from, so any later stage can point at it.

export interface Span {
  start: number;
  end: number;
}

export type UnaryOp = '-' | '+' | '!';
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%'
  | '<' | '<=' | '>' | '>='
  | '==' | '!='
  | '&&' | '||';

export type Expr =
  | { kind: 'num'; value: number; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'str'; value: string; span: Span }
  | { kind: 'name'; name: string; span: Span }
  | { kind: 'unary'; op: UnaryOp; arg: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr; span: Span }
  | { kind: 'call'; fn: string; args: Expr[]; fnSpan: Span; span: Span }
  /**
   * `name[index]`: an element of a list column, or a column whose name has
   * brackets (`x[0]` from a ROOT fixed-size array); the checker decides which.
   */
  | { kind: 'index'; name: string; nameSpan: Span; index: Expr; span: Span };

/** Every `name` node under `e` (not function names, nor the name before `[`), in source order. */
export function exprNames(e: Expr): Extract<Expr, { kind: 'name' }>[] {
  const out: Extract<Expr, { kind: 'name' }>[] = [];
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.kind) {
      case 'name': out.push(n); break;
      case 'unary': stack.push(n.arg); break;
      case 'binary': stack.push(n.right, n.left); break;
      case 'cond': stack.push(n.else, n.then, n.test); break;
      case 'call': for (let i = n.args.length - 1; i >= 0; i--) stack.push(n.args[i]); break;
      case 'index': stack.push(n.index); break;
      default: break;
    }
  }
  return out;
}

/** The tree as plain data without positions: equal for texts that differ only in layout and parentheses. */
export function withoutSpans(e: Expr): unknown {
  switch (e.kind) {
    case 'unary': return { kind: e.kind, op: e.op, arg: withoutSpans(e.arg) };
    case 'binary': return { kind: e.kind, op: e.op, left: withoutSpans(e.left), right: withoutSpans(e.right) };
    case 'cond': return { kind: e.kind, test: withoutSpans(e.test), then: withoutSpans(e.then), else: withoutSpans(e.else) };
    case 'call': return { kind: e.kind, fn: e.fn, args: e.args.map(withoutSpans) };
    case 'index': return { kind: e.kind, name: e.name, index: withoutSpans(e.index) };
    case 'num': return { kind: e.kind, value: Object.is(e.value, -0) ? '-0' : e.value };
    case 'bool': return { kind: e.kind, value: e.value };
    case 'str': return { kind: e.kind, value: e.value };
    case 'name': return { kind: e.kind, name: e.name };
  }
}
