// The indexing pass on the kernel workers: the file in ranges of RANGE_BYTES,
// each streamed and scanned by one worker, then stitched in order here.
//
// A range does not know whether it starts inside a quoted field. It is scanned
// as if not; stitching knows the truth (the parity of the quotes before it) and
// scans it again the other way in the rare case it was wrong. A range's records
// are those whose newline lies in it: the first one (its "head") began in an
// earlier range and closes the chunk in progress there; the others form the
// range's own chunks of chunkRows records, the last one left open for the next
// range's head. So chunks are chunkRows records except around range boundaries,
// and the chunking depends only on the file (never on the worker count: the
// column cache keys pages by chunk).
import { EngineError } from '../../engine/errors';
import { eachLimited } from '../../engine/loader';
import type { ByteReader, DecodeContext } from '../source';
import { streamable } from '../stream';
import type { ChunkIndex } from './row-index';
import type { RangeReport, RangeScanArgs } from './range-scan';
import { scanScratchBytes } from './wasm-scan';

const CR = 13;
/** bytes per range: few enough streams that each one's cost vanishes, enough ranges to keep workers even */
export const RANGE_BYTES = 32 << 20;

/** Whether the index can be built on the workers: a handle they can stream, and a context that scans. */
export function canIndexInParallel(reader: ByteReader, ctx: DecodeContext | undefined): boolean {
  return !!ctx?.scanRange && streamable(reader.handle) && reader.size > 0;
}

export interface ParallelIndexOptions {
  start: number;
  line: number;
  chunkRows: number;
  rangeBytes?: number;
  signal?: AbortSignal;
  onProgress?(bytesDone: number, bytesTotal: number): void;
}

/** The chunk index of [start, size), ranges scanned on the workers. */
export async function indexInParallel(reader: ByteReader, ctx: DecodeContext, opts: ParallelIndexOptions): Promise<ChunkIndex> {
  const step = opts.rangeBytes ?? RANGE_BYTES;
  const ranges: { offset: number; length: number }[] = [];
  for (let at = opts.start; at < reader.size; at += step) ranges.push({ offset: at, length: Math.min(step, reader.size - at) });
  const scan = (r: number, parity: number): Promise<RangeReport> => {
    const args: RangeScanArgs = { chunkRows: opts.chunkRows, parity, atRecord: r === 0 };
    return ctx.scanRange!({ scanner: 'csv-rows', handle: reader.handle!, ...ranges[r]!, args, scratchBytes: scanScratchBytes() }) as Promise<RangeReport>;
  };
  const reports: RangeReport[] = new Array(ranges.length);
  let done = 0;
  // a lane per worker, so a cancelled open stops dispatching at once
  await eachLimited(ranges.map((_, r) => r), ctx.parallelism, async (r) => {
    opts.signal?.throwIfAborted();
    reports[r] = await scan(r, 0);
    done += ranges[r]!.length;
    opts.onProgress?.(opts.start + done, reader.size);
  });
  const stitch = new Stitch(opts.start, opts.line, opts.chunkRows);
  for (let r = 0; r < ranges.length; r++) {
    // the quotes before this range were odd: it starts inside a quoted field
    const rep = stitch.parity === 0 ? reports[r]! : await scan(r, 1);
    opts.signal?.throwIfAborted();
    stitch.add(rep);
  }
  return stitch.finish(reader);
}

/** Chunks from range reports, in file order. */
class Stitch {
  readonly ix: ChunkIndex = { starts: [], ends: [], lines: [], rows: [], total: 0, skipped: 0, bad: [] };
  parity = 0;
  /** newlines before the current range, so its line l is line l + base of the file */
  private base: number;
  private open: { start: number; line: number; rows: number } | null = null;
  private tailStart: number;
  private tailLine: number;
  private last = -1;
  private quoteLine = 0;

  constructor(start: number, line: number, private readonly chunkRows: number) {
    this.base = line - 1;
    this.tailStart = start;
    this.tailLine = line;
  }

  add(rep: RangeReport): void {
    if (rep.head >= 0) {
      const len = rep.head - this.tailStart;
      const before = rep.beforeHead >= 0 ? rep.beforeHead : this.last;
      if (!(len === 0 || (len === 1 && before === CR))) this.record();
      this.close(rep.head + 1);
    }
    if (rep.head >= 0 || rep.atRecord) {
      const { ix, base } = this;
      for (let k = 0; k < rep.ends.length; k++) {
        ix.starts.push(rep.starts[k]!);
        ix.ends.push(rep.ends[k]!);
        ix.lines.push(rep.lines[k]! + base);
        ix.rows.push(rep.rows[k]!);
      }
      this.open = rep.open ? { ...rep.open, line: rep.open.line + base } : null;
      this.tailStart = rep.tailStart;
      this.tailLine = rep.tailLine + base;
    }
    if (rep.quoteLine > 0) this.quoteLine = rep.quoteLine + this.base;
    this.base += rep.lfs;
    this.last = rep.last;
    this.parity = rep.endParity;
  }

  finish(reader: ByteReader): ChunkIndex {
    if (this.parity !== 0) {
      throw new EngineError('BadFile', `${reader.name}, line ${this.quoteLine}: a quoted field starting on this line is never closed`);
    }
    const len = reader.size - this.tailStart;
    if (len > 1 || (len === 1 && this.last !== CR)) this.record();
    this.close(reader.size);
    this.ix.total = this.ix.rows.reduce((a, b) => a + b, 0);
    return this.ix;
  }

  /** One more record, starting at the tail. */
  private record(): void {
    this.open ??= { start: this.tailStart, line: this.tailLine, rows: 0 };
    this.open.rows++;
    if (this.open.rows > this.chunkRows) throw new Error('internal: a stitched chunk outgrew chunkRows');
  }

  private close(end: number): void {
    const o = this.open;
    if (!o) return;
    this.ix.starts.push(o.start);
    this.ix.ends.push(end);
    this.ix.lines.push(o.line);
    this.ix.rows.push(o.rows);
    this.open = null;
  }
}
