// Parquet, read with hyparquet's page primitives rather than parquet-wasm.
// Measured in Node on 2 busy cores, numeric columns: on
// flights-3m (Polars, zstd, dictionary pages) both decode ~30 ns/value; on
// DuckDB files of 2-10M rows parquet-wasm is 2-5x faster at decoding into its
// own memory, before the copy out that Sift would still need. parquet-wasm
// costs 1.1 MB (brotli) of WASM against ~80 KB here, cannot read through our
// ByteReader (it wants the whole file or its own fetch), and decodes into a
// WebAssembly memory that never shrinks, outside the engine's budget. Every
// codec Parquet writers use (snappy, gzip, zstd, brotli, lz4, lz4_raw) comes
// with hyparquet-compressors. hyparquet's row API (parquetRead) is 10-20x
// slower than these page loops: it builds a JS array per page, with nulls,
// Date objects and dereferenced dictionaries.
import type { SourceFormat } from '../source';
import { asBadFile } from '../bad-file';
import { readFooter } from './footer';
import { ParquetSource } from './ParquetSource';

export { ParquetSource } from './ParquetSource';
export { NULL_STRING } from './ChunkDecoder';

export const parquetFormat: SourceFormat = {
  id: 'parquet',
  extensions: ['parquet', 'pq'],
  sniff: (head) => head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31,
  async open(reader, opts) {
    opts.signal?.throwIfAborted();
    const md = await readFooter(reader);
    try {
      return new ParquetSource(reader, md);
    } catch (e) {
      throw asBadFile(e, reader.name, 'reading the Parquet schema');
    }
  },
};
