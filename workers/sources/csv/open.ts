// Opening a CSV/TSV file: dialect and types from the first megabyte, then the
// one indexing pass over the whole file. No values are kept.
import type { ByteReader, OpenOptions, SourceColumn, SourceSchema } from '../source';
import type { ColumnType } from '../../store/types';
import { EngineError } from '../../engine/errors';
import { CsvSource } from './CsvSource';
import { narrowest } from './decode';
import { bomLength, classOf, columnNames, delimiterName, delimiterOption, fieldText, looksLikeHeader, sampleRecords, sniffDelimiter } from './dialect';
import { Class } from './numbers';
import { countLines, Kind, parseRecords, recordPlan, type RecordPlan } from './parse-records';
import { indexRows } from './row-index';
import { canIndexInParallel, indexInParallel } from './parallel-index';

const TIMES = Class.DATE | Class.TIMESTAMP;
const EPOCH = 'seconds since 1970-01-01 UTC';

/** Bytes read to sniff the dialect and infer types (grown while it holds no whole record). */
export const SAMPLE_BYTES = 1 << 20;
const MAX_SAMPLE_BYTES = 64 << 20;
export const DEFAULT_CHUNK_ROWS = 65536;

export interface CsvOpenOptions extends OpenOptions {
  /** tests: bytes per read of the indexing pass */
  sliceBytes?: number;
  /** tests: bytes per range of the parallel indexing pass */
  rangeBytes?: number;
  sampleBytes?: number;
}

export async function openCsv(reader: ByteReader, opts: CsvOpenOptions = {}): Promise<CsvSource> {
  const name = reader.name;
  const chunkRows = opts.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!(Number.isInteger(chunkRows) && chunkRows > 0)) throw new EngineError('BadOption', `${name}: chunkRows must be a positive integer, got ${chunkRows}`);
  if (reader.size === 0) throw new EngineError('BadFile', `${name}: the file is empty`);

  const { head, bom, final, delim } = await readSample(reader, opts);
  const sniffed = opts.delimiter === undefined;
  const first = sampleRecords(head, bom, head.length, delim, 1, final)[0];
  if (!first) throw new EngineError('BadFile', `${name}: the file is empty (no line holds any text)`);
  const ncols = first.fields.length;
  const badNames = { count: 0 };
  const firstTexts = first.fields.map((f) => fieldText(head, f, badNames));

  // types of the records after the first, then whether the first is a header
  const lineAt = (pos: number) => 1 + countLines(head, 0, pos);
  const plan = recordPlan(name, columnNames(firstTexts, ncols), delim, opts.skipBadRows ?? false, lineAt);
  plan.kinds.fill(Kind.PROBE);
  const sample = parseRecords(head, first.end, head.length, final, Infinity, plan);
  const dataTypes = sample.rows > 0 ? Array.from(plan.seen, typeOf) : [];
  const header = opts.header ?? looksLikeHeader(head, first, dataTypes);
  if (!header) first.fields.forEach((f, j) => { plan.seen[j]! |= classOf(head, f); });
  const names = columnNames(header ? firstTexts : null, ncols);
  const start = header ? first.end : bom;
  const types = narrowIntegers(head, start, final, Array.from(plan.seen, typeOf), recordPlan(name, names, delim, opts.skipBadRows ?? false, lineAt));

  const line = header ? lineAt(first.end) : 1;
  const index = !opts.skipBadRows && canIndexInParallel(reader, opts.ctx) ? await indexInParallel(reader, opts.ctx!, {
    start, line, chunkRows, rangeBytes: opts.rangeBytes, signal: opts.signal, onProgress: opts.onProgress,
  }) : await indexRows(reader, {
    start,
    line,
    chunkRows,
    sliceBytes: opts.sliceBytes,
    delim,
    names,
    skipBadRows: opts.skipBadRows ?? false,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });

  const notes = [
    `delimiter ${delimiterName(delim)}${sniffed ? '' : ' (given)'}`,
    header ? `header row${opts.header === undefined ? ' (detected)' : ''}` : `no header row${opts.header === undefined ? ' (detected)' : ''}: columns named column1…column${ncols}`,
  ];
  if (bom) notes.push('UTF-8 byte-order mark');
  if (badNames.count > 0 && header) notes.push('the header holds bytes that are not UTF-8 (shown as \uFFFD)');
  if (index.skipped > 0) {
    const listed = index.bad.map((b) => `line ${b.line}, ${b.message}`).join('; ');
    notes.push(`skipped ${index.skipped} malformed row${index.skipped === 1 ? '' : 's'} (skipBadRows): ${listed}${index.skipped > index.bad.length ? '; …' : ''}`);
  }
  if (index.total === 0) notes.push('no data rows: every column is typed f64');

  const columns: SourceColumn[] = names.map((n, j) => {
    const time = timeOf(plan.seen[j]!);
    return time
      ? { name: n, type: 'f64', time, unit: 's', description: `ISO ${time === 'date' ? 'dates' : 'timestamps'}, as ${EPOCH}${time === 'timestamp' ? ' (no zone: read as UTC)' : ''}` }
      : { name: n, type: types[j]! };
  });
  const schema: SourceSchema = {
    format: delim === 9 ? 'tsv' : 'csv',
    rows: index.total,
    chunkRows: index.rows,
    columns,
    jagged: [],
    unsupported: [],
    notes,
  };
  return new CsvSource(schema, reader, { delim, names, skipBadRows: opts.skipBadRows ?? false, index }, opts.ctx);
}

/** The first megabyte, grown until it holds two whole records (or the whole file), and its delimiter. */
async function readSample(reader: ByteReader, opts: CsvOpenOptions): Promise<{ head: Uint8Array; bom: number; final: boolean; delim: number }> {
  const name = reader.name;
  let head = await reader.read(0, Math.min(reader.size, opts.sampleBytes ?? SAMPLE_BYTES));
  const bom = bomLength(head, name);
  for (;;) {
    const final = head.length >= reader.size;
    const delim = opts.delimiter !== undefined ? delimiterOption(opts.delimiter, name) : sniffDelimiter(head, bom, head.length, final);
    if (final || sampleRecords(head, bom, head.length, delim, 2, final).length === 2) return { head, bom, final, delim };
    if (head.length >= MAX_SAMPLE_BYTES) throw new EngineError('BadFile', `${name}: no line ends in the first ${MAX_SAMPLE_BYTES >> 20} MB; is this a CSV file?`);
    head = await reader.read(0, Math.min(reader.size, head.length * 4));
  }
}

/**
 * A column's type from the classes its sample values showed: any text, or an
 * integer with a leading zero (zip codes, identifiers: as DuckDB does) makes
 * it a dictionary; any fraction, large integer or missing value makes it f64;
 * only int32 integers make it i32. ISO dates and timestamps (and missing values)
 * make it f64 seconds (timeOf); mixed with anything else, text. No values at all: f64.
 */
export function typeOf(seen: number): ColumnType & ('i32' | 'f64' | 'dict') {
  if ((seen & (Class.STRING | Class.LEADING_ZERO)) !== 0) return 'dict';
  if ((seen & TIMES) !== 0) return (seen & ~(TIMES | Class.NULL)) === 0 ? 'f64' : 'dict';
  if (seen === 0 || (seen & (Class.FLOAT | Class.NULL)) !== 0) return 'f64';
  return 'i32';
}

/**
 * Integer columns whose sample values all lie in 0..255 (0..65535) are stored
 * in 1 (2) bytes: digits, flags and small counts are common, and four bytes a
 * row for them would be most of a table's memory. A later page that holds
 * more widens the column (decode.ts narrowPages).
 */
function narrowIntegers(head: Uint8Array, start: number, final: boolean, types: ColumnType[], plan: RecordPlan): ColumnType[] {
  const ints = types.flatMap((t, j) => (t === 'i32' ? [j] : []));
  if (ints.length === 0) return types;
  const rows = countLines(head, start, head.length) + 1;
  for (const j of ints) {
    plan.kinds[j] = Kind.I32;
    plan.i32[j] = new Int32Array(rows);
  }
  const r = parseRecords(head, start, head.length, final, rows, plan);
  return types.map((t, j) => {
    if (t !== 'i32' || plan.kinds[j] !== Kind.I32 || r.rows === 0) return t;
    return narrowest(plan.i32[j]!.subarray(0, r.rows));
  });
}

/** A column of ISO dates (and missing values) is a date column; with a time of day in any, timestamps. */
export function timeOf(seen: number): 'date' | 'timestamp' | undefined {
  if ((seen & TIMES) === 0 || (seen & ~(TIMES | Class.NULL)) !== 0) return undefined;
  return (seen & Class.TIMESTAMP) !== 0 ? 'timestamp' : 'date';
}
