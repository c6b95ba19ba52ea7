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
import { numberedAs, PageDictionary } from './PageDictionary';

type Dest = Float64Array | Float32Array | Int32Array | null;
type Exports = Record<string, (...args: number[]) => number>;

/** bytes after the chunk: the sentinel LF, then room for the kernel's 16-byte loads */
const TAIL = 48;
const POW10_BYTES = 23 * 8;
const align = (n: number) => (n + 15) & ~15;
/**
 * Distinct values the text columns may have in one chunk on this path, all
 * columns together: 16384, and 1024 more for each further text column (codes
 * are u16, so at most 65536); a chunk with more goes to decodeChunk. Every
 * column had its own entries and table for 16384 values: the genome matrix's
 * 32 letter columns took 32 MB of scratch per worker for 4 values each.
 */
const dictCap = (rows: number, texts: number) => (texts === 0 ? 0 : Math.min(65536, rows * texts, 16384 + 1024 * (texts - 1)));
/** hash table slots: a power of two above twice the entries */
const tableSlots = (cap: number) => (cap === 0 ? 0 : 2 ** Math.max(4, Math.ceil(Math.log2(cap * 2 + 1))));
/** a text column's slots for its empty and one-byte values (CsvCol.SMALL) */
const SMALL_BYTES = 257 * 4;
/**
 * A text column's u16 codes then its SMALL slots, an odd number of cache lines
 * apart: with the columns a power of two apart, the kernel's stores of a row
 * (one per column) fell in one cache set, and the genome matrix's fields took
 * 30 ns instead of 13.
 */
const codesStride = (rows: number) => {
  const lines = Math.ceil((align(rows * 2) + SMALL_BYTES) / 64);
  return (lines | 1) * 64;
};
const dictBytes = (rows: number, texts: number) =>
  texts * codesStride(rows) + tableSlots(dictCap(rows, texts)) * 4 + dictCap(rows, texts) * CsvEntry.BYTES;
/**
 * The kernel's index: an offset per delimiter, line end or quote, the
 * sentinel's too, and room for its blind stores. It covers a slice of the
 * chunk at a time (cut after the slice's last line end): the larger of 16384
 * entries and 4 plain records, unless the whole chunk needs fewer (one per
 * byte, or ncols + 2 a row). Sized for the whole chunk it was 9.4 MB per worker
 * for the genome matrix's 4.9 MB chunk.
 */
const INDEX_SLICE = 16384;
const indexEntries = (chunkBytes: number, rows: number, ncols: number) =>
  Math.min(chunkBytes + 1, rows * (ncols + 2) + 64, Math.max(INDEX_SLICE, 4 * (ncols + 2))) + 32;
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
    + indexBytes(chunkBytes, rows, args.names.length) + dictBytes(rows, dictColumns(args)) + 16;
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
  const texts = dictColumns(args);
  const cap = dictCap(rows, texts);
  const table = at + texts * codesStride(rows);
  const entriesAt = table + tableSlots(cap) * 4;
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
      at += codesStride(rows);
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
  words[Csv.DICT_TABLE] = table;
  words[Csv.DICT_MASK] = Math.max(0, tableSlots(cap) - 1);
  words[Csv.DICT_ENTRIES] = entriesAt;
  words[Csv.DICT_CAP] = cap;
  const plan = new Int32Array(buf, cols, ncols * CsvCol.WORDS);
  plan.fill(0);
  for (let c = 0; c < ncols; c++) {
    const w = c * CsvCol.WORDS;
    plan[w + CsvCol.KIND] = kinds[c]!;
    plan[w + CsvCol.DEST] = ptrs[c]!;
    if (kinds[c] === CsvKind.DICT) plan[w + CsvCol.SMALL] = ptrs[c]! + align(rows * 2);
  }
  const p10 = new Float64Array(buf, pow10, 23);
  for (let k = 0, x = 1; k < 23; k++, x *= 10) p10[k] = x; // exact: every 10^k ≤ 10^22 is a double

  const n = kernel(desc);
  // a different count than indexed: decodeChunk says what is wrong
  if (n === CSV_BAIL || n !== rows) return null;

  const info: CsvDecodeInfo = { skipped: 0, invalidUtf8: [] };
  const dicts = dictionaries(bytes, new Int32Array(buf, entriesAt, words[Csv.DICT_COUNT]! * (CsvEntry.BYTES >> 2)), plan, ncols);
  if (!dicts) return null;
  const results: PageResult[] = [];
  const pages = args.pages.map((p, i): PageResult => {
    const k = firstPage.get(p.column)!;
    if (k !== i) {
      const src = dests[k];
      const dest = dests[i];
      if (p.type !== 'dict' && dest && src) (dest as Float64Array).set(src.subarray(0, dest.length) as Float64Array);
      return results[k]!;
    }
    if (p.type !== 'dict') return (results[i] = { kind: 'written' });
    const codes = new Uint16Array(buf, plan[p.column * CsvCol.WORDS + CsvCol.DEST]!, rows);
    return (results[i] = dictPage(bytes, codes, dicts.get(p.column)!, p.column, args, info));
  });
  return { pages, info };
}

/**
 * Each text column's PageDictionary from the kernel's entries (all columns',
 * in order of first occurrence, each with its column and code); null if they
 * disagree with PageDictionary's numbering or the columns' counts.
 */
function dictionaries(bytes: Uint8Array, entries: Int32Array, plan: Int32Array, ncols: number): Map<number, PageDictionary> | null {
  const dicts = new Map<number, PageDictionary>();
  for (let c = 0; c < ncols; c++) if (plan[c * CsvCol.WORDS + CsvCol.KIND] === CsvKind.DICT) dicts.set(c, new PageDictionary(0));
  const stride = CsvEntry.BYTES >> 2;
  for (let o = 0; o < entries.length; o += stride) {
    const dict = dicts.get(entries[o + (CsvEntry.COLUMN >> 2)]!);
    const s = entries[o + (CsvEntry.START >> 2)]!;
    // each entry is new to its column's dictionary, in the kernel's order
    if (!dict || dict.add(bytes, s, s + entries[o + (CsvEntry.LEN >> 2)]!, s) !== entries[o + (CsvEntry.CODE >> 2)]) return null;
  }
  for (const [c, dict] of dicts) if (dict.count !== plan[c * CsvCol.WORDS + CsvCol.COUNT]) return null;
  return dicts;
}

/** The page of one text column from the kernel's codes and its dictionary. */
function dictPage(bytes: Uint8Array, codes: Uint16Array, dict: PageDictionary, column: number,
  args: CsvDecodeArgs, info: CsvDecodeInfo): PageResult {
  const bad = { at: 0, count: 0 };
  const dictionary = dict.strings(bad);
  if (bad.count > 0) info.invalidUtf8.push({ column, line: args.line + countLines(bytes, 0, bad.at), count: bad.count });
  // codes lie in the scratch, which the next chunk reuses: the page gets its own
  return { kind: 'dict', ...numberedAs(args.pages.find((p) => p.column === column)?.known, codes, codes.length, dictionary) };
}
