import type { Data, RecordBatch, Schema, Vector } from 'apache-arrow';

/** The record batches of an Arrow file or stream, as the source reads them. */
export interface Batches {
  readonly schema: Schema;
  /** rows of each record batch, in order */
  readonly rows: number[];
  /** whether any batch holds a null in a top-level field (`node`: its FieldNode position in batch metadata) */
  hasNulls(field: number, node: number): boolean;
  batch(index: number, signal?: AbortSignal): Promise<RecordBatch>;
  /** the strings a dictionary-encoded column's indices point into */
  strings(field: number, data: Data): string[];
  /** dictionaries known before any batch is read, by field (file format) */
  dictionaryAtOpen(field: number): string[] | undefined;
  notes: string[];
  close(): void;
}

export type { Vector };
