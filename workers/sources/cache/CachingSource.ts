// The column cache: a Source that serves pages decoded on an earlier open of
// the same file (same fingerprint, same open options) and writes the pages it
// has to decode through to the store. Values come back byte for byte as the
// parser wrote them, into the destination the engine allocated under its
// budget. A store that fails is dropped: the open goes on parsing.
import { stableJson } from '../../analysis/canonical';
import { fingerprintReader } from '../fingerprint';
import type { ByteReader, OpenOptions, PageRequest, PageResult, Source, SourceSchema } from '../source';
import type { ColumnCacheStore, PageMeta, PageStore } from './page-store';

/** Text formats: the ones whose parsing the cache saves (binary formats decode at read speed). */
const CACHED_FORMATS: readonly SourceSchema['format'][] = ['csv', 'tsv'];

export const CACHE_NOTE = 'columns parsed on an earlier open are read from the column cache';

/**
 * Opens `reader` through the column cache: from its manifest when this file
 * was opened before with the same options (no indexing pass), else through
 * `open`, recording the manifest for next time.
 */
export async function openCached(
  reader: ByteReader, opts: OpenOptions, cache: ColumnCacheStore, open: (opts: OpenOptions) => Promise<Source>,
): Promise<Source> {
  // a cache that fails is a note on the dataset, never a failed open
  const problems: string[] = [];
  let pages: PageStore | undefined;
  let fingerprint: string | undefined;
  try {
    fingerprint = await fingerprintReader(reader);
    pages = await cache.dataset(await datasetDir(fingerprint, opts));
    const m = await pages.readManifest();
    if (m && m.fingerprint === fingerprint && CACHED_FORMATS.includes(m.schema.format)) {
      opts.signal?.throwIfAborted();
      const schema = { ...m.schema, notes: [...m.schema.notes, CACHE_NOTE] };
      // the parser is opened only if a page is missing; it reads neither progress nor the open's signal then
      const { signal: _s, onProgress: _p, ...later } = opts;
      return new CachingSource(schema, pages, () => open(later));
    }
  } catch (e) {
    opts.signal?.throwIfAborted();
    problems.push(`the column cache could not be read (${message(e)}); the file is parsed`);
    pages = undefined;
  }
  const inner = await open(opts);
  inner.schema.notes.push(...problems);
  if (!pages || !fingerprint || !CACHED_FORMATS.includes(inner.schema.format)) return inner;
  try {
    await pages.writeManifest({ fingerprint, label: reader.name, schema: structuredClone(inner.schema) });
  } catch (e) {
    inner.schema.notes.push(`the column cache could not be written (${message(e)}); the file is parsed at every open`);
    return inner;
  }
  return new CachingSource(inner.schema, pages, async () => inner);
}

/**
 * How files are cut into chunks; pages cached under another cut are not reused
 * (2: the CSV indexing pass in 32 MiB ranges cuts chunks short at their ends).
 */
const CHUNKING = 2;

/** One directory per file and the options that change what its pages hold. */
async function datasetDir(fingerprint: string, o: OpenOptions): Promise<string> {
  const key = stableJson({ chunking: CHUNKING, fingerprint, format: o.format, delimiter: o.delimiter, header: o.header, skipBadRows: o.skipBadRows, tree: o.tree, chunkRows: o.chunkRows });
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  return Array.from(d.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Pages decoded but not yet written, at most: writes trail the run (a file
 * write per page costs about as much as parsing it), and pages past this go
 * unwritten, to be parsed and written on a later open.
 */
const MAX_PENDING_BYTES = 64 << 20;

export class CachingSource implements Source {
  private inner?: Promise<Source>;
  private store?: PageStore;
  /** pages served from the store, decoded, and decoded but left unwritten (writes fell behind), since open */
  readonly counts = { hits: 0, misses: 0, unwritten: 0 };
  private writes: Promise<void> = Promise.resolve();
  private pendingBytes = 0;

  constructor(readonly schema: SourceSchema, store: PageStore, private readonly openInner: () => Promise<Source>) {
    this.store = store;
    // list columns are read by the parser (only formats without them are cached today)
    if (schema.jagged.length > 0) {
      this.readList = async (chunk, name, signal) => {
        const s = await this.source();
        if (!s.readList) throw new Error(`${name} is not a list column`);
        return s.readList(chunk, name, signal);
      };
    }
  }

  private source(): Promise<Source> {
    this.inner ??= this.openInner().then((s) => {
      if (s.schema.chunkRows.length !== this.schema.chunkRows.length || s.schema.chunkRows.some((r, i) => r !== this.schema.chunkRows[i])) {
        throw new Error(`${this.schema.format} file changed since its columns were cached; clear its cache and open it again`);
      }
      return s;
    });
    return this.inner;
  }

  async read(chunk: number, pages: PageRequest[], signal?: AbortSignal): Promise<PageResult[]> {
    const { results, missing } = await this.fromStore(chunk, pages);
    if (missing.length > 0) {
      const got = await (await this.source()).read(chunk, missing.map((i) => pages[i]!), signal);
      this.decoded(chunk, pages, results, missing, got);
    }
    return results as PageResult[];
  }

  /** As `read` for each chunk; the pages the store lacks in one span of the parser when it reads spans. */
  async readSpan(chunks: number[], pages: PageRequest[][], signal?: AbortSignal): Promise<PageResult[][]> {
    const got = await Promise.all(chunks.map((c, i) => this.fromStore(c, pages[i]!)));
    const todo = chunks.map((_, i) => i).filter((i) => got[i]!.missing.length > 0);
    if (todo.length > 0) {
      const inner = await this.source();
      const asked = todo.map((i) => got[i]!.missing.map((j) => pages[i]![j]!));
      const decoded = inner.readSpan
        ? await inner.readSpan(todo.map((i) => chunks[i]!), asked, signal)
        : await Promise.all(todo.map((i, k) => inner.read(chunks[i]!, asked[k]!, signal)));
      todo.forEach((i, k) => this.decoded(chunks[i]!, pages[i]!, got[i]!.results, got[i]!.missing, decoded[k]!));
    }
    return got.map((g) => g.results as PageResult[]);
  }

  /** The pages of a chunk the store holds; the indices of the others. */
  private async fromStore(chunk: number, pages: PageRequest[]): Promise<{ results: (PageResult | undefined)[]; missing: number[] }> {
    const results: (PageResult | undefined)[] = new Array(pages.length);
    const rows = this.schema.chunkRows[chunk]!;
    if (this.store) {
      for (let i = 0; i < pages.length; i++) {
        try {
          results[i] = await this.readPage(this.store, pageName(chunk, pages[i]!), pages[i]!, rows);
        } catch (e) {
          this.fail('read', e);
          break;
        }
      }
    }
    const missing = pages.map((_, i) => i).filter((i) => !results[i]);
    this.counts.hits += pages.length - missing.length;
    this.counts.misses += missing.length;
    return { results, missing };
  }

  /** Decoded pages into their places, and queued for the store. */
  private decoded(chunk: number, pages: PageRequest[], results: (PageResult | undefined)[], missing: number[], got: PageResult[]): void {
    missing.forEach((i, j) => {
      results[i] = got[j]!;
      if (this.store) this.writeBehind(this.store, pageName(chunk, pages[i]!), got[j]!, pages[i]!);
    });
  }

  /** Queues a decoded page's record; its bytes are copied now, as the page may be evicted before the write. */
  private writeBehind(store: PageStore, name: string, r: PageResult, page: PageRequest): void {
    const rec = record(r, page);
    if (!rec) return;
    const bytes = rec.data?.byteLength ?? 0;
    if (this.pendingBytes + bytes > MAX_PENDING_BYTES) { this.counts.unwritten++; return; }
    this.pendingBytes += bytes;
    this.writes = this.writes.then(async () => {
      try {
        if (this.store === store) await store.writePage(name, rec.meta, rec.data);
      } catch (e) {
        this.fail('written', e);
      } finally {
        this.pendingBytes -= bytes;
      }
    });
  }

  /** Resolves once every queued page is written (or dropped with the store). */
  settled(): Promise<void> {
    return this.writes;
  }

  private async readPage(store: PageStore, name: string, page: PageRequest, rows: number): Promise<PageResult | undefined> {
    let codes: Uint8Array | Uint16Array | Uint32Array | undefined;
    const meta = await store.readPage(name, (m) => {
      if (m.kind === 'written') return page.dest && page.dest.byteLength === m.bytes ? new Uint8Array(page.dest.buffer, page.dest.byteOffset, page.dest.byteLength) : null;
      if (m.kind === 'dict') {
        if (page.dest || m.bytes !== rows * m.width) return null;
        codes = m.width === 1 ? new Uint8Array(rows) : m.width === 2 ? new Uint16Array(rows) : new Uint32Array(rows);
        return new Uint8Array(codes.buffer);
      }
      return null;
    });
    if (!meta) return undefined;
    switch (meta.kind) {
      case 'written': return { kind: 'written', ...(meta.warnings ? { warnings: meta.warnings } : {}) };
      case 'dict': return codes ? { kind: 'dict', codes, dictionary: meta.dictionary } : undefined;
      case 'retype': return { kind: 'retype', type: meta.type, reason: meta.reason };
    }
  }

  readList?: Source['readList'];

  private fail(what: string, e: unknown): void {
    if (!this.store) return;
    this.store = undefined;
    this.schema.notes.push(`a column page could not be ${what} through the column cache (${message(e)}); parsing instead`);
  }

  async close(): Promise<void> {
    await this.writes;
    if (this.inner) await (await this.inner.catch(() => undefined))?.close();
  }
}

const pageName = (chunk: number, p: PageRequest) => `${p.column}.${chunk}.${p.dest ? p.dest.constructor.name : 'dict'}`;

/** A page result as a cache record: its metadata and a copy of its bytes. */
function record(r: PageResult, page: PageRequest): { meta: PageMeta; data: Uint8Array | null } | undefined {
  switch (r.kind) {
    case 'written':
      if (!page.dest) return undefined;
      return {
        meta: { kind: 'written', bytes: page.dest.byteLength, ...(r.warnings ? { warnings: r.warnings } : {}) },
        data: new Uint8Array(page.dest.buffer, page.dest.byteOffset, page.dest.byteLength).slice(),
      };
    case 'dict':
      return {
        meta: { kind: 'dict', bytes: r.codes.byteLength, width: r.codes.BYTES_PER_ELEMENT as 1 | 2 | 4, dictionary: r.dictionary },
        data: new Uint8Array(r.codes.buffer, r.codes.byteOffset, r.codes.byteLength).slice(),
      };
    case 'retype':
      return { meta: { kind: 'retype', bytes: 0, type: r.type, reason: r.reason }, data: null };
  }
}
