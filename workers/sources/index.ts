// The formats Sift opens, and how it picks one: the file's first bytes (magic
// numbers), then its extension; anything else is read as delimited text.
// Readers load on first use, so opening a CSV never fetches the ROOT reader.
import type { ByteReader, OpenOptions, Source, SourceFormat } from './source';
import { EngineError } from '../engine/errors';
import { withDistinctNames } from './names';

interface Entry {
  id: SourceFormat['id'];
  extensions: string[];
  magic?(head: Uint8Array): boolean;
  load(): Promise<SourceFormat>;
}

const ascii = (head: Uint8Array, text: string, at = 0) => [...text].every((ch, i) => head[at + i] === ch.charCodeAt(0));

const formats: Entry[] = [
  { id: 'parquet', extensions: ['parquet', 'pq'], magic: (h) => ascii(h, 'PAR1'), load: async () => (await import('./parquet')).parquetFormat },
  {
    id: 'arrow', extensions: ['arrow', 'feather', 'ipc', 'arrows'],
    // the file format's magic, or a stream's continuation marker
    magic: (h) => ascii(h, 'ARROW1') || (h[0] === 0xff && h[1] === 0xff && h[2] === 0xff && h[3] === 0xff),
    load: async () => (await import('./arrow')).arrowFormat,
  },
  { id: 'root', extensions: ['root'], magic: (h) => ascii(h, 'root'), load: async () => (await import('./root')).rootFormat },
  { id: 'csv', extensions: ['csv', 'tsv', 'tab', 'txt', 'psv', 'dat'], load: async () => (await import('./csv')).csvFormat },
];

export async function openSource(reader: ByteReader, opts: OpenOptions = {}): Promise<Source> {
  const entry = await pickFormat(reader, opts.format);
  return withDistinctNames(await (await entry.load()).open(reader, opts));
}

async function pickFormat(reader: ByteReader, wanted?: string): Promise<Entry> {
  if (wanted) {
    const w = wanted.toLowerCase();
    const f = formats.find((x) => x.id === w || x.extensions.includes(w));
    if (!f) throw new EngineError('UnknownFormat', `${reader.name}: no reader for format "${wanted}" (known: ${formats.map((x) => x.id).join(', ')})`);
    return f;
  }
  const head = await reader.read(0, 64);
  const sniffed = formats.find((f) => f.magic?.(head));
  if (sniffed) return sniffed;
  const ext = /\.([A-Za-z0-9]+)$/.exec(reader.name)?.[1]?.toLowerCase();
  return formats.find((f) => ext !== undefined && f.extensions.includes(ext)) ?? formats.find((f) => f.id === 'csv')!;
}
