// Worker-side decoders, by name: what a kernel worker runs for a DecodeTask.
// Formats that parse in parallel (CSV) register a pure function here; it must
// stay light, since every kernel worker bundles this module.
import type { DecodeReport, DecodeSpanTask, DecodeTask, RangeScanTask } from '../protocol';
import { decodeCsv, decodeCsvSpan } from './csv/decode';
import { scanCsvRange } from './csv/range-scan';

/** The worker's kernel instance over `memory`, for decoders with a WASM path. */
export type KernelExports = Record<string, (...args: number[]) => number>;

export type Decoder = (task: DecodeTask, memory: WebAssembly.Memory, exports?: KernelExports) => DecodeReport | Promise<DecodeReport>;

export const decoders: Record<string, Decoder> = { csv: decodeCsv };

export type SpanDecoder = (task: DecodeSpanTask, memory: WebAssembly.Memory, exports?: KernelExports) => Promise<DecodeReport[]>;

export const spanDecoders: Record<string, SpanDecoder> = { csv: decodeCsvSpan };

export type RangeScanner = (task: RangeScanTask, memory: WebAssembly.Memory, exports?: KernelExports) => Promise<unknown>;

export const rangeScanners: Record<string, RangeScanner> = { 'csv-rows': scanCsvRange };
