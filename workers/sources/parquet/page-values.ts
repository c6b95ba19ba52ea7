// One data page of a flat column → its null mask and its non-null values (or
// dictionary indices). hyparquet's readDataPage does the same but builds JS
// arrays of levels and indices per row; for flat columns typed arrays and a
// "no nulls" shortcut decode several times faster. hyparquet's primitives
// (plain, RLE/bit-packed, delta, byte-stream-split) still do the decoding.
import { deltaBinaryUnpack, deltaByteArray, deltaLengthByteArray } from 'hyparquet/src/delta.js';
import { byteStreamSplit, readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { readVarInt } from 'hyparquet/src/thrift.js';
import type { DataPageHeader, DataReader, DecodedArray, Encoding, PageHeader, ParquetType } from 'hyparquet/src/types.js';

export interface PageValues {
  /** 1 where a row has a value, 0 where it is null; null when no row is null */
  defs: Uint8Array | null;
  /** the non-null values, or indices into the chunk's dictionary when `coded` */
  values: DecodedArray;
  coded: boolean;
}

/** A V1 page, already decompressed: [definition levels with a 4-byte length][values]. */
export function readPageV1(page: Uint8Array, daph: DataPageHeader, type: ParquetType, typeLength: number | undefined, optional: boolean): PageValues {
  const r: DataReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
  const n = daph.num_values;
  let defs: Uint8Array | null = null;
  if (optional) {
    const length = r.view.getUint32(r.offset, true);
    r.offset += 4;
    defs = levels(r, n, length);
    r.offset += length;
  }
  return { defs, ...readValues(r, daph.encoding, countPresent(defs, n), type, typeLength) };
}

/** A V2 page: levels stay uncompressed in front; only the values are compressed. */
export function readPageV2(
  body: Uint8Array, header: PageHeader, type: ParquetType, typeLength: number | undefined, optional: boolean,
  decompress: (bytes: Uint8Array, size: number) => Uint8Array,
): PageValues {
  const h = header.data_page_header_v2!;
  const n = h.num_values;
  const levelBytes = h.repetition_levels_byte_length + h.definition_levels_byte_length;
  let defs: Uint8Array | null = null;
  if (optional && h.num_nulls > 0) {
    defs = levels({ view: new DataView(body.buffer, body.byteOffset, body.byteLength), offset: h.repetition_levels_byte_length }, n, h.definition_levels_byte_length);
  }
  let values = body.subarray(levelBytes);
  if (h.is_compressed !== false) values = decompress(values, header.uncompressed_page_size - levelBytes);
  const r: DataReader = { view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: 0 };
  return { defs, ...readValues(r, h.encoding, countPresent(defs, n), type, typeLength) };
}

/** Definition levels of a flat optional column (bit width 1); null when all rows are present. */
function levels(r: DataReader, n: number, length: number): Uint8Array | null {
  const start = r.offset;
  const peek = { view: r.view, offset: start };
  const run = readVarInt(peek);
  // one RLE run over the whole page: the common "no nulls" (or "all null") page
  if ((run & 1) === 0 && run >>> 1 >= n) {
    return r.view.getUint8(peek.offset) === 1 ? null : new Uint8Array(n);
  }
  const defs = new Uint8Array(n);
  hybrid({ view: r.view, offset: start }, 1, defs, length);
  return defs;
}

/**
 * hyparquet's RLE/bit-packed decoder, after a scan of the run headers that
 * refuses a run longer than the values left: hyparquet repeats an RLE run
 * `count` times whatever the output's length, so one damaged header (a count
 * near 2^31) held the thread for seconds. Bit-packed runs are bounded by the
 * bytes they read.
 */
export function hybrid(r: DataReader, width: number, output: Uint8Array | Uint32Array, length?: number): void {
  if (length === undefined) {
    length = r.view.getUint32(r.offset, true);
    r.offset += 4;
  }
  const at = r.offset;
  const end = Math.min(r.view.byteLength, at + length);
  const scan: DataReader = { view: r.view, offset: at };
  for (let seen = 0; seen < output.length;) {
    if (scan.offset >= end) break; // hyparquet reports the bytes running out
    const header = readVarInt(scan);
    if (header & 1) {
      seen += (header >>> 1) * 8;
      scan.offset += (header >>> 1) * width;
    } else {
      const count = header >>> 1;
      // the last bit-packed group pads to 8 values; an RLE run has no reason to overshoot
      if (count > output.length - seen + 8) throw new Error(`a run of ${count} values where ${output.length - seen} remain`);
      seen += count;
      scan.offset += (width + 7) >> 3;
    }
  }
  readRleBitPackedHybrid(r, width, output, length);
}

function countPresent(defs: Uint8Array | null, n: number): number {
  if (!defs) return n;
  let k = 0;
  for (let i = 0; i < n; i++) k += defs[i]!;
  return k;
}

function readValues(r: DataReader, encoding: Encoding, count: number, type: ParquetType, typeLength: number | undefined): { values: DecodedArray; coded: boolean } {
  switch (encoding) {
    case 'PLAIN':
      return { values: type === 'BOOLEAN' ? plainBooleans(r, count) : readPlain(r, type, count, typeLength), coded: false };
    case 'PLAIN_DICTIONARY': case 'RLE_DICTIONARY': {
      const indices = new Uint32Array(count);
      const width = count > 0 ? r.view.getUint8(r.offset++) : 0;
      if (width) hybrid(r, width, indices, r.view.byteLength - r.offset);
      return { values: indices, coded: true };
    }
    case 'RLE': {
      if (type !== 'BOOLEAN') throw new Error(`RLE encoding of ${type} values`);
      const bits = new Uint8Array(count);
      hybrid(r, 1, bits);
      return { values: bits, coded: false };
    }
    case 'DELTA_BINARY_PACKED': {
      if (type !== 'INT32') {
        const out = new BigInt64Array(count);
        if (count > 0) deltaBinaryUnpack(r, count, out);
        return { values: out, coded: false };
      }
      const out = new Int32Array(count);
      if (count > 0) {
        const first = firstValue32(r);
        deltaBinaryUnpack(r, count, out);
        // hyparquet reads the first value with 32-bit zigzag, dropping bit 32, which DuckDB sets for UINT32 values ≥ 2^31;
        // every later value is the first plus deltas (mod 2^32), so one offset mends the page
        const shift = (first - out[0]!) | 0;
        if (shift !== 0) for (let i = 0; i < count; i++) out[i] = (out[i]! + shift) | 0;
      }
      return { values: out, coded: false };
    }
    case 'DELTA_LENGTH_BYTE_ARRAY': case 'DELTA_BYTE_ARRAY': {
      const out: Uint8Array[] = new Array(count);
      if (count > 0) (encoding === 'DELTA_BYTE_ARRAY' ? deltaByteArray : deltaLengthByteArray)(r, count, out);
      return { values: out, coded: false };
    }
    case 'BYTE_STREAM_SPLIT':
      return { values: byteStreamSplit(r, count, type, typeLength), coded: false };
    default:
      throw new Error(`unsupported page encoding ${encoding}`);
  }
}

/** The first value of an INT32 DELTA_BINARY_PACKED run, modulo 2^32, from a zigzag varint of up to 64 bits. */
function firstValue32(r: DataReader): number {
  const p: DataReader = { view: r.view, offset: r.offset };
  readVarInt(p); // block size
  readVarInt(p); // miniblocks per block
  readVarInt(p); // value count
  const start = p.offset;
  const low = readVarInt(p);
  const bit32 = p.offset - start >= 5 ? (r.view.getUint8(start + 4) >> 4) & 1 : 0;
  return (((low >>> 1) | (bit32 << 31)) ^ -(low & 1)) | 0;
}

function plainBooleans(r: DataReader, count: number): Uint8Array {
  const bytes = new Uint8Array(r.view.buffer, r.view.byteOffset + r.offset, Math.ceil(count / 8));
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  r.offset += bytes.length;
  return out;
}
