import { codeBytes, elementBytes, numberInto, pageView, remapInPlace, widens, type Column, type ColumnStore, type ColumnType, type Dataset } from '../store';
import type { PageRequest, PageResult, Source } from '../sources/source';

/**
 * Makes pages of a lazy dataset resident: asks the source for exactly the
 * (column, chunk) pages a run references, several chunks at once, writes them
 * into pages the store allocates under its budget, merges page-local
 * dictionaries into the column's append-only dictionary, and widens a column
 * when a page reveals values its type can't hold. Pages it loads stay pinned
 * until `unpin`.
 */
export class PageLoader {
  constructor(
    private readonly store: ColumnStore,
    private readonly ds: Dataset,
    private readonly source: Source,
    private readonly concurrency: number,
  ) {}

  /** Pins the resident pages of `cols` in `chunks` and loads (pinned) the missing ones. */
  async load(chunks: number[], cols: Column[], signal?: AbortSignal): Promise<void> {
    const missing: number[] = [];
    for (const c of chunks) {
      let need = false;
      for (const col of cols) {
        if (col.chunks[c] !== 0) this.store.pin(col, c);
        else need = true;
      }
      if (need) missing.push(c);
    }
    await this.loadMissing(missing, cols, signal);
  }

  /** Loads (pinned) the pages `settle` dropped; resident pages keep their pins. */
  async refill(chunks: number[], cols: Column[], signal?: AbortSignal): Promise<void> {
    const missing = chunks.filter((c) => cols.some((col) => col.chunks[c] === 0));
    await this.loadMissing(missing, cols, signal);
  }

  /** `settle`, then load what it dropped: the pages of `chunks` as the columns' types now say. */
  async settleAndRefill(chunks: number[], cols: Column[], signal?: AbortSignal): Promise<void> {
    this.settle(cols);
    await this.refill(chunks, cols, signal);
  }

  unpin(chunks: number[], cols: Column[]): void {
    for (const c of chunks) for (const col of cols) if (col.chunks[c] !== 0) this.store.unpin(col, c);
  }

  private async loadMissing(missing: number[], cols: Column[], signal?: AbortSignal): Promise<void> {
    if (this.source.readSpan && missing.length > 1) {
      // a span's text pages come back together, as codes: keep them to about 64 pages (4 MB of u8 codes)
      const texts = cols.filter((c) => c.info.type === 'dict').length;
      const spans = spansOf(missing, this.concurrency, Math.max(1, Math.floor(64 / Math.max(1, texts))));
      await eachLimited(spans, this.concurrency, (span) => this.loadSpan(span, cols, signal));
    } else {
      await eachLimited(missing, this.concurrency, (c) => this.loadChunk(c, cols, signal));
    }
  }

  private async loadChunk(c: number, cols: Column[], signal?: AbortSignal): Promise<void> {
    let todo = cols.filter((col) => col.chunks[c] === 0);
    for (let attempt = 0; todo.length > 0; attempt++) {
      if (attempt > 3) throw new Error(`column ${todo[0]!.info.name} keeps changing type`);
      signal?.throwIfAborted();
      const requests = this.requests(c, todo);
      let results: PageResult[];
      try {
        results = await this.source.read(c, requests, signal);
      } catch (e) {
        for (const col of todo) this.store.freePage(col, c);
        throw e;
      }
      todo = this.absorb(c, todo, results);
    }
  }

  /** Consecutive chunks in one source call; chunks with pages to read again continue one by one. */
  private async loadSpan(chunks: number[], cols: Column[], signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const todo = chunks.map((c) => cols.filter((col) => col.chunks[c] === 0));
    const requests = chunks.map((c, i) => this.requests(c, todo[i]!));
    let results: PageResult[][];
    try {
      results = await this.source.readSpan!(chunks, requests, signal);
    } catch (e) {
      chunks.forEach((c, i) => { for (const col of todo[i]!) this.store.freePage(col, c); });
      throw e;
    }
    const again: number[] = [];
    let i = 0;
    try {
      for (; i < chunks.length; i++) if (this.absorb(chunks[i]!, todo[i]!, results[i]!).length > 0) again.push(chunks[i]!);
    } catch (e) {
      // pages not taken in may hold what a retype left half written: never resident
      for (let j = i; j < chunks.length; j++) for (const col of todo[j]!) this.store.freePage(col, chunks[j]!);
      throw e;
    }
    for (const c of again) await this.loadChunk(c, cols, signal);
  }

  /** Pages (allocated, pinned) for the columns of chunk c. */
  private requests(c: number, todo: Column[]): PageRequest[] {
    const rows = this.ds.chunkRows[c]!;
    return todo.map((col) => {
      const column = this.ds.columns.indexOf(col);
      if (col.info.type === 'dict') {
        const dict = col.info.dictionary ?? [];
        return dict.length > 0 && dict.length <= KNOWN_MAX ? { column, dest: null, known: dict.slice() } : { column, dest: null };
      }
      const width = elementBytes(col.info.type);
      const ptr = this.store.allocPage(col, c, rows, col.info.type, width);
      return { column, dest: pageView(this.store.alloc.memory.buffer, col.info.type, width, ptr, rows) as PageRequest['dest'] };
    });
  }

  /** Takes a chunk's results in; returns the columns that widened and must be read again. */
  private absorb(c: number, todo: Column[], results: PageResult[]): Column[] {
    const rows = this.ds.chunkRows[c]!;
    const again: Column[] = [];
    results.forEach((r, i) => {
      const col = todo[i]!;
      switch (r.kind) {
        case 'written':
          for (const w of r.warnings ?? []) addWarning(col, w);
          break;
        case 'dict':
          this.writeDict(col, c, rows, r.codes, r.dictionary);
          break;
        case 'retype':
          this.store.freePage(col, c);
          widen(col, r.type, r.reason);
          again.push(col);
          break;
      }
    });
    return again;
  }

  private writeDict(col: Column, c: number, rows: number, codes: Uint8Array | Uint16Array | Uint32Array, local: string[]): void {
    if (col.info.type !== 'dict') throw new Error(`page of ${col.info.name} came back as strings, but the column is ${col.info.type}`);
    const dict = (col.info.dictionary ??= []);
    const index = (col.dictIndex ??= new Map());
    const { remap, identity } = numberInto(dict, index, local);
    col.elementBytes = Math.max(col.elementBytes, codeBytes(dict.length));
    const ptr = this.store.allocPage(col, c, rows, 'dict', col.elementBytes);
    const view = pageView(this.store.alloc.memory.buffer, 'dict', col.elementBytes, ptr, rows);
    // a page numbered as the column (PageRequest.known) is only copied: mapping each code was most of
    // this thread's time on the genome matrix's 32 text columns, and the thread is one for all workers
    view.set(codes.subarray(0, rows));
    if (!identity) remapInPlace(view as Uint8Array | Uint16Array | Uint32Array, remap);
  }

  /**
   * Brings every resident page of `cols` to its column's current type and
   * width (pages written before a column widened). Call only when no kernel is
   * reading them: between windows of a run. Pages that can't be converted
   * (numbers that turned out to be strings) are dropped, to be decoded again.
   */
  settle(cols: Column[]): void {
    const buf = () => this.store.alloc.memory.buffer;
    for (const col of cols) {
      col.chunks.forEach((ptr, c) => {
        const was = col.pageType[c];
        if (ptr === 0 || was === null || (was === col.info.type && col.pageBytes[c] === col.elementBytes)) return;
        const pins = col.pins[c]!;
        if (col.info.type === 'dict' && was !== 'dict') {
          this.store.freePage(col, c);
          return;
        }
        const rows = this.ds.chunkRows[c]!;
        const old = pageView(buf(), was, col.pageBytes[c]!, ptr, rows).slice();
        const width = col.info.type === 'dict' ? col.elementBytes : elementBytes(col.info.type);
        const np = this.store.allocPage(col, c, rows, col.info.type, width);
        pageView(buf(), col.info.type, width, np, rows).set(old);
        col.pins[c] = pins;
      });
    }
  }
}

/** Longest dictionary sent with a request as PageRequest.known: a few KB per text column and chunk. */
const KNOWN_MAX = 256;

function widen(col: Column, type: ColumnType, reason: string): void {
  if (!widens(col.info.type, type)) return;
  col.info = { ...col.info, type };
  col.elementBytes = elementBytes(type);
  if (type === 'dict') {
    col.info.dictionary = [];
    col.dictIndex = new Map();
    // dates that met other text are text: the page is read again as strings
    delete col.info.time;
  }
  // a narrow integer column that widens (u8 → i32) changes storage, not meaning: nothing to say
  if (reason) addWarning(col, reason);
}

function addWarning(col: Column, w: string): void {
  const ws = (col.info.warnings ??= []);
  if (!ws.includes(w) && ws.length < 10) ws.push(w);
}

/** Runs `f` over `items` with at most `limit` in flight; the first error stops new work and is thrown once all settle. */
export async function eachLimited<T>(items: T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (failure === null && next < items.length) {
      const item = items[next++]!;
      try {
        await f(item);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure !== null) throw failure;
}

/** Most chunks in one span: a cancelled run waits for the spans in flight. */
const MAX_SPAN = 32;

/**
 * Splits ascending chunk numbers into runs of consecutive chunks, cut so there
 * are at least `2 * lanes` spans when there are enough chunks (so lanes finish
 * close together) and none longer than `most` or MAX_SPAN.
 */
export function spansOf(chunks: number[], lanes: number, most = MAX_SPAN): number[][] {
  const size = Math.max(1, Math.min(most, MAX_SPAN, Math.ceil(chunks.length / (2 * Math.max(1, lanes)))));
  const spans: number[][] = [];
  let cur: number[] = [];
  for (const c of chunks) {
    if (cur.length > 0 && (c !== cur[cur.length - 1]! + 1 || cur.length === size)) { spans.push(cur); cur = []; }
    cur.push(c);
  }
  if (cur.length > 0) spans.push(cur);
  return spans;
}
