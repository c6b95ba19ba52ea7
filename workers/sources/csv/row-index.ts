// The indexing pass at open: one read of the file, in slices, that finds
// where every chunk of `chunkRows` records starts. Nothing is parsed: under
// the record grammar (parse-records.ts) a newline ends a record exactly when
// an even number of quotes precede it, so the pass only looks at quote and
// newline bytes, four at a time (SWAR). Rows with the wrong number of fields
// are found later, when their chunk is decoded. With skipBadRows the pass
// parses instead (slower), so that the chunks' row counts leave bad rows out.
import { EngineError } from '../../engine/errors';
import type { ByteReader } from '../source';
import { countLines, parseRecords, recordPlan, type BadRow } from './parse-records';

const LF = 10;
const CR = 13;
const QUOTE = 34;
/** bytes per read: large enough that the per-read cost vanishes, small enough to never matter for memory */
export const SLICE_BYTES = 4 << 20;
/** a record longer than this is almost surely an unterminated quote (skipBadRows pass only) */
const MAX_RECORD_BYTES = 64 << 20;

export interface ChunkIndex {
  /** per chunk: byte range [start, end) of its records, its first line (1-based), its rows */
  starts: number[];
  ends: number[];
  lines: number[];
  rows: number[];
  total: number;
  /** skipBadRows: rows left out, and the first few with their lines */
  skipped: number;
  bad: { line: number; message: string }[];
}

export interface IndexOptions {
  /** where the data records start (after a BOM and header) and the line there */
  start: number;
  line: number;
  chunkRows: number;
  sliceBytes?: number;
  /** for the skipBadRows pass: the delimiter and column names */
  delim: number;
  names: string[];
  skipBadRows: boolean;
  signal?: AbortSignal;
  onProgress?(bytesDone: number, bytesTotal: number): void;
}

export async function indexRows(reader: ByteReader, opts: IndexOptions): Promise<ChunkIndex> {
  return opts.skipBadRows ? indexBySkipping(reader, opts) : indexByQuotes(reader, opts);
}

/** Reads [start, size) in slices, one read ahead of the scan. */
async function* slices(reader: ByteReader, opts: IndexOptions): AsyncGenerator<{ bytes: Uint8Array; base: number; last: boolean }> {
  const step = opts.sliceBytes ?? SLICE_BYTES;
  let base = opts.start;
  let next = base < reader.size ? reader.read(base, step) : null;
  while (next) {
    const bytes = await next;
    if (bytes.length === 0) throw new EngineError('ReadFailed', `${reader.name}: the file ended at byte ${base} of ${reader.size}; was it changed while being read?`);
    const end = base + bytes.length;
    next = end < reader.size ? reader.read(end, step) : null;
    opts.signal?.throwIfAborted();
    yield { bytes, base, last: next === null };
    base = end;
    opts.onProgress?.(base, reader.size);
  }
}

async function indexByQuotes(reader: ByteReader, opts: IndexOptions): Promise<ChunkIndex> {
  const counter = new QuoteCounter(opts.start, opts.line, opts.chunkRows);
  for await (const { bytes, base } of slices(reader, opts)) counter.scan(bytes, base);
  return counter.finish(reader);
}

/** Byte k of a word sits at bits 8k..8k+7 (every platform JS runs on; checked, with a byte-loop fallback). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** High bit set in exactly the bytes of `x` that are zero. */
const zeroBytes = (x: number) => ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
/** Cheaper; `& 0x80808080` is nonzero iff some byte is zero, but may flag a byte above a zero one too. */
const maybeZero = (x: number) => (x - 0x01010101) & ~x;

/** Counts records by quote parity; keeps only a handful of numbers between slices. */
export class QuoteCounter {
  private inQuotes = 0;
  /** newlines seen, inside quotes or not */
  private lf: number;
  private recordStart: number;
  private recordLine: number;
  private inChunk = 0;
  /** the byte before the current slice (for CRLF blank lines split across slices) */
  private prev = 0;
  private quoteLine = 0;
  private end = 0;
  readonly index: ChunkIndex = { starts: [], ends: [], lines: [], rows: [], total: 0, skipped: 0, bad: [] };

  /** `prev`: the byte before `start` (a range scan starts right after a newline) */
  constructor(start: number, line: number, private readonly chunkRows: number, prev = 0) {
    this.recordStart = start;
    this.recordLine = line;
    this.lf = line - 1;
    this.end = start;
    this.prev = prev;
  }

  /** Where the scan stands: what the parallel index (range-scan.ts) stitches ranges with. */
  state(): { inQuotes: number; quoteLine: number; lfs: number; recordStart: number; recordLine: number; inChunk: number; last: number } {
    return {
      inQuotes: this.inQuotes, quoteLine: this.quoteLine, lfs: this.lf, recordStart: this.recordStart,
      recordLine: this.recordLine, inChunk: this.inChunk, last: this.prev,
    };
  }

  scan(u8: Uint8Array, base: number): void {
    const n = u8.length;
    // pairs of whole words from the first 4-aligned byte; the bytes around them one by one
    const head = LITTLE_ENDIAN ? Math.min(n, (4 - (u8.byteOffset & 3)) & 3) : n;
    const words = ((n - head) >>> 3) * 2;
    const tail = head + words * 4;
    for (let i = 0; i < head; i++) this.byte(u8, i, base);
    if (words > 0) this.words(u8, head, words, base);
    for (let i = tail; i < n; i++) this.byte(u8, i, base);
    this.prev = n > 0 ? u8[n - 1]! : this.prev;
    this.end = base + n;
  }

  /**
   * The hot loop: eight bytes a step, state in locals, only steps holding a
   * newline or a quote looked into. The step test may flag bytes that are
   * neither; the byte itself then sorts it out. Measured in V8: two words a
   * step ~1.5x faster than one; a separate quote-free loop after
   * `indexOf(QUOTE)` slower, as TypedArray indexOf runs ~2.5 GB/s.
   */
  private words(u8: Uint8Array, head: number, words: number, base: number): void {
    const w = new Int32Array(u8.buffer, u8.byteOffset + head, words);
    const ix = this.index;
    const chunkRows = this.chunkRows;
    let lf = this.lf;
    let inQuotes = this.inQuotes;
    let quoteLine = this.quoteLine;
    let recordStart = this.recordStart;
    let recordLine = this.recordLine;
    let inChunk = this.inChunk;
    for (let k = 0; k < words; k += 2) {
      // b & 0xd7 is 0x02 for LF and '"' (and for '*' and STX, sorted out below): one test finds both
      const a = (w[k]! & 0xd7d7d7d7) ^ 0x02020202;
      const b = (w[k + 1]! & 0xd7d7d7d7) ^ 0x02020202;
      if (((maybeZero(a) | maybeZero(b)) & 0x80808080) === 0) continue;
      const ta = zeroBytes(a);
      const tb = zeroBytes(b);
      let t = ta;
      let off = head + 4 * k;
      for (;;) {
        if (t === 0) {
          if (off !== head + 4 * k || tb === 0) break;
          t = tb;
          off += 4;
        }
        const bit = t & -t;
        t ^= bit;
        const i = off + ((31 - Math.clz32(bit)) >>> 3);
        const c = u8[i];
        if (c === QUOTE) {
          inQuotes ^= 1;
          if (inQuotes === 1) quoteLine = lf + 1;
          continue;
        }
        if (c !== LF) continue;
        lf++;
        if (inQuotes !== 0) continue;
        const at = base + i;
        if (at - recordStart <= 1 && (at === recordStart || (i > 0 ? u8[i - 1] : this.prev) === CR)) {
          recordStart = at + 1;
          recordLine = lf + 1;
          continue;
        }
        if (inChunk === 0) {
          ix.starts.push(recordStart);
          ix.lines.push(recordLine);
        }
        if (++inChunk === chunkRows) {
          ix.ends.push(at + 1);
          ix.rows.push(inChunk);
          inChunk = 0;
        }
        recordStart = at + 1;
        recordLine = lf + 1;
      }
    }
    this.lf = lf;
    this.inQuotes = inQuotes;
    this.quoteLine = quoteLine;
    this.recordStart = recordStart;
    this.recordLine = recordLine;
    this.inChunk = inChunk;
  }

  private byte(u8: Uint8Array, i: number, base: number): void {
    const b = u8[i];
    if (b === QUOTE) {
      this.inQuotes ^= 1;
      if (this.inQuotes === 1) this.quoteLine = this.lf + 1;
    } else if (b === LF) {
      this.lf++;
      if (this.inQuotes !== 0) return;
      const at = base + i;
      const len = at - this.recordStart;
      if (len === 0 || (len === 1 && (i > 0 ? u8[i - 1] : this.prev) === CR)) {
        this.recordStart = at + 1;
        this.recordLine = this.lf + 1;
        return;
      }
      this.record(at + 1);
    }
  }

  private record(next: number): void {
    const ix = this.index;
    if (this.inChunk === 0) {
      ix.starts.push(this.recordStart);
      ix.lines.push(this.recordLine);
    }
    if (++this.inChunk === this.chunkRows) {
      ix.ends.push(next);
      ix.rows.push(this.inChunk);
      this.inChunk = 0;
    }
    this.recordStart = next;
    this.recordLine = this.lf + 1;
  }

  /** Closes the last record (no newline at the end) and chunk. */
  finish(reader: ByteReader): ChunkIndex {
    if (this.inQuotes !== 0) {
      throw new EngineError('BadFile', `${reader.name}, line ${this.quoteLine}: a quoted field starting on this line is never closed`);
    }
    const len = this.end - this.recordStart;
    if (len > 1 || (len === 1 && this.prev !== CR)) this.record(this.end);
    if (this.inChunk > 0) {
      this.index.ends.push(this.end);
      this.index.rows.push(this.inChunk);
      this.inChunk = 0;
    }
    this.index.total = this.index.rows.reduce((a, b) => a + b, 0);
    return this.index;
  }
}

/**
 * skipBadRows: parse every record (fields counted, values not decoded) so a
 * chunk's row count excludes the rows its decode will skip. Incomplete records
 * carry over to the next slice.
 */
async function indexBySkipping(reader: ByteReader, opts: IndexOptions): Promise<ChunkIndex> {
  const ix: ChunkIndex = { starts: [], ends: [], lines: [], rows: [], total: 0, skipped: 0, bad: [] };
  let carry: Uint8Array = new Uint8Array(0);
  let carryBase = opts.start;
  let carryLine = opts.line;
  let inChunk = 0;
  let buf = carry;
  // lines counted forward from a mark, so chunk starts cost no rescans of the slice
  let markPos = 0;
  let markLine = carryLine;
  const lineAt = (pos: number) => {
    if (pos < markPos) return carryLine + countLines(buf, 0, pos);
    markLine += countLines(buf, markPos, pos);
    markPos = pos;
    return markLine;
  };
  const plan = recordPlan(reader.name, opts.names, opts.delim, true, lineAt);
  for await (const { bytes, last } of slices(reader, opts)) {
    if (carry.length === 0) buf = bytes;
    else {
      buf = new Uint8Array(carry.length + bytes.length);
      buf.set(carry);
      buf.set(bytes, carry.length);
    }
    markPos = 0;
    markLine = carryLine;
    let pos = 0;
    while (pos < buf.length) {
      const r = parseRecords(buf, pos, buf.length, last, opts.chunkRows - inChunk, plan);
      if (r.rows > 0) {
        if (inChunk === 0) {
          ix.starts.push(carryBase + pos);
          ix.lines.push(lineAt(pos));
        }
        inChunk += r.rows;
        ix.total += r.rows;
      }
      noteBad(ix, r.skipped, r.bad, plan.lineAt);
      if (inChunk === opts.chunkRows) {
        ix.ends.push(carryBase + r.pos);
        ix.rows.push(inChunk);
        inChunk = 0;
      }
      if (r.pos === pos && r.rows === 0 && r.skipped === 0) break;
      pos = r.pos;
      if (r.incomplete) break;
    }
    if (buf.length - pos > MAX_RECORD_BYTES) {
      throw new EngineError('BadFile', `${reader.name}, line ${plan.lineAt(pos)}: a record longer than ${MAX_RECORD_BYTES >> 20} MB; is a quote never closed?`);
    }
    carryLine = lineAt(pos);
    carryBase += pos;
    carry = buf.slice(pos);
  }
  if (inChunk > 0) {
    ix.ends.push(carryBase);
    ix.rows.push(inChunk);
  }
  return ix;
}

function noteBad(ix: ChunkIndex, skipped: number, bad: BadRow[], lineAt: (pos: number) => number): void {
  ix.skipped += skipped;
  for (const b of bad) if (ix.bad.length < 5) ix.bad.push({ line: lineAt(b.at), message: b.message });
}
