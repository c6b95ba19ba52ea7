// For this folder's tests: a stand-in for the engine's page loop (widen on
// retype, ask again) and a DecodeContext that runs the worker decoder inline
// over a WebAssembly.Memory, the way a kernel worker would.
import type { DecodeReport, DecodeSpanTask, DecodeTask, RangeScanTask } from '../../protocol';
import type { ColumnType } from '../../store/types';
import type { DecodeContext, PageRequest, Source } from '../source';
import { memoryReader } from '../bytes';
import { decodeCsv, decodeCsvSpan } from './decode';
import { openCsv, type CsvOpenOptions } from './open';
import type { ChunkIndex } from './row-index';
import { scanCsvRange } from './range-scan';
import type { Kernels } from '../../../kernels/test/wasm';

export type Values = (number | string)[];

export interface Table {
  names: string[];
  types: ColumnType[];
  columns: Values[];
  /** every retype reason met, in order */
  retypes: string[];
}

type Dest = Float64Array | Float32Array | Int32Array | Uint8Array | Uint16Array;
export type Alloc = (type: ColumnType, rows: number) => Dest;

const ARRAYS = { i32: Int32Array, f32: Float32Array, u8: Uint8Array, u16: Uint16Array } as const;
const arrayOf = (type: ColumnType) => ARRAYS[type as keyof typeof ARRAYS] ?? Float64Array;

export const plainAlloc: Alloc = (type, rows) => new (arrayOf(type))(rows);

export function openText(text: string | Uint8Array, opts: CsvOpenOptions = {}, name = 'test.csv'): Promise<Source> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return openCsv(memoryReader(bytes, name), opts);
}

/** Every value of the requested columns (default all), widening as the engine would. */
export async function readAll(src: Source, alloc: Alloc = plainAlloc, only?: number[]): Promise<Table> {
  const { schema } = src;
  const cols = only ?? schema.columns.map((_, j) => j);
  const types = schema.columns.map((c) => c.type);
  const columns: Values[] = schema.columns.map(() => []);
  const retypes: string[] = [];
  for (const j of cols) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 3) throw new Error(`column ${j} keeps retyping`);
      const out: Values = [];
      let widened = false;
      for (let c = 0; c < schema.chunkRows.length && !widened; c++) {
        const rows = schema.chunkRows[c]!;
        const dest = types[j] === 'dict' ? null : alloc(types[j]!, rows);
        const [r] = await src.read(c, [{ column: j, dest } as PageRequest]);
        if (r!.kind === 'retype') {
          retypes.push(r!.reason);
          types[j] = r!.type;
          widened = true;
        } else if (r!.kind === 'dict') {
          for (const code of r!.codes) out.push(r!.dictionary[code]!);
        } else {
          for (let i = 0; i < rows; i++) out.push(dest![i]!);
        }
      }
      if (!widened) { columns[j] = out; break; }
    }
  }
  return { names: schema.columns.map((c) => c.name), types, columns, retypes };
}

/**
 * A DecodeContext over `memory`: tasks run decodeCsv inline, as a kernel
 * worker would; `alloc` hands out destinations inside the same memory. With
 * `kernels` (over that memory), tasks get scratch and the WASM path.
 */
export function memoryContext(memory: WebAssembly.Memory, kernels?: Kernels): {
  ctx: DecodeContext; alloc: Alloc; tasks: DecodeTask[]; spans: DecodeSpanTask[]; reports: DecodeReport[];
} {
  let top = 64;
  const tasks: DecodeTask[] = [];
  const spans: DecodeSpanTask[] = [];
  const reports: DecodeReport[] = [];
  const bump = (bytes: number): number => {
    if (kernels) return kernels.alloc(bytes);
    const ptr = (top + 15) & ~15;
    top = ptr + bytes;
    const need = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
    if (need > 0) memory.grow(need);
    return ptr;
  };
  const alloc: Alloc = (type, rows) => {
    const A = arrayOf(type);
    const ptr = bump(A.BYTES_PER_ELEMENT * rows);
    return new A(memory.buffer, ptr, rows);
  };
  const free = new Map<number, number[]>();
  const lend = <T extends { scratchBytes?: number; scratch?: { ptr: number; bytes: number } }>(t: T): T =>
    (kernels && t.scratchBytes ? { ...t, scratch: { ptr: bump(t.scratchBytes), bytes: t.scratchBytes } } : t);
  const ctx: DecodeContext = {
    parallelism: 2,
    async decode(task: DecodeTask): Promise<DecodeReport> {
      tasks.push(task);
      // a worker sees only plain data: round-trip the task as postMessage would
      const r = await decodeCsv(structuredClone(lend(task)), memory, kernels?.exports);
      reports.push(r);
      return r;
    },
    async decodeSpan(task: DecodeSpanTask): Promise<DecodeReport[]> {
      spans.push(task);
      const rs = await decodeCsvSpan(structuredClone(lend(task)), memory, kernels?.exports);
      reports.push(...rs);
      return rs;
    },
    async scanRange(task: RangeScanTask): Promise<unknown> {
      // scratch back to a free list after each task, as the engine's pool does: tests scan thousands of tiny ranges
      const bytes = task.scratchBytes ?? 0;
      const ptr = kernels && bytes ? (free.get(bytes)?.pop() ?? bump(bytes)) : 0;
      try {
        return await scanCsvRange(structuredClone(ptr ? { ...task, scratch: { ptr, bytes } } : task), memory, kernels?.exports);
      } finally {
        if (ptr) free.set(bytes, [...(free.get(bytes) ?? []), ptr]);
      }
    },
  };
  return { ctx, alloc, tasks, spans, reports };
}

// ------------------------------------------------ the indexing pass's references

/** Record boundaries by quote parity, one byte at a time. */
export function reference(u8: Uint8Array, start: number, chunkRows: number): Omit<ChunkIndex, 'skipped' | 'bad'> {
  const ix = { starts: [] as number[], ends: [] as number[], lines: [] as number[], rows: [] as number[], total: 0 };
  let inQ = false;
  let line = 1;
  let recStart = start;
  let recLine = 1;
  for (let i = 0; i < start; i++) if (u8[i] === 10) line++;
  recLine = line;
  let n = 0;
  const close = (next: number) => {
    const body = u8.subarray(recStart, next);
    const blank = body.length === 0 || (body.length === 1 && body[0] === 13) || (body.length === 1 && body[0] === 10) || (body.length === 2 && body[0] === 13 && body[1] === 10);
    if (!blank) {
      if (n === 0) { ix.starts.push(recStart); ix.lines.push(recLine); }
      n++;
      ix.total++;
      if (n === chunkRows) { ix.ends.push(next); ix.rows.push(n); n = 0; }
    }
  };
  for (let i = start; i < u8.length; i++) {
    const b = u8[i];
    if (b === 34) inQ = !inQ;
    if (b === 10) {
      line++;
      if (!inQ) { close(i + 1); recStart = i + 1; recLine = line; }
    }
  }
  if (recStart < u8.length) close(u8.length);
  if (n > 0) { ix.ends.push(u8.length); ix.rows.push(n); }
  return ix;
}

/** After the first newline outside quotes (a header's end). */
export function firstRecordEnd(u8: Uint8Array): number {
  let inQ = false;
  for (let i = 0; i < u8.length; i++) {
    if (u8[i] === 34) inQ = !inQ;
    else if (u8[i] === 10 && !inQ) return i + 1;
  }
  return u8.length;
}

export function randomCsv(rnd: () => number, rows: number): string {
  const parts: string[] = [];
  for (let r = 0; r < rows; r++) {
    const fields: string[] = [];
    for (let f = 0; f < 3; f++) {
      const k = rnd();
      if (k < 0.2) fields.push(`"${'a"\n,\r*\n'.split('').filter(() => rnd() < 0.5).join('').replaceAll('"', '""')}"`);
      else if (k < 0.3) fields.push('');
      // '*' and STX share the step test's pattern with '"' and LF
      else if (k < 0.35) fields.push(rnd() < 0.5 ? '**' : '\u0002*');
      else fields.push(String(Math.floor(rnd() * 1e6)));
    }
    parts.push(fields.join(','));
    const end = rnd();
    parts.push(end < 0.5 ? '\n' : end < 0.8 ? '\r\n' : end < 0.9 ? '\n\n' : '\r\n\r\n');
  }
  if (rnd() < 0.5) parts.pop();
  return parts.join('');
}
