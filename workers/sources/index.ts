// The formats Sift opens, and how it picks one: the file's first bytes
// (magic numbers) first, then its extension; CSV/TSV is the fallback.
import type { ByteReader, OpenOptions, Source, SourceFormat } from './source';
import { EngineError } from '../engine/errors';

const formats: SourceFormat[] = [];

/** Formats register here (see the bottom of this file) so tests can open a subset. */
export function registerFormat(f: SourceFormat): void {
  if (!formats.includes(f)) formats.push(f);
}

export async function openSource(reader: ByteReader, opts: OpenOptions & { format?: string } = {}): Promise<Source> {
  const format = await pickFormat(reader, opts.format);
  return format.open(reader, opts);
}

export async function pickFormat(reader: ByteReader, wanted?: string): Promise<SourceFormat> {
  if (wanted) {
    const f = formats.find((x) => x.id === wanted || x.extensions.includes(wanted.toLowerCase()));
    if (!f) throw new EngineError('UnknownFormat', `${reader.name}: no reader for format "${wanted}" (known: ${known()})`);
    return f;
  }
  const head = await reader.read(0, 64);
  const sniffed = formats.find((f) => f.sniff(head));
  if (sniffed) return sniffed;
  const ext = /\.([A-Za-z0-9]+)$/.exec(reader.name)?.[1]?.toLowerCase();
  const byExt = ext ? formats.find((f) => f.extensions.includes(ext)) : undefined;
  if (byExt) return byExt;
  const text = formats.find((f) => f.id === 'csv');
  if (text) return text;
  throw new EngineError('UnknownFormat', `${reader.name}: not a format Sift reads (known: ${known()})`);
}

function known(): string {
  return formats.map((f) => f.id).join(', ');
}
