import { RecordBatchReader, type Data, type RecordBatch, type Schema, type Vector } from 'apache-arrow';
import type { ByteReader } from '../source';
import type { Batches } from './batches';
import { asBadFile, badFile } from '../bad-file';
import { dictionaryStrings } from './values';
import { checkMessages } from './messages';

/**
 * The Arrow stream format has no index of its batches, so it is read whole
 * into memory once; apache-arrow's batches are views over those bytes.
 * A stream may replace a dictionary between batches, so each batch's
 * dictionary is used as it is.
 */
export class StreamBatches implements Batches {
  readonly rows: number[];
  readonly notes: string[];
  private readonly stringCache = new WeakMap<Vector, string[]>();
  private readonly nullFields: Set<number>;

  private constructor(readonly schema: Schema, private batches: RecordBatch[]) {
    this.rows = batches.map((b) => b.numRows);
    this.notes = [`Arrow IPC stream, ${batches.length} record batch${batches.length === 1 ? '' : 'es'}, held in memory`];
    this.nullFields = new Set(schema.fields.flatMap((_, f) => (batches.some((b) => (b.getChildAt(f)?.nullCount ?? 0) > 0) ? [f] : [])));
  }

  static async open(reader: ByteReader, signal?: AbortSignal): Promise<StreamBatches> {
    const bytes = await reader.read(0, reader.size);
    if (bytes.byteLength < reader.size) throw badFile(reader.name, 'the file could not be read whole');
    signal?.throwIfAborted();
    let schema: Schema | undefined;
    const batches: RecordBatch[] = [];
    checkMessages(bytes, reader.name);
    try {
      const r = RecordBatchReader.from(bytes).open();
      // the reader forgets its schema once exhausted
      schema = r.schema;
      for (const b of r) batches.push(b);
    } catch (e) {
      throw asBadFile(e, reader.name, 'reading the Arrow stream');
    }
    if (!schema) throw badFile(reader.name, 'not an Arrow IPC file or stream (no schema message)');
    return new StreamBatches(schema, batches);
  }

  hasNulls(field: number): boolean {
    return this.nullFields.has(field);
  }

  batch(index: number): Promise<RecordBatch> {
    const b = this.batches[index];
    return b ? Promise.resolve(b) : Promise.reject(new RangeError(`batch ${index} of ${this.batches.length}`));
  }

  strings(_field: number, data: Data): string[] {
    const dict = data.dictionary;
    if (!dict) return [];
    let s = this.stringCache.get(dict);
    if (!s) { s = dictionaryStrings(dict); this.stringCache.set(dict, s); }
    return s;
  }

  dictionaryAtOpen(): undefined {
    return undefined;
  }

  close(): void {
    this.batches = [];
  }
}
