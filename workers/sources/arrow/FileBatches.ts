import { CompressionType, DataType, MessageHeader, RecordBatchReader, type Data, type RecordBatch, type Schema, type Vector } from 'apache-arrow';
import { Footer, type FileBlock } from 'apache-arrow/ipc/metadata/file';
import { Message } from 'apache-arrow/ipc/metadata/message';
import type { ByteReader } from '../source';
import type { Batches } from './batches';
import { asBadFile, badFile } from '../bad-file';
import { dictionaryStrings } from './values';
import { checkMessages, footerProblem, messageProblem } from './messages';

const MAGIC = 'ARROW1';
/** int32 footer length + "ARROW1" */
const TRAILER = 10;
export const EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
/** decoded batches kept for the slices of a large batch, which arrive one after another; each holds its whole body */
const KEEP = 2;

interface RecordBatchMeta {
  length: number;
  nodes: { nullCount: number }[];
  compression: { type: CompressionType } | null;
}

interface Block {
  offset: number;
  length: number;
  rows: number;
  nullCounts: number[];
}

/**
 * The Arrow file format read through its footer: the footer lists where each
 * record batch lies, so a chunk reads exactly its batch. Each batch is decoded
 * by apache-arrow as a one-batch stream: schema message, the file's
 * dictionary messages, the batch.
 */
export class FileBatches implements Batches {
  readonly rows: number[];
  readonly notes: string[];
  private readonly cache = new Map<number, Promise<RecordBatch>>();
  private readonly knownStrings = new Map<number, string[]>();

  private constructor(
    private readonly reader: ByteReader,
    readonly schema: Schema,
    private readonly prelude: Uint8Array,
    private readonly blocks: Block[],
    private readonly dictionaries: Map<number, Vector>,
    compression: string | null,
  ) {
    this.rows = blocks.map((b) => b.rows);
    this.notes = [
      `Arrow IPC file, ${blocks.length} record batch${blocks.length === 1 ? '' : 'es'}`,
      ...(compression ? [`compression ${compression}`] : []),
    ];
  }

  static async open(reader: ByteReader, signal?: AbortSignal): Promise<FileBatches> {
    const { name, size } = reader;
    if (size < 8 + 8 + TRAILER) throw badFile(name, `too short to be an Arrow file (${size} bytes)`);
    const tail = await reader.read(size - TRAILER, TRAILER);
    if (text(tail.subarray(4)) !== MAGIC) {
      throw badFile(name, 'the Arrow footer is missing (the file does not end with "ARROW1"); it looks truncated or still being written');
    }
    const footerLength = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
    const footerStart = size - TRAILER - footerLength;
    if (footerLength <= 0 || footerStart < 8) {
      throw badFile(name, `the Arrow footer claims ${footerLength} bytes but the file holds only ${size}; it looks truncated or damaged`);
    }
    let footer: Footer;
    try {
      const bytes = await reader.read(footerStart, footerLength);
      const problem = footerProblem(bytes);
      if (problem) throw badFile(name, `the Arrow footer looks damaged: ${problem}`);
      footer = Footer.decode(bytes);
    } catch (e) {
      throw asBadFile(e, name, 'reading the Arrow footer');
    }
    const span = (b: FileBlock, what: string) => {
      const end = b.offset + b.metaDataLength + b.bodyLength;
      if (!(b.offset >= 8 && b.metaDataLength > 0 && end <= footerStart)) {
        throw badFile(name, `${what} lies outside the file (bytes ${b.offset}–${end} of ${footerStart}); it looks truncated or damaged`);
      }
      return { offset: b.offset, length: end - b.offset };
    };
    try {
      signal?.throwIfAborted();
      const dictBlocks = [...footer.dictionaryBatches()].map((b, i) => span(b, `dictionary batch ${i}`));
      const dictMessages = await Promise.all(dictBlocks.map((b) => reader.read(b.offset, b.length)));
      const prelude = concat([schemaMessage(footer.schema), ...dictMessages]);
      let compression: string | null = null;
      // row and null counts sit in each batch's metadata: one small read per batch
      const blocks = await mapLimited([...footer.recordBatches()], 16, async (b, i): Promise<Block> => {
        signal?.throwIfAborted();
        const { offset, length } = span(b, `record batch ${i}`);
        const meta = messageOf(await reader.read(b.offset, b.metaDataLength), name, `record batch ${i}`);
        if (meta.headerType !== MessageHeader.RecordBatch) throw badFile(name, `record batch ${i} is not a record batch message`);
        const h = meta.header() as RecordBatchMeta;
        if (h.compression) compression = CompressionType[h.compression.type]?.toLowerCase().replace('_', ' ') ?? 'unknown';
        return { offset, length, rows: h.length, nullCounts: h.nodes.map((n) => n.nullCount) };
      });
      checkMessages(prelude, name, 'the Arrow schema and dictionaries');
      const dictionaries = readDictionaries(prelude);
      return new FileBatches(reader, footer.schema, prelude, blocks, dictionaries, compression);
    } catch (e) {
      throw asBadFile(e, name, 'reading the Arrow file layout');
    }
  }

  hasNulls(_field: number, node: number): boolean {
    return this.blocks.some((b) => (b.nullCounts[node] ?? 1) > 0);
  }

  batch(index: number, signal?: AbortSignal): Promise<RecordBatch> {
    let p = this.cache.get(index);
    if (!p) {
      p = this.decode(index, signal);
      this.cache.set(index, p);
      p.catch(() => this.cache.delete(index));
      while (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value!);
    }
    return p;
  }

  strings(field: number, data: Data): string[] {
    const known = this.dictionaryAtOpen(field);
    // a file's dictionaries only grow (deltas), so the final one serves every batch
    if (known && (!data.dictionary || data.dictionary.length <= known.length)) return known;
    return data.dictionary ? dictionaryStrings(data.dictionary) : [];
  }

  dictionaryAtOpen(field: number): string[] | undefined {
    const type = this.schema.fields[field]?.type;
    if (!type || !DataType.isDictionary(type)) return undefined;
    let s = this.knownStrings.get(type.id);
    if (!s) {
      const v = this.dictionaries.get(type.id);
      if (!v) return undefined;
      s = dictionaryStrings(v);
      this.knownStrings.set(type.id, s);
    }
    return s;
  }

  close(): void {
    this.cache.clear();
  }

  private async decode(index: number, signal?: AbortSignal): Promise<RecordBatch> {
    const block = this.blocks[index]!;
    signal?.throwIfAborted();
    const bytes = await this.reader.read(block.offset, block.length);
    if (bytes.byteLength < block.length) throw badFile(this.reader.name, `record batch ${index} is cut short; the file looks truncated`);
    try {
      const r = RecordBatchReader.from(concat([this.prelude, bytes, EOS]));
      const first = r.next();
      if (first.done || !first.value) throw new Error('no record batch decoded');
      if (first.value.numRows !== block.rows) throw new Error(`${first.value.numRows} rows where the metadata says ${block.rows}`);
      return first.value;
    } catch (e) {
      throw asBadFile(e, this.reader.name, `decoding record batch ${index}`);
    }
  }
}

/** The schema as a stream's first message (continuation, length, flatbuffer, padding to 8). */
function schemaMessage(schema: Schema): Uint8Array {
  const fb = Message.encode(Message.from(schema));
  const size = (fb.byteLength + 8 + 7) & ~7;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, -1, true);
  dv.setInt32(4, size - 8, true);
  out.set(fb, 8);
  return out;
}

/** Decodes a message's metadata: after the continuation marker and length (or only the length, before Arrow 0.15). */
function messageOf(bytes: Uint8Array, name: string, what: string): Message {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 4;
  let length = dv.getInt32(0, true);
  if (length === -1) { length = dv.getInt32(4, true); at = 8; }
  if (!(length > 0 && at + length <= bytes.byteLength)) throw badFile(name, `${what} has a damaged header`);
  const problem = messageProblem(bytes.subarray(at, at + length));
  if (problem) throw badFile(name, `${what} looks damaged: ${problem}`);
  return Message.decode(bytes.subarray(at, at + length));
}

function readDictionaries(prelude: Uint8Array): Map<number, Vector> {
  const r = RecordBatchReader.from(concat([prelude, EOS]));
  r.next();
  return r.dictionaries;
}

async function mapLimited<T, U>(items: T[], limit: number, f: (item: T, i: number) => Promise<U>): Promise<U[]> {
  const out = new Array<U>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
}

function text(b: Uint8Array): string {
  return String.fromCharCode(...b);
}
