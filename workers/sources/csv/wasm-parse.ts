// The WASM fast path of decodeChunk (kernels/csv.ts): the kernel parses a
// chunk of plain records into the numeric pages and deduplicates each text
// column into codes and entries (numbered by first occurrence, as
// PageDictionary numbers them), whose strings PageDictionary then decodes.
// Whatever the kernel is unsure of, it declines, and decodeChunkWasm answers
// null: the caller then runs decodeChunk, which stays the reference for every
// value, error, retype and warning.
import type { DecodeReport } from '../../protocol';
import type { PageResult } from '../source';
import { Csv, CsvCol, CsvEntry, CsvKind, CSV_BAIL } from '../../../kernels/layout';
import type { CsvDecodeArgs, CsvDecodeInfo } from './decode';
import { countLines } from './parse-records';
import { narrowCodes, PageDictionary } from './PageDictionary';

type Dest = Float64Array | Float32Array | Int32Array | null;
type Exports = Record<string, (...args: number[]) => number>;

/** bytes after the chunk: the sentinel LF, then room for the kernel's 16-byte loads */
const TAIL = 48;
const POW10_BYTES = 23 * 8;
const align = (n: number) => (n + 15) & ~15;
/** hash table slots for a text column of `rows` rows: a power of two above twice the entries it can get */
const tableSlots = (rows: number) => 2 ** Math.max(4, Math.ceil(Math.log2(dictCap(rows) * 2 + 1)));
/**
 * Distinct values a text column may have in one chunk on this path; one with
 * more goes to decodeChunk. Entries and a hash table sized for every row were
 * ~3.3 MB per text column per worker, cleared at every chunk: the genome
 * matrix's 32 letter columns took 100 MB of scratch per worker.
 */
const DICT_CAP = 16384;
const dictCap = (rows: number) => Math.min(rows, DICT_CAP);
const dictBytes = (rows: number) => align(rows * 4) + tableSlots(rows) * 4 + dictCap(rows) * CsvEntry.BYTES;
/** the kernel's index: an offset per delimiter, line end or quote, the sentinel's too, and room for its blind stores */
/**
 * Index entries a chunk gets: every byte of it at most, but for plain rows
 * (ncols structural bytes, a CR, a blank line or so) far fewer; a chunk with
 * more (quotes, which bail anyway, or runs of blank lines) goes to decodeChunk.
 * Sized for the worst case the index was 4 bytes per chunk byte: ~10 MB of
 * scratch per worker for a 2.4 MB chunk, most of a CSV load's memory beyond its columns.
 */
const indexEntries = (chunkBytes: number, rows: number, ncols: number) => Math.min(chunkBytes + 1, rows * (ncols + 2) + 64) + 32;
const indexBytes = (chunkBytes: number, rows: number, ncols: number) => align(indexEntries(chunkBytes, rows, ncols) * 4);

/**
 * Delimiters the kernel can take: never a byte a number, a line end or a
 * quote is made of (a delimiter given by the user can be any ASCII byte).
 */
function plainDelimiter(d: number): boolean {
  if (d === 0 || d === 9) return true;
  if (d < 33 || d > 126 || d === 34) return false;
  const c = String.fromCharCode(d);
  return !/[0-9A-Za-z+\-.]/.test(c);
}

const dictColumns = (args: CsvDecodeArgs) => new Set(args.pages.filter((p) => p.type === 'dict').map((p) => p.column)).size;

/** Scratch bytes csv_decode needs for a chunk of `chunkBytes` bytes and `rows` records. */
export function csvScratchBytes(chunkBytes: number, rows: number, args: CsvDecodeArgs): number {
  return align(chunkBytes + TAIL) + align(Csv.WORDS * 4) + align(args.names.length * CsvCol.WORDS * 4) + POW10_BYTES
    + indexBytes(chunkBytes, rows, args.names.length) + dictColumns(args) * dictBytes(rows) + 16;
}

/**
 * decodeChunk through the kernel: the same report, or null when the kernel
 * declines the chunk (or the request is one it never takes: 'time' pages,
 * skipBadRows, destinations outside `memory`, too little scratch). `bytes` is
 * copied to scratch.ptr unless it already lies there.
 */
export function decodeChunkWasm(exports: Exports, memory: WebAssembly.Memory, scratch: { ptr: number; bytes: number },
  bytes: Uint8Array, args: CsvDecodeArgs, dests: Dest[]): DecodeReport | null {
  const kernel = exports.csv_decode;
  if (!kernel || args.skipBadRows || !plainDelimiter(args.delim)) return null;
  const rows = args.rows;
  const ncols = args.names.length;
  if (ncols === 0 || csvScratchBytes(bytes.length, rows, args) > scratch.bytes) return null;
  const buf = memory.buffer;
  if (scratch.ptr % 16 !== 0 || scratch.ptr + scratch.bytes > buf.byteLength) return null;

  // the plan: per column its kind and destination; a column asked twice is decoded once
  const kinds = new Int32Array(ncols);
  const ptrs = new Int32Array(ncols);
  const firstPage = new Map<number, number>();
  let at = scratch.ptr + align(bytes.length + TAIL);
  const desc = at;
  at += align(Csv.WORDS * 4);
  const cols = at;
  at += align(ncols * CsvCol.WORDS * 4);
  const pow10 = at;
  at += POW10_BYTES;
  at = align(at);
  const index = at;
  at += indexBytes(bytes.length, rows, ncols);
  for (const [i, p] of args.pages.entries()) {
    const seen = firstPage.get(p.column);
    if (seen !== undefined) {
      if (args.pages[seen]!.type !== p.type) return null;
      continue;
    }
    firstPage.set(p.column, i);
    if (p.type === 'dict') {
      kinds[p.column] = CsvKind.DICT;
      ptrs[p.column] = at;
      at += dictBytes(rows);
      continue;
    }
    if (p.type === 'time') return null;
    const dest = dests[i];
    // the kernel writes every row: the page must hold them, in this memory
    if (!dest || dest.buffer !== buf || dest.length < rows) return null;
    kinds[p.column] = p.type === 'f64' ? CsvKind.F64 : p.type === 'f32' ? CsvKind.F32 : CsvKind.I32;
    ptrs[p.column] = dest.byteOffset;
  }

  const u8 = new Uint8Array(buf);
  if (bytes.buffer !== buf || bytes.byteOffset !== scratch.ptr) u8.set(bytes, scratch.ptr);
  u8[scratch.ptr + bytes.length] = 10;
  const words = new Int32Array(buf, desc, Csv.WORDS);
  words[Csv.BYTES] = scratch.ptr;
  words[Csv.N_BYTES] = bytes.length;
  words[Csv.DELIM] = args.delim;
  words[Csv.N_COLS] = ncols;
  words[Csv.ROWS] = rows;
  words[Csv.COLS] = cols;
  words[Csv.POW10] = pow10;
  words[Csv.INDEX] = index;
  words[Csv.INDEX_CAP] = indexBytes(bytes.length, rows, ncols) / 4;
  const plan = new Int32Array(buf, cols, ncols * CsvCol.WORDS);
  plan.fill(0);
  for (let c = 0; c < ncols; c++) {
    const w = c * CsvCol.WORDS;
    plan[w + CsvCol.KIND] = kinds[c]!;
    if (kinds[c] !== CsvKind.DICT) {
      plan[w + CsvCol.DEST] = ptrs[c]!;
      continue;
    }
    // codes, then the table, then the entries
    const slots = tableSlots(rows);
    plan[w + CsvCol.DEST] = ptrs[c]!;
    plan[w + CsvCol.TABLE] = ptrs[c]! + align(rows * 4);
    plan[w + CsvCol.TABLE_MASK] = slots - 1;
    plan[w + CsvCol.CAP] = dictCap(rows);
    plan[w + CsvCol.ENTRIES] = ptrs[c]! + align(rows * 4) + slots * 4;
  }
  const p10 = new Float64Array(buf, pow10, 23);
  for (let k = 0, x = 1; k < 23; k++, x *= 10) p10[k] = x; // exact: every 10^k ≤ 10^22 is a double

  const n = kernel(desc);
  // a different count than indexed: decodeChunk says what is wrong
  if (n === CSV_BAIL || n !== rows) return null;

  const info: CsvDecodeInfo = { skipped: 0, invalidUtf8: [] };
  const results: PageResult[] = [];
  let failed = false;
  const pages = args.pages.map((p, i): PageResult => {
    const k = firstPage.get(p.column)!;
    if (k !== i) {
      const src = dests[k];
      const dest = dests[i];
      if (p.type !== 'dict' && dest && src) (dest as Float64Array).set(src.subarray(0, dest.length) as Float64Array);
      return results[k]!;
    }
    if (p.type !== 'dict') return (results[i] = { kind: 'written' });
    const w = p.column * CsvCol.WORDS;
    const count = plan[w + CsvCol.COUNT]!;
    const codes = new Uint32Array(buf, plan[w + CsvCol.DEST]!, rows);
    const entries = new Int32Array(buf, plan[w + CsvCol.ENTRIES]!, count * (CsvEntry.BYTES >> 2));
    const page = dictPage(bytes, codes, entries, count, p.column, args, info);
    if (!page) failed = true;
    return (results[i] = page ?? { kind: 'written' });
  });
  return failed ? null : { pages, info };
}

/** The page of one text column from the kernel's codes and entries (by first occurrence); null if they disagree with PageDictionary. */
function dictPage(bytes: Uint8Array, codes: Uint32Array, entries: Int32Array, count: number, column: number,
  args: CsvDecodeArgs, info: CsvDecodeInfo): PageResult | null {
  const dict = new PageDictionary(0);
  const stride = CsvEntry.BYTES >> 2;
  for (let id = 0, o = 0; id < count; id++, o += stride) {
    const s = entries[o + (CsvEntry.START >> 2)]!;
    // each entry is new to the dictionary, in the kernel's order
    if (dict.add(bytes, s, s + entries[o + (CsvEntry.LEN >> 2)]!, s) !== id) return null;
  }
  const bad = { at: 0, count: 0 };
  const dictionary = dict.strings(bad);
  if (bad.count > 0) info.invalidUtf8.push({ column, line: args.line + countLines(bytes, 0, bad.at), count: bad.count });
  // codes lie in the scratch, which the next chunk reuses: the page gets its own
  const rows = codes.length;
  return { kind: 'dict', codes: count > 65536 ? codes.slice() : narrowCodes(codes, rows, count), dictionary };
}
