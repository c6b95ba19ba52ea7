// Where the column cache keeps decoded pages: one directory per (file
// fingerprint, open options), a manifest with the schema, and one record per
// page. Implementations: OPFS in the browser's engine worker (opfs-store.ts),
// memory for tests. Node has none: it parses each time.
import type { ColumnType } from '../../store/types';
import type { SourceSchema } from '../source';
import type { ColumnCacheEntry } from '../../protocol';

/** What a page record says about itself; `bytes` of data follow it. */
export type PageMeta =
  | { kind: 'written'; bytes: number; warnings?: string[] }
  | { kind: 'dict'; bytes: number; width: 1 | 2 | 4; dictionary: string[] }
  | { kind: 'retype'; bytes: 0; type: ColumnType; reason: string };

export interface CachedDataset {
  /** the file's fingerprint (workers/sources/fingerprint.ts): what the result cache keys on too */
  fingerprint: string;
  label: string;
  schema: SourceSchema;
}

export interface PageStore {
  readManifest(): Promise<CachedDataset | undefined>;
  writeManifest(m: CachedDataset): Promise<void>;
  /**
   * Reads a page record: its meta, then its data into the bytes `into(meta)`
   * gives (null: the caller can't take it). Undefined when the record is
   * missing, damaged, or was refused.
   */
  readPage(name: string, into: (meta: PageMeta) => Uint8Array | null): Promise<PageMeta | undefined>;
  writePage(name: string, meta: PageMeta, data: Uint8Array | null): Promise<void>;
}

export type { ColumnCacheEntry };

/** All cached datasets of one kind of storage. */
export interface ColumnCacheStore {
  /** the directory of one dataset, created when missing */
  dataset(id: string): Promise<PageStore>;
  list(): Promise<ColumnCacheEntry[]>;
  /** removes the datasets of one fingerprint, or all */
  clear(fingerprint?: string): Promise<void>;
}

// A record: MAGIC, meta length, data length (u32 little-endian), meta JSON, data.
const MAGIC = 0x50544653; // "SFTP"
export const HEADER_BYTES = 12;

export function encodeRecordHead(meta: PageMeta): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const out = new Uint8Array(HEADER_BYTES + json.byteLength);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, json.byteLength, true);
  dv.setUint32(8, meta.bytes, true);
  out.set(json, HEADER_BYTES);
  return out;
}

/** The meta length and data length of a record's first HEADER_BYTES, or undefined if they aren't a record's. */
export function decodeHeader(head: Uint8Array): { metaBytes: number; dataBytes: number } | undefined {
  if (head.byteLength < HEADER_BYTES) return undefined;
  const dv = new DataView(head.buffer, head.byteOffset, HEADER_BYTES);
  if (dv.getUint32(0, true) !== MAGIC) return undefined;
  return { metaBytes: dv.getUint32(4, true), dataBytes: dv.getUint32(8, true) };
}

export function decodeMeta(bytes: Uint8Array, dataBytes: number): PageMeta | undefined {
  try {
    const m = JSON.parse(new TextDecoder().decode(bytes)) as PageMeta;
    return m && typeof m === 'object' && m.bytes === dataBytes ? m : undefined;
  } catch {
    return undefined;
  }
}

/** A store in memory: the same records, for tests of everything above the storage. */
export class MemoryColumnCache implements ColumnCacheStore {
  readonly dirs = new Map<string, { manifest?: CachedDataset; files: Map<string, Uint8Array> }>();

  async dataset(id: string): Promise<PageStore> {
    let dir = this.dirs.get(id);
    if (!dir) { dir = { files: new Map() }; this.dirs.set(id, dir); }
    const d = dir;
    return {
      readManifest: async () => (d.manifest ? structuredClone(d.manifest) : undefined),
      writeManifest: async (m) => { d.manifest = structuredClone(m); },
      readPage: async (name, into) => {
        const rec = d.files.get(name);
        const h = rec && decodeHeader(rec);
        if (!rec || !h || rec.byteLength !== HEADER_BYTES + h.metaBytes + h.dataBytes) return undefined;
        const meta = decodeMeta(rec.subarray(HEADER_BYTES, HEADER_BYTES + h.metaBytes), h.dataBytes);
        if (!meta) return undefined;
        const dest = into(meta);
        if (meta.bytes > 0) {
          if (!dest || dest.byteLength !== meta.bytes) return undefined;
          dest.set(rec.subarray(HEADER_BYTES + h.metaBytes));
        }
        return meta;
      },
      writePage: async (name, meta, data) => {
        const head = encodeRecordHead(meta);
        const rec = new Uint8Array(head.byteLength + (data?.byteLength ?? 0));
        rec.set(head);
        if (data) rec.set(data, head.byteLength);
        d.files.set(name, rec);
      },
    };
  }

  async list(): Promise<ColumnCacheEntry[]> {
    return [...this.dirs].filter(([, d]) => d.manifest).map(([id, d]) => ({
      id, fingerprint: d.manifest!.fingerprint, label: d.manifest!.label,
      bytes: [...d.files.values()].reduce((n, f) => n + f.byteLength, 0),
    }));
  }

  async clear(fingerprint?: string): Promise<void> {
    for (const [id, d] of this.dirs) if (fingerprint === undefined || d.manifest?.fingerprint === fingerprint) this.dirs.delete(id);
  }
}
