// Which Arrow fields Sift reads, as what, and how their stored values become numbers.
import { DataType, DateUnit, Precision, TimeUnit, type Field, type Schema } from 'apache-arrow';
import type { ColumnType } from '../../store/types';
import type { SourceColumn } from '../source';

/** How one stored value becomes a number, or which kind of strings a column holds. */
export type Conversion =
  | { kind: 'number'; mul: number; div: number }
  | { kind: 'int64'; signed: boolean; div: number }
  | { kind: 'bool' }
  | { kind: 'half' }
  | { kind: 'decimal'; words: number; div: number }
  | { kind: 'strings' }
  | { kind: 'dictionary' };

export interface ArrowPlan {
  name: string;
  /** position among the schema's top-level fields */
  field: number;
  /** position of its FieldNode in a record batch's metadata */
  node: number;
  conversion: Conversion;
}

export interface ArrowColumns {
  columns: SourceColumn[];
  plans: ArrowPlan[];
  unsupported: { name: string; reason: string }[];
}

interface Mapping {
  type: ColumnType;
  conversion: Conversion;
  unit?: string;
  time?: 'date' | 'timestamp';
  description?: string;
}

const EPOCH = 'seconds since 1970-01-01 UTC';
const PER_SECOND: Record<number, number> = { [TimeUnit.SECOND]: 1, [TimeUnit.MILLISECOND]: 1e3, [TimeUnit.MICROSECOND]: 1e6, [TimeUnit.NANOSECOND]: 1e9 };
const UNIT_NAME: Record<number, string> = { [TimeUnit.SECOND]: 's', [TimeUnit.MILLISECOND]: 'ms', [TimeUnit.MICROSECOND]: 'µs', [TimeUnit.NANOSECOND]: 'ns' };

/** `hasNulls(field, node)`: whether any batch holds a null in that field. */
export function planColumns(schema: Schema, hasNulls: (field: number, node: number) => boolean): ArrowColumns {
  const columns: SourceColumn[] = [];
  const plans: ArrowPlan[] = [];
  const unsupported: { name: string; reason: string }[] = [];
  let node = 0;
  schema.fields.forEach((f, field) => {
    const first = node;
    node += nodes(f.type);
    const m = mapType(f);
    if ('reason' in m) { unsupported.push({ name: f.name, reason: m.reason }); return; }
    let { type, description } = m;
    // integer storage has no NaN: a column holding nulls is read as f64
    if (type !== 'f64' && type !== 'f32' && type !== 'dict' && f.nullable && hasNulls(field, first)) {
      description = `${description ?? String(f.type)}; holds nulls, so read as f64 (null → NaN)`;
      type = 'f64';
    }
    columns.push({ name: f.name, type, ...(m.unit ? { unit: m.unit } : {}), ...(m.time ? { time: m.time } : {}), ...(description ? { description } : {}) });
    plans.push({ name: f.name, field, node: first, conversion: m.conversion });
  });
  return { columns, plans, unsupported };
}

/** FieldNodes a field takes in a record batch: its own, then its children's, depth first (a dictionary's values live elsewhere). */
export function nodes(type: DataType): number {
  if (DataType.isDictionary(type)) return 1;
  return 1 + (type.children ?? []).reduce((n: number, c: Field) => n + nodes(c.type), 0);
}

function mapType(f: Field): Mapping | { reason: string } {
  const t = f.type as DataType;
  const num = (mul = 1, div = 1): Conversion => ({ kind: 'number', mul, div });
  if (DataType.isInt(t)) {
    if (t.bitWidth === 64) return { type: t.isSigned ? 'i64' : 'u64', conversion: { kind: 'int64', signed: t.isSigned, div: 1 } };
    if (t.isSigned || t.bitWidth < 32) return { type: 'i32', conversion: num() };
    return { type: 'u32', conversion: num() };
  }
  if (DataType.isFloat(t)) {
    if (t.precision === Precision.HALF) return { type: 'f32', conversion: { kind: 'half' }, description: 'float16' };
    return { type: t.precision === Precision.SINGLE ? 'f32' : 'f64', conversion: num() };
  }
  if (DataType.isBool(t)) return { type: 'bool', conversion: { kind: 'bool' } };
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t) || DataType.isUtf8View(t)) return { type: 'dict', conversion: { kind: 'strings' } };
  if (DataType.isDictionary(t)) {
    const v = t.dictionary;
    if (DataType.isUtf8(v) || DataType.isLargeUtf8(v) || DataType.isUtf8View(v)) return { type: 'dict', conversion: { kind: 'dictionary' } };
    return { reason: `dictionary of ${String(v)} values; Sift reads dictionaries of strings` };
  }
  if (DataType.isDate(t)) {
    return t.unit === DateUnit.DAY
      ? { type: 'f64', conversion: num(86400), unit: 's', time: 'date', description: `date (days), as ${EPOCH}` }
      : { type: 'f64', conversion: { kind: 'int64', signed: true, div: 1e3 }, unit: 's', time: 'date', description: `date (ms), as ${EPOCH}` };
  }
  if (DataType.isTimestamp(t)) {
    const zone = t.timezone ? `, zone ${t.timezone}` : ', no time zone: wall clock read as UTC';
    return { type: 'f64', conversion: { kind: 'int64', signed: true, div: PER_SECOND[t.unit]! }, unit: 's', time: 'timestamp', description: `timestamp (${UNIT_NAME[t.unit]}${zone}), as ${EPOCH}` };
  }
  if (DataType.isTime(t)) {
    const div = PER_SECOND[t.unit]!;
    const conversion: Conversion = t.bitWidth === 64 ? { kind: 'int64', signed: true, div } : num(1, div);
    return { type: 'f64', conversion, unit: 's', description: `time of day (${UNIT_NAME[t.unit]}), as seconds since midnight` };
  }
  if (DataType.isDuration(t)) {
    return { type: 'f64', conversion: { kind: 'int64', signed: true, div: PER_SECOND[t.unit]! }, unit: 's', description: `duration (${UNIT_NAME[t.unit]}), as seconds` };
  }
  if (DataType.isDecimal(t)) {
    return { type: 'f64', conversion: { kind: 'decimal', words: t.bitWidth / 32, div: 10 ** t.scale }, description: `decimal(${t.precision}, ${t.scale}) as f64` };
  }
  if (DataType.isList(t) || DataType.isLargeList(t) || DataType.isFixedSizeList(t)) return { reason: 'list column (several values per row); Sift reads flat columns only' };
  if (DataType.isStruct(t)) return { reason: `struct of ${t.children.length} fields; Sift reads flat columns only` };
  if (DataType.isMap(t)) return { reason: 'map column; Sift reads flat columns only' };
  if (DataType.isUnion(t)) return { reason: 'union column; Sift reads flat columns only' };
  if (DataType.isBinary(t) || DataType.isLargeBinary(t) || DataType.isFixedSizeBinary(t) || DataType.isBinaryView(t)) return { reason: 'binary column' };
  if (DataType.isInterval(t)) return { reason: 'interval column (calendar units)' };
  if (DataType.isNull(t)) return { reason: 'null column (no values)' };
  return { reason: `${String(t)} values` };
}
