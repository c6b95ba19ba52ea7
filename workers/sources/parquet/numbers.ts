// Stored Parquet values → numbers, in bulk per page (or per dictionary).
import { parseDecimal, parseFloat16 } from 'hyparquet/src/convert.js';
import type { DecodedArray } from 'hyparquet/src/types.js';
import type { ColumnPlan } from './columns';

export type Numbers = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

const TWO_32 = 4294967296;
const JULIAN_EPOCH = 2440588; // Julian day number of 1970-01-01

/**
 * Converts the non-null values of a page; sets `lossy.hit` when an integer is
 * beyond ±2^53 (not for timestamps and decimals: as seconds or fractions they
 * are approximate anyway).
 */
export function toNumbers(raw: DecodedArray, plan: ColumnPlan, lossy: { hit: boolean }): Numbers {
  const scaled = plan.mul !== 1 || plan.div !== 1;
  let out: Numbers;
  switch (plan.base) {
    case 'int32':
      out = raw instanceof Int32Array ? raw : Float64Array.from(raw as ArrayLike<number>, Number);
      break;
    case 'uint32':
      out = raw instanceof Int32Array ? new Uint32Array(raw.buffer, raw.byteOffset, raw.length) : Float64Array.from(raw as ArrayLike<number>, (v) => Number(v) >>> 0);
      break;
    case 'int64': case 'uint64':
      out = int64(raw, plan.base === 'int64', scaled ? { hit: false } : lossy);
      break;
    case 'float':
      out = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>, Number);
      break;
    case 'double':
      out = raw instanceof Float64Array ? raw : Float64Array.from(raw as ArrayLike<number>, Number);
      break;
    case 'bool':
      out = raw instanceof Uint8Array ? raw : Uint8Array.from(raw as ArrayLike<number>, (v) => (v ? 1 : 0));
      break;
    case 'int96':
      out = Float64Array.from(raw as ArrayLike<bigint>, int96Seconds);
      break;
    case 'float16':
      out = Float32Array.from(raw as ArrayLike<Uint8Array>, (b) => parseFloat16(b) ?? NaN);
      break;
    case 'decimalBytes':
      out = Float64Array.from(raw as ArrayLike<Uint8Array>, parseDecimal);
      break;
    case 'string':
      throw new Error('internal: strings are not numbers');
  }
  if (!scaled) return out;
  const { mul, div } = plan;
  const f = new Float64Array(out.length);
  for (let i = 0; i < f.length; i++) f[i] = (out[i]! * mul) / div;
  return f;
}

/** Exact below ±2^53 and correctly rounded beyond: hi·2^32 and lo are exact, so their sum rounds once. */
function int64(raw: DecodedArray, signed: boolean, lossy: { hit: boolean }): Float64Array {
  if (!(raw instanceof BigInt64Array || raw instanceof BigUint64Array)) {
    return Float64Array.from(raw as ArrayLike<bigint>, (v) => Number(signed ? BigInt.asIntN(64, BigInt(v)) : BigInt.asUintN(64, BigInt(v))));
  }
  const n = raw.length;
  const out = new Float64Array(n);
  // little-endian halves: every platform Sift runs on (x86, ARM) is little-endian
  const w = new Int32Array(raw.buffer, raw.byteOffset, n * 2);
  let beyond = false;
  if (signed) {
    for (let i = 0; i < n; i++) {
      const lo = w[2 * i]! >>> 0, hi = w[2 * i + 1]!;
      out[i] = hi * TWO_32 + lo;
      if ((hi + 0x200000) >>> 0 > 0x400000 || (hi === 0x200000 && lo !== 0)) beyond = true;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const lo = w[2 * i]! >>> 0, hi = w[2 * i + 1]! >>> 0;
      out[i] = hi * TWO_32 + lo;
      if (hi > 0x200000 || (hi === 0x200000 && lo !== 0)) beyond = true;
    }
  }
  if (beyond) lossy.hit = true;
  return out;
}

/** INT96: nanoseconds of the day (low 64 bits) and a Julian day (high 32 bits). */
function int96Seconds(v: bigint): number {
  const days = Number(v >> 64n) - JULIAN_EPOCH;
  const nanos = Number(BigInt.asUintN(64, v));
  return days * 86400 + nanos / 1e9;
}
