// The record grammar, in one loop used for decoding a chunk, inferring types
// from a sample, and (with skipBadRows) validating the whole file at open.
//
// A record ends at LF or CRLF outside quotes; blank lines are not records. A
// field is quoted when its first byte other than spaces is `"`; inside, `""`
// is one quote and newlines are data; after the closing quote only spaces may
// come before the delimiter. A quote anywhere else is an error. Under this
// grammar a byte is inside quotes exactly when an odd number of quotes precede
// it in its record, which is what lets the fast indexing pass count quotes
// instead of parsing (row-index.ts).
import { EngineError } from '../../engine/errors';
import { asciiText, Class, classified, classify, NOT_INT, num, numValue, parseNumber, POW10, SLOW } from './numbers';
import type { PageDictionary } from './PageDictionary';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;

/**
 * What to do with each field. PROBE: classify only (type inference, and a column past its first misfit).
 * TIME: an ISO date or timestamp, as f64 seconds (into f64[col]).
 */
export const Kind = { SKIP: 0, F64: 1, F32: 2, I32: 3, DICT: 4, PROBE: 5, TIME: 6 } as const;

const CLASS_BITS = 7;
const TIME_CLASSES = Class.DATE | Class.TIMESTAMP | Class.NULL;
const classIndex = (cls: number) => 31 - Math.clz32(cls);

export interface RecordPlan {
  file: string;
  /** column names, for messages */
  names: string[];
  delim: number;
  skipBadRows: boolean;
  /** per field; an F64/F32/I32/TIME field turns PROBE at its first value that does not fit */
  kinds: Uint8Array;
  f64: Float64Array[];
  f32: Float32Array[];
  i32: Int32Array[];
  dicts: (PageDictionary | null)[];
  /** per field: the Class bits seen while probing */
  seen: Uint8Array;
  /** per field and class: [start, end) in the buffer of the first field of that class */
  firstStart: Float64Array;
  firstEnd: Float64Array;
  /** 1-based line of a buffer position, for messages */
  lineAt(pos: number): number;
}

export function recordPlan(file: string, names: string[], delim: number, skipBadRows: boolean, lineAt: (pos: number) => number): RecordPlan {
  const n = names.length;
  const none64 = new Float64Array(0);
  const none32 = new Float32Array(0);
  const noneI = new Int32Array(0);
  return {
    file, names, delim, skipBadRows, lineAt,
    kinds: new Uint8Array(n),
    f64: new Array<Float64Array>(n).fill(none64),
    f32: new Array<Float32Array>(n).fill(none32),
    i32: new Array<Int32Array>(n).fill(noneI),
    dicts: new Array<PageDictionary | null>(n).fill(null),
    seen: new Uint8Array(n),
    firstStart: new Float64Array(n * CLASS_BITS).fill(-1),
    firstEnd: new Float64Array(n * CLASS_BITS).fill(-1),
  };
}

/** Where the first field of a class was seen in a column; null when none was. */
export function firstOf(plan: RecordPlan, col: number, cls: number): { start: number; end: number } | null {
  const k = col * CLASS_BITS + classIndex(cls);
  const start = plan.firstStart[k]!;
  return start < 0 ? null : { start, end: plan.firstEnd[k]! };
}

export interface BadRow {
  /** buffer position of the record */
  at: number;
  /** the message after "<file>, line L" */
  message: string;
}

export interface ParseOutcome {
  /** where parsing stopped: after the last whole record, or at the start of an incomplete one */
  pos: number;
  rows: number;
  skipped: number;
  /** the first few skipped rows (skipBadRows) */
  bad: BadRow[];
  /** stopped at a record that runs past `end` (only when not `final`) */
  incomplete: boolean;
}

const MAX_BAD_LISTED = 5;

/**
 * Parses records from `start` until `end`, or until `maxRows` good records.
 * With `final`, `end` is the end of the data (a last record needs no newline);
 * otherwise a record reaching `end` is left for the caller to retry with more bytes.
 */
export function parseRecords(u8: Uint8Array, start: number, end: number, final: boolean, maxRows: number, plan: RecordPlan): ParseOutcome {
  const { kinds, f64, f32, i32, dicts, delim } = plan;
  const ncols = kinds.length;
  const last = ncols - 1;
  const stop = new Uint8Array(256);
  stop[delim] = stop[LF] = stop[CR] = stop[QUOTE] = 1;
  const out: ParseOutcome = { pos: start, rows: 0, skipped: 0, bad: [], incomplete: false };
  // misfits of the current record: (col, class, start, end), applied once the record proves good
  const pending: number[] = [];
  let npend = 0;
  let scratch = new Uint8Array(256);
  // per column: 10 while its values run past the inline parser's nine digits
  const longer = new Uint8Array(ncols);
  let pos = start;
  let row = 0;

  const fail = (at: number, col: number, message: string): void => {
    if (!plan.skipBadRows) {
      throw new EngineError('BadFile', `${plan.file}, line ${plan.lineAt(at)}, column ${col + 1}${nameOf(plan, col)}: ${message}`);
    }
    if (out.bad.length < MAX_BAD_LISTED) out.bad.push({ at, message: `column ${col + 1}${nameOf(plan, col)}: ${message}` });
  };

  records: while (pos < end && row < maxRows) {
    let b = u8[pos]!;
    if (b === LF) { pos++; continue; }
    if (b === CR) {
      if (pos + 1 < end) {
        if (u8[pos + 1] === LF) { pos += 2; continue; }
      } else if (final) { pos++; continue; } else { out.incomplete = true; break; }
    }
    const recStart = pos;
    npend = 0;
    let col = 0;
    for (;;) {
      const kind = kinds[col]!;
      const fieldStart = pos;
      let src = u8;
      let s = pos;
      let e = pos;
      let fast = false;
      if (kind === Kind.F64 || kind === Kind.F32 || kind === Kind.I32) {
        // inline for the common case, up to nine digits: -?d+(.d*)? gathered in
        // an int32; skipped while the column's last value was longer
        let p = pos;
        let neg = false;
        if (p < end && u8[p] === 45) { neg = true; p++; }
        let a = 0;
        let nd = longer[col]!;
        let fd = 0;
        let d = 0;
        while (p < end && nd < 9) {
          d = u8[p]! - 48;
          if (d < 0 || d > 9) break;
          a = a * 10 + d;
          p++;
          nd++;
        }
        if (kind !== Kind.I32 && p < end && u8[p] === 46) {
          p++;
          while (p < end && nd < 9) {
            d = u8[p]! - 48;
            if (d < 0 || d > 9) break;
            a = a * 10 + d;
            p++;
            nd++;
            fd++;
          }
        }
        let v = 0;
        if (nd > 0 && nd <= 9) {
          v = fd === 0 ? a : a / POW10[fd]!;
          if (neg) v = -v;
        } else p = pos;
        if (nd === 0 || nd > 9 || (p < end && (b = u8[p]!) !== delim && b !== LF && b !== CR)) {
          // anything longer or rarer: the full parser
          parseNumber(u8, pos, end);
          p = num.end;
          v = numValue[0]!;
          longer[col] = num.digits > 9 ? 10 : 0;
          if (num.digits === 0 || (num.flags & SLOW) !== 0 || (kind === Kind.I32 && ((num.flags & NOT_INT) !== 0 || v !== (v | 0)))) p = -1;
        }
        if (p >= 0) {
          let term = p === end;
          if (!term) {
            b = u8[p]!;
            term = b === delim || b === LF || (b === CR && p + 1 < end && u8[p + 1] === LF);
          }
          if (term) {
            if (kind === Kind.F64) f64[col]![row] = v;
            else if (kind === Kind.F32) f32[col]![row] = v;
            else i32[col]![row] = v;
            pos = p;
            fast = true;
          }
        }
      }
      if (!fast) {
        // find the field's content: [s, e) of src; pos after it
        let quoteAt = -1;
        let p = pos;
        for (;;) {
          while (p < end && stop[u8[p]!] === 0) p++;
          if (p === end) break;
          b = u8[p]!;
          // a CR is data unless a line end: before LF, or as the file's last byte
          if (b === CR && (p + 1 < end ? u8[p + 1] !== LF : false)) {
            p++;
            continue;
          }
          if (b === QUOTE) quoteAt = p;
          break;
        }
        if (quoteAt >= 0) {
          let k = pos;
          while (k < quoteAt && u8[k] === SPACE) k++;
          if (k < quoteAt) {
            fail(quoteAt, col, 'a quote inside an unquoted field (quote the whole field and double the quotes inside it)');
            pos = skipLine(u8, quoteAt, end);
            if (pos < 0) { if (final) { pos = end; } else { pos = recStart; out.incomplete = true; break records; } }
            out.skipped++;
            continue records;
          }
          // a quoted field: find the closing quote, noting "" escapes
          let q = quoteAt + 1;
          let escaped = false;
          let close = -1;
          for (;;) {
            const k2 = u8.indexOf(QUOTE, q);
            if (k2 < 0 || k2 >= end) break;
            if (k2 + 1 < end && u8[k2 + 1] === QUOTE) { escaped = true; q = k2 + 2; continue; }
            if (k2 + 1 === end && !final) break;
            close = k2;
            break;
          }
          if (close < 0) {
            if (!final) { pos = recStart; out.incomplete = true; break records; }
            fail(quoteAt, col, 'a quoted field starting here is never closed');
            // resynchronise at the first newline after the opening quote
            pos = skipLine(u8, quoteAt, end);
            if (pos < 0) pos = end;
            out.skipped++;
            continue records;
          }
          s = quoteAt + 1;
          e = close;
          if (escaped) {
            if (scratch.length < e - s) scratch = new Uint8Array(2 * (e - s));
            let n = 0;
            for (let i = s; i < e; i++) {
              const c = u8[i]!;
              scratch[n++] = c;
              if (c === QUOTE) i++;
            }
            src = scratch;
            s = 0;
            e = n;
          }
          p = close + 1;
          while (p < end && u8[p] === SPACE) p++;
          pos = p;
        } else {
          s = pos;
          e = p;
          pos = p;
        }
        switch (kind) {
          case Kind.SKIP: break;
          case Kind.DICT: {
            const d = dicts[col]!;
            d.codes[row] = d.add(src, s, e, fieldStart);
            break;
          }
          default: {
            const cls = classify(src, s, e);
            if (kind === Kind.PROBE) {
              if ((plan.seen[col]! & cls) === 0) npend = pend(pending, npend, col, cls, fieldStart, pos);
            } else if (kind === Kind.TIME) {
              if ((cls & TIME_CLASSES) === 0) npend = pend(pending, npend, col, cls, fieldStart, pos);
              else f64[col]![row] = classified[0]!;
            } else if (cls === Class.DATE || cls === Class.TIMESTAMP) {
              npend = pend(pending, npend, col, cls, fieldStart, pos);
            } else if (cls === Class.STRING || (kind === Kind.I32 && cls !== Class.INT && cls !== Class.LEADING_ZERO)) {
              npend = pend(pending, npend, col, cls, fieldStart, pos);
            } else if (kind === Kind.F64) f64[col]![row] = classified[0]!;
            else if (kind === Kind.F32) f32[col]![row] = classified[0]!;
            else i32[col]![row] = classified[0]!;
          }
        }
      }
      // after the field: a delimiter, the end of the record, or an error
      if (pos >= end) {
        if (!final) { pos = recStart; out.incomplete = true; break records; }
        if (col !== last) { fail(recStart, col + 1, `expected ${ncols} fields, found ${col + 1}`); out.skipped++; continue records; }
        break;
      }
      b = u8[pos]!;
      if (b === delim) {
        if (col === last) {
          const after = skipRecord(u8, pos, end, delim);
          if (after.end < 0 && !final) { pos = recStart; out.incomplete = true; break records; }
          fail(recStart, ncols, `expected ${ncols} fields, found ${ncols + after.fields}`);
          pos = after.end < 0 ? end : after.end;
          out.skipped++;
          continue records;
        }
        col++;
        pos++;
        continue;
      }
      if (b === LF || (b === CR && (pos + 1 === end || u8[pos + 1] === LF))) {
        if (b === CR) {
          if (pos + 1 === end && !final) { pos = recStart; out.incomplete = true; break records; }
          pos++;
        }
        if (pos < end) pos++;
        if (col !== last) { fail(recStart, col + 1, `expected ${ncols} fields, found ${col + 1}`); out.skipped++; continue records; }
        break;
      }
      // only a quoted field can stop on anything else
      fail(fieldStart, col, `text after the closing quote of a quoted field ("${asciiText(u8, fieldStart, Math.min(pos + 1, fieldStart + 40))}…")`);
      pos = skipLine(u8, pos, end);
      if (pos < 0) { if (final) pos = end; else { pos = recStart; out.incomplete = true; break records; } }
      out.skipped++;
      continue records;
    }
    for (let i = 0; i < npend; i += 4) commit(plan, pending[i]!, pending[i + 1]!, pending[i + 2]!, pending[i + 3]!);
    row++;
  }
  out.pos = pos;
  out.rows = row;
  return out;
}

function pend(pending: number[], n: number, col: number, cls: number, start: number, end: number): number {
  pending[n] = col;
  pending[n + 1] = cls;
  pending[n + 2] = start;
  pending[n + 3] = end;
  return n + 4;
}

function commit(plan: RecordPlan, col: number, cls: number, start: number, end: number): void {
  const kind = plan.kinds[col]!;
  if (kind === Kind.F64 || kind === Kind.F32 || kind === Kind.I32 || kind === Kind.TIME) plan.kinds[col] = Kind.PROBE;
  if ((plan.seen[col]! & cls) !== 0) return;
  plan.seen[col]! |= cls;
  const k = col * CLASS_BITS + classIndex(cls);
  plan.firstStart[k] = start;
  plan.firstEnd[k] = end;
}

function nameOf(plan: RecordPlan, col: number): string {
  const name = plan.names[col];
  return name === undefined ? '' : ` (${name})`;
}

/** Position after the next LF at or after `p`; -1 when there is none before `end`. */
function skipLine(u8: Uint8Array, p: number, end: number): number {
  const k = u8.indexOf(LF, p);
  return k < 0 || k >= end ? -1 : k + 1;
}

/** From a delimiter, the end of the record (quote-aware) and how many more fields it holds; end -1 when it runs past `end`. */
function skipRecord(u8: Uint8Array, p: number, end: number, delim: number): { end: number; fields: number } {
  let fields = 0;
  let inQuotes = false;
  for (; p < end; p++) {
    const b = u8[p]!;
    if (b === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (b === delim) fields++;
      else if (b === LF) return { end: p + 1, fields };
    }
  }
  return { end: -1, fields };
}

/** Newlines in [from, to). */
export function countLines(u8: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let k = u8.indexOf(LF, from); k >= 0 && k < to; k = u8.indexOf(LF, k + 1)) n++;
  return n;
}
