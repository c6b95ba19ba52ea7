// Decoding one chunk: the same function inline on the engine's thread and on
// a kernel worker (registered in ../decoders.ts, so keep imports light).
import type { DecodeReport, DecodeSpanTask, DecodeTask } from '../../protocol';
import type { PageResult } from '../source';
import { EngineError } from '../../engine/errors';
import { readerFromHandle } from '../bytes';
import { RangeStream } from '../stream';
import { Class } from './numbers';
import { countLines, firstOf, Kind, parseRecords, recordPlan, type RecordPlan } from './parse-records';
import { numberedAs, PageDictionary } from './PageDictionary';
import { csvScratchBytes, decodeChunkWasm } from './wasm-parse';

/**
 * 'time': an f64 page of ISO dates/timestamps as seconds since the epoch.
 * 'u8', 'u16': integers decoded as i32, then stored narrow (narrowPages).
 */
export type PageType = 'f64' | 'f32' | 'i32' | 'dict' | 'time' | 'u8' | 'u16';

/** DecodeTask.args for the "csv" decoder: plain data. */
export interface CsvDecodeArgs {
  file: string;
  names: string[];
  delim: number;
  skipBadRows: boolean;
  /** records in the chunk (bad rows excluded), and the line of its first byte */
  rows: number;
  line: number;
  /** known: for dict pages, PageRequest.known */
  pages: { column: number; type: PageType; known?: readonly string[] }[];
}

/** DecodeReport.info of the "csv" decoder. */
export interface CsvDecodeInfo {
  skipped: number;
  /** per page whose strings held bytes that are not UTF-8 */
  invalidUtf8: { column: number; line: number; count: number }[];
  /** the WASM fast path decoded the chunk (wasm-parse.ts) */
  wasm?: boolean;
}

type Dest = Float64Array | Float32Array | Int32Array | Uint8Array | Uint16Array | null;

/**
 * The worker side: reads the chunk's bytes when given a handle, writes numeric pages at task.dest in `memory`.
 * With the kernel's exports and a task.scratch, the WASM path tries first (wasm-parse.ts).
 */
export async function decodeCsv(task: DecodeTask, memory: WebAssembly.Memory, exports?: Exports): Promise<DecodeReport> {
  const args = task.args as CsvDecodeArgs;
  let bytes = task.bytes;
  if (!bytes) {
    if (!task.handle) throw new EngineError('BadRequest', `${args.file}: a csv decode task needs bytes or a handle`);
    const length = task.length ?? 0;
    bytes = await readerFromHandle(task.handle).read(task.offset ?? 0, length);
    if (bytes.length !== length) {
      throw new EngineError('ReadFailed', `${args.file}: the file is shorter than when it was opened; was it changed?`);
    }
  }
  return decodeOne(bytes, args, task.dest, memory, exports, task.scratch);
}

/** The worker side of a span: the parts' bytes through one stream, each part decoded as a chunk. */
export async function decodeCsvSpan(task: DecodeSpanTask, memory: WebAssembly.Memory, exports?: Exports): Promise<DecodeReport[]> {
  const { parts } = task;
  if (parts.length === 0) return [];
  const last = parts[parts.length - 1]!;
  const stream = await RangeStream.open(task.handle, parts[0]!.offset, last.offset + last.length);
  try {
    const reports: DecodeReport[] = [];
    for (const part of parts) {
      const args = part.args as CsvDecodeArgs;
      const bytes = await stream.read(part.offset, part.length);
      reports.push(decodeOne(bytes, args, part.dest, memory, exports, task.scratch));
    }
    return reports;
  } finally {
    stream.close();
  }
}

type Exports = Record<string, (...args: number[]) => number>;

const isNarrow = (t: PageType) => t === 'u8' || t === 'u16';

/** Scratch a chunk's decode asks for: the WASM path's, and an i32 page for each u8/u16 page to decode into. */
export function chunkScratchBytes(length: number, args: CsvDecodeArgs): number {
  return roundUp16(csvScratchBytes(length, args.rows, args)) + args.pages.filter((p) => isNarrow(p.type)).length * roundUp16(args.rows * 4);
}

const roundUp16 = (n: number) => (n + 15) & ~15;

/**
 * One chunk on a worker: the WASM path (wasm-parse.ts) when the worker has the
 * kernels and the task a scratch, else — or when it declines — decodeChunk.
 * u8/u16 pages decode into i32 pages at the scratch's end: the kernel writes
 * only into the shared memory.
 */
function decodeOne(bytes: Uint8Array, args: CsvDecodeArgs, dest: number[], memory: WebAssembly.Memory,
  exports?: Exports, scratch?: { ptr: number; bytes: number }): DecodeReport {
  const dests = destViews(args, dest, memory);
  if (!exports || !scratch) return decodeChunk(bytes, args, dests);
  const slots = new Map<number, number>();
  args.pages.forEach((p, i) => { if (isNarrow(p.type)) slots.set(i, slots.size); });
  const page = roundUp16(args.rows * 4);
  const kernel = { ptr: scratch.ptr, bytes: (scratch.bytes - slots.size * page) & ~15 };
  if (kernel.bytes <= 0) return decodeChunk(bytes, args, dests);
  const temp = (k: number, rows: number) => new Int32Array(memory.buffer, kernel.ptr + kernel.bytes + slots.get(k)! * page, rows);
  // narrowPages hands the decoder i32 pages in place of the u8/u16 ones
  const wasm = (a: CsvDecodeArgs, d: Dest[]) => {
    const r = decodeChunkWasm(exports, memory, kernel, bytes, a, d as Parameters<typeof decodeChunkWasm>[5]);
    if (r) (r.info as CsvDecodeInfo).wasm = true;
    return r;
  };
  return narrowPages(args, dests, (a, d) => wasm(a, d) ?? decodeWide(bytes, a, d), temp);
}

function destViews(args: CsvDecodeArgs, dest: number[], memory: WebAssembly.Memory): Dest[] {
  const buf = memory.buffer;
  return args.pages.map((p, i): Dest => {
    const ptr = dest[i] ?? 0;
    switch (p.type) {
      case 'f64': case 'time': return new Float64Array(buf, ptr, args.rows);
      case 'f32': return new Float32Array(buf, ptr, args.rows);
      case 'i32': return new Int32Array(buf, ptr, args.rows);
      case 'u8': return new Uint8Array(buf, ptr, args.rows);
      case 'u16': return new Uint16Array(buf, ptr, args.rows);
      case 'dict': return null;
    }
  });
}

/** Decodes the requested columns of one chunk's bytes into `dests` (null for dict pages). */
export function decodeChunk(bytes: Uint8Array, args: CsvDecodeArgs, dests: Dest[]): DecodeReport {
  return narrowPages(args, dests, (a, d) => decodeWide(bytes, a, d));
}

/** Reused i32 buffers that u8/u16 pages decode into on this thread. */
const temps: Int32Array[] = [];

function tempI32(k: number, rows: number): Int32Array {
  if (!temps[k] || temps[k]!.length < rows) temps[k] = new Int32Array(Math.max(rows, 65536));
  return temps[k]!.subarray(0, rows);
}

/**
 * u8/u16 pages decode as i32 (into `temp`), then are stored narrow. A page
 * whose values don't fit answers a retype to the narrowest type that holds
 * them, with no message: only the storage changes.
 */
export function narrowPages(args: CsvDecodeArgs, dests: Dest[], decode: (args: CsvDecodeArgs, dests: Dest[]) => DecodeReport,
  temp: (k: number, rows: number) => Int32Array = tempI32): DecodeReport {
  const narrow = args.pages.map((p) => isNarrow(p.type));
  if (!narrow.includes(true)) return decode(args, dests);
  const wide: CsvDecodeArgs = { ...args, pages: args.pages.map((p, i) => (narrow[i] ? { ...p, type: 'i32' } : p)) };
  const tmp = dests.map((d, i) => (narrow[i] ? temp(i, args.rows) : d));
  const report = decode(wide, tmp);
  report.pages = report.pages.map((r, i) => (narrow[i] && r.kind === 'written' ? narrowInto(tmp[i] as Int32Array, dests[i] as Uint8Array | Uint16Array) : r));
  return report;
}

/** The narrowest integer storage for these values: u8 or u16 when they are small and non-negative, else i32. */
export function narrowest(values: Int32Array): 'u8' | 'u16' | 'i32' {
  let lo = 0, hi = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  return lo < 0 || hi > 0xffff ? 'i32' : hi > 0xff ? 'u16' : 'u8';
}

function narrowInto(src: Int32Array, dest: Uint8Array | Uint16Array): PageResult {
  const type = narrowest(src);
  if (!(type === 'u8' || (type === 'u16' && dest instanceof Uint16Array))) return { kind: 'retype', type, reason: '' };
  dest.set(src);
  return { kind: 'written' };
}

function decodeWide(bytes: Uint8Array, args: CsvDecodeArgs, dests: Dest[]): DecodeReport {
  const lineAt = (pos: number) => args.line + countLines(bytes, 0, pos);
  const plan = recordPlan(args.file, args.names, args.delim, args.skipBadRows, lineAt);
  const dicts: (PageDictionary | null)[] = [];
  const firstPage = new Map<number, number>();
  args.pages.forEach((p, i) => {
    const dest = dests[i] ?? null;
    dicts.push(null);
    const seen = firstPage.get(p.column);
    if (seen !== undefined) {
      // asked twice: decoded once, copied below
      if (args.pages[seen]!.type !== p.type) throw new EngineError('BadRequest', `${args.file}: column ${args.names[p.column]} asked as both ${args.pages[seen]!.type} and ${p.type}`);
      return;
    }
    firstPage.set(p.column, i);
    switch (p.type) {
      case 'f64': plan.kinds[p.column] = Kind.F64; plan.f64[p.column] = dest as Float64Array; break;
      case 'time': plan.kinds[p.column] = Kind.TIME; plan.f64[p.column] = dest as Float64Array; break;
      case 'f32': plan.kinds[p.column] = Kind.F32; plan.f32[p.column] = dest as Float32Array; break;
      case 'i32': plan.kinds[p.column] = Kind.I32; plan.i32[p.column] = dest as Int32Array; break;
      case 'dict': plan.kinds[p.column] = Kind.DICT; plan.dicts[p.column] = dicts[i] = new PageDictionary(args.rows); break;
    }
  });
  const r = parseRecords(bytes, 0, bytes.length, true, Infinity, plan);
  if (r.rows !== args.rows) {
    throw new EngineError('BadFile', `${args.file}, line ${args.line}: the ${args.rows} rows indexed from here now read as ${r.rows}; was the file changed after it was opened?`);
  }
  const info: CsvDecodeInfo = { skipped: r.skipped, invalidUtf8: [] };
  const results: PageResult[] = [];
  const pages = args.pages.map((p, i): PageResult => {
    const k = firstPage.get(p.column)!;
    if (k !== i) return copyPage(results[k]!, dests[i] ?? null, dests[k] ?? null);
    return (results[i] = pageResult(bytes, plan, p.column, dicts[i] ?? null, r.rows, r.skipped > 0, info, p.type === 'time', p.known));
  });
  return { pages, info };
}

function pageResult(bytes: Uint8Array, plan: RecordPlan, col: number, dict: PageDictionary | null, rows: number, compact: boolean,
  info: CsvDecodeInfo, time: boolean, known?: readonly string[]): PageResult {
  if (dict) {
    if (compact) dict.compact(rows);
    const bad = { at: 0, count: 0 };
    const dictionary = dict.strings(bad);
    if (bad.count > 0) info.invalidUtf8.push({ column: col, line: plan.lineAt(bad.at), count: bad.count });
    return { kind: 'dict', ...numberedAs(known, dict.codes, rows, dictionary) };
  }
  if (plan.kinds[col] !== Kind.PROBE) return { kind: 'written' };
  const seen = plan.seen[col]!;
  if (time) {
    // a date column met something else: text, from the earliest misfit
    const cls = earliest(plan, col, [Class.STRING, Class.INT, Class.LEADING_ZERO, Class.FLOAT]);
    return { kind: 'retype', type: 'dict', reason: why(bytes, plan, col, cls, true) };
  }
  if ((seen & (Class.STRING | Class.DATE | Class.TIMESTAMP)) !== 0) {
    return { kind: 'retype', type: 'dict', reason: why(bytes, plan, col, earliest(plan, col, [Class.STRING, Class.DATE, Class.TIMESTAMP])) };
  }
  // an integer column met a fraction, a big integer, or a missing value: the earliest one says why
  const f = firstOf(plan, col, Class.FLOAT);
  const n = firstOf(plan, col, Class.NULL);
  const cls = !n || (f && f.start < n.start) ? Class.FLOAT : Class.NULL;
  return { kind: 'retype', type: 'f64', reason: why(bytes, plan, col, cls) };
}

/** Of the classes a column met, the one met first. */
function earliest(plan: RecordPlan, col: number, classes: number[]): number {
  let best = classes[0]!;
  let at = Infinity;
  for (const cls of classes) {
    const f = firstOf(plan, col, cls);
    if (f && f.start < at) { at = f.start; best = cls; }
  }
  return best;
}

function why(bytes: Uint8Array, plan: RecordPlan, col: number, cls: number, time = false): string {
  const at = firstOf(plan, col, cls)!;
  const text = fieldText(bytes, at.start, at.end);
  const where = `${plan.file}, line ${plan.lineAt(at.start)}, column ${col + 1} (${plan.names[col]})`;
  if (time) return `${where}: ${JSON.stringify(text)} is not a date (YYYY-MM-DD, optionally with a time)`;
  switch (cls) {
    case Class.STRING: case Class.DATE: case Class.TIMESTAMP: return `${where}: ${JSON.stringify(text)} is not a number`;
    case Class.FLOAT: return `${where}: ${JSON.stringify(text)} is not a 32-bit integer`;
    default: return `${where}: ${text === '' || text === '""' ? 'an empty field' : `${JSON.stringify(text)} (a missing value)`} in a column of integers`;
  }
}

/** A field's raw text for a message: trimmed, shortened. */
function fieldText(bytes: Uint8Array, start: number, end: number): string {
  const text = new TextDecoder().decode(bytes.subarray(start, Math.min(end, start + 120))).trim();
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The same column asked twice in one request. */
function copyPage(done: PageResult, dest: Dest, src: Dest): PageResult {
  if (done.kind === 'written' && dest && src) (dest as Float64Array).set(src.subarray(0, dest.length));
  return done;
}
