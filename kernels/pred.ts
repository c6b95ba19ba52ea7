// Cuts as bit masks (PRED, COMPACT_BITS in opcodes.ts): a filter made of
// comparisons against constants, and-ed, never materialises f64 masks. An f64
// mask costs a store and a load of 8 bytes a row per compare, AND and COMPACT;
// a bit costs 1/8 of a byte, and COMPACT reads 4 lanes' keep bits with one shift.
// Bit i of a mask is bit (i & 7) of byte i >> 3. Sources are read up to
// roundUp(n, 16) lanes (registers hold VEC_LEN lanes, a multiple of 16, and
// column allocations are padded by >= 64 bytes); bits from n on are cleared.
import { Op, PRED_NOT } from "./opcodes";

// @ts-ignore: decorator
@inline function cmp(op: i32, a: v128, k: v128): v128 {
  switch (op) {
    case Op.LT: return f64x2.lt(a, k);
    case Op.LE: return f64x2.le(a, k);
    case Op.GT: return f64x2.gt(a, k);
    case Op.GE: return f64x2.ge(a, k);
    case Op.EQ: return f64x2.eq(a, k);
    case Op.NE: return f64x2.ne(a, k);
  }
  return a;
}

// Keep bits of 8 f64 lanes at p (bit l for lane l).
// @ts-ignore: decorator
@inline function bits8(op: i32, p: usize, k: v128): i32 {
  return <i32>(v128.bitmask<i64>(cmp(op, v128.load(p), k))
    | (v128.bitmask<i64>(cmp(op, v128.load(p, 16), k)) << 2)
    | (v128.bitmask<i64>(cmp(op, v128.load(p, 32), k)) << 4)
    | (v128.bitmask<i64>(cmp(op, v128.load(p, 48), k)) << 6));
}

// One byte of bits per 8 lanes; `k` splatted at c (TurboFan re-materialises a splat in the loop).
// @ts-ignore: decorator
@inline function loopF64(op: i32, d: usize, a: usize, c: usize, and: usize, n: i32): i32 {
  let cnt = 0;
  const nb = (n + 7) >> 3;
  for (let b = 0; b < nb; b++) {
    let m = bits8(op, a + (<usize>b << 6), v128.load(c));
    if (and) m &= <i32>load<u8>(and + <usize>b);
    if (b == nb - 1) m &= (1 << (n - (b << 3))) - 1;
    store<u8>(d + <usize>b, m);
    cnt += popcnt(m);
  }
  return cnt;
}

// Codes: 16 lanes a step (u8), 8 (u16: one i16x8; u32: two i32x4); `not` flips the compare.
// @ts-ignore: decorator
@inline function loopCode(op: i32, d: usize, a: usize, code: i32, not: bool, and: usize, n: i32): i32 {
  let cnt = 0;
  const flip = not ? 0xffff : 0;
  if (op == Op.EQ_CODE8) {
    const k = i8x16.splat(<i8>code), ns = (n + 15) >> 4;
    for (let s = 0; s < ns; s++) {
      let m = i8x16.bitmask(i8x16.eq(v128.load(a + (<usize>s << 4)), k)) ^ flip;
      if (and) m &= <i32>load<u16>(and + (<usize>s << 1));
      if (s == ns - 1) m &= (1 << (n - (s << 4))) - 1;
      store<u16>(d + (<usize>s << 1), m);
      cnt += popcnt(m);
    }
    return cnt;
  }
  const nb = (n + 7) >> 3;
  for (let b = 0; b < nb; b++) {
    let m: i32;
    if (op == Op.EQ_CODE16) {
      m = i16x8.bitmask(i16x8.eq(v128.load(a + (<usize>b << 4)), i16x8.splat(<i16>code)));
    } else {
      const p = a + (<usize>b << 5), k = i32x4.splat(code);
      m = i32x4.bitmask(i32x4.eq(v128.load(p), k)) | (i32x4.bitmask(i32x4.eq(v128.load(p, 16), k)) << 4);
    }
    m = (m ^ flip) & 0xff;
    if (and) m &= <i32>load<u8>(and + <usize>b);
    if (b == nb - 1) m &= (1 << (n - (b << 3))) - 1;
    store<u8>(d + <usize>b, m);
    cnt += popcnt(m);
  }
  return cnt;
}

/**
 * PRED: bits at d for the n lanes of a compared with k (an f64 compare op), or,
 * for EQ_CODE8/16/32 (+ PRED_NOT), codes at a compared with the code k; and-ed
 * with the bits at `and` unless it is 0. Returns how many bits are set. c: 16
 * bytes of scratch.
 */
export function pred_bits(op: i32, d: usize, a: usize, k: f64, and: usize, n: i32, c: usize): i32 {
  if (n <= 0) return 0;
  const not = (op & PRED_NOT) != 0;
  const base = op & ~PRED_NOT;
  if (base == Op.EQ_CODE8 || base == Op.EQ_CODE16 || base == Op.EQ_CODE32) {
    const width = base == Op.EQ_CODE8 ? 8 : base == Op.EQ_CODE16 ? 16 : 32;
    const code = <i64>k;
    // no code of this width can match: none (or, negated, all) of the lanes
    if (code < 0 || (width < 32 && code >> width) || code >> 32) return none(d, n, not, and);
    if (base == Op.EQ_CODE8) return loopCode(Op.EQ_CODE8, d, a, <i32>code, not, and, n);
    if (base == Op.EQ_CODE16) return loopCode(Op.EQ_CODE16, d, a, <i32>code, not, and, n);
    return loopCode(Op.EQ_CODE32, d, a, <i32>code, not, and, n);
  }
  v128.store(c, f64x2.splat(k));
  if (op == Op.LT) return loopF64(Op.LT, d, a, c, and, n);
  if (op == Op.LE) return loopF64(Op.LE, d, a, c, and, n);
  if (op == Op.GT) return loopF64(Op.GT, d, a, c, and, n);
  if (op == Op.GE) return loopF64(Op.GE, d, a, c, and, n);
  if (op == Op.EQ) return loopF64(Op.EQ, d, a, c, and, n);
  if (op == Op.NE) return loopF64(Op.NE, d, a, c, and, n);
  unreachable();
  return 0;
}

// Every bit clear, or (all) every bit of `and` (all set without it).
function none(d: usize, n: i32, all: bool, and: usize): i32 {
  let cnt = 0;
  const nb = (n + 7) >> 3;
  for (let b = 0; b < nb; b++) {
    let m = all ? 0xff : 0;
    if (and) m &= <i32>load<u8>(and + <usize>b);
    if (b == nb - 1) m &= (1 << (n - (b << 3))) - 1;
    store<u8>(d + <usize>b, m);
    cnt += popcnt(m);
  }
  return cnt;
}
