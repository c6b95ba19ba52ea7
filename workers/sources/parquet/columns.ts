// Which Parquet columns Sift reads, as what, and how their stored values
// become numbers. Only flat top-level columns are read; anything nested is
// listed as unsupported with the reason.
import { parquetSchema } from 'hyparquet/src/metadata.js';
import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet/src/types.js';
import type { ColumnType } from '../../store/types';
import type { SourceColumn } from '../source';

/** How one stored value becomes a number (or, for 'string', a dictionary entry). */
export type Base =
  | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float' | 'double' | 'bool'
  | 'int96' | 'float16' | 'decimalBytes' | 'string';

export interface ColumnPlan {
  name: string;
  /** index of this column's chunk in every row group */
  leaf: number;
  element: SchemaElement;
  /** 1 for an optional column (definition levels present), 0 for a required one */
  maxDef: number;
  base: Base;
  /** numbers are `stored * mul / div`: dates and timestamps to seconds, decimals to their value */
  mul: number;
  div: number;
}

export interface ParquetColumns {
  columns: SourceColumn[];
  plans: ColumnPlan[];
  unsupported: { name: string; reason: string }[];
}

interface Mapping {
  type: ColumnType;
  base: Base;
  mul?: number;
  div?: number;
  unit?: string;
  time?: 'date' | 'timestamp';
  description?: string;
}

const EPOCH = 'seconds since 1970-01-01 UTC';
const TO_SECONDS = { MILLIS: 1e3, MICROS: 1e6, NANOS: 1e9 } as const;

export function planColumns(md: FileMetaData): ParquetColumns {
  const root = parquetSchema(md);
  const columns: SourceColumn[] = [];
  const plans: ColumnPlan[] = [];
  const unsupported: { name: string; reason: string }[] = [];
  let leaf = 0;
  for (const node of root.children) {
    const { element } = node;
    const name = element.name;
    const first = leaf;
    leaf += leaves(node);
    const why = nestedReason(node);
    if (why) { unsupported.push({ name, reason: why }); continue; }
    const m = mapElement(element);
    if ('reason' in m) { unsupported.push({ name, reason: m.reason }); continue; }
    const chunkPath = md.row_groups[0]?.columns[first]?.meta_data?.path_in_schema;
    if (chunkPath && (chunkPath.length !== 1 || chunkPath[0] !== name)) {
      unsupported.push({ name, reason: `its column chunks are out of step with the schema (found ${chunkPath.join('.')})` });
      continue;
    }
    if (md.row_groups.some((rg) => rg.columns[first]?.file_path)) {
      unsupported.push({ name, reason: 'its data lives in another file (column chunk file_path), which Sift does not follow' });
      continue;
    }
    const maxDef = element.repetition_type === 'OPTIONAL' ? 1 : 0;
    let { type, description } = m;
    // Integer storage has no NaN: a column that can hold nulls is read as f64.
    if (maxDef && type !== 'f64' && type !== 'f32' && type !== 'dict' && mayHoldNulls(md, first)) {
      description = `${description ?? physicalName(element)}; holds nulls, so read as f64 (null → NaN)`;
      type = 'f64';
    }
    columns.push({
      name, type,
      ...(m.unit ? { unit: m.unit } : {}),
      ...(m.time ? { time: m.time } : {}),
      ...(description ? { description } : {}),
    });
    plans.push({ name, leaf: first, element, maxDef, base: m.base, mul: m.mul ?? 1, div: m.div ?? 1 });
  }
  return { columns, plans, unsupported };
}

/** Statistics answer "are there nulls?" when every row group has them; otherwise an optional column might. */
function mayHoldNulls(md: FileMetaData, leaf: number): boolean {
  let nulls = 0n;
  for (const rg of md.row_groups) {
    const n = rg.columns[leaf]?.meta_data?.statistics?.null_count;
    if (n === undefined || n === null) return true;
    nulls += BigInt(n);
  }
  return nulls > 0n;
}

function leaves(node: SchemaTree): number {
  return node.children.length === 0 ? 1 : node.children.reduce((n, c) => n + leaves(c), 0);
}

function nestedReason(node: SchemaTree): string | null {
  const { element } = node;
  const lt = element.logical_type?.type;
  const ct = element.converted_type;
  if (lt === 'LIST' || ct === 'LIST') return 'list column (several values per row); Sift reads flat columns only';
  if (lt === 'MAP' || ct === 'MAP' || ct === 'MAP_KEY_VALUE') return 'map column; Sift reads flat columns only';
  if (lt === 'VARIANT') return 'variant column; Sift reads flat columns only';
  if (element.repetition_type === 'REPEATED') return 'repeated field (several values per row); Sift reads flat columns only';
  if (node.children.length > 0) return `nested group of ${node.children.length} fields (a struct); Sift reads flat columns only`;
  return null;
}

function mapElement(el: SchemaElement): Mapping | { reason: string } {
  const phys = el.type;
  const lt = el.logical_type;
  const ct = el.converted_type;
  const physName = physicalName(el);

  if (ct === 'DECIMAL' || lt?.type === 'DECIMAL') {
    const scale = el.scale ?? (lt?.type === 'DECIMAL' ? lt.scale : 0) ?? 0;
    const precision = el.precision ?? (lt?.type === 'DECIMAL' ? lt.precision : undefined);
    const description = `DECIMAL(${precision ?? '?'}, ${scale}) as f64`;
    const div = 10 ** scale;
    if (phys === 'INT32') return { type: 'f64', base: 'int32', div, description };
    if (phys === 'INT64') return { type: 'f64', base: 'int64', div, description };
    if (phys === 'BYTE_ARRAY' || phys === 'FIXED_LEN_BYTE_ARRAY') return { type: 'f64', base: 'decimalBytes', div, description };
    return { reason: `DECIMAL stored as ${phys}, which the Parquet spec does not allow` };
  }
  if (lt?.type === 'DATE' || ct === 'DATE') {
    return { type: 'f64', base: 'int32', mul: 86400, unit: 's', time: 'date', description: `DATE, as ${EPOCH}` };
  }
  if (lt?.type === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') {
    const unit = lt?.type === 'TIMESTAMP' ? lt.unit : ct === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS';
    // a zone-less timestamp keeps its wall-clock reading, as if it were UTC (DuckDB's TIMESTAMP does the same)
    const zone = lt?.type === 'TIMESTAMP' && !lt.isAdjustedToUTC ? ', no time zone: wall clock read as UTC' : '';
    if (phys !== 'INT64') return { reason: `TIMESTAMP stored as ${phys}` };
    return { type: 'f64', base: 'int64', div: TO_SECONDS[unit], unit: 's', time: 'timestamp', description: `TIMESTAMP(${unit}${zone}), as ${EPOCH}` };
  }
  if (phys === 'INT96') {
    return { type: 'f64', base: 'int96', unit: 's', time: 'timestamp', description: `INT96 timestamp (legacy Impala/Spark), as ${EPOCH}` };
  }
  if (lt?.type === 'TIME' || ct === 'TIME_MILLIS' || ct === 'TIME_MICROS') {
    const unit = lt?.type === 'TIME' ? lt.unit : ct === 'TIME_MILLIS' ? 'MILLIS' : 'MICROS';
    const base = phys === 'INT32' ? 'int32' : 'int64';
    return { type: 'f64', base, div: TO_SECONDS[unit], unit: 's', description: `TIME(${unit}), as seconds since midnight` };
  }
  if (lt?.type === 'FLOAT16') {
    return { type: 'f32', base: 'float16', description: 'FLOAT16' };
  }
  if (lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'JSON' || ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON') {
    if (phys !== 'BYTE_ARRAY' && phys !== 'FIXED_LEN_BYTE_ARRAY') return { reason: `text annotation on ${phys}` };
    return { type: 'dict', base: 'string', ...(lt?.type === 'JSON' || ct === 'JSON' ? { description: 'JSON text' } : {}) };
  }
  if (lt?.type === 'UUID') return { reason: 'UUID column (16-byte binary)' };
  if (lt?.type === 'GEOMETRY' || lt?.type === 'GEOGRAPHY') return { reason: `${lt.type.toLowerCase()} column (WKB binary)` };
  if (lt?.type === 'BSON' || ct === 'BSON') return { reason: 'BSON column (binary documents)' };
  if (lt?.type === 'INTERVAL' || ct === 'INTERVAL') return { reason: 'INTERVAL column (months, days, milliseconds)' };

  const integer = lt?.type === 'INTEGER' ? lt : ctInteger(ct);
  switch (phys) {
    case 'BOOLEAN': return { type: 'bool', base: 'bool' };
    case 'INT32':
      if (integer && !integer.isSigned) return { type: 'u32', base: 'uint32', description: `UINT${integer.bitWidth}` };
      return { type: 'i32', base: 'int32', ...(integer && integer.bitWidth < 32 ? { description: `INT${integer.bitWidth}` } : {}) };
    case 'INT64':
      if (integer && !integer.isSigned) return { type: 'u64', base: 'uint64', description: 'UINT64' };
      return { type: 'i64', base: 'int64' };
    case 'FLOAT': return { type: 'f32', base: 'float' };
    case 'DOUBLE': return { type: 'f64', base: 'double' };
    case 'BYTE_ARRAY':
      return { reason: 'binary column (BYTE_ARRAY without a STRING annotation); if it holds text, write it with a string type' };
    case 'FIXED_LEN_BYTE_ARRAY':
      return { reason: `fixed-length binary column (${el.type_length ?? '?'} bytes)` };
    default:
      return { reason: `${physName} values` };
  }
}

function ctInteger(ct: SchemaElement['converted_type']): { bitWidth: number; isSigned: boolean } | null {
  const m = ct ? /^(U?)INT_(8|16|32|64)$/.exec(ct) : null;
  return m ? { bitWidth: Number(m[2]), isSigned: m[1] === '' } : null;
}

function physicalName(el: SchemaElement): string {
  return el.type ?? 'group';
}
