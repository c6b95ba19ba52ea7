// An opened CSV/TSV file: its schema and chunk index (found at open); pages
// decoded on request, on a kernel worker when the engine gives a DecodeContext.
import type { DecodeReport, DecodeTask } from '../../protocol';
import type { ByteReader, DecodeContext, PageRequest, PageResult, Source, SourceSchema } from '../source';
import { EngineError } from '../../engine/errors';
import { chunkScratchBytes, decodeChunk, type CsvDecodeArgs, type CsvDecodeInfo, type PageType } from './decode';
import type { ChunkIndex } from './row-index';
import { streamable } from '../stream';
import { widens } from '../../store/types';

export interface CsvLayout {
  delim: number;
  names: string[];
  skipBadRows: boolean;
  index: ChunkIndex;
}

export class CsvSource implements Source {
  /** Consecutive chunks through one stream on one worker: Blobs and URLs, when the engine gives a DecodeContext. */
  readonly readSpan?: (chunks: number[], pages: PageRequest[][], signal?: AbortSignal) => Promise<PageResult[][]>;

  constructor(
    readonly schema: SourceSchema,
    private readonly reader: ByteReader,
    private readonly layout: CsvLayout,
    private readonly ctx?: DecodeContext,
  ) {
    const handle = reader.handle;
    if (ctx?.decodeSpan && streamable(handle)) {
      const decodeSpan = ctx.decodeSpan.bind(ctx);
      this.readSpan = async (chunks, pages, signal) => {
        signal?.throwIfAborted();
        const parts = chunks.map((c, i) => {
          const args = this.args(c, pages[i]!);
          const { offset, length } = this.range(c);
          return { offset, length, args, dest: pages[i]!.map((p) => p.dest?.byteOffset ?? 0) };
        });
        const scratchBytes = parts.reduce((m, p) => Math.max(m, chunkScratchBytes(p.length, p.args)), 0);
        const reports = await decodeSpan({ decoder: 'csv', handle, parts, scratchBytes });
        signal?.throwIfAborted();
        return reports.map((report, i) => {
          this.absorb(pages[i]!, report);
          return report.pages;
        });
      };
    }
  }

  async read(chunk: number, pages: PageRequest[], signal?: AbortSignal): Promise<PageResult[]> {
    signal?.throwIfAborted();
    const args = this.args(chunk, pages);
    const { offset, length } = this.range(chunk);
    let report: DecodeReport;
    if (this.ctx) {
      // dest views are over the memory the kernel workers share: pass their offsets
      const task: DecodeTask = { decoder: 'csv', args, dest: pages.map((p) => p.dest?.byteOffset ?? 0), offset, length, scratchBytes: chunkScratchBytes(length, args) };
      // Blobs and URLs a worker reads itself; Node paths are read here, as Node
      // kernel workers need not register a path reader and a positioned read is cheap
      const handle = this.reader.handle;
      if (streamable(handle)) task.handle = handle;
      else task.bytes = standalone(await this.bytes(offset, length));
      report = await this.ctx.decode(task);
    } else {
      report = decodeChunk(await this.bytes(offset, length), args, pages.map((p) => p.dest as Float64Array | Float32Array | Int32Array | Uint8Array | Uint16Array | null));
    }
    signal?.throwIfAborted();
    this.absorb(pages, report);
    return report.pages;
  }

  private args(chunk: number, pages: PageRequest[]): CsvDecodeArgs {
    const { index, names } = this.layout;
    if (!(chunk >= 0 && chunk < index.rows.length)) {
      throw new EngineError('BadRequest', `${this.reader.name}: no chunk ${chunk} (the file has ${index.rows.length})`);
    }
    return {
      file: this.reader.name,
      names,
      delim: this.layout.delim,
      skipBadRows: this.layout.skipBadRows,
      rows: index.rows[chunk]!,
      line: index.lines[chunk]!,
      pages: pages.map((p) => {
        const type = pageType(p, names, this.schema.columns[p.column]?.time !== undefined);
        return type === 'dict' && p.known ? { column: p.column, type, known: p.known } : { column: p.column, type };
      }),
    };
  }

  private range(chunk: number): { offset: number; length: number } {
    const { index } = this.layout;
    const offset = index.starts[chunk]!;
    return { offset, length: index.ends[chunk]! - offset };
  }

  close(): void {}

  private async bytes(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.reader.read(offset, length);
    if (bytes.length !== length) {
      throw new EngineError('ReadFailed', `${this.reader.name}: the file is shorter than when it was opened; was it changed?`);
    }
    return bytes;
  }

  /** Widened types and text warnings go into the schema too, where the UI looks. */
  private absorb(pages: PageRequest[], report: DecodeReport): void {
    report.pages.forEach((r, i) => {
      if (r.kind !== 'retype') return;
      const col = this.schema.columns[pages[i]!.column]!;
      if (widens(col.type, r.type)) col.type = r.type;
      if (r.type === 'dict') delete col.time;
    });
    const info = report.info as CsvDecodeInfo | undefined;
    for (const bad of info?.invalidUtf8 ?? []) {
      const col = this.schema.columns[bad.column]!;
      if (col.warnings?.some((w) => w.startsWith(INVALID_UTF8))) continue;
      const warning = `${INVALID_UTF8} (first on line ${bad.line}) are shown as \uFFFD`;
      (col.warnings ??= []).push(warning);
      // dict pages carry no warnings to the engine, which copies column infos at open; the notes array it shares
      this.schema.notes.push(`${col.name}: ${warning}`);
    }
  }
}

/**
 * A view over part of a larger buffer (a memory reader's file) is copied: the
 * task crosses threads, and cloning or transferring a view moves its whole buffer.
 */
function standalone(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

const INVALID_UTF8 = 'bytes that are not UTF-8';

function pageType(p: PageRequest, names: string[], time: boolean): PageType {
  const d = p.dest;
  if (d === null) return 'dict';
  if (d instanceof Float64Array) return time ? 'time' : 'f64';
  if (d instanceof Float32Array) return 'f32';
  if (d instanceof Int32Array) return 'i32';
  if (d instanceof Uint8Array) return 'u8';
  if (d instanceof Uint16Array) return 'u16';
  throw new EngineError('BadRequest', `column ${names[p.column]}: a CSV column decodes to f64, f32, i32 or a dictionary, not into a ${d.constructor.name}`);
}
