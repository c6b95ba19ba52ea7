// Rows [a, b) of one Arrow column → the engine's destination (numbers) or a
// dictionary page (strings). Validity bitmaps become NaN / ∅.
import { DataType, type Data, type Vector } from 'apache-arrow';
import type { PageRequest, PageResult } from '../source';
import type { Conversion } from './columns';

export const NULL_STRING = '∅';

const TWO_32 = 4294967296;
const utf8 = new TextDecoder();

type Dest = NonNullable<PageRequest['dest']>;

export interface NumberOutcome {
  /** a null met an integer destination (the column must widen) */
  nullInIntegers: boolean;
  /** an integer beyond ±2^53 was rounded */
  lossy: boolean;
}

/** Writes rows [a, b) of `data` into dest[o…]. */
export function writeNumbers(data: Data, conv: Conversion, a: number, b: number, dest: Dest, o: number): NumberOutcome {
  const out: NumberOutcome = { nullInIntegers: false, lossy: false };
  const valid = data.nullCount > 0 ? data.nullBitmap : null;
  const base = data.offset;
  const n = b - a;
  switch (conv.kind) {
    case 'number': {
      const values = data.values as Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;
      if (!valid && conv.mul === 1 && conv.div === 1) {
        dest.set(values.subarray(base + a, base + b), o);
        break;
      }
      const { mul, div } = conv;
      for (let i = 0; i < n; i++) {
        const r = base + a + i;
        dest[o + i] = valid && !bit(valid, r) ? NaN : (values[r]! * mul) / div;
      }
      break;
    }
    case 'int64': {
      const values = data.values as BigInt64Array | BigUint64Array;
      const w = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      const { signed, div } = conv;
      let beyond = false;
      for (let i = 0; i < n; i++) {
        const r = base + a + i;
        if (valid && !bit(valid, r)) { dest[o + i] = NaN; continue; }
        const lo = w[2 * r]! >>> 0;
        const hi = signed ? w[2 * r + 1]! : w[2 * r + 1]! >>> 0;
        // hi·2^32 and lo are exact, so the sum rounds once: exact below ±2^53, nearest beyond
        dest[o + i] = (hi * TWO_32 + lo) / div;
        if (hi > 0x200000 || hi < -0x200000 || (hi === 0x200000 && lo !== 0)) beyond = true;
      }
      out.lossy = beyond && div === 1;
      break;
    }
    case 'bool': {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const r = base + a + i;
        dest[o + i] = valid && !bit(valid, r) ? NaN : bit(bits, r);
      }
      break;
    }
    case 'half': {
      const values = data.values as Uint16Array;
      for (let i = 0; i < n; i++) {
        const r = base + a + i;
        dest[o + i] = valid && !bit(valid, r) ? NaN : half(values[r]!);
      }
      break;
    }
    case 'decimal': {
      const words = data.values as Uint32Array;
      const { words: k, div } = conv;
      for (let i = 0; i < n; i++) {
        const r = base + a + i;
        dest[o + i] = valid && !bit(valid, r) ? NaN : decimal(words, r * k, k) / div;
      }
      break;
    }
    default:
      throw new Error(`internal: ${conv.kind} is not numeric`);
  }
  if (valid && !(dest instanceof Float64Array || dest instanceof Float32Array)) {
    for (let i = 0; i < n; i++) if (!bit(valid, base + a + i)) { out.nullInIntegers = true; break; }
  }
  return out;
}

/**
 * A dictionary-encoded column as a page: the batch's index array (a view,
 * when no row is null) over the batch's dictionary strings.
 */
export function dictionaryPage(data: Data, a: number, b: number, strings: string[]): PageResult & { kind: 'dict' } {
  const idx = data.values as Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;
  const from = data.offset + a, to = data.offset + b;
  const valid = data.nullCount > 0 ? data.nullBitmap : null;
  if (!valid) {
    // indices are never negative, so signed index arrays read the same unsigned
    if (idx instanceof Int8Array || idx instanceof Uint8Array) return { kind: 'dict', codes: new Uint8Array(idx.buffer, idx.byteOffset + from, b - a), dictionary: strings };
    if (idx instanceof Int16Array || idx instanceof Uint16Array) return { kind: 'dict', codes: new Uint16Array(idx.buffer, idx.byteOffset + from * 2, b - a), dictionary: strings };
    if (idx instanceof Int32Array || idx instanceof Uint32Array) return { kind: 'dict', codes: new Uint32Array(idx.buffer, idx.byteOffset + from * 4, b - a), dictionary: strings };
  }
  const codes = new Uint32Array(b - a);
  const nullCode = strings.length;
  let sawNull = false;
  for (let r = from; r < to; r++) {
    if (valid && !bit(valid, r)) { codes[r - from] = nullCode; sawNull = true; }
    else codes[r - from] = Number(idx[r]!);
  }
  return { kind: 'dict', codes, dictionary: sawNull ? [...strings, NULL_STRING] : strings };
}

/** A plain string column as a page: strings interned into a page-local dictionary. */
export function stringsPage(vector: Vector, data: Data, a: number, b: number): PageResult & { kind: 'dict' } {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Uint32Array(b - a);
  const valid = data.nullCount > 0 ? data.nullBitmap : null;
  const offsets = data.valueOffsets as Int32Array | BigInt64Array | undefined;
  const bytes = data.values as Uint8Array | undefined;
  for (let i = a; i < b; i++) {
    const r = data.offset + i;
    let s: string;
    if (valid && !bit(valid, r)) s = NULL_STRING;
    else if (offsets && bytes) s = utf8.decode(bytes.subarray(Number(offsets[r]!), Number(offsets[r + 1]!)));
    else s = String(vector.get(i) ?? NULL_STRING); // Utf8View keeps its strings in variadic buffers: let arrow find them
    let code = index.get(s);
    if (code === undefined) { code = dictionary.length; dictionary.push(s); index.set(s, code); }
    codes[i - a] = code;
  }
  return { kind: 'dict', codes, dictionary };
}

/**
 * apache-arrow takes a batch's length from its metadata and reads past short
 * buffers as nulls or garbage: a damaged length of 16M over a body of a few
 * values built a 16M-entry dictionary of ∅ (seconds of work, and a wrong
 * answer). Lengths must be backed by the buffers that hold them.
 */
export function checkBuffers(data: Data, what: string): void {
  const end = data.offset + data.length;
  const short = (held: number) => new Error(`${what} claims ${data.length} values but its buffers hold ${Math.max(0, held - data.offset)}`);
  if (data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length * 8 < end) throw short(data.nullBitmap.length * 8);
  if (data.valueOffsets) {
    if (data.valueOffsets.length < end + 1) throw short(data.valueOffsets.length - 1);
    return;
  }
  const values = data.values as ArrayLike<unknown> | undefined;
  if (!values || !ArrayBuffer.isView(values) || data.length === 0) return;
  const held = DataType.isBool(data.type) ? values.length * 8 : Math.floor(values.length / Math.max(1, data.stride));
  if (held < end) throw short(held);
}

/** A dictionary's values as strings (nulls among them as ∅). */
export function dictionaryStrings(dict: Vector): string[] {
  for (const d of dict.data) checkBuffers(d, 'a dictionary');
  const out = new Array<string>(dict.length);
  for (let i = 0; i < dict.length; i++) {
    const v = dict.get(i);
    out[i] = v === null || v === undefined ? NULL_STRING : String(v);
  }
  return out;
}

function bit(bits: Uint8Array, i: number): number {
  return (bits[i >> 3]! >> (i & 7)) & 1;
}

function half(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** A little-endian two's-complement integer of `k` 32-bit words, as the nearest f64. */
function decimal(words: Uint32Array, at: number, k: number): number {
  const negative = (words[at + k - 1]! & 0x80000000) !== 0;
  let v = 0;
  for (let j = k - 1; j >= 0; j--) v = v * TWO_32 + (negative ? ~words[at + j]! >>> 0 : words[at + j]!);
  // −x = ~x + 1
  return negative ? -(v + 1) : v;
}
