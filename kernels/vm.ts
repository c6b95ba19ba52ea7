// The expression VM: interprets the run's bytecode (opcodes.ts) one vector of
// up to VEC_LEN rows at a time. All state lives in memory the engine provides
// (layout.ts): the RunDesc is shared and read-only, the WorkerDesc points at this
// worker's slot table, registers, index scratch and accumulators.
import { Hist, Run, Scratch, Worker } from "./layout";
import { Op, INSTR_WORDS } from "./opcodes";
import { binary, unary, select, splat, widen_col, eq_code } from "./ops";
import { math1, math2 } from "./ops-math";
import { gather_rows, mask_any, mask_count, select_bits, select_rows, select_table } from "./select";
import { pred_bits } from "./pred";
import { hist_fill1d, hist_fill2d } from "./hist";

// @ts-ignore: decorator
@inline function word(p: usize, k: i32): i32 {
  return load<i32>(p + (<usize>k << 2));
}

// @ts-ignore: decorator
@inline function ptr(p: usize, k: i32): usize {
  return load<u32>(p + (<usize>k << 2));
}

// Address of slot s (a register or a column read in place); 0 for an absent operand (-1).
// @ts-ignore: decorator
@inline function slot(slots: usize, s: i32): usize {
  return s < 0 ? 0 : load<u32>(slots + (<usize>s << 2));
}

// Runs `count` instructions at `code` over n lanes. A jump only moves forward.
function exec(run: usize, wd: usize, code: usize, count: i32, n: i32): void {
  const slots = ptr(wd, Worker.SLOTS), scratch = ptr(wd, Worker.IDX);
  const sel = scratch + Scratch.CONSTS + (<usize>word(run, Run.VEC_LEN) << 2);
  const table = sel + (<usize>word(run, Run.VEC_LEN) << 2) + Scratch.SEL_PAD;
  // after a COMPACT: lane i is row sel[i]; `identity` while it kept every row
  let compacted = false, identity = false;
  let pc = 0;
  while (pc < count) {
    const ip = code + <usize>pc * (INSTR_WORDS << 2);
    pc++;
    const op = word(ip, 0), a0 = word(ip, 1), a1 = word(ip, 2), a2 = word(ip, 3);
    switch (op) {
      case Op.SPLAT:
        splat(slot(slots, a0), load<f64>(ptr(run, Run.CONSTS) + (<usize>a1 << 3)), word(run, Run.VEC_LEN));
        break;
      case Op.LOAD_F32: case Op.LOAD_I32: case Op.LOAD_U32: case Op.LOAD_U8: case Op.LOAD_U16:
        widen_col(op, slot(slots, a0), slot(slots, a1), n);
        break;
      case Op.ADD: case Op.SUB: case Op.MUL: case Op.DIV: case Op.MIN: case Op.MAX:
      case Op.LT: case Op.LE: case Op.GT: case Op.GE: case Op.EQ: case Op.NE:
      case Op.AND: case Op.OR:
        binary(op, slot(slots, a0), slot(slots, a1), slot(slots, a2), n);
        break;
      case Op.MOD: case Op.POW: case Op.ATAN2: case Op.HYPOT:
        math2(op, slot(slots, a0), slot(slots, a1), slot(slots, a2), n);
        break;
      case Op.NOT: case Op.TRUTH: case Op.NEG: case Op.ABS: case Op.SQRT: case Op.FLOOR:
      case Op.CEIL: case Op.ROUND: case Op.SIGN: case Op.ISNAN: case Op.ISINF: case Op.TRUNC:
        unary(op, slot(slots, a0), slot(slots, a1), n);
        break;
      case Op.EXP: case Op.LOG: case Op.LOG10: case Op.SIN: case Op.COS: case Op.TAN:
      case Op.ASIN: case Op.ACOS: case Op.ATAN:
        math1(op, slot(slots, a0), slot(slots, a1), n);
        break;
      case Op.SELECT:
        select(slot(slots, a0), slot(slots, a1), slot(slots, a2), slot(slots, word(ip, 4)), n);
        break;
      case Op.EQ_CODE8: case Op.EQ_CODE16: case Op.EQ_CODE32:
        eq_code(op, slot(slots, a0), slot(slots, a1), a2, n);
        break;
      case Op.JUMP_IF_NONE:
        if (!mask_any(slot(slots, a0), n)) pc = max(pc, a1);
        break;
      case Op.COMPACT: {
        const k1 = word(ip, 5);
        const c1: usize = k1 < 0 ? 0 : ptr(wd, Worker.ACC) + (<usize>k1 << 3);
        const k = select_rows(slot(slots, a1), slot(slots, word(ip, 4)), n, sel, table, compacted, c1);
        const c = ptr(wd, Worker.ACC) + (<usize>a0 << 3);
        store<f64>(c, load<f64>(c) + <f64>k);
        identity = k == n && (identity || !compacted);
        compacted = true;
        n = k;
        if (k == 0) pc = max(pc, a2);
        break;
      }
      case Op.PRED: {
        const k = word(ip, 4), k2 = word(ip, 6), target = word(ip, 7);
        const and = word(ip, 5);
        const kv = a2 >= Op.EQ_CODE8 ? <f64><u32>k : load<f64>(ptr(run, Run.CONSTS) + (<usize>k << 3));
        const cnt = pred_bits(a2, slot(slots, a0), slot(slots, a1), kv, slot(slots, and), n, scratch);
        if (k2 >= 0) {
          const c = ptr(wd, Worker.ACC) + (<usize>k2 << 3);
          store<f64>(c, load<f64>(c) + <f64>cnt);
        }
        if (cnt == 0 && target >= 0) pc = max(pc, target);
        break;
      }
      case Op.COMPACT_BITS: {
        const k = select_bits(slot(slots, a0), n, sel, table, compacted);
        identity = k == n && (identity || !compacted);
        compacted = true;
        n = k;
        if (k == 0) pc = max(pc, a1);
        break;
      }
      case Op.GATHER_F64: case Op.GATHER_F32: case Op.GATHER_I32: case Op.GATHER_U32:
      case Op.GATHER_U8: case Op.GATHER_U16:
        gather_rows(op, slot(slots, a0), slot(slots, a1), sel, n, identity);
        break;
      case Op.COUNT: {
        const c = ptr(wd, Worker.ACC) + (<usize>a0 << 3);
        store<f64>(c, load<f64>(c) + (a1 < 0 ? <f64>n : mask_count(slot(slots, a1), n)));
        break;
      }
      case Op.FILL1D:
        hist_fill1d(
          ptr(run, Run.HISTS) + (<usize>a0 << 3) * Hist.WORDS, ptr(wd, Worker.ACC), scratch,
          slot(slots, a1), slot(slots, a2), slot(slots, word(ip, 4)), n,
        );
        break;
      case Op.FILL2D:
        hist_fill2d(
          ptr(run, Run.HISTS) + (<usize>a0 << 3) * Hist.WORDS, ptr(wd, Worker.ACC), scratch,
          slot(slots, a1), slot(slots, a2), slot(slots, word(ip, 4)), slot(slots, word(ip, 5)), n,
        );
        break;
      default:
        unreachable(); // not an opcode: the bytecode is corrupt
    }
  }
}

/**
 * Prepares worker `wd` for run `run`: register slot pointers, zeroed accumulators,
 * then the prologue (over all VEC_LEN lanes).
 */
export function vm_init(run: usize, wd: usize): void {
  const nRegs = word(run, Run.N_REGS), nCols = word(run, Run.N_COLS), vecLen = word(run, Run.VEC_LEN);
  const slots = ptr(wd, Worker.SLOTS), regs = ptr(wd, Worker.REGS);
  for (let r = 0; r < nRegs; r++) store<u32>(slots + (<usize>r << 2), regs + (<usize>r * vecLen << 3));
  for (let c = 0; c < nCols; c++) store<u32>(slots + (<usize>(nRegs + c) << 2), 0);
  memory.fill(ptr(wd, Worker.ACC), 0, ptr(run, Run.ACC_BYTES));
  select_table(ptr(wd, Worker.IDX) + Scratch.CONSTS + (<usize>vecLen << 3) + Scratch.SEL_PAD);
  exec(run, wd, ptr(run, Run.PRO), word(run, Run.N_PRO), vecLen);
}

/** Runs the body over every vector of chunk `chunk`, accumulating into worker `wd`. */
export function vm_chunk(run: usize, wd: usize, chunk: i32): void {
  const nRegs = word(run, Run.N_REGS), nCols = word(run, Run.N_COLS), vecLen = word(run, Run.VEC_LEN);
  const slots = ptr(wd, Worker.SLOTS) + (<usize>nRegs << 2), shifts = ptr(run, Run.COL_SHIFT);
  const rec = ptr(run, Run.CHUNKS) + (<usize>chunk * (nCols + 1) << 2);
  const rows = word(rec, 0);
  const body = ptr(run, Run.BODY), nBody = word(run, Run.N_BODY);
  for (let off = 0; off < rows; off += vecLen) {
    for (let c = 0; c < nCols; c++) {
      store<u32>(slots + (<usize>c << 2), ptr(rec, c + 1) + (<usize>off << word(shifts, c)));
    }
    exec(run, wd, body, nBody, min(vecLen, rows - off));
  }
}
