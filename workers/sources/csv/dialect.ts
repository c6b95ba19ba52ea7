// What kind of CSV a file is, from its first bytes: byte-order mark,
// delimiter, and whether the first record is a header.
import { EngineError } from '../../engine/errors';
import { Class, classify } from './numbers';

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Candidates in order of preference when several split the sample equally well. */
export const DELIMITERS = [',', '\t', ';', '|'];
/** A one-column file has no delimiter; NUL never occurs in text, so nothing splits. */
export const NO_DELIMITER = 0;

/** Length of a UTF-8 byte-order mark at the start, 0 when none; UTF-16 is refused. */
export function bomLength(head: Uint8Array, name: string): number {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 3;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new EngineError('BadFile', `${name}: the file is UTF-16 text; save it as UTF-8 to open it`);
  }
  return 0;
}

/** A record of the sample as field byte ranges: [start, end) of each field's content, and whether it held "" escapes. */
export interface SampleRecord {
  start: number;
  /** after the record's newline */
  end: number;
  fields: { s: number; e: number; escaped: boolean }[];
}

/**
 * Splits up to `max` whole records of [start, end) by `delim`, leniently (a
 * stray quote is kept as text): for sniffing and the header, where the strict
 * parser would need the field count this is finding out. Blank lines are
 * skipped, as the parser skips them. A record cut by `end` is left out unless
 * `final` (end of file).
 */
export function sampleRecords(u8: Uint8Array, start: number, end: number, delim: number, max: number, final: boolean): SampleRecord[] {
  const out: SampleRecord[] = [];
  let p = start;
  while (p < end && out.length < max) {
    if (u8[p] === LF) { p++; continue; }
    if (u8[p] === CR && (p + 1 === end ? final : u8[p + 1] === LF)) { p += 2; continue; }
    const rec: SampleRecord = { start: p, end: p, fields: [] };
    let s = p;
    let quoted = false;
    let escaped = false;
    let inQuotes = false;
    let done = false;
    for (; p < end; p++) {
      const b = u8[p]!;
      if (inQuotes) {
        if (b === QUOTE) {
          if (p + 1 < end && u8[p + 1] === QUOTE) { escaped = true; p++; } else inQuotes = false;
        }
        continue;
      }
      if (b === QUOTE && !quoted && onlySpaces(u8, s, p)) { quoted = true; inQuotes = true; s = p + 1; continue; }
      if (b === delim || b === LF) {
        let e = p;
        if (b === LF && e > s && u8[e - 1] === CR) e--;
        if (quoted) e = lastQuote(u8, s, e);
        rec.fields.push({ s, e, escaped });
        s = p + 1;
        quoted = escaped = false;
        if (b === LF) { done = true; p++; break; }
      }
    }
    if (!done) {
      if (!final || inQuotes) break;
      let e = end;
      if (u8[e - 1] === CR) e--;
      if (quoted) e = lastQuote(u8, s, e);
      rec.fields.push({ s, e, escaped });
    }
    rec.end = p;
    out.push(rec);
  }
  return out;
}

const onlySpaces = (u8: Uint8Array, s: number, e: number) => {
  for (let i = s; i < e; i++) if (u8[i] !== 32) return false;
  return true;
};

const lastQuote = (u8: Uint8Array, s: number, e: number) => {
  let k = e;
  while (k > s && u8[k - 1] !== QUOTE) k--;
  return k > s ? k - 1 : e;
};

/** A field's text, unescaped; bytes that are not UTF-8 become U+FFFD and set `bad.count`. */
export function fieldText(u8: Uint8Array, f: { s: number; e: number; escaped: boolean }, bad?: { count: number }): string {
  const bytes = u8.subarray(f.s, f.e);
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    text = lenient.decode(bytes);
    if (bad) bad.count++;
  }
  return f.escaped ? text.replaceAll('""', '"') : text;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * The delimiter that splits the sample's records into the same number (≥ 2)
 * of fields most consistently; NO_DELIMITER when none does (a one-column file).
 */
export function sniffDelimiter(u8: Uint8Array, start: number, end: number, final: boolean): number {
  let best = NO_DELIMITER;
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const code = d.charCodeAt(0);
    const recs = sampleRecords(u8, start, end, code, 100, final);
    const counts = new Map<number, number>();
    for (const r of recs) counts.set(r.fields.length, (counts.get(r.fields.length) ?? 0) + 1);
    let mode = 0;
    let freq = 0;
    for (const [n, f] of counts) if (f > freq || (f === freq && n > mode)) { mode = n; freq = f; }
    if (mode < 2) continue;
    const score = freq / recs.length;
    if (score > bestScore + 1e-9) { best = code; bestScore = score; }
  }
  return best;
}

/** Parses opts.delimiter: one ASCII character, or the words "tab"/"\t". */
export function delimiterOption(d: string, name: string): number {
  if (d === '\\t' || d.toLowerCase() === 'tab') return 9;
  if (d.length !== 1 || d.charCodeAt(0) > 127 || d === '"' || d === '\n' || d === '\r') {
    throw new EngineError('BadOption', `${name}: the delimiter must be one ASCII character other than a quote or newline, got ${JSON.stringify(d)}`);
  }
  return d.charCodeAt(0);
}

export const delimiterName = (d: number) =>
  d === NO_DELIMITER ? 'none (one column)' : d === 9 ? 'tab' : JSON.stringify(String.fromCharCode(d));

/**
 * Is the first record a header? `dataTypes` are the types the following
 * sample rows infer (empty when there are none). A header is a row of text
 * over numeric columns; a row of numbers is data; when every column is text,
 * distinct non-empty names make a header (as DuckDB and pandas assume).
 */
export function looksLikeHeader(u8: Uint8Array, first: SampleRecord, dataTypes: ('i32' | 'f64' | 'dict')[]): boolean {
  const classes = first.fields.map((f) => classOf(u8, f));
  if (dataTypes.length > 0 && classes.some((c, j) => c === Class.STRING && dataTypes[j] !== undefined && dataTypes[j] !== 'dict')) return true;
  if (classes.some((c) => c !== Class.STRING)) return false;
  const names = first.fields.map((f) => fieldText(u8, f).trim());
  return new Set(names).size === names.length;
}

/** A field's class as type inference sees it (quotes removed). */
export function classOf(u8: Uint8Array, f: { s: number; e: number; escaped: boolean }): number {
  if (!f.escaped) return classify(u8, f.s, f.e);
  const bytes = new TextEncoder().encode(fieldText(u8, f));
  return classify(bytes, 0, bytes.length);
}

/** Column names from a header: trimmed; blanks named columnN; repeats suffixed _2, _3… */
export function columnNames(header: string[] | null, n: number): string[] {
  const names: string[] = [];
  const used = new Set<string>();
  for (let j = 0; j < n; j++) {
    const raw = header?.[j]?.trim() ?? '';
    const base = raw === '' ? `column${j + 1}` : raw;
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    names.push(name);
  }
  return names;
}
