// A row-at-a-time evaluator over the syntax tree: the oracle the VM is tested
// against. Written from the language's definition, sharing no code with the
// checker, the IR or the folder, so a bug in one is not copied into the other.
//
// Semantics: f64 everywhere; `/` divides as floats; `%` is C fmod (JS %);
// comparisons with NaN are false except `!=`; `&& || ! ?:` test truth as
// C does (non-zero, NaN included, is true); booleans are 1 and 0; `==` on
// strings compares the strings; min/max return NaN if either argument is NaN;
// round halves away from zero; sign(±0) and sign(NaN) return their argument.

import type { Expr } from './ast';
import { printExpr } from './print';

export interface EvalOptions {
  /**
   * Dictionaries of string columns, by column name. When a column has one,
   * `lookup` may return its codes (numbers) and they are read as strings.
   */
  dictionaries?: Record<string, readonly string[]>;
}

type Value = number | string;

/**
 * The value of `ast` on one row: a number (booleans as 1 and 0). `lookup`
 * gives a column's or define's value (strings for string columns). Throws on
 * an ill-typed tree or an unknown name: run the checker first.
 */
export function evalExpr(ast: Expr, lookup: (name: string) => number | string, opts: EvalOptions = {}): number {
  const v = evaluate(ast, lookup, opts);
  if (typeof v === 'string') throw new TypeError(`reference: the expression gives the string ${JSON.stringify(v)}`);
  return v;
}

function evaluate(e: Expr, lookup: (name: string) => Value, opts: EvalOptions): Value {
  const ev = (x: Expr) => evaluate(x, lookup, opts);
  const num = (x: Expr): number => {
    const v = ev(x);
    if (typeof v !== 'number') throw new TypeError(`reference: a string where a number is needed at ${x.span.start}`);
    return v;
  };
  const truth = (x: Expr): boolean => num(x) !== 0; // NaN !== 0: true, as in C
  const bool = (c: boolean): number => (c ? 1 : 0);

  switch (e.kind) {
    case 'num': return e.value;
    case 'bool': return bool(e.value);
    case 'str': return e.value;
    case 'name': {
      if (e.name === 'M_PI') return Math.PI;
      const v = lookup(e.name);
      if (v === undefined) throw new ReferenceError(`reference: unknown name ${e.name}`);
      const dict = opts.dictionaries?.[e.name];
      return dict && typeof v === 'number' ? dict[v] : v;
    }
    case 'unary':
      if (e.op === '!') return bool(!truth(e.arg));
      return e.op === '-' ? -num(e.arg) : num(e.arg);
    case 'cond':
      return truth(e.test) ? num(e.then) : num(e.else);
    case 'binary': {
      switch (e.op) {
        case '&&': return bool(truth(e.left) && truth(e.right));
        case '||': return bool(truth(e.left) || truth(e.right));
        case '==':
        case '!=': {
          const a = ev(e.left);
          const b = ev(e.right);
          if (typeof a !== typeof b) throw new TypeError('reference: a string compared with a number');
          return bool((a === b) === (e.op === '=='));
        }
        default: break;
      }
      const a = num(e.left);
      const b = num(e.right);
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '%': return a % b;
        case '<': return bool(a < b);
        case '<=': return bool(a <= b);
        case '>': return bool(a > b);
        case '>=': return bool(a >= b);
      }
      throw new Error('unreachable');
    }
    case 'call': return call(e.fn, e.args.map(num));
    // An element of a list, or a column named with brackets: either way a value `lookup` knows by that text.
    case 'index': return lookup(printExpr(e));
  }
}

const TMATH: Record<string, string> = {
  Abs: 'abs', Sqrt: 'sqrt', Exp: 'exp', Log: 'log', Log10: 'log10', Power: 'pow', Sin: 'sin', Cos: 'cos',
  Tan: 'tan', ASin: 'asin', ACos: 'acos', ATan: 'atan', ATan2: 'atan2', Hypot: 'hypot', Min: 'min',
  Max: 'max', Floor: 'floor', Ceil: 'ceil', IsNaN: 'isnan', Pi: 'pi',
};

function call(name: string, a: number[]): number {
  let f = name.startsWith('std::') ? name.slice(5) : name;
  if (name.startsWith('TMath::')) f = TMATH[name.slice(7)] ?? name;
  const [x, y] = a;
  switch (f) {
    case 'pi': return Math.PI;
    case 'abs': case 'fabs': return Math.abs(x);
    case 'sqrt': return Math.sqrt(x);
    case 'exp': return Math.exp(x);
    case 'log': return Math.log(x);
    case 'log10': return Math.log10(x);
    case 'pow': return cPow(x, y);
    case 'sin': return Math.sin(x);
    case 'cos': return Math.cos(x);
    case 'tan': return Math.tan(x);
    case 'asin': return Math.asin(x);
    case 'acos': return Math.acos(x);
    case 'atan': return Math.atan(x);
    case 'atan2': return Math.atan2(x, y);
    case 'hypot': return Math.hypot(x, y);
    case 'min': case 'fmin': return Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y);
    case 'max': case 'fmax': return Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y);
    case 'fmod': return x % y;
    case 'floor': return Math.floor(x);
    case 'ceil': return Math.ceil(x);
    case 'trunc': return Math.trunc(x);
    case 'round': {
      // Half away from zero, without x + 0.5 (which rounds 0.49999999999999994 up).
      const m = Math.abs(x);
      let r = Math.floor(m);
      if (m - r >= 0.5) r += 1;
      return x < 0 || Object.is(x, -0) ? -r : r;
    }
    case 'sign': return Number.isNaN(x) || x === 0 ? x : x > 0 ? 1 : -1;
    case 'isnan': return x !== x ? 1 : 0;
    case 'isinf': return Math.abs(x) === Infinity ? 1 : 0;
    default: throw new ReferenceError(`reference: unknown function ${name}`);
  }
}

/** C pow: pow(1, y) and pow(-1, ±inf) are 1 where JS gives NaN. */
function cPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && Math.abs(y) === Infinity) return 1;
  return Math.pow(x, y);
}
