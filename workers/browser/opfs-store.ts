// The column cache in the origin-private file system, from the engine's
// worker: synchronous access handles read a page record's data straight into
// the shared memory and write it from there. One directory per dataset under
// `sift-columns/`, a `manifest.json`, one file per page.
import {
  decodeHeader, decodeMeta, encodeRecordHead, HEADER_BYTES,
  type CachedDataset, type ColumnCacheEntry, type ColumnCacheStore, type PageStore,
} from '../sources/cache/page-store';

const ROOT = 'sift-columns';
const MANIFEST = 'manifest.json';

/** Sync access handles exist in dedicated workers only (lib.dom types them on the handle). */
interface SyncHandle {
  read(into: ArrayBufferView, opts: { at: number }): number;
  write(from: ArrayBufferView, opts: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}
type SyncFileHandle = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncHandle> };

/** The store, or undefined where OPFS or its sync handles are missing (then nothing is cached). */
export async function opfsColumnCache(): Promise<ColumnCacheStore | undefined> {
  try {
    if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) return undefined;
    if (typeof FileSystemFileHandle === 'undefined' || !('createSyncAccessHandle' in FileSystemFileHandle.prototype)) return undefined;
    return new OpfsColumnCache(await navigator.storage.getDirectory());
  } catch {
    return undefined;
  }
}

class OpfsColumnCache implements ColumnCacheStore {
  constructor(private readonly root: FileSystemDirectoryHandle) {}

  private top(): Promise<FileSystemDirectoryHandle> {
    return this.root.getDirectoryHandle(ROOT, { create: true });
  }

  async dataset(id: string): Promise<PageStore> {
    return new OpfsPages(await (await this.top()).getDirectoryHandle(id, { create: true }));
  }

  async list(): Promise<ColumnCacheEntry[]> {
    const out: ColumnCacheEntry[] = [];
    for await (const [id, dir] of entries(await this.top())) {
      if (dir.kind !== 'directory') continue;
      const m = await new OpfsPages(dir as FileSystemDirectoryHandle).readManifest().catch(() => undefined);
      let bytes = 0;
      for await (const [, f] of entries(dir as FileSystemDirectoryHandle)) if (f.kind === 'file') bytes += (await (f as FileSystemFileHandle).getFile()).size;
      out.push({ id, fingerprint: m?.fingerprint ?? '', label: m?.label ?? id, bytes });
    }
    return out;
  }

  async clear(fingerprint?: string): Promise<void> {
    if (fingerprint === undefined) {
      await this.root.removeEntry(ROOT, { recursive: true }).catch(() => {});
      return;
    }
    for (const e of await this.list()) if (e.fingerprint === fingerprint || e.fingerprint === '') await (await this.top()).removeEntry(e.id, { recursive: true });
  }
}

function entries(dir: FileSystemDirectoryHandle): AsyncIterable<[string, FileSystemHandle]> {
  return (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries();
}

async function withHandle<T>(dir: FileSystemDirectoryHandle, name: string, create: boolean, f: (h: SyncHandle) => T): Promise<T | undefined> {
  let file: SyncFileHandle;
  try {
    file = await dir.getFileHandle(name, { create }) as SyncFileHandle;
  } catch (e) {
    if (!create && e instanceof DOMException && e.name === 'NotFoundError') return undefined;
    throw e;
  }
  const h = await file.createSyncAccessHandle();
  try { return f(h); } finally { h.close(); }
}

class OpfsPages implements PageStore {
  constructor(private readonly dir: FileSystemDirectoryHandle) {}

  async readManifest(): Promise<CachedDataset | undefined> {
    let file: FileSystemFileHandle;
    try { file = await this.dir.getFileHandle(MANIFEST); } catch { return undefined; }
    try { return JSON.parse(await (await file.getFile()).text()) as CachedDataset; } catch { return undefined; }
  }

  async writeManifest(m: CachedDataset): Promise<void> {
    const bytes = new TextEncoder().encode(JSON.stringify(m));
    await withHandle(this.dir, MANIFEST, true, (h) => { h.truncate(0); h.write(bytes, { at: 0 }); h.flush(); });
  }

  async readPage(name: string, into: Parameters<PageStore['readPage']>[1]): ReturnType<PageStore['readPage']> {
    return withHandle(this.dir, name, false, (h) => {
      const size = h.getSize();
      const head = new Uint8Array(HEADER_BYTES);
      if (h.read(head, { at: 0 }) !== HEADER_BYTES) return undefined;
      const hd = decodeHeader(head);
      // a record cut short (a tab closed mid-write) is a miss
      if (!hd || size !== HEADER_BYTES + hd.metaBytes + hd.dataBytes) return undefined;
      const metaBytes = new Uint8Array(hd.metaBytes);
      h.read(metaBytes, { at: HEADER_BYTES });
      const meta = decodeMeta(metaBytes, hd.dataBytes);
      if (!meta) return undefined;
      if (meta.bytes === 0) return meta;
      const dest = into(meta);
      if (!dest || dest.byteLength !== meta.bytes) return undefined;
      return readInto(h, dest, HEADER_BYTES + hd.metaBytes) ? meta : undefined;
    });
  }

  async writePage(name: string, meta: Parameters<PageStore['writePage']>[1], data: Uint8Array | null): Promise<void> {
    const head = encodeRecordHead(meta);
    await withHandle(this.dir, name, true, (h) => {
      h.truncate(0);
      if (data) writeFrom(h, data, head.byteLength);
      // the header last: a record without one is never read
      h.write(head, { at: 0 });
      h.flush();
    });
  }
}

/** Straight into the shared memory where the browser allows views of it, else through a copy. */
function readInto(h: SyncHandle, dest: Uint8Array, at: number): boolean {
  try {
    return h.read(dest, { at }) === dest.byteLength;
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const tmp = new Uint8Array(dest.byteLength);
    if (h.read(tmp, { at }) !== tmp.byteLength) return false;
    dest.set(tmp);
    return true;
  }
}

function writeFrom(h: SyncHandle, data: Uint8Array, at: number): void {
  try {
    h.write(data, { at });
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    h.write(data.slice(), { at });
  }
}
