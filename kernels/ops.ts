// Element-wise vector ops of the VM over f64 lanes, 8 rows per iteration
// (4 x f64x2: with only two lanes per vector, loop overhead dominates otherwise).
// Registers hold VEC_LEN lanes (a multiple of 16) and the engine pads every
// column allocation by >= 64 bytes, so these loops run over roundUp(n, 8) lanes
// with no scalar tail; the extra lanes hold garbage that no sink reads.
// Each exported function is one family: an if-chain calls an @inline loop
// template with a constant op, which the optimizer specialises into one loop per
// op. (A `switch` there gets its identical case tails folded back into a single
// loop that switches per element, before the constant is propagated.)
import { Op } from "./opcodes";

// @ts-ignore: decorator
@inline function end8(p: usize, n: i32, shift: i32): usize {
  return p + (<usize>((n + 7) & ~7) << shift);
}

// @ts-ignore: decorator
@inline function bool(mask: v128): v128 {
  return v128.and(mask, f64x2.splat(1.0));
}

// @ts-ignore: decorator
@inline function truthy(a: v128): v128 {
  return f64x2.ne(a, f64x2.splat(0));
}

// @ts-ignore: decorator
@inline function f2(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case Op.ADD: return f64x2.add(a, b);
    case Op.SUB: return f64x2.sub(a, b);
    case Op.MUL: return f64x2.mul(a, b);
    case Op.DIV: return f64x2.div(a, b);
    case Op.MIN: return f64x2.min(a, b);
    case Op.MAX: return f64x2.max(a, b);
    case Op.LT: return bool(f64x2.lt(a, b));
    case Op.LE: return bool(f64x2.le(a, b));
    case Op.GT: return bool(f64x2.gt(a, b));
    case Op.GE: return bool(f64x2.ge(a, b));
    case Op.EQ: return bool(f64x2.eq(a, b));
    case Op.NE: return bool(f64x2.ne(a, b));
    case Op.AND: return bool(v128.and(truthy(a), truthy(b)));
    case Op.OR: return bool(v128.or(truthy(a), truthy(b)));
  }
  return a;
}

// @ts-ignore: decorator
@inline function loop2(op: i32, d: usize, a: usize, b: usize, n: i32): void {
  for (const e = end8(d, n, 3); d < e; d += 64, a += 64, b += 64) {
    v128.store(d, f2(op, v128.load(a), v128.load(b)));
    v128.store(d, f2(op, v128.load(a, 16), v128.load(b, 16)), 16);
    v128.store(d, f2(op, v128.load(a, 32), v128.load(b, 32)), 32);
    v128.store(d, f2(op, v128.load(a, 48), v128.load(b, 48)), 48);
  }
}

/** dst = a op b for the SIMD binary ops: arithmetic, MIN/MAX, comparisons, AND/OR (C truth). */
export function binary(op: i32, d: usize, a: usize, b: usize, n: i32): void {
  if (op == Op.ADD) loop2(Op.ADD, d, a, b, n);
  else if (op == Op.SUB) loop2(Op.SUB, d, a, b, n);
  else if (op == Op.MUL) loop2(Op.MUL, d, a, b, n);
  else if (op == Op.DIV) loop2(Op.DIV, d, a, b, n);
  else if (op == Op.MIN) loop2(Op.MIN, d, a, b, n);
  else if (op == Op.MAX) loop2(Op.MAX, d, a, b, n);
  else if (op == Op.LT) loop2(Op.LT, d, a, b, n);
  else if (op == Op.LE) loop2(Op.LE, d, a, b, n);
  else if (op == Op.GT) loop2(Op.GT, d, a, b, n);
  else if (op == Op.GE) loop2(Op.GE, d, a, b, n);
  else if (op == Op.EQ) loop2(Op.EQ, d, a, b, n);
  else if (op == Op.NE) loop2(Op.NE, d, a, b, n);
  else if (op == Op.AND) loop2(Op.AND, d, a, b, n);
  else if (op == Op.OR) loop2(Op.OR, d, a, b, n);
  else unreachable();
}

// @ts-ignore: decorator
@inline function f1(op: i32, a: v128): v128 {
  switch (op) {
    case Op.NEG: return f64x2.neg(a);
    case Op.ABS: return f64x2.abs(a);
    case Op.SQRT: return f64x2.sqrt(a);
    case Op.FLOOR: return f64x2.floor(a);
    case Op.CEIL: return f64x2.ceil(a);
    case Op.TRUNC: return f64x2.trunc(a);
    case Op.ROUND: {
      // C round: t = trunc(a), then one step away from zero when |a - t| >= 0.5.
      // Exact for |a| < 2^52 (a - t is exact); larger a are integers (a - t = 0).
      const t = f64x2.trunc(a);
      const away = f64x2.ge(f64x2.abs(f64x2.sub(a, t)), f64x2.splat(0.5));
      const step = v128.or(v128.and(a, i64x2.splat(0x8000000000000000)), f64x2.splat(1.0));
      return v128.bitselect(f64x2.add(t, step), t, away);
    }
    case Op.SIGN: {
      const r = v128.bitselect(f64x2.splat(1.0), a, f64x2.gt(a, f64x2.splat(0)));
      return v128.bitselect(f64x2.splat(-1.0), r, f64x2.lt(a, f64x2.splat(0)));
    }
    case Op.ISNAN: return bool(f64x2.ne(a, a));
    case Op.ISINF: return bool(f64x2.eq(f64x2.abs(a), f64x2.splat(Infinity)));
    case Op.NOT: return bool(f64x2.eq(a, f64x2.splat(0)));
    case Op.TRUTH: return bool(truthy(a));
  }
  return a;
}

// @ts-ignore: decorator
@inline function loop1(op: i32, d: usize, a: usize, n: i32): void {
  for (const e = end8(d, n, 3); d < e; d += 64, a += 64) {
    v128.store(d, f1(op, v128.load(a)));
    v128.store(d, f1(op, v128.load(a, 16)), 16);
    v128.store(d, f1(op, v128.load(a, 32)), 32);
    v128.store(d, f1(op, v128.load(a, 48)), 48);
  }
}

/** dst = op(a) for the SIMD unary ops. NOT is C `!` (1 - a on 0/1), TRUTH is a != 0. */
export function unary(op: i32, d: usize, a: usize, n: i32): void {
  if (op == Op.NEG) loop1(Op.NEG, d, a, n);
  else if (op == Op.ABS) loop1(Op.ABS, d, a, n);
  else if (op == Op.SQRT) loop1(Op.SQRT, d, a, n);
  else if (op == Op.FLOOR) loop1(Op.FLOOR, d, a, n);
  else if (op == Op.CEIL) loop1(Op.CEIL, d, a, n);
  else if (op == Op.TRUNC) loop1(Op.TRUNC, d, a, n);
  else if (op == Op.ROUND) loop1(Op.ROUND, d, a, n);
  else if (op == Op.SIGN) loop1(Op.SIGN, d, a, n);
  else if (op == Op.ISNAN) loop1(Op.ISNAN, d, a, n);
  else if (op == Op.ISINF) loop1(Op.ISINF, d, a, n);
  else if (op == Op.NOT) loop1(Op.NOT, d, a, n);
  else if (op == Op.TRUTH) loop1(Op.TRUTH, d, a, n);
  else unreachable();
}

/** dst = c ? a : b, with C truth for c (NaN is true). */
export function select(d: usize, c: usize, a: usize, b: usize, n: i32): void {
  for (const e = end8(d, n, 3); d < e; d += 64, c += 64, a += 64, b += 64) {
    v128.store(d, v128.bitselect(v128.load(a), v128.load(b), truthy(v128.load(c))));
    v128.store(d, v128.bitselect(v128.load(a, 16), v128.load(b, 16), truthy(v128.load(c, 16))), 16);
    v128.store(d, v128.bitselect(v128.load(a, 32), v128.load(b, 32), truthy(v128.load(c, 32))), 32);
    v128.store(d, v128.bitselect(v128.load(a, 48), v128.load(b, 48), truthy(v128.load(c, 48))), 48);
  }
}

/** dst[i] = v on all `lanes` lanes (rounded up to 8). */
export function splat(d: usize, v: f64, lanes: i32): void {
  const x = f64x2.splat(v);
  for (const e = end8(d, lanes, 3); d < e; d += 64) {
    v128.store(d, x);
    v128.store(d, x, 16);
    v128.store(d, x, 32);
    v128.store(d, x, 48);
  }
}

// Two elements at byte offset k of a column, widened to f64x2.
// @ts-ignore: decorator
@inline function widen(op: i32, a: usize, k: usize): v128 {
  switch (op) {
    case Op.LOAD_F32: return f64x2.promote_low_f32x4(v128.load64_zero(a + (k << 2)));
    case Op.LOAD_I32: return f64x2.convert_low_i32x4_s(v128.load64_zero(a + (k << 2)));
    case Op.LOAD_U32: return f64x2.convert_low_i32x4_u(v128.load64_zero(a + (k << 2)));
    case Op.LOAD_U16: return f64x2.convert_low_i32x4_s(i32x4.extend_low_i16x8_u(v128.load32_zero(a + (k << 1))));
    case Op.LOAD_U8:
      return f64x2.convert_low_i32x4_s(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load16_splat(a + k))));
  }
  return v128.splat<i32>(0);
}

// @ts-ignore: decorator
@inline function loopw(op: i32, d: usize, a: usize, n: i32, shift: i32): void {
  for (const e = end8(d, n, 3); d < e; d += 64, a += 8 << shift) {
    v128.store(d, widen(op, a, 0));
    v128.store(d, widen(op, a, 2), 16);
    v128.store(d, widen(op, a, 4), 32);
    v128.store(d, widen(op, a, 6), 48);
  }
}

/** dst = f64(col) for a column of f32, i32, u32, u8 or u16. */
export function widen_col(op: i32, d: usize, a: usize, n: i32): void {
  if (op == Op.LOAD_F32) loopw(Op.LOAD_F32, d, a, n, 2);
  else if (op == Op.LOAD_I32) loopw(Op.LOAD_I32, d, a, n, 2);
  else if (op == Op.LOAD_U32) loopw(Op.LOAD_U32, d, a, n, 2);
  else if (op == Op.LOAD_U16) loopw(Op.LOAD_U16, d, a, n, 1);
  else if (op == Op.LOAD_U8) loopw(Op.LOAD_U8, d, a, n, 0);
  else unreachable();
}

// All-ones i64 lanes where two codes at element k equal `code` (splatted to the element width).
// @ts-ignore: decorator
@inline function codeEq(op: i32, a: usize, k: usize, code: v128): v128 {
  switch (op) {
    case Op.EQ_CODE32: return i64x2.extend_low_i32x4_s(i32x4.eq(v128.load64_zero(a + (k << 2)), code));
    case Op.EQ_CODE16:
      return i64x2.extend_low_i32x4_s(i32x4.extend_low_i16x8_s(i16x8.eq(v128.load32_zero(a + (k << 1)), code)));
    case Op.EQ_CODE8:
      return i64x2.extend_low_i32x4_s(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(
        i8x16.eq(v128.load16_splat(a + k), code))));
  }
  return code;
}

// @ts-ignore: decorator
@inline function loopc(op: i32, d: usize, a: usize, n: i32, shift: i32, code: v128): void {
  for (const e = end8(d, n, 3); d < e; d += 64, a += 8 << shift) {
    v128.store(d, bool(codeEq(op, a, 0, code)));
    v128.store(d, bool(codeEq(op, a, 2, code)), 16);
    v128.store(d, bool(codeEq(op, a, 4, code)), 32);
    v128.store(d, bool(codeEq(op, a, 6, code)), 48);
  }
}

/** dst = (col == code) for a column of u8, u16 or u32 dictionary codes. */
export function eq_code(op: i32, d: usize, a: usize, code: i32, n: i32): void {
  const width = op == Op.EQ_CODE8 ? 8 : op == Op.EQ_CODE16 ? 16 : 32;
  if (width < 32 && <u32>code >> width) {
    splat(d, 0, n); // no code of this width can match
    return;
  }
  if (op == Op.EQ_CODE8) loopc(Op.EQ_CODE8, d, a, n, 0, i8x16.splat(<i8>code));
  else if (op == Op.EQ_CODE16) loopc(Op.EQ_CODE16, d, a, n, 1, i16x8.splat(<i16>code));
  else if (op == Op.EQ_CODE32) loopc(Op.EQ_CODE32, d, a, n, 2, i32x4.splat(code));
  else unreachable();
}
