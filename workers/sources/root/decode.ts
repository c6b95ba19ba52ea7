// Values out of inflated baskets. ROOT writes big-endian; a basket holds
// consecutive entries, each one fixed-size record (flat, fixed arrays, leaf
// lists), a length-prefixed string (`/C`), or a run of elements (`x[n]`).
import type { PageRequest } from '../source';
import type { Basket } from './baskets';
import { badFile } from '../bad-file';
import { KIND_BYTES, type ColumnPlan, type LeafKind } from './schema';

type Dest = NonNullable<PageRequest['dest']>;

const TWO_32 = 4294967296;
const EXACT = 2 ** 53;

/** Writes entries [first, end) of a fixed-size column; returns warnings (64-bit values f64 cannot hold). */
export function decodeFixed(col: ColumnPlan, baskets: Basket[], first: number, end: number, dest: Dest, file: string): string[] | undefined {
  if (dest.length !== end - first) throw new Error(`page for ${col.info.name} has ${dest.length} slots for ${end - first} entries`);
  const size = col.branch.entrySize;
  let inexact: bigint | null = null;
  for (const b of baskets) {
    if (b.data.byteLength < (b.end - b.start) * size) {
      throw badFile(file, `branch ${col.branch.name}: a basket holds ${b.data.byteLength} bytes for ${b.end - b.start} entries of ${size}; the file looks damaged`);
    }
    const from = Math.max(first, b.start);
    const to = Math.min(end, b.end);
    const v = b.data;
    let p = (from - b.start) * size + col.offset;
    let o = from - first;
    const stop = o + (to - from);
    switch (col.kind) {
      case 'f64': for (; o < stop; o++, p += size) dest[o] = v.getFloat64(p); break;
      case 'f32': for (; o < stop; o++, p += size) dest[o] = v.getFloat32(p); break;
      case 'i32': for (; o < stop; o++, p += size) dest[o] = v.getInt32(p); break;
      case 'u32': for (; o < stop; o++, p += size) dest[o] = v.getUint32(p); break;
      case 'i16': for (; o < stop; o++, p += size) dest[o] = v.getInt16(p); break;
      case 'u16': for (; o < stop; o++, p += size) dest[o] = v.getUint16(p); break;
      case 'i8': for (; o < stop; o++, p += size) dest[o] = v.getInt8(p); break;
      case 'u8': for (; o < stop; o++, p += size) dest[o] = v.getUint8(p); break;
      case 'bool': for (; o < stop; o++, p += size) dest[o] = v.getUint8(p) === 0 ? 0 : 1; break;
      case 'i64': case 'u64': {
        const signed = col.kind === 'i64';
        for (; o < stop; o++, p += size) {
          const hi = signed ? v.getInt32(p) : v.getUint32(p);
          const x = hi * TWO_32 + v.getUint32(p + 4);
          dest[o] = x;
          if ((x > EXACT || x < -EXACT) && inexact === null) inexact = signed ? v.getBigInt64(p) : v.getBigUint64(p);
        }
        break;
      }
      case 'str': throw new Error(`${col.info.name} is a string column`);
    }
  }
  return inexact === null ? undefined : [`${col.info.name}: 64-bit integers beyond 2^53 (e.g. ${inexact}) are held as the nearest double`];
}

const utf8 = new TextDecoder('utf-8');

/** Entries [first, end) of a `/C` string column, as codes into a page-local dictionary. */
export function decodeStrings(col: ColumnPlan, baskets: Basket[], first: number, end: number, file: string): { codes: Uint8Array | Uint16Array | Uint32Array; dictionary: string[] } {
  const codes = new Uint32Array(end - first);
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const bad = () => badFile(file, `branch ${col.branch.name}: a string runs past the end of its basket; the file looks damaged`);
  for (const b of baskets) {
    const v = b.data;
    const from = Math.max(first, b.start);
    const to = Math.min(end, b.end);
    let p = 0;
    if (b.offsets) p = b.offsets[from - b.start]!;
    else for (let e = b.start; e < from; e++) p = skipString(v, p, bad);
    for (let e = from; e < to; e++) {
      if (b.offsets) p = b.offsets[e - b.start]!;
      if (p >= v.byteLength) throw bad();
      let n = v.getUint8(p++);
      if (n === 255) {
        if (p + 4 > v.byteLength) throw bad();
        n = v.getInt32(p);
        p += 4;
      }
      if (n < 0 || p + n > v.byteLength) throw bad();
      const s = utf8.decode(new Uint8Array(v.buffer, v.byteOffset + p, n));
      p += n;
      let c = index.get(s);
      if (c === undefined) {
        c = dictionary.length;
        dictionary.push(s);
        index.set(s, c);
      }
      codes[e - first] = c;
    }
  }
  const narrow = dictionary.length <= 256 ? Uint8Array.from(codes) : dictionary.length <= 65536 ? Uint16Array.from(codes) : codes;
  return { codes: narrow, dictionary };
}

function skipString(v: DataView, p: number, bad: () => Error): number {
  if (p >= v.byteLength) throw bad();
  const n = v.getUint8(p);
  const q = n === 255 ? p + 5 + v.getInt32(p + 1) : p + 1 + n;
  if (q > v.byteLength || q < p) throw bad();
  return q;
}

export interface JaggedValues {
  /** entry i's elements are values[offsets[i] … offsets[i+1]) */
  offsets: Uint32Array;
  values: Float64Array;
}

/**
 * Entries [first, end) of a jagged branch. Element counts come from the
 * baskets' entry offsets or, for baskets stored without them, from `counts`
 * (the counter branch over [countsFrom, …) covering those baskets).
 */
export function decodeJagged(name: string, kind: Exclude<LeafKind, 'str'>, baskets: Basket[], first: number, end: number, counts: Float64Array | null, countsFrom: number, file: string): JaggedValues {
  const size = KIND_BYTES[kind];
  const bad = (what: string) => badFile(file, `branch ${name}: ${what}; the file looks damaged`);
  const offsets = new Uint32Array(end - first + 1);
  // element index in the basket where each wanted entry starts
  const starts: { b: Basket; skip: number }[] = [];
  let total = 0;
  for (const b of baskets) {
    const from = Math.max(first, b.start);
    const to = Math.min(end, b.end);
    let skip = 0;
    if (b.offsets) {
      for (let e = from; e < to; e++) {
        const bytes = b.offsets[e - b.start + 1]! - b.offsets[e - b.start]!;
        if (bytes % size !== 0) throw bad('an entry is not a whole number of elements');
        offsets[e - first] = total;
        total += bytes / size;
      }
      skip = b.offsets[from - b.start]! / size;
      if (!Number.isInteger(skip)) throw bad('an entry does not start on an element');
    } else {
      if (!counts) throw new Error(`${name}: counts needed for a basket without entry offsets`);
      let all = 0;
      for (let e = b.start; e < b.end; e++) {
        const n = counts[e - countsFrom]!;
        if (!(n >= 0)) throw bad(`a negative or missing count in its counter at entry ${e}`);
        if (e === from) skip = all;
        if (e >= from && e < to) {
          offsets[e - first] = total;
          total += n;
        }
        all += n;
      }
      if (all * size !== b.data.byteLength) throw bad(`its counter says ${all} elements, the basket holds ${b.data.byteLength / size}`);
    }
    starts.push({ b, skip });
  }
  offsets[end - first] = total;
  if (total > 0xffffffff) throw bad('more than 2^32 elements in one read');

  const values = new Float64Array(total);
  let o = 0;
  for (const { b, skip } of starts) {
    const v = b.data;
    const from = Math.max(first, b.start);
    const to = Math.min(end, b.end);
    const n = offsets[to - first]! - offsets[from - first]!;
    let p = skip * size;
    if (p + n * size > v.byteLength) throw bad('elements run past the end of a basket');
    const stop = o + n;
    switch (kind) {
      case 'f64': for (; o < stop; o++, p += 8) values[o] = v.getFloat64(p); break;
      case 'f32': for (; o < stop; o++, p += 4) values[o] = v.getFloat32(p); break;
      case 'i32': for (; o < stop; o++, p += 4) values[o] = v.getInt32(p); break;
      case 'u32': for (; o < stop; o++, p += 4) values[o] = v.getUint32(p); break;
      case 'i16': for (; o < stop; o++, p += 2) values[o] = v.getInt16(p); break;
      case 'u16': for (; o < stop; o++, p += 2) values[o] = v.getUint16(p); break;
      case 'i8': for (; o < stop; o++, p += 1) values[o] = v.getInt8(p); break;
      case 'u8': for (; o < stop; o++, p += 1) values[o] = v.getUint8(p); break;
      case 'bool': for (; o < stop; o++, p += 1) values[o] = v.getUint8(p) === 0 ? 0 : 1; break;
      case 'i64': for (; o < stop; o++, p += 8) values[o] = v.getInt32(p) * TWO_32 + v.getUint32(p + 4); break;
      case 'u64': for (; o < stop; o++, p += 8) values[o] = v.getUint32(p) * TWO_32 + v.getUint32(p + 4); break;
    }
  }
  return { offsets, values };
}
