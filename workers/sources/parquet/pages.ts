// Where a column chunk's pages lie, so a slice of a large row group reads
// only the pages it overlaps: from the offset index when the writer left one,
// else by walking the page headers once (small reads, cached per chunk).
import { parquetHeader } from 'hyparquet/src/column.js';
import { readOffsetIndex } from 'hyparquet/src/indexes.js';
import type { ColumnChunk } from 'hyparquet/src/types.js';
import type { ByteReader } from '../source';
import { badFile } from '../bad-file';

export interface ByteSpan {
  start: number;
  end: number;
}

export interface PageSpan extends ByteSpan {
  /** first row of the page, counted from the start of the row group */
  firstRow: number;
}

export interface PageTable {
  dictionary: ByteSpan | null;
  pages: PageSpan[];
}

/** The bytes of a whole column chunk: dictionary page (if any) through the last data page. */
export function chunkSpan(cc: ColumnChunk, fileSize: number, name: string, where: string): ByteSpan {
  const meta = cc.meta_data;
  if (!meta) throw badFile(name, `${where}: the column chunk has no metadata`);
  const dataStart = Number(meta.data_page_offset);
  const dictStart = meta.dictionary_page_offset === undefined ? 0 : Number(meta.dictionary_page_offset);
  // some writers put 0 here for "no dictionary"
  const start = dictStart > 0 && dictStart < dataStart ? dictStart : dataStart;
  const end = start + Number(meta.total_compressed_size);
  if (!(start >= 4 && end <= fileSize && end > start)) {
    throw badFile(name, `${where}: the column chunk lies outside the file (bytes ${start}–${end} of ${fileSize}); it looks truncated or damaged`);
  }
  return { start, end };
}

export async function pageTable(reader: ByteReader, cc: ColumnChunk, groupRows: number, where: string): Promise<PageTable> {
  const span = chunkSpan(cc, reader.size, reader.name, where);
  if (cc.offset_index_offset !== undefined && cc.offset_index_length) {
    const at = Number(cc.offset_index_offset);
    const bytes = await reader.read(at, cc.offset_index_length);
    const index = readOffsetIndex({ view: view(bytes), offset: 0 });
    const pages = index.page_locations.map((p): PageSpan => {
      const start = Number(p.offset);
      return { start, end: start + p.compressed_page_size, firstRow: Number(p.first_row_index) };
    });
    if (pages.length > 0 && pages.every((p) => p.start >= span.start && p.end <= span.end)) {
      return { dictionary: pages[0]!.start > span.start ? { start: span.start, end: pages[0]!.start } : null, pages };
    }
  }
  return walkHeaders(reader, span, groupRows, where);
}

async function walkHeaders(reader: ByteReader, span: ByteSpan, groupRows: number, where: string): Promise<PageTable> {
  let dictionary: ByteSpan | null = null;
  const pages: PageSpan[] = [];
  let row = 0;
  let guess = 256;
  for (let at = span.start; at < span.end && row < groupRows;) {
    const bytes = await reader.read(at, Math.min(guess, span.end - at));
    let header: ReturnType<typeof parquetHeader>;
    const r = { view: view(bytes), offset: 0 };
    try {
      header = parquetHeader(r);
    } catch (e) {
      // statistics can make a header longer than the guess
      if (bytes.byteLength < span.end - at && guess < 1 << 24) { guess *= 16; continue; }
      throw badFile(reader.name, `${where}: a page header could not be read (${(e as Error).message})`);
    }
    const end = at + r.offset + header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') dictionary = { start: at, end };
    else if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
      pages.push({ start: at, end, firstRow: row });
      row += header.type === 'DATA_PAGE' ? header.data_page_header!.num_values : header.data_page_header_v2!.num_rows;
    }
    at = end;
  }
  if (row < groupRows) throw badFile(reader.name, `${where}: the pages hold ${row} rows, the row group ${groupRows}`);
  return { dictionary, pages };
}

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
