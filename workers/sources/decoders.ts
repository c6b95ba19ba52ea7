// Worker-side decoders, by name: what a kernel worker runs for a DecodeTask.
// Formats that parse in parallel (CSV) register a pure function here; it must
// stay light, since every kernel worker bundles this module.
import type { DecodeReport, DecodeTask } from '../protocol';
import { decodeCsv } from './csv/decode';

/** `exports`: the worker's kernel instance over `memory`, for decoders with a WASM path */
export type Decoder = (task: DecodeTask, memory: WebAssembly.Memory, exports?: Record<string, (...args: number[]) => number>)
  => DecodeReport | Promise<DecodeReport>;

export const decoders: Record<string, Decoder> = { csv: decodeCsv };
