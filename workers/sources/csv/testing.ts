// For this folder's tests: a stand-in for the engine's page loop (widen on
// retype, ask again) and a DecodeContext that runs the worker decoder inline
// over a WebAssembly.Memory, the way a kernel worker would.
import type { DecodeReport, DecodeTask } from '../../protocol';
import type { ColumnType } from '../../store/types';
import type { DecodeContext, PageRequest, Source } from '../source';
import { memoryReader } from '../bytes';
import { decodeCsv } from './decode';
import { openCsv, type CsvOpenOptions } from './open';

export type Values = (number | string)[];

export interface Table {
  names: string[];
  types: ColumnType[];
  columns: Values[];
  /** every retype reason met, in order */
  retypes: string[];
}

type Dest = Float64Array | Float32Array | Int32Array;
export type Alloc = (type: ColumnType, rows: number) => Dest;

export const plainAlloc: Alloc = (type, rows) => (type === 'i32' ? new Int32Array(rows) : type === 'f32' ? new Float32Array(rows) : new Float64Array(rows));

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
 * worker would; `alloc` hands out destinations inside the same memory.
 */
export function memoryContext(memory: WebAssembly.Memory): { ctx: DecodeContext; alloc: Alloc; tasks: DecodeTask[] } {
  let top = 64;
  const tasks: DecodeTask[] = [];
  const alloc: Alloc = (type, rows) => {
    const bytes = (type === 'f64' ? 8 : 4) * rows;
    const ptr = (top + 7) & ~7;
    top = ptr + bytes;
    const need = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
    if (need > 0) memory.grow(need);
    const buf = memory.buffer;
    return type === 'i32' ? new Int32Array(buf, ptr, rows) : type === 'f32' ? new Float32Array(buf, ptr, rows) : new Float64Array(buf, ptr, rows);
  };
  const ctx: DecodeContext = {
    parallelism: 2,
    async decode(task: DecodeTask): Promise<DecodeReport> {
      tasks.push(task);
      // a worker sees only plain data: round-trip the task as postMessage would
      return decodeCsv(structuredClone(task), memory);
    },
  };
  return { ctx, alloc, tasks };
}
