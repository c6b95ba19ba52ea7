/**
 * Storage types of columns. i64/u64 are held as f64 (exact to 2^53; a warning says when not).
 * u8/u16: integers a text file's sample showed small and non-negative, stored narrow
 * (a CSV column of digits costs 1 byte a row, not 4); a page that disagrees widens the column.
 */
export type ColumnType = 'f64' | 'f32' | 'i32' | 'u32' | 'i64' | 'u64' | 'bool' | 'dict' | 'u8' | 'u16';

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  /** dict columns: code → string */
  dictionary?: string[];
  unit?: string;
  /** f64 seconds since 1970-01-01 UTC: a calendar date, or an instant (shown as dates) */
  time?: 'date' | 'timestamp';
  description?: string;
  /** e.g. i64 values beyond 2^53 that f64 cannot hold exactly */
  warnings?: string[];
  /** computed from list columns by a reduction an analysis used (`max(Jet_pt)`), not in the file */
  derived?: boolean;
}

/** Bytes per element as stored. */
export function elementBytes(type: ColumnType, dictionarySize = 0): 1 | 2 | 4 | 8 {
  switch (type) {
    case 'f64': case 'i64': case 'u64': return 8;
    case 'f32': case 'i32': case 'u32': return 4;
    case 'bool': case 'u8': return 1;
    case 'u16': return 2;
    case 'dict': return codeBytes(dictionarySize);
  }
}

/** Dictionary codes are as narrow as the dictionary allows. */
export function codeBytes(size: number): 1 | 2 | 4 {
  return size <= 256 ? 1 : size <= 65536 ? 2 : 4;
}

export type PageView = Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** A typed view of a page as stored (i64/u64 as f64, dict codes as wide as `width`). */
export function pageView(buf: ArrayBufferLike, type: ColumnType, width: number, ptr: number, rows: number): PageView {
  switch (type) {
    case 'f64': case 'i64': case 'u64': return new Float64Array(buf, ptr, rows);
    case 'f32': return new Float32Array(buf, ptr, rows);
    case 'i32': return new Int32Array(buf, ptr, rows);
    case 'u32': return new Uint32Array(buf, ptr, rows);
    case 'bool': case 'u8': return new Uint8Array(buf, ptr, rows);
    case 'u16': return new Uint16Array(buf, ptr, rows);
    case 'dict': return width === 1 ? new Uint8Array(buf, ptr, rows) : width === 2 ? new Uint16Array(buf, ptr, rows) : new Uint32Array(buf, ptr, rows);
  }
}

const INTEGER_RANK: Partial<Record<ColumnType, number>> = { u8: 1, u16: 2, i32: 3 };

/** Types a column may widen to as a file reveals more of itself: u8 → u16 → i32, any number → f64 → strings. */
export function widens(from: ColumnType, to: ColumnType): boolean {
  if (from === to) return false;
  if (to === 'dict') return true;
  if (to === 'f64') return from !== 'dict';
  const a = INTEGER_RANK[from], b = INTEGER_RANK[to];
  return a !== undefined && b !== undefined && a < b;
}
