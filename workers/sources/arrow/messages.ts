// Checks of an Arrow message's metadata before apache-arrow decodes it. The
// library materialises every node and buffer a batch's metadata lists; a
// damaged vector length (millions of entries in a few hundred bytes) held the
// thread for over a minute. A batch's nodes and buffers are 16-byte structs
// inside its metadata, and its buffers lie inside its body.
import { ByteBuffer } from 'flatbuffers';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { DictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Schema } from 'apache-arrow/fb/schema';
import { Field } from 'apache-arrow/fb/field';
import { Footer } from 'apache-arrow/fb/footer';
import { badFile } from '../bad-file';

/**
 * A schema's vectors (fields, children, metadata) hold 4-byte offsets inside
 * `bytes`: a count beyond that is damage, which apache-arrow would
 * materialise entry by entry (a damaged schema ran a process out of memory).
 */
function schemaProblem(schema: Schema, bytes: number): string | null {
  const limit = bytes / 4;
  let seen = 0;
  const visit = (f: Field, depth: number): string | null => {
    if (depth > 64) return 'its fields nest more than 64 deep';
    const n = f.childrenLength();
    if (n > limit || f.customMetadataLength() > limit || (seen += n) > limit) return `a field lists ${n} children in ${bytes} bytes`;
    for (let i = 0; i < n; i++) {
      const c = f.children(i);
      const p = c && visit(c, depth + 1);
      if (p) return p;
    }
    return null;
  };
  const n = schema.fieldsLength();
  if (n > limit || schema.customMetadataLength() > limit) return `its schema lists ${n} fields in ${bytes} bytes`;
  seen = n;
  for (let i = 0; i < n; i++) {
    const f = schema.fields(i);
    const p = f && visit(f, 1);
    if (p) return p;
  }
  return null;
}

/** What is wrong with a file's footer (its flatbuffer), or null: counts that fit it, a schema that does. */
export function footerProblem(bytes: Uint8Array): string | null {
  try {
    const f = Footer.getRootAsFooter(new ByteBuffer(bytes));
    // blocks are 24-byte structs
    if ((f.recordBatchesLength() + f.dictionariesLength()) * 24 > bytes.byteLength) return `the footer (${bytes.byteLength} bytes) lists ${f.recordBatchesLength()} batches`;
    const schema = f.schema();
    return schema ? schemaProblem(schema, bytes.byteLength) : null;
  } catch (e) {
    return `the footer cannot be read (${(e as Error).message})`;
  }
}

/** What is wrong with one message's metadata (the flatbuffer after its length prefix), or null. */
export function messageProblem(meta: Uint8Array): string | null {
  let m: Message;
  let batch: RecordBatch | null = null;
  let body: number;
  try {
    m = Message.getRootAsMessage(new ByteBuffer(meta));
    const type = m.headerType();
    if (type === MessageHeader.Schema) {
      const schema = m.header(new Schema()) as Schema | null;
      return schema ? schemaProblem(schema, meta.byteLength) : null;
    }
    if (type === MessageHeader.RecordBatch) batch = m.header(new RecordBatch()) as RecordBatch | null;
    else if (type === MessageHeader.DictionaryBatch) batch = (m.header(new DictionaryBatch()) as DictionaryBatch | null)?.data() ?? null;
    body = Number(m.bodyLength());
  } catch (e) {
    return `its metadata cannot be read (${(e as Error).message})`;
  }
  if (!batch) return null;
  const nodes = batch.nodesLength(), buffers = batch.buffersLength();
  if (nodes * 16 > meta.byteLength || buffers * 16 > meta.byteLength) {
    return `its metadata (${meta.byteLength} bytes) lists ${nodes} columns and ${buffers} buffers`;
  }
  for (let i = 0; i < buffers; i++) {
    const b = batch.buffers(i)!;
    const end = Number(b.offset()) + Number(b.length());
    if (!(end <= body)) return `buffer ${i} ends at byte ${end} of a ${body}-byte body`;
  }
  return null;
}

/** Walks the messages of a stream (or a file's prelude): framing, metadata and bodies must fit the bytes. */
export function checkMessages(bytes: Uint8Array, name: string, what = 'the Arrow stream'): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (let k = 0; at + 4 <= bytes.byteLength; k++) {
    let length = dv.getInt32(at, true);
    let meta = at + 4;
    if (length === -1) {
      if (at + 8 > bytes.byteLength) break;
      length = dv.getInt32(at + 4, true);
      meta = at + 8;
    }
    if (length === 0) return; // end of stream
    if (!(length > 0 && meta + length <= bytes.byteLength)) throw badFile(name, `${what}: message ${k} has a damaged header (its metadata claims ${length} bytes)`);
    const problem = messageProblem(bytes.subarray(meta, meta + length));
    if (problem) throw badFile(name, `${what}: message ${k} looks damaged: ${problem}`);
    const m = Message.getRootAsMessage(new ByteBuffer(bytes.subarray(meta, meta + length)));
    const body = Number(m.bodyLength());
    if (!(body >= 0 && meta + length + body <= bytes.byteLength)) throw badFile(name, `${what}: message ${k} claims a ${body}-byte body past the end of the file; it looks truncated`);
    at = meta + length + body;
  }
}
