import type { FileMetaData } from 'hyparquet/src/types.js';
import type { ByteReader, PageRequest, PageResult, Source, SourceSchema } from '../source';
import { ChunkDecoder } from './ChunkDecoder';
import { planColumns, type ColumnPlan } from './columns';
import { asBadFile, badFile } from '../bad-file';
import { chunkSpan, pageTable, type PageTable } from './pages';

/** Row groups above this many rows are read in slices, so one page of one column stays a few MB. */
export const SLICE_ROWS = 1 << 20;

interface Slice {
  group: number;
  /** rows [start, end) of the row group */
  start: number;
  end: number;
}

export class ParquetSource implements Source {
  readonly schema: SourceSchema;
  private readonly plans: ColumnPlan[];
  private readonly slices: Slice[] = [];
  private readonly tables = new Map<string, Promise<PageTable>>();

  constructor(private readonly reader: ByteReader, private readonly md: FileMetaData, sliceRows = SLICE_ROWS) {
    const { columns, plans, unsupported } = planColumns(md);
    this.plans = plans;
    let split = 0;
    md.row_groups.forEach((rg, group) => {
      const rows = Number(rg.num_rows);
      if (!(rows > 0)) return;
      const parts = Math.ceil(rows / sliceRows);
      if (parts > 1) split++;
      const step = Math.ceil(rows / parts);
      for (let start = 0; start < rows; start += step) this.slices.push({ group, start, end: Math.min(rows, start + step) });
    });
    const chunkRows = this.slices.map((s) => s.end - s.start);
    const groups = md.row_groups.length;
    const codecs = [...new Set(md.row_groups.flatMap((rg) => rg.columns.map((c) => c.meta_data?.codec ?? '?')))];
    const notes = [
      `${groups} row group${groups === 1 ? '' : 's'}`,
      `compression ${codecs.join(', ').toLowerCase() || 'none'}`,
      ...(split ? [`${split} row group${split === 1 ? ' is' : 's are'} larger than ${sliceRows} rows and read in slices`] : []),
      ...(md.created_by ? [`written by ${md.created_by}`] : []),
    ];
    this.schema = {
      format: 'parquet',
      rows: chunkRows.reduce((a, b) => a + b, 0),
      chunkRows, columns, jagged: [], unsupported, notes,
    };
  }

  async read(chunk: number, pages: PageRequest[], signal?: AbortSignal): Promise<PageResult[]> {
    const slice = this.slices[chunk];
    if (!slice) throw new RangeError(`chunk ${chunk} of ${this.slices.length}`);
    return Promise.all(pages.map((p) => this.readColumn(slice, this.plans[p.column]!, p.dest, signal)));
  }

  close(): void {
    this.tables.clear();
  }

  private async readColumn(slice: Slice, plan: ColumnPlan, dest: PageRequest['dest'], signal?: AbortSignal): Promise<PageResult> {
    const { reader } = this;
    const rg = this.md.row_groups[slice.group]!;
    const cc = rg.columns[plan.leaf];
    const where = `column "${plan.name}", row group ${slice.group}`;
    try {
      if (!cc?.meta_data) throw badFile(reader.name, `${where}: the column chunk has no metadata`);
      signal?.throwIfAborted();
      const groupRows = Number(rg.num_rows);
      const decoder = new ChunkDecoder(plan, cc.meta_data.codec, slice.start, slice.end, groupRows, dest, reader.name, where);
      if (slice.start === 0 && slice.end === groupRows) {
        const span = chunkSpan(cc, reader.size, reader.name, where);
        decoder.feed(await this.bytes(span.start, span.end), 0, signal);
      } else {
        const table = await this.pageTable(slice.group, plan.leaf, groupRows, where);
        const pages = table.pages.filter((p, i) => p.firstRow < slice.end && (table.pages[i + 1]?.firstRow ?? groupRows) > slice.start);
        const first = pages[0], last = pages[pages.length - 1];
        if (!first || !last) throw badFile(reader.name, `${where}: no page holds rows ${slice.start}–${slice.end}`);
        const dict = table.dictionary;
        if (dict && dict.end === first.start) {
          decoder.feed(await this.bytes(dict.start, last.end), first.firstRow, signal);
        } else {
          if (dict) decoder.feed(await this.bytes(dict.start, dict.end), first.firstRow, signal);
          decoder.feed(await this.bytes(first.start, last.end), first.firstRow, signal);
        }
      }
      return decoder.finish();
    } catch (e) {
      throw asBadFile(e, reader.name, `reading ${where}`);
    }
  }

  private async bytes(start: number, end: number): Promise<Uint8Array> {
    const b = await this.reader.read(start, end - start);
    if (b.byteLength < end - start) throw badFile(this.reader.name, `bytes ${start}–${end} are missing; the file looks truncated`);
    return b;
  }

  private pageTable(group: number, leaf: number, groupRows: number, where: string): Promise<PageTable> {
    const key = `${group}:${leaf}`;
    let t = this.tables.get(key);
    if (!t) {
      t = pageTable(this.reader, this.md.row_groups[group]!.columns[leaf]!, groupRows, where);
      this.tables.set(key, t);
      t.catch(() => this.tables.delete(key));
    }
    return t;
  }
}
