// The CSV indexing pass (workers/sources/csv/row-index.ts, QuoteCounter, is
// the reference): where every chunk of CHUNK_ROWS records starts, without
// parsing. A newline ends a record exactly when an even number of quotes
// precede it; blank lines (an LF right after the record start, or CR LF) are
// skipped. 64 bytes a step: the step's LF and quote bytes as bit masks,
// quote parity by a prefix XOR of the quote mask, so a step costs the same
// whether it holds quotes or not; only steps that close a chunk or hold a
// blank line look at their records one by one.
// see: G. Langdale, D. Lemire, "Parsing gigabytes of JSON per second", VLDB Journal 2019 (quote masks by prefix XOR)
import { CsvScan } from "./layout";

const CR: i32 = 13;

/** Bit i of the answer: the parity of bits 0..i of `m`. */
// @ts-ignore: decorator
@inline function prefixXor(m: u64): u64 {
  m ^= m << 1;
  m ^= m << 2;
  m ^= m << 4;
  m ^= m << 8;
  m ^= m << 16;
  m ^= m << 32;
  return m;
}

/** Bit k of the answer: byte p + k equals the byte `c` is a splat of (64 bytes). */
// @ts-ignore: decorator
@inline function eq64(a: v128, b: v128, c: v128, d: v128, x: v128): u64 {
  return <u64>i8x16.bitmask(i8x16.eq(a, x)) | (<u64>i8x16.bitmask(i8x16.eq(b, x)) << 16)
    | (<u64>i8x16.bitmask(i8x16.eq(c, x)) << 32) | (<u64>i8x16.bitmask(i8x16.eq(d, x)) << 48);
}

/**
 * Scans n bytes at p, carrying the CsvScan state at `state` on. Reads up to
 * 63 bytes past p + n (ignored): the caller keeps them readable. Answers the
 * events written to OUT, or -1 when they would pass OUT_CAP.
 */
export function csv_scan(state: usize, p: usize, n: i32): i32 {
  const base = load<f64>(state, CsvScan.BASE);
  const lfs = load<f64>(state, CsvScan.LFS);
  const start0 = load<f64>(state, CsvScan.RECORD_START);
  const line0 = load<f64>(state, CsvScan.RECORD_LINE);
  let quoteLine = load<f64>(state, CsvScan.QUOTE_LINE);
  let inQuotes = <u64>(load<i32>(state, CsvScan.IN_QUOTES) & 1);
  let inChunk = load<i32>(state, CsvScan.IN_CHUNK);
  const chunkRows = load<i32>(state, CsvScan.CHUNK_ROWS);
  const prev = load<i32>(state, CsvScan.PREV);
  const out = <usize>load<u32>(state, CsvScan.OUT);
  const cap = load<i32>(state, CsvScan.OUT_CAP);
  let events = 0;
  // the record in progress, from p: where it starts (only -1 and above matter, for blank lines) and the newlines before it
  const rel = start0 - base;
  let rs: i32 = rel >= -1 ? <i32>rel : -2;
  let rl: i32 = 0;
  let moved = false;
  // newlines in this call before the current step
  let lf: i32 = 0;
  const vLF = i8x16.splat(10);
  const vQuote = i8x16.splat(34);
  const vCR = i8x16.splat(<i8>CR);
  for (let i: i32 = 0; i < n; i += 64) {
    const q = p + <usize>i;
    const a = v128.load(q);
    const b = v128.load(q, 16);
    const c = v128.load(q, 32);
    const d = v128.load(q, 48);
    const live: u64 = n - i >= 64 ? <u64>-1 : (<u64>1 << <u64>(n - i)) - 1;
    const nl = eq64(a, b, c, d, vLF) & live;
    const qt = eq64(a, b, c, d, vQuote) & live;
    if ((nl | qt) == 0) continue;
    let ends = nl;
    if ((qt | inQuotes) != 0) {
      // inside: bytes after an odd number of quotes (a quote counted with the bytes after it)
      const inside = prefixXor(qt) ^ (<u64>0 - inQuotes);
      const opens = qt & inside;
      if (opens != 0) {
        const k = <u64>63 - clz(opens);
        quoteLine = lfs + <f64>(lf + <i32>popcnt(nl & ((<u64>1 << k) - 1)) + 1);
      }
      ends = nl & ~inside;
      inQuotes = inside >> 63;
    }
    if (ends == 0) {
      lf += <i32>popcnt(nl);
      continue;
    }
    // a record starts after every record-ending LF: an LF there, or after a CR there, ends a blank line
    const cr = eq64(a, b, c, d, vCR);
    const starts = (ends << 1) | <u64>(rs == i);
    let blank = ends & (starts | ((starts & cr) << 1));
    if (rs == i - 1 && (ends & 1) != 0 && <i32>(i > 0 ? <i32>load<u8>(q - 1) : prev) == CR) blank |= 1;
    const count = <i32>popcnt(ends);
    if (blank == 0 && inChunk != 0 && inChunk + count < chunkRows) {
      inChunk += count;
      const j = <i32>(63 - clz(ends));
      rs = i + j + 1;
      rl = lf + <i32>popcnt(nl & (((<u64>2) << <u64>j) - 1));
      moved = true;
      lf += <i32>popcnt(nl);
      continue;
    }
    let e = ends;
    while (e != 0) {
      const j = <i32>ctz(e);
      e &= e - 1;
      const at = i + j;
      const lfAt = lf + <i32>popcnt(nl & (((<u64>2) << <u64>j) - 1));
      if (((blank >> <u64>j) & 1) == 0) {
        if (inChunk == 0) {
          if (events >= cap) return -1;
          const ev = out + (<usize>events << 4);
          store<f64>(ev, moved ? base + <f64>rs : start0);
          store<f64>(ev, moved ? lfs + <f64>(rl + 1) : line0, 8);
          events++;
        }
        if (++inChunk == chunkRows) {
          if (events >= cap) return -1;
          const ev = out + (<usize>events << 4);
          store<f64>(ev, base + <f64>(at + 1));
          store<f64>(ev, -1.0, 8);
          events++;
          inChunk = 0;
        }
      }
      rs = at + 1;
      rl = lfAt;
      moved = true;
    }
    lf += <i32>popcnt(nl);
  }
  store<f64>(state, base + <f64>n, CsvScan.BASE);
  store<f64>(state, lfs + <f64>lf, CsvScan.LFS);
  if (moved) {
    store<f64>(state, base + <f64>rs, CsvScan.RECORD_START);
    store<f64>(state, lfs + <f64>(rl + 1), CsvScan.RECORD_LINE);
  }
  store<f64>(state, quoteLine, CsvScan.QUOTE_LINE);
  store<i32>(state, <i32>inQuotes, CsvScan.IN_QUOTES);
  store<i32>(state, inChunk, CsvScan.IN_CHUNK);
  if (n > 0) store<i32>(state, <i32>load<u8>(p + <usize>(n - 1)), CsvScan.PREV);
  return events;
}
