import type { RootFile } from 'jsroot/io';
import { EngineError } from '../../engine/errors';
import { asBadFile } from '../bad-file';
import type { ByteReader, PageRequest, PageResult, Source, SourceSchema } from '../source';
import { BasketStore, basketsFor, type Basket, type BasketRequest } from './baskets';
import { decodeFixed, decodeJagged, decodeStrings, type JaggedValues } from './decode';
import type { OpenedTree } from './open-file';
import { planTree, type BranchPlan, type ColumnPlan, type JaggedPlan, type TreePlan } from './schema';

export const DEFAULT_CHUNK_ROWS = 65536;

/** A TTree opened for reading: columns per chunk, jagged branches per entry range. */
export class RootSource implements Source {
  readonly schema: SourceSchema;
  private readonly plan: TreePlan;
  private readonly store: BasketStore;
  private readonly chunkStarts: number[];
  private file: RootFile | null;

  constructor(private readonly reader: ByteReader, opened: OpenedTree, chunkRows = DEFAULT_CHUNK_ROWS) {
    this.file = opened.file;
    this.plan = planTree(opened.tree);
    this.store = new BasketStore(reader);
    const rows = opened.tree.fEntries;
    const branches = [...this.plan.columns.map((c) => c.branch), ...this.plan.jagged.map((j) => j.branch)];
    const chunkRowsList = chunking(rows, branches, chunkRows);
    this.chunkStarts = [0];
    for (const n of chunkRowsList) this.chunkStarts.push(this.chunkStarts[this.chunkStarts.length - 1]! + n);
    this.schema = {
      format: 'root',
      rows,
      chunkRows: chunkRowsList,
      columns: this.plan.columns.map((c) => c.info),
      jagged: this.plan.jagged.map((j) => j.info),
      unsupported: this.plan.unsupported,
      notes: [...opened.notes, `${chunkRowsList.length} chunks`],
    };
  }

  async read(chunk: number, pages: PageRequest[], signal?: AbortSignal): Promise<PageResult[]> {
    try {
      return await this.readPages(chunk, pages, signal);
    } catch (e) {
      throw damaged(e, this.reader.name, `reading chunk ${chunk}`);
    }
  }

  private async readPages(chunk: number, pages: PageRequest[], signal?: AbortSignal): Promise<PageResult[]> {
    const first = this.chunkStarts[chunk];
    const end = this.chunkStarts[chunk + 1];
    if (first === undefined || end === undefined) throw new Error(`chunk ${chunk} out of range`);
    const columns = pages.map((p) => {
      const c = this.plan.columns[p.column];
      if (!c) throw new Error(`column ${p.column} out of range`);
      return c;
    });
    const baskets = await this.load([...new Set(columns.map((c) => c.branch))], first, end, signal);
    return pages.map((page, i): PageResult => {
      const col = columns[i]!;
      const bs = baskets.get(col.branch)!;
      if (col.kind === 'str') return { kind: 'dict', ...decodeStrings(col, bs, first, end, this.reader.name) };
      if (!page.dest) throw new Error(`no destination for numeric column ${col.info.name}`);
      const warnings = decodeFixed(col, bs, first, end, page.dest, this.reader.name);
      return warnings ? { kind: 'written', warnings } : { kind: 'written' };
    });
  }

  async readList(chunk: number, name: string, signal?: AbortSignal): Promise<JaggedValues> {
    const first = this.chunkStarts[chunk];
    const end = this.chunkStarts[chunk + 1];
    if (first === undefined || end === undefined) throw new Error(`chunk ${chunk} out of range`);
    return this.readJagged(name, first, end - first, signal);
  }

  /** Entries [first, first + count) of a jagged branch, ready for per-event reductions (see jagged.ts). */
  async readJagged(name: string, first: number, count: number, signal?: AbortSignal): Promise<JaggedValues> {
    const jp = this.plan.jagged.find((j) => j.info.name === name);
    if (!jp) {
      const why = this.plan.unsupported.find((u) => u.name === name);
      throw new EngineError('UnknownColumn', why ? `${name} cannot be read: ${why.reason}` : `${this.reader.name} has no jagged branch ${name}`);
    }
    const end = Math.min(first + count, this.schema.rows);
    if (!(first >= 0) || first > end) throw new Error(`entries ${first}+${count} out of range`);
    try {
      const bs = (await this.load([jp.branch], first, end, signal)).get(jp.branch)!;
      const { counts, countsFrom } = await this.countsFor(jp, bs, signal);
      return decodeJagged(name, jp.kind, bs, first, end, counts, countsFrom, this.reader.name);
    } catch (e) {
      throw damaged(e, this.reader.name, `reading ${name}`);
    }
  }

  close(): void {
    this.store.clear();
    this.file?.delete();
    this.file = null;
  }

  /** Counter values over the baskets that carry no entry offsets (ROOT left them to be generated). */
  private async countsFor(jp: JaggedPlan, bs: Basket[], signal?: AbortSignal): Promise<{ counts: Float64Array | null; countsFrom: number }> {
    const bare = bs.filter((b) => !b.offsets);
    if (bare.length === 0) return { counts: null, countsFrom: 0 };
    const from = bare[0]!.start;
    const to = bare[bare.length - 1]!.end;
    const counter: ColumnPlan = jp.counter;
    const cb = (await this.load([counter.branch], from, to, signal)).get(counter.branch)!;
    const counts = new Float64Array(to - from);
    decodeFixed(counter, cb, from, to, counts, this.reader.name);
    return { counts, countsFrom: from };
  }

  private async load(branches: BranchPlan[], first: number, end: number, signal?: AbortSignal): Promise<Map<BranchPlan, Basket[]>> {
    const requests: BasketRequest[] = [];
    const spans: [BranchPlan, number, number][] = [];
    for (const bp of branches) {
      const ks = basketsFor(bp.baskets, first, end);
      spans.push([bp, requests.length, ks.length]);
      for (const k of ks) requests.push({ refs: bp.baskets, k, branch: bp.name });
    }
    if (!this.file) throw new Error(`${this.reader.name} is closed`);
    const loaded = await this.store.load(requests, signal);
    return new Map(spans.map(([bp, at, n]) => [bp, loaded.slice(at, at + n)]));
  }
}

/** A DataView read past the end or a missing field means damaged data, not a bug to surface raw. */
function damaged(e: unknown, file: string, doing: string): unknown {
  return e instanceof RangeError || e instanceof TypeError ? asBadFile(e, file, doing) : e;
}

/**
 * Chunk boundaries on cluster boundaries (entries where every branch starts
 * a basket), grouped to about `target` rows, so a chunk rarely splits a basket.
 */
function chunking(rows: number, branches: BranchPlan[], target: number): number[] {
  if (rows === 0) return [];
  target = Math.max(1, Math.floor(target));
  let common: number[] | null = null;
  for (const bp of new Set(branches)) {
    const starts = new Set(bp.baskets.map((r) => r.start));
    common = common === null ? [...starts] : common.filter((s) => starts.has(s));
  }
  const bounds = [...(common ?? [0]), rows].filter((s) => s > 0).sort((a, b) => a - b);
  const out: number[] = [];
  let at = 0;
  for (const b of bounds) {
    if (b - at < target && b < rows) continue;
    // a span much bigger than the target is cut into even pieces
    const span = b - at;
    const pieces = Math.max(1, Math.round(span / target));
    let from = at;
    for (let i = 1; i <= pieces; i++) {
      const to = at + Math.round((span * i) / pieces);
      out.push(to - from);
      from = to;
    }
    at = b;
  }
  return out.filter((n) => n > 0);
}
