// Element-wise transcendental ops of the VM: scalar loops over AssemblyScript's
// NativeMath (musl ports; may differ from V8's Math by an ulp). Their lookup
// tables are read-only static data and the few globals they touch are
// per-instance wasm globals, so they are safe over the shared memory.
import { Op } from "./opcodes";

// @ts-ignore: decorator
@inline function m1(op: i32, a: f64): f64 {
  switch (op) {
    case Op.EXP: return Math.exp(a);
    case Op.LOG: return Math.log(a);
    case Op.LOG10: return Math.log10(a);
    case Op.SIN: return Math.sin(a);
    case Op.COS: return Math.cos(a);
    case Op.TAN: return Math.tan(a);
    case Op.ASIN: return Math.asin(a);
    case Op.ACOS: return Math.acos(a);
    case Op.ATAN: return Math.atan(a);
  }
  return a;
}

// @ts-ignore: decorator
@inline function loop1(op: i32, d: usize, a: usize, n: i32): void {
  for (const e = d + (<usize>n << 3); d < e; d += 8, a += 8) store<f64>(d, m1(op, load<f64>(a)));
}

/** dst = f(a) for the transcendental unary ops, on n lanes. */
export function math1(op: i32, d: usize, a: usize, n: i32): void {
  if (op == Op.EXP) loop1(Op.EXP, d, a, n);
  else if (op == Op.LOG) loop1(Op.LOG, d, a, n);
  else if (op == Op.LOG10) loop1(Op.LOG10, d, a, n);
  else if (op == Op.SIN) loop1(Op.SIN, d, a, n);
  else if (op == Op.COS) loop1(Op.COS, d, a, n);
  else if (op == Op.TAN) loop1(Op.TAN, d, a, n);
  else if (op == Op.ASIN) loop1(Op.ASIN, d, a, n);
  else if (op == Op.ACOS) loop1(Op.ACOS, d, a, n);
  else if (op == Op.ATAN) loop1(Op.ATAN, d, a, n);
  else unreachable();
}

// C pow, where NativeMath.pow follows JS: pow(1, y) and pow(x, ±0) are 1 even for NaN,
// pow(-1, ±inf) is 1.
// @ts-ignore: decorator
@inline function pow(a: f64, b: f64): f64 {
  if (a == 1 || b == 0 || (a == -1 && abs(b) == Infinity)) return 1;
  return Math.pow(a, b);
}

// @ts-ignore: decorator
@inline function m2(op: i32, a: f64, b: f64): f64 {
  switch (op) {
    case Op.MOD: return a % b; // NativeMath.mod: musl fmod, exact like JS %
    case Op.POW: return pow(a, b);
    case Op.ATAN2: return Math.atan2(a, b);
    case Op.HYPOT: return Math.hypot(a, b);
  }
  return a;
}

// @ts-ignore: decorator
@inline function loop2(op: i32, d: usize, a: usize, b: usize, n: i32): void {
  for (const e = d + (<usize>n << 3); d < e; d += 8, a += 8, b += 8) {
    store<f64>(d, m2(op, load<f64>(a), load<f64>(b)));
  }
}

/** dst = f(a, b) for MOD, POW, ATAN2, HYPOT, on n lanes. */
export function math2(op: i32, d: usize, a: usize, b: usize, n: i32): void {
  if (op == Op.MOD) loop2(Op.MOD, d, a, b, n);
  else if (op == Op.POW) loop2(Op.POW, d, a, b, n);
  else if (op == Op.ATAN2) loop2(Op.ATAN2, d, a, b, n);
  else if (op == Op.HYPOT) loop2(Op.HYPOT, d, a, b, n);
  else unreachable();
}
