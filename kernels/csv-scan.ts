// The CSV indexing pass (workers/sources/csv/row-index.ts, QuoteCounter, is
// the reference): where every chunk of CHUNK_ROWS records starts, without
// parsing. A newline ends a record exactly when an even number of quotes
// precede it; blank lines (an LF right after the record start, or CR LF) are
// skipped. Sixteen bytes a step: the step's LF and quote bytes as bit masks,
// quote parity by a prefix XOR of the quote mask, so a step costs the same
// whether it holds quotes or not; only steps that close a chunk or hold a
// blank line look at their records one by one.
// see: G. Langdale, D. Lemire, "Parsing gigabytes of JSON per second", VLDB Journal 2019 (quote masks by prefix XOR)
import { CsvScan } from "./layout";

const CR: i32 = 13;

/** Bit i of the answer: the parity of bits 0..i of a 16-bit mask. */
// @ts-ignore: decorator
@inline function prefixXor(m: i32): i32 {
  m ^= m << 1;
  m ^= m << 2;
  m ^= m << 4;
  m ^= m << 8;
  return m & 0xffff;
}

/**
 * Scans n bytes at p, carrying the CsvScan state at `state` on. Reads up to
 * 15 bytes past p + n (ignored): the caller keeps them readable. Answers the
 * events written to OUT, or -1 when they would pass OUT_CAP.
 */
export function csv_scan(state: usize, p: usize, n: i32): i32 {
  const base = load<f64>(state, CsvScan.BASE);
  const lfs = load<f64>(state, CsvScan.LFS);
  const start0 = load<f64>(state, CsvScan.RECORD_START);
  const line0 = load<f64>(state, CsvScan.RECORD_LINE);
  let quoteLine = load<f64>(state, CsvScan.QUOTE_LINE);
  let inQuotes = load<i32>(state, CsvScan.IN_QUOTES) & 1;
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
  for (let i: i32 = 0; i < n; i += 16) {
    const v = v128.load(p + <usize>i);
    const live: i32 = n - i >= 16 ? 0xffff : (1 << (n - i)) - 1;
    const nl = i8x16.bitmask(i8x16.eq(v, vLF)) & live;
    const qt = i8x16.bitmask(i8x16.eq(v, vQuote)) & live;
    if ((nl | qt) == 0) continue;
    let ends = nl;
    if ((qt | inQuotes) != 0) {
      // inside: bytes after an odd number of quotes (a quote counted with the bytes after it)
      const inside = prefixXor(qt) ^ (-inQuotes & 0xffff);
      const opens = qt & inside;
      if (opens != 0) {
        const q = 31 - clz(opens);
        quoteLine = lfs + <f64>(lf + popcnt(nl & ((1 << q) - 1)) + 1);
      }
      ends = nl & ~inside;
      inQuotes = (inside >> 15) & 1;
    }
    if (ends == 0) {
      lf += popcnt(nl);
      continue;
    }
    // a record starts after every record-ending LF: an LF there, or after a CR there, ends a blank line
    const cr = i8x16.bitmask(i8x16.eq(v, vCR));
    const starts = (ends << 1) | <i32>(rs == i);
    let blank = ends & (starts | ((starts & cr) << 1));
    if (rs == i - 1 && (ends & 1) != 0 && <i32>(i > 0 ? <i32>load<u8>(p + <usize>(i - 1)) : prev) == CR) blank |= 1;
    const count = popcnt(ends);
    if (blank == 0 && inChunk != 0 && inChunk + count < chunkRows) {
      inChunk += count;
      const j = 31 - clz(ends);
      rs = i + j + 1;
      rl = lf + popcnt(nl & ((2 << j) - 1));
      moved = true;
      lf += popcnt(nl);
      continue;
    }
    let e = ends;
    while (e != 0) {
      const j = ctz(e);
      e &= e - 1;
      const at = i + j;
      const lfAt = lf + popcnt(nl & ((2 << j) - 1));
      if (((blank >> j) & 1) == 0) {
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
    lf += popcnt(nl);
  }
  store<f64>(state, base + <f64>n, CsvScan.BASE);
  store<f64>(state, lfs + <f64>lf, CsvScan.LFS);
  if (moved) {
    store<f64>(state, base + <f64>rs, CsvScan.RECORD_START);
    store<f64>(state, lfs + <f64>(rl + 1), CsvScan.RECORD_LINE);
  }
  store<f64>(state, quoteLine, CsvScan.QUOTE_LINE);
  store<i32>(state, inQuotes, CsvScan.IN_QUOTES);
  store<i32>(state, inChunk, CsvScan.IN_CHUNK);
  if (n > 0) store<i32>(state, <i32>load<u8>(p + <usize>(n - 1)), CsvScan.PREV);
  return events;
}
