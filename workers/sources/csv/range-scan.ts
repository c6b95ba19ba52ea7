// The worker side of the parallel indexing pass (parallel-index.ts): one
// range of the file streamed and scanned for records, assuming a quote parity
// at its start. Kept apart so kernel workers bundle only this.
import type { RangeScanTask } from '../../protocol';
import type { KernelExports } from '../decoders';
import { RangeStream } from '../stream';
import { QuoteCounter } from './row-index';
import { WasmQuoteCounter, type RecordCounter } from './wasm-scan';

const LF = 10;
const QUOTE = 34;
/** bytes per stream read */
const PIECE = 1 << 20;

export interface RangeScanArgs {
  chunkRows: number;
  /** quotes before the range, mod 2, as assumed */
  parity: number;
  /** the range starts where a record starts (the data's first byte) */
  atRecord: boolean;
}

/** A range's records and state; lines count from 1 at the range's first byte. */
export interface RangeReport {
  atRecord: boolean;
  endParity: number;
  /** newlines in the range */
  lfs: number;
  /** the first record-ending newline (-1: none); the byte before it (-1: before the range) */
  head: number;
  beforeHead: number;
  /** closed chunks */
  starts: number[];
  ends: number[];
  lines: number[];
  rows: number[];
  /** the chunk still open at the range's end */
  open: { start: number; line: number; rows: number } | null;
  /** where the record in progress at the end starts */
  tailStart: number;
  tailLine: number;
  last: number;
  /** line of the last quote that opened a field (0: none) */
  quoteLine: number;
}

/** Makes the counter that scans a range's records from `start` (QuoteCounter's arguments). */
export type CounterFactory = (start: number, line: number, chunkRows: number, prev?: number) => RecordCounter;

/**
 * The worker side: streams [offset, offset + length) of the file and scans it,
 * in the kernel when the task brings scratch (else the JS scanner, the reference).
 */
export async function scanCsvRange(task: RangeScanTask, memory?: WebAssembly.Memory, exports?: KernelExports): Promise<RangeReport> {
  const args = task.args as RangeScanArgs;
  const end = task.offset + task.length;
  const { scratch } = task;
  const counter: CounterFactory | undefined = WasmQuoteCounter.fits(exports, memory, scratch)
    ? (start, line, chunkRows, prev) => new WasmQuoteCounter(exports!, memory!, scratch!, start, line, chunkRows, prev)
    : undefined;
  const stream = await RangeStream.open(task.handle, task.offset, end);
  try {
    const scan = new RangeScanner(task.offset, args, counter);
    for (let at = task.offset; at < end; at += PIECE) scan.feed(await stream.read(at, Math.min(PIECE, end - at)), at);
    return scan.report();
  } finally {
    stream.close();
  }
}

const jsCounter: CounterFactory = (start, line, chunkRows, prev) => new QuoteCounter(start, line, chunkRows, prev);

export class RangeScanner {
  private counter: RecordCounter | null = null;
  private inQuotes: number;
  private lf = 0;
  private quoteLine = 0;
  private head = -1;
  private beforeHead = -1;
  private last = -1;

  constructor(start: number, private readonly args: RangeScanArgs, private readonly makeCounter: CounterFactory = jsCounter) {
    this.inQuotes = args.parity;
    if (args.atRecord) this.counter = makeCounter(start, 1, args.chunkRows);
  }

  feed(u8: Uint8Array, base: number): void {
    if (u8.length === 0) return;
    let from = 0;
    if (!this.counter) {
      // the head: up to the first newline outside quotes
      let i = 0;
      for (; i < u8.length; i++) {
        const b = u8[i]!;
        if (b === QUOTE) {
          this.inQuotes ^= 1;
          if (this.inQuotes === 1) this.quoteLine = this.lf + 1;
        } else if (b === LF) {
          this.lf++;
          if (this.inQuotes === 0) break;
        }
      }
      if (i === u8.length) {
        this.last = u8[u8.length - 1]!;
        return;
      }
      this.head = base + i;
      this.beforeHead = i > 0 ? u8[i - 1]! : this.last;
      this.counter = this.makeCounter(this.head + 1, this.lf + 1, this.args.chunkRows, LF);
      from = i + 1;
    }
    if (from < u8.length) this.counter.scan(u8.subarray(from), base + from);
    this.last = u8[u8.length - 1]!;
  }

  report(): RangeReport {
    const c = this.counter;
    if (!c) {
      return {
        atRecord: false, endParity: this.inQuotes, lfs: this.lf, head: -1, beforeHead: -1, starts: [], ends: [], lines: [], rows: [],
        open: null, tailStart: -1, tailLine: 0, last: this.last, quoteLine: this.quoteLine,
      };
    }
    const st = c.state();
    const { starts, ends, lines, rows } = c.index;
    const open = starts.length > ends.length ? { start: starts.pop()!, line: lines.pop()!, rows: st.inChunk } : null;
    return {
      atRecord: this.args.atRecord, endParity: st.inQuotes, lfs: st.lfs, head: this.head, beforeHead: this.beforeHead,
      starts, ends, lines, rows, open, tailStart: st.recordStart, tailLine: st.recordLine, last: this.last,
      quoteLine: st.quoteLine || this.quoteLine,
    };
  }
}

