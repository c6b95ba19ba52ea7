import { parquetMetadata } from 'hyparquet/src/metadata.js';
import type { FileMetaData } from 'hyparquet/src/types.js';
import { asBadFile, badFile } from '../bad-file';
import type { ByteReader } from '../source';

const MAGIC = 0x31524150; // "PAR1", little-endian
const ENCRYPTED = 0x45524150; // "PARE"
/** one tail read usually holds the whole footer (hyparquet's parquetMetadataAsync guesses the same) */
const TAIL_GUESS = 1 << 19;

/**
 * Reads and parses the footer (schema, row groups, statistics) and nothing
 * else. The magic numbers and the footer length are checked here, so a
 * truncated or foreign file gets a message that says which.
 */
export async function readFooter(reader: ByteReader): Promise<FileMetaData> {
  const { name, size } = reader;
  if (size < 12) throw badFile(name, `too short to be a Parquet file (${size} bytes)`);
  const head = await reader.read(0, 4);
  if (u32(head, 0) !== MAGIC) throw badFile(name, 'not a Parquet file (it does not start with "PAR1")');
  const tailStart = Math.max(0, size - TAIL_GUESS);
  let tail = await reader.read(tailStart, size - tailStart);
  if (tail.byteLength !== size - tailStart) throw badFile(name, 'the end of the file could not be read');
  const magic = u32(tail, tail.byteLength - 4);
  if (magic === ENCRYPTED) throw badFile(name, 'the Parquet footer is encrypted, which Sift does not read');
  if (magic !== MAGIC) {
    throw badFile(name, 'the Parquet footer is missing (the file does not end with "PAR1"); it looks truncated or still being written');
  }
  const footerLength = u32(tail, tail.byteLength - 8);
  if (footerLength + 12 > size) {
    throw badFile(name, `the Parquet footer claims ${footerLength} bytes but the file holds only ${size}; it looks truncated or damaged`);
  }
  if (footerLength + 8 > tail.byteLength) {
    const start = size - footerLength - 8;
    const rest = await reader.read(start, tailStart - start);
    const whole = new Uint8Array(footerLength + 8);
    whole.set(rest);
    whole.set(tail, tailStart - start);
    tail = whole;
  }
  let md: FileMetaData;
  try {
    md = parquetMetadata(tail);
  } catch (e) {
    throw asBadFile(e, name, 'reading the Parquet footer');
  }
  if (!Array.isArray(md.schema) || md.schema.length === 0 || !Array.isArray(md.row_groups)) {
    throw badFile(name, 'the Parquet footer has no schema or row groups; the file looks damaged');
  }
  return md;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
