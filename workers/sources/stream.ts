// Sequential reads of one byte range of a Blob or URL through a ReadableStream,
// into one buffer that is reused from read to read.
//
// Why: in Chromium a File read as many `slice().arrayBuffer()` pieces costs
// several times what one stream over the same bytes costs. Measured on the
// 358 MB benchmark CSV (2 workers, headless Chromium 156, 2 cores): 2.4 MB
// pieces 1.2 s; 16 MB pieces 0.5–0.9 s; one stream per worker read into a
// reused buffer (BYOB) 0.35–0.55 s, with a third of the renderer's CPU time
// and no garbage (every arrayBuffer() is a fresh allocation the GC frees late,
// which is what raised the renderer's peak memory during a load).
import { EngineError } from '../engine/errors';
import type { ByteHandle } from './source';

/** The buffer of the last stream closed on this thread: the next one reuses it (a worker streams one range after another). */
let spare: ArrayBuffer | null = null;

type Reader =
  | { byob: true; r: ReadableStreamBYOBReader }
  | { byob: false; r: ReadableStreamDefaultReader<Uint8Array> };

export class RangeStream {
  private buf: ArrayBuffer;
  /** default reader: the part of the last chunk not yet consumed */
  private pending: Uint8Array | null = null;

  private constructor(
    private readonly reader: Reader,
    private readonly name: string,
    /** file offset of the next byte the stream delivers */
    private pos: number,
    private readonly end: number,
  ) {
    this.buf = spare ?? new ArrayBuffer(1 << 20);
    spare = null;
  }

  /** A stream over bytes [start, end) of the file behind `handle`. */
  static async open(handle: ByteHandle, start: number, end: number, signal?: AbortSignal): Promise<RangeStream> {
    const { stream, from } = await openStream(handle, start, end, signal);
    let reader: Reader;
    try {
      reader = { byob: true, r: stream.getReader({ mode: 'byob' }) };
    } catch {
      // not a byte stream (some platforms' Blob and fetch bodies): chunks are copied
      reader = { byob: false, r: stream.getReader() };
    }
    const s = new RangeStream(reader, handle.name, from, end);
    if (from < start) await s.skip(start - from);
    return s;
  }

  /**
   * Bytes [offset, offset + length): at or after everything read so far (bytes
   * in between are skipped). The view lies in a buffer the next call reuses.
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < this.pos) throw new Error(`internal: stream read at ${offset} behind ${this.pos}`);
    if (offset + length > this.end) throw new Error(`internal: stream read past its end ${this.end}`);
    await this.skip(offset - this.pos);
    if (this.buf.byteLength < length) this.buf = new ArrayBuffer(Math.max(length, this.buf.byteLength * 2));
    let have = 0;
    while (have < length) have += await this.fill(have, length - have);
    this.pos += length;
    return new Uint8Array(this.buf, 0, length);
  }

  close(): void {
    this.reader.r.cancel().catch(() => undefined);
    // a buffer still lent to the stream (a read that failed) is detached: length 0
    if (this.buf.byteLength > (spare?.byteLength ?? 0)) spare = this.buf;
  }

  private async skip(n: number): Promise<void> {
    while (n > 0) {
      const got = await this.fill(0, Math.min(n, this.buf.byteLength));
      n -= got;
      this.pos += got;
    }
  }

  /** Up to n bytes into buf at `at`; how many came. */
  private async fill(at: number, n: number): Promise<number> {
    try {
      return await this.pull(at, n);
    } catch (e) {
      if (e instanceof EngineError) throw e;
      throw new EngineError('ReadFailed', `${this.name}: the file could not be read (${(e as Error).message}); was it moved or changed?`);
    }
  }

  private async pull(at: number, n: number): Promise<number> {
    const rd = this.reader;
    if (rd.byob) {
      const { done, value } = await rd.r.read(new Uint8Array(this.buf, at, n));
      // the view's buffer was transferred to the stream and comes back in `value`
      if (value) this.buf = value.buffer as ArrayBuffer;
      if (done || !value || value.byteLength === 0) throw this.ended();
      return value.byteLength;
    }
    if (!this.pending || this.pending.byteLength === 0) {
      const { done, value } = await rd.r.read();
      if (done || !value) throw this.ended();
      this.pending = value;
    }
    const k = Math.min(n, this.pending.byteLength);
    new Uint8Array(this.buf, at, k).set(this.pending.subarray(0, k));
    this.pending = this.pending.subarray(k);
    return k;
  }

  private ended(): EngineError {
    return new EngineError('ReadFailed', `${this.name}: the file ended at byte ${this.pos} before ${this.end}; was it changed after it was opened?`);
  }
}

/** The stream and the file offset of its first byte (a server may ignore Range and send from 0). */
async function openStream(h: ByteHandle, start: number, end: number, signal?: AbortSignal): Promise<{ stream: ReadableStream<Uint8Array>; from: number }> {
  switch (h.kind) {
    case 'blob':
      return { stream: h.blob.slice(start, end).stream() as ReadableStream<Uint8Array>, from: start };
    case 'url': {
      let r: Response;
      try {
        r = await fetch(h.url, { headers: { Range: `bytes=${start}-${end - 1}` }, ...(signal ? { signal } : {}) });
      } catch (e) {
        throw new EngineError('ReadFailed', `${h.name}: could not fetch ${h.url} (${(e as Error).message})`);
      }
      if (!r.ok || !r.body) throw new EngineError('ReadFailed', `${h.name}: ${h.url} answered ${r.status} ${r.statusText}`);
      return { stream: r.body, from: r.status === 206 ? start : 0 };
    }
    case 'path':
      throw new EngineError('ReadFailed', `${h.name}: file paths are read by the engine, not streamed on a kernel worker`);
  }
}

/** Whether a handle can be streamed on a kernel worker. */
export const streamable = (h: ByteHandle | undefined): h is ByteHandle => h !== undefined && h.kind !== 'path';
