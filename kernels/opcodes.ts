// The VM's instruction set, shared verbatim by the AssemblyScript interpreter
// (kernels/vm.ts) and the TypeScript compiler (workers/plan/). Keep this file
// in the common subset of both languages: one enum, no imports.
//
// An instruction is INSTR_WORDS i32 words: [op, a0, a1, a2, a3, a4, a5, a6].
// Operands named r/x/y/m/w are *slot* indices (see layout.ts): a slot is
// either a register (an f64 vector of vecLen lanes) or an f64 column read in
// place. -1 means "absent" where an operand is optional. Booleans are f64
// 0.0 / 1.0. Every op is defined on the first n lanes; element-wise ops may
// also write lanes n..roundUp(n, 8) of their destination register.
export enum Op {
  /** dst, k: dst[i] = consts[k]. Prologue only. */
  SPLAT = 1,
  /** dst, col: widen a column slot of the named element type into f64. */
  LOAD_F32 = 2,
  LOAD_I32 = 3,
  LOAD_U32 = 4,
  LOAD_U8 = 5,
  LOAD_U16 = 6,

  /** dst, a, b: element-wise binary arithmetic in f64. */
  ADD = 10,
  SUB = 11,
  MUL = 12,
  DIV = 13,
  /** C fmod: result has the sign of a (same as JS %). */
  MOD = 14,
  POW = 15,
  ATAN2 = 16,
  HYPOT = 17,
  /** NaN if either operand is NaN (wasm f64.min / JS Math.min). */
  MIN = 18,
  MAX = 19,

  /** dst, a, b: comparisons, 1.0 when true. Any comparison with NaN is false, except NE. */
  LT = 20,
  LE = 21,
  GT = 22,
  GE = 23,
  EQ = 24,
  NE = 25,

  /** dst, a, b on 0/1 operands. */
  AND = 30,
  OR = 31,
  /** dst, a: 1 - a, for 0/1 a. */
  NOT = 32,
  /** dst, a: a != 0 ? 1 : 0 (NaN is true, as in C). */
  TRUTH = 33,
  /** dst, c, a, b: c ? a : b, for 0/1 c. */
  SELECT = 34,

  /** dst, a: element-wise unary functions. */
  NEG = 40,
  ABS = 41,
  SQRT = 42,
  EXP = 43,
  LOG = 44,
  LOG10 = 45,
  SIN = 46,
  COS = 47,
  TAN = 48,
  ASIN = 49,
  ACOS = 50,
  ATAN = 51,
  FLOOR = 52,
  CEIL = 53,
  /** C round(): halves away from zero. */
  ROUND = 54,
  /** 1, -1, or x itself for ±0 and NaN. */
  SIGN = 55,
  ISNAN = 56,
  ISINF = 57,
  TRUNC = 58,

  /** dst, col, code: 1.0 where the dictionary code equals the immediate `code`. */
  EQ_CODE8 = 60,
  EQ_CODE16 = 61,
  EQ_CODE32 = 62,

  /** m, target: if m is 0 on all n lanes, continue at body instruction `target`. */
  JUMP_IF_NONE = 70,
  /**
   * k, m, target, m2, k1: keep only the lanes where m, and m2 unless it is -1, are nonzero
   * (NaN counts), in order; counters[k] += their number, and unless k1 is -1,
   * counters[k1] += the number of lanes where m alone is nonzero (the cut-flow count of
   * the cut before, without a pass of its own). From here to the end of the
   * vector, lane i is row sel[i] of the vector and n is the number kept: columns, and
   * registers written before the first COMPACT, are read through GATHER. If none is
   * kept, continue at `target`.
   */
  COMPACT = 71,
  /**
   * dst, src, cmp, k, and, k2, target: a cut as a bit mask (kernels/pred.ts: bit i is bit
   * i & 7 of byte i >> 3; clear from n on). Bit i is set where src[i] cmp consts[k] (cmp
   * one of LT..NE, src an f64 slot), or, for cmp EQ_CODE8/16/32 (+ PRED_NOT: !=), where
   * the code at lane i of the code column src equals k; and-ed with the bit mask `and`
   * unless it is -1. Unless k2 is -1, counters[k2] += the bits set; if none is set and
   * target is not -1, continue at `target`.
   */
  PRED = 72,
  /** m, target: COMPACT on the bit mask m (no counting: PRED counted). */
  COMPACT_BITS = 73,

  /**
   * dst, src: dst[i] = src[sel[i]] on the kept lanes (after COMPACT): src is a column
   * of the named element type, or (GATHER_F64) a register written before the first COMPACT.
   */
  GATHER_F64 = 90,
  GATHER_F32 = 91,
  GATHER_I32 = 92,
  GATHER_U32 = 93,
  GATHER_U8 = 94,
  GATHER_U16 = 95,

  /** k, m: counters[k] += number of lanes where m is 1 (all n lanes when m is -1). */
  COUNT = 80,
  /** h, x, m, w: fill 1D histogram h. m and w may be -1. */
  FILL1D = 81,
  /** h, x, y, m, w: fill 2D histogram h. m and w may be -1. */
  FILL2D = 82,
}

export const INSTR_WORDS = 8;
/** Added to PRED's EQ_CODE* cmp: the lanes whose code differs. */
export const PRED_NOT = 256;
