// Columns computed from a source's jagged columns: each per-event reduction an
// analysis uses (`max(Jet_pt)`, `size(Muon_pt)`) becomes a column of the
// dataset, decoded page by page like any other — so it is cached, evicted and
// streamed like any other — by reading its inputs from the file and reducing.
import { evalDerived, type DerivedColumn, type JaggedColumn } from '../expr/jagged';
import { pageView, type ColumnInfo } from '../store/types';
import type { PageRequest, PageResult, Source } from './source';
import { EngineError } from '../engine/errors';

export class DerivedSource implements Source {
  private readonly derived = new Map<number, DerivedColumn>();

  /** `columns()` gives the dataset's columns now (types widen as pages decode). */
  readonly readSpan?: Source['readSpan'];

  constructor(private readonly base: Source, private readonly columns: () => readonly ColumnInfo[]) {
    const span = base.readSpan?.bind(base);
    if (span) {
      this.readSpan = (chunks, pages, signal) => pages.some((ps) => ps.some((p) => this.derived.has(p.column)))
        ? Promise.all(chunks.map((c, i) => this.read(c, pages[i]!, signal)))
        : span(chunks, pages, signal);
    }
  }

  get schema() {
    return this.base.schema;
  }

  /** Column `index` of the dataset is computed by `spec`. */
  add(index: number, spec: DerivedColumn): void {
    if (!this.base.readList) throw new EngineError('Unsupported', `${spec.name}: this file's format has no list columns`);
    this.derived.set(index, spec);
  }

  async read(chunk: number, pages: PageRequest[], signal?: AbortSignal): Promise<PageResult[]> {
    const results: PageResult[] = new Array(pages.length);
    const plain = pages.map((p, i) => ({ p, i })).filter(({ p }) => !this.derived.has(p.column));
    if (plain.length > 0) {
      const r = await this.base.read(chunk, plain.map(({ p }) => p), signal);
      plain.forEach(({ i }, j) => { results[i] = r[j]!; });
    }
    for (const [i, p] of pages.entries()) {
      const spec = this.derived.get(p.column);
      if (!spec) continue;
      const values = await this.compute(chunk, spec, signal);
      p.dest!.set(values);
      results[i] = { kind: 'written' };
    }
    return results;
  }

  private async compute(chunk: number, spec: DerivedColumn, signal?: AbortSignal): Promise<Float64Array> {
    const rows = this.base.schema.chunkRows[chunk]!;
    const lists = new Map<string, JaggedColumn>();
    for (const name of spec.jagged) lists.set(name, await this.base.readList!(chunk, name, signal));
    const infos = this.columns();
    const scalars = new Map<string, ArrayLike<number>>();
    const dictionaries: Record<string, readonly string[]> = {};
    for (const name of spec.scalars) {
      const column = infos.findIndex((c) => c.name === name);
      const info = infos[column];
      if (!info) throw new EngineError('UnknownColumn', `${spec.name}: no column named "${name}"`);
      const dest = info.type === 'dict' ? null : pageView(new ArrayBuffer(rows * 8), info.type, 8, 0, rows);
      const [r] = await this.base.read(chunk, [{ column, dest: dest as PageRequest['dest'] }], signal);
      if (r!.kind === 'dict') {
        scalars.set(name, r!.codes);
        dictionaries[name] = r!.dictionary;
      } else if (r!.kind === 'retype') {
        throw new EngineError('BadFile', r!.reason);
      } else scalars.set(name, dest!);
    }
    return evalDerived(spec, rows, (n) => lists.get(n)!, (n) => scalars.get(n)!, dictionaries);
  }

  close() {
    return this.base.close();
  }
}
