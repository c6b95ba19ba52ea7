// The indexing pass through the kernel (kernels/csv-scan.ts): QuoteCounter's
// work and answers, 64 bytes a step. The bytes are copied into a window
// of scratch in the kernel's memory (a stream reads into buffers of its own:
// BYOB reads cannot land in a SharedArrayBuffer), then scanned there.
import { CsvScan } from '../../../kernels/layout';
import type { ChunkIndex, QuoteCounter } from './row-index';

type Exports = Record<string, (...args: number[]) => number>;

/** bytes copied and scanned per kernel call, at most */
export const SCAN_WINDOW = 1 << 20;
/** chunk events a call may write; calls are cut short enough that they never pass it */
const EVENTS = 1024;
/** readable bytes the kernel's 64-byte steps need past the window's end */
const TAIL = 64;
/** room to copy bytes to the window at their own offset mod 16 */
const SHIFT = 16;

/** Scratch one WasmQuoteCounter takes: its state, events and window. */
export const scanScratchBytes = (window = SCAN_WINDOW): number => CsvScan.BYTES + EVENTS * 16 + SHIFT + window + TAIL;

/** What a range scan needs of a counter: QuoteCounter's or this one. */
export type RecordCounter = Pick<QuoteCounter, 'scan' | 'state' | 'index'>;

export class WasmQuoteCounter implements RecordCounter {
  readonly index: ChunkIndex = { starts: [], ends: [], lines: [], rows: [], total: 0, skipped: 0, bad: [] };
  private readonly kernel: (state: number, p: number, n: number) => number;
  private readonly state0: number;
  private readonly events: number;
  private readonly window: number;
  private readonly windowBytes: number;
  /** bytes per call that cannot write more than EVENTS events: records <= bytes / 2 + 1, two events per chunkRows of them */
  private readonly perCall: number;

  /** Same arguments as QuoteCounter's; scratch (16-byte aligned) inside `memory`, at least scanScratchBytes(window) long. */
  constructor(exports: Exports, private readonly memory: WebAssembly.Memory, scratch: { ptr: number; bytes: number },
    start: number, line: number, private readonly chunkRows: number, prev = 0) {
    this.kernel = exports.csv_scan!;
    this.state0 = scratch.ptr;
    this.events = this.state0 + CsvScan.BYTES;
    this.window = this.events + EVENTS * 16;
    this.windowBytes = scratch.ptr + scratch.bytes - TAIL - SHIFT - this.window;
    this.perCall = Math.max(1, Math.min(this.windowBytes, 2 * (chunkRows * ((EVENTS - 4) >> 1) - 2)));
    const v = this.view();
    v.setFloat64(CsvScan.BASE, start, true);
    v.setFloat64(CsvScan.LFS, line - 1, true);
    v.setFloat64(CsvScan.RECORD_START, start, true);
    v.setFloat64(CsvScan.RECORD_LINE, line, true);
    v.setFloat64(CsvScan.QUOTE_LINE, 0, true);
    v.setInt32(CsvScan.IN_QUOTES, 0, true);
    v.setInt32(CsvScan.IN_CHUNK, 0, true);
    v.setInt32(CsvScan.CHUNK_ROWS, chunkRows, true);
    v.setInt32(CsvScan.PREV, prev, true);
    v.setUint32(CsvScan.OUT, this.events, true);
    v.setInt32(CsvScan.OUT_CAP, EVENTS, true);
  }

  /** Whether the kernels and a scratch of this size can run the pass. */
  static fits(exports: Exports | undefined, memory: WebAssembly.Memory | undefined, scratch: { ptr: number; bytes: number } | undefined): boolean {
    return !!exports?.csv_scan && !!memory && !!scratch && scratch.ptr % 16 === 0
      && scratch.bytes >= scanScratchBytes(1024) && scratch.ptr + scratch.bytes <= memory.buffer.byteLength;
  }

  scan(u8: Uint8Array, base: number): void {
    const v = this.view();
    v.setFloat64(CsvScan.BASE, base, true);
    const mem = new Uint8Array(this.memory.buffer);
    for (let at = 0; at < u8.length; at += this.windowBytes) {
      const piece = u8.subarray(at, Math.min(u8.length, at + this.windowBytes));
      // V8 copies into a SharedArrayBuffer word by word only when both sides share their alignment (else ~8x slower)
      const to = this.window + (piece.byteOffset & (SHIFT - 1));
      mem.set(piece, to);
      for (let from = 0; from < piece.length; from += this.perCall) {
        const n = Math.min(this.perCall, piece.length - from);
        const got = this.kernel(this.state0, to + from, n);
        if (got < 0) throw new Error('internal: csv_scan wrote more chunk events than it was given room for');
        this.collect(got);
      }
    }
  }

  state(): ReturnType<QuoteCounter['state']> {
    const v = this.view();
    return {
      inQuotes: v.getInt32(CsvScan.IN_QUOTES, true), quoteLine: v.getFloat64(CsvScan.QUOTE_LINE, true),
      lfs: v.getFloat64(CsvScan.LFS, true), recordStart: v.getFloat64(CsvScan.RECORD_START, true),
      recordLine: v.getFloat64(CsvScan.RECORD_LINE, true), inChunk: v.getInt32(CsvScan.IN_CHUNK, true),
      last: v.getInt32(CsvScan.PREV, true),
    };
  }

  /** The call's events into the index: a chunk opens at (start, line) and closes at (end, -1) after chunkRows records. */
  private collect(events: number): void {
    if (events === 0) return;
    const ev = new Float64Array(this.memory.buffer, this.events, events * 2);
    const ix = this.index;
    for (let k = 0; k < events * 2; k += 2) {
      if (ev[k + 1]! < 0) {
        ix.ends.push(ev[k]!);
        ix.rows.push(this.chunkRows);
      } else {
        ix.starts.push(ev[k]!);
        ix.lines.push(ev[k + 1]!);
      }
    }
  }

  /** A fresh view each time: growing the memory replaces its buffer. */
  private view(): DataView {
    return new DataView(this.memory.buffer, this.state0, CsvScan.BYTES);
  }
}
