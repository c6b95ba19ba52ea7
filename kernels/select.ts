// Selection of the VM: how many rows a 0/1 mask keeps, whether it keeps any, and
// the selection vector (COMPACT) with the gathers that read columns through it.
import { widen_col } from "./ops";
import { Op } from "./opcodes";

/** Number of the n lanes of m (f64) equal to 1. */
export function mask_count(m: usize, n: i32): f64 {
  const one = f64x2.splat(1);
  let a = f64x2.splat(0), b = a;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const p = m + (<usize>j << 3);
    a = f64x2.add(a, v128.and(f64x2.eq(v128.load(p), one), one));
    b = f64x2.add(b, v128.and(f64x2.eq(v128.load(p, 16), one), one));
    a = f64x2.add(a, v128.and(f64x2.eq(v128.load(p, 32), one), one));
    b = f64x2.add(b, v128.and(f64x2.eq(v128.load(p, 48), one), one));
  }
  a = f64x2.add(a, b);
  let c = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; j < n; j++) c += f64(load<f64>(m + (<usize>j << 3)) == 1);
  return c;
}

/** Whether any of the n lanes of m (f64) is nonzero (NaN counts as nonzero). */
export function mask_any(m: usize, n: i32): bool {
  const zero = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const p = m + (<usize>j << 3);
    const v = v128.or(
      v128.or(f64x2.ne(v128.load(p), zero), f64x2.ne(v128.load(p, 16), zero)),
      v128.or(f64x2.ne(v128.load(p, 32), zero), f64x2.ne(v128.load(p, 48), zero)),
    );
    if (v128.any_true(v)) return true;
  }
  for (; j < n; j++) if (load<f64>(m + (<usize>j << 3)) != 0) return true;
  return false;
}

/**
 * Writes the 16 swizzles that COMPACT uses to t (256 bytes): for each 4-bit mask b, the
 * bytes that move the i32 lanes whose bit is set to the front, in order.
 */
export function select_table(t: usize): void {
  for (let b = 0; b < 16; b++) {
    const e = t + (<usize>b << 4);
    let o: usize = 0;
    for (let l = 0; l < 4; l++) {
      if (b & (1 << l)) {
        store<u32>(e + (o << 2), 0x03020100 + <u32>l * 0x04040404);
        o++;
      }
    }
    for (; o < 4; o++) store<u32>(e + (o << 2), 0x03020100);
  }
}

// One block of 4 lanes: keeps the lanes whose bit is set in b; returns the new count.
// @ts-ignore: decorator
@inline function keep4(rows: v128, b: i32, sel: usize, k: i32, t: usize): i32 {
  v128.store(sel + (<usize>k << 2), i8x16.swizzle(rows, v128.load(t + (<usize>b << 4))));
  return k + popcnt(b);
}

// Bit i set where lane j + i is kept: m nonzero (NaN included), and m2 nonzero when hasM2.
// @ts-ignore: decorator
@inline function bits4(m: usize, m2: usize, j: i32, hasM2: bool): i32 {
  const p = m + (<usize>j << 3), zero = f64x2.splat(0);
  let a = f64x2.ne(v128.load(p), zero), b = f64x2.ne(v128.load(p, 16), zero);
  if (hasM2) {
    const q = m2 + (<usize>j << 3);
    a = v128.and(a, f64x2.ne(v128.load(q), zero));
    b = v128.and(b, f64x2.ne(v128.load(q, 16), zero));
  }
  return <i32>(v128.bitmask<i64>(a) | (v128.bitmask<i64>(b) << 2));
}

// Keeps lanes as select_rows says; when countM, adds the number of lanes where m alone is
// nonzero to the f64 at cm.
// @ts-ignore: decorator
@inline function compact4(
  m: usize, m2: usize, n: i32, sel: usize, t: usize, cm: usize, hasM2: bool, chained: bool, countM: bool,
): i32 {
  let k = 0, j = 0, cnt = 0;
  let rows = i32x4(0, 1, 2, 3);
  for (; j + 8 <= n; j += 8) {
    const b = bits4(m, m2, j, hasM2) | (bits4(m, m2, j + 4, hasM2) << 4);
    if (countM) cnt += popcnt(bits4(m, 0, j, false) | (bits4(m, 0, j + 4, false) << 4));
    const q = sel + (<usize>j << 2);
    const r0 = chained ? v128.load(q) : rows, r1 = chained ? v128.load(q, 16) : i32x4.add(rows, i32x4.splat(4));
    k = keep4(r0, b & 15, sel, k, t);
    k = keep4(r1, b >> 4, sel, k, t);
    rows = i32x4.add(rows, i32x4.splat(8));
  }
  for (; j < n; j += 4) {
    const r = chained ? v128.load(sel + (<usize>j << 2)) : rows;
    const live = (1 << min(n - j, 4)) - 1;
    if (countM) cnt += popcnt(bits4(m, 0, j, false) & live);
    k = keep4(r, bits4(m, m2, j, hasM2) & live, sel, k, t);
    rows = i32x4.add(rows, i32x4.splat(4));
  }
  if (countM) store<f64>(cm, load<f64>(cm) + <f64>cnt);
  return k;
}

/**
 * COMPACT: narrows the selection sel (i32, room for n + 16 entries) to the n lanes where m,
 * and m2 unless it is 0, are nonzero (NaN included): row numbers j of the vector when
 * `chained` is false, else sel[j]. Branch-free, four lanes at a time through the swizzles
 * of select_table at t. Returns how many are kept; the 8 entries after them are 0 (a
 * valid row), so that gathers may read sel in blocks. Unless cm is 0, adds the number of
 * lanes where m alone is nonzero to the f64 at cm (with m2: the count of m's cut, which
 * then needs no pass of its own).
 */
export function select_rows(m: usize, m2: usize, n: i32, sel: usize, t: usize, chained: bool, cm: usize = 0): i32 {
  let k: i32;
  if (m2 && cm) {
    k = chained ? compact4(m, m2, n, sel, t, cm, true, true, true) : compact4(m, m2, n, sel, t, cm, true, false, true);
  } else if (m2) {
    k = chained ? compact4(m, m2, n, sel, t, 0, true, true, false) : compact4(m, m2, n, sel, t, 0, true, false, false);
  } else {
    k = chained ? compact4(m, m2, n, sel, t, 0, false, true, false) : compact4(m, m2, n, sel, t, 0, false, false, false);
    // without m2, m's count is the number kept
    if (cm) store<f64>(cm, load<f64>(cm) + <f64>k);
  }
  v128.store(sel + (<usize>k << 2), i32x4.splat(0));
  v128.store(sel + (<usize>k << 2), i32x4.splat(0), 16);
  return k;
}

/**
 * COMPACT_BITS: as select_rows, for the lanes whose bit is set in the bit mask at
 * bits (pred.ts: bit i is bit (i & 7) of byte i >> 3, clear from n on). Eight lanes
 * a step, one byte of bits.
 */
export function select_bits(bits: usize, n: i32, sel: usize, t: usize, chained: bool): i32 {
  let k = 0;
  let rows = i32x4(0, 1, 2, 3);
  for (let j = 0; j < n; j += 8) {
    const b = <i32>load<u8>(bits + (<usize>j >> 3));
    const q = sel + (<usize>j << 2);
    const r0 = chained ? v128.load(q) : rows, r1 = chained ? v128.load(q, 16) : i32x4.add(rows, i32x4.splat(4));
    k = keep4(r0, b & 15, sel, k, t);
    k = keep4(r1, b >> 4, sel, k, t);
    rows = i32x4.add(rows, i32x4.splat(8));
  }
  v128.store(sel + (<usize>k << 2), i32x4.splat(0));
  v128.store(sel + (<usize>k << 2), i32x4.splat(0), 16);
  return k;
}

// dst[i] = f64(element sel[i] of src) for i < n, four per iteration (sel is padded).
// @ts-ignore: decorator
@inline function gatherLoop(op: i32, d: usize, src: usize, sel: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const q = sel + (<usize>i << 2), o = d + (<usize>i << 3);
    const r0 = <usize>load<u32>(q), r1 = <usize>load<u32>(q, 4), r2 = <usize>load<u32>(q, 8), r3 = <usize>load<u32>(q, 12);
    if (op == Op.GATHER_F64) {
      store<f64>(o, load<f64>(src + (r0 << 3)));
      store<f64>(o, load<f64>(src + (r1 << 3)), 8);
      store<f64>(o, load<f64>(src + (r2 << 3)), 16);
      store<f64>(o, load<f64>(src + (r3 << 3)), 24);
    } else if (op == Op.GATHER_F32) {
      store<f64>(o, <f64>load<f32>(src + (r0 << 2)));
      store<f64>(o, <f64>load<f32>(src + (r1 << 2)), 8);
      store<f64>(o, <f64>load<f32>(src + (r2 << 2)), 16);
      store<f64>(o, <f64>load<f32>(src + (r3 << 2)), 24);
    } else if (op == Op.GATHER_I32) {
      store<f64>(o, <f64>load<i32>(src + (r0 << 2)));
      store<f64>(o, <f64>load<i32>(src + (r1 << 2)), 8);
      store<f64>(o, <f64>load<i32>(src + (r2 << 2)), 16);
      store<f64>(o, <f64>load<i32>(src + (r3 << 2)), 24);
    } else if (op == Op.GATHER_U32) {
      store<f64>(o, <f64>load<u32>(src + (r0 << 2)));
      store<f64>(o, <f64>load<u32>(src + (r1 << 2)), 8);
      store<f64>(o, <f64>load<u32>(src + (r2 << 2)), 16);
      store<f64>(o, <f64>load<u32>(src + (r3 << 2)), 24);
    } else if (op == Op.GATHER_U8) {
      store<f64>(o, <f64>load<u8>(src + r0));
      store<f64>(o, <f64>load<u8>(src + r1), 8);
      store<f64>(o, <f64>load<u8>(src + r2), 16);
      store<f64>(o, <f64>load<u8>(src + r3), 24);
    } else {
      store<f64>(o, <f64>load<u16>(src + (r0 << 1)));
      store<f64>(o, <f64>load<u16>(src + (r1 << 1)), 8);
      store<f64>(o, <f64>load<u16>(src + (r2 << 1)), 16);
      store<f64>(o, <f64>load<u16>(src + (r3 << 1)), 24);
    }
  }
}

// Copies the first roundUp(n, 8) f64 of a to d.
// @ts-ignore: decorator
@inline function copy8(d: usize, a: usize, n: i32): void {
  for (const e = d + (<usize>((n + 7) & ~7) << 3); d < e; d += 64, a += 64) {
    v128.store(d, v128.load(a));
    v128.store(d, v128.load(a, 16), 16);
    v128.store(d, v128.load(a, 32), 32);
    v128.store(d, v128.load(a, 48), 48);
  }
}

/**
 * GATHER_*: dst[i] = src[sel[i]] for the n kept lanes, widened to f64. `identity`: sel is
 * 0, 1, ..., n - 1 (a COMPACT that kept every row), so this is a plain SIMD widening copy.
 */
export function gather_rows(op: i32, d: usize, src: usize, sel: usize, n: i32, identity: bool): void {
  if (identity) {
    if (op == Op.GATHER_F64) copy8(d, src, n);
    else if (op == Op.GATHER_F32) widen_col(Op.LOAD_F32, d, src, n);
    else if (op == Op.GATHER_I32) widen_col(Op.LOAD_I32, d, src, n);
    else if (op == Op.GATHER_U32) widen_col(Op.LOAD_U32, d, src, n);
    else if (op == Op.GATHER_U8) widen_col(Op.LOAD_U8, d, src, n);
    else if (op == Op.GATHER_U16) widen_col(Op.LOAD_U16, d, src, n);
    else unreachable();
    return;
  }
  if (op == Op.GATHER_F64) gatherLoop(Op.GATHER_F64, d, src, sel, n);
  else if (op == Op.GATHER_F32) gatherLoop(Op.GATHER_F32, d, src, sel, n);
  else if (op == Op.GATHER_I32) gatherLoop(Op.GATHER_I32, d, src, sel, n);
  else if (op == Op.GATHER_U32) gatherLoop(Op.GATHER_U32, d, src, sel, n);
  else if (op == Op.GATHER_U8) gatherLoop(Op.GATHER_U8, d, src, sel, n);
  else if (op == Op.GATHER_U16) gatherLoop(Op.GATHER_U16, d, src, sel, n);
  else unreachable();
}
