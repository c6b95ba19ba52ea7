import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import type { CompressionCodec, DecodedArray, PageHeader, ParquetType } from 'hyparquet/src/types.js';
import { compressors } from 'hyparquet-compressors';
import type { PageRequest, PageResult } from '../source';
import type { ColumnPlan } from './columns';
import { badFile } from '../bad-file';
import { toNumbers, type Numbers } from './numbers';
import { readPageV1, readPageV2 } from './page-values';
import { view } from './pages';

/** the reserved dictionary entry for a null string */
export const NULL_STRING = '∅';

const utf8 = new TextDecoder();

/** Larger than any page a writer makes (their defaults are ~1 MiB); a header claiming more is damaged, and would be allocated. */
export const MAX_PAGE_BYTES = 256 * 1024 ** 2;

/**
 * Decodes rows [start, end) of one column chunk, page by page, straight into
 * the engine's destination (numbers) or into codes over a page-local
 * dictionary (strings). hyparquet reads headers, levels and values; Sift
 * places them, so dictionary codes stay codes and nulls become NaN or ∅
 * without building a JS array per row.
 */
export class ChunkDecoder {
  private readonly type: ParquetType;
  private readonly codes: Uint32Array | null;
  private numbersDict: Numbers | null = null;
  private strings: string[] | null = null;
  private index: Map<string, number> | null = null;
  private nullCode = -1;
  private rowsDone = 0;
  private readonly lossy = { hit: false };
  private sawNullInIntegers = false;

  constructor(
    private readonly plan: ColumnPlan,
    private readonly codec: CompressionCodec,
    private readonly start: number,
    private readonly end: number,
    private readonly groupRows: number,
    private readonly dest: PageRequest['dest'],
    private readonly fileName: string,
    private readonly where: string,
  ) {
    this.type = plan.element.type!;
    if (plan.base === 'string') this.codes = new Uint32Array(end - start);
    else {
      this.codes = null;
      if (!dest) throw new Error(`internal: no destination for column ${plan.name}`);
    }
  }

  /** Decodes the pages in `bytes`, whose first data page begins at row `firstRow` of the row group. */
  feed(bytes: Uint8Array, firstRow: number, signal?: AbortSignal): void {
    const reader = { view: view(bytes), offset: 0 };
    let row = firstRow;
    while (reader.offset < bytes.byteLength - 1 && row < this.end) {
      const header = parquetHeader(reader);
      const body = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
      if (body.byteLength < header.compressed_page_size) throw this.bad(`a page is cut short (${body.byteLength} of ${header.compressed_page_size} bytes)`);
      reader.offset += header.compressed_page_size;
      if (header.type === 'DICTIONARY_PAGE') this.readDictionary(header, body);
      else if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
        const n = header.type === 'DATA_PAGE' ? header.data_page_header!.num_values : header.data_page_header_v2!.num_rows;
        // the page's row count sizes what is allocated for it: it must fit the row group
        if (!(n >= 0 && row + n <= this.groupRows)) throw this.bad(`a page says it holds ${n} rows from row ${row}, past the row group's ${this.groupRows}`);
        if (row + n > this.start) this.readData(header, body, row, n);
        row += n;
        signal?.throwIfAborted();
      }
    }
    this.rowsDone = Math.max(this.rowsDone, Math.min(row, this.end) - this.start);
  }

  finish(): PageResult {
    if (this.rowsDone < this.end - this.start) {
      throw this.bad(`the pages end after ${this.start + this.rowsDone} rows, the row group promises ${this.end}; the file looks truncated`);
    }
    if (this.codes) {
      const dictionary = this.strings ?? [];
      // a damaged index would point past the dictionary and corrupt the engine's remapping
      let max = -1;
      for (const c of this.codes) if (c > max) max = c;
      if (max >= dictionary.length) throw this.bad(`a dictionary index (${max}) points past the dictionary (${dictionary.length} entries)`);
      return { kind: 'dict', codes: this.codes, dictionary };
    }
    if (this.sawNullInIntegers) {
      return { kind: 'retype', type: 'f64', reason: `${this.plan.name}: holds nulls the file's statistics did not announce; read as f64 (null → NaN)` };
    }
    if (this.lossy.hit) {
      return { kind: 'written', warnings: [`${this.plan.name}: some values are beyond ±2^53 and were rounded to the nearest f64`] };
    }
    return { kind: 'written' };
  }

  private readDictionary(header: PageHeader, body: Uint8Array): void {
    const count = header.dictionary_page_header?.num_values ?? 0;
    const page = this.decompress(body, header.uncompressed_page_size);
    const raw = readPlain({ view: view(page), offset: 0 }, this.type, count, this.plan.element.type_length);
    if (this.codes) {
      this.strings = Array.from(raw as ArrayLike<Uint8Array>, (b) => utf8.decode(b));
      this.index = null;
    } else this.numbersDict = toNumbers(raw, this.plan, this.lossy);
  }

  private readData(header: PageHeader, body: Uint8Array, pageRow: number, n: number): void {
    const { type } = this;
    const width = this.plan.element.type_length;
    const optional = this.plan.maxDef > 0;
    const page = header.type === 'DATA_PAGE'
      ? readPageV1(this.decompress(body, header.uncompressed_page_size), header.data_page_header!, type, width, optional)
      : readPageV2(body, header, type, width, optional, (b, size) => this.decompress(b, size));
    const { defs, values, coded } = page;
    if (defs ? defs.length < n : values.length < n) throw this.bad(`a page holds ${values.length} values for ${n} rows`);
    const a = Math.max(pageRow, this.start) - pageRow;
    const b = Math.min(pageRow + n, this.end) - pageRow;
    if (this.codes) this.placeStrings(values, coded, defs, a, b, pageRow + a - this.start);
    else this.placeNumbers(values, coded, defs, a, b, pageRow + a - this.start);
  }

  private decompress(bytes: Uint8Array, size: number): Uint8Array {
    if (!(size >= 0 && size <= MAX_PAGE_BYTES)) throw this.bad(`a page says it holds ${size} bytes uncompressed`);
    return decompressPage(bytes, size, this.codec, compressors);
  }

  private placeNumbers(raw: DecodedArray, coded: boolean, defs: Uint8Array | null, a: number, b: number, o: number): void {
    let vals: Numbers;
    if (coded) {
      const dict = this.numbersDict;
      if (!dict) throw this.bad('a dictionary-encoded page comes without a dictionary');
      vals = new Float64Array(raw.length);
      for (let i = 0; i < raw.length; i++) vals[i] = dict[raw[i] as number]!;
    } else vals = toNumbers(raw, this.plan, this.lossy);
    const dest = this.dest!;
    if (!defs) {
      dest.set(vals.subarray(a, b), o);
      return;
    }
    let k = 0;
    for (let j = 0; j < a; j++) k += defs[j]!;
    if (!(dest instanceof Float64Array || dest instanceof Float32Array)) {
      for (let j = a; j < b; j++) if (!defs[j]) { this.sawNullInIntegers = true; break; }
    }
    for (let j = a; j < b; j++) dest[o++] = defs[j] ? vals[k++]! : NaN;
  }

  private placeStrings(raw: DecodedArray, coded: boolean, defs: Uint8Array | null, a: number, b: number, o: number): void {
    const codes = this.codes!;
    let local: ArrayLike<number>;
    if (coded) {
      if (!this.strings) throw this.bad('a dictionary-encoded page comes without a dictionary');
      local = raw as ArrayLike<number>;
    } else {
      // a writer falls back to plain pages when its dictionary grows too large
      const strings = (this.strings ??= []);
      const index = (this.index ??= new Map(strings.map((s, i) => [s, i])));
      const from = defs ? 0 : a;
      const to = defs ? raw.length : b;
      const c = new Uint32Array(raw.length);
      for (let i = from; i < to; i++) {
        const s = utf8.decode(raw[i] as Uint8Array);
        let code = index.get(s);
        if (code === undefined) { code = strings.length; strings.push(s); index.set(s, code); }
        c[i] = code;
      }
      local = c;
    }
    if (!defs) {
      for (let j = a; j < b; j++) codes[o++] = local[j]!;
      return;
    }
    let k = 0;
    for (let j = 0; j < a; j++) k += defs[j]!;
    for (let j = a; j < b; j++) codes[o++] = defs[j] ? local[k++]! : this.nullString();
  }

  private nullString(): number {
    if (this.nullCode < 0) {
      const strings = (this.strings ??= []);
      this.nullCode = strings.length;
      strings.push(NULL_STRING);
      this.index?.set(NULL_STRING, this.nullCode);
    }
    return this.nullCode;
  }

  private bad(what: string) {
    return badFile(this.fileName, `${this.where}: ${what}`);
  }
}
