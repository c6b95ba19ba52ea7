// Byte readers over what the platform offers without Node: memory, Blob/File,
// and URLs with HTTP range reads. Node's file paths register themselves
// (workers/node/bytes.ts) so the engine core never imports `fs`.
import type { ByteHandle, ByteReader } from './source';
import { EngineError } from '../engine/errors';

/** Every read returns a copy the caller owns: decode tasks transfer their bytes to a worker, which would detach a view of `bytes`. */
export function memoryReader(bytes: Uint8Array, name = 'memory'): ByteReader {
  return {
    name,
    size: bytes.byteLength,
    read: async (offset, length) => bytes.slice(Math.min(offset, bytes.byteLength), Math.min(offset + length, bytes.byteLength)),
  };
}

export function blobReader(blob: Blob, name = (blob as File).name ?? 'file'): ByteReader {
  return {
    name,
    size: blob.size,
    handle: { kind: 'blob', blob, name },
    async read(offset, length) {
      try {
        return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
      } catch (e) {
        throw new EngineError('ReadFailed', `${name}: the file could not be read (${(e as Error).message}); was it moved or changed?`);
      }
    },
  };
}

/** A URL read with Range requests; the size comes from a HEAD (or a first ranged GET). */
export async function urlReader(url: string, signal?: AbortSignal): Promise<ByteReader> {
  const name = decodeURIComponent(new URL(url, 'http://x/').pathname.split('/').pop() || url);
  let size = -1;
  try {
    const head = await fetch(url, { method: 'HEAD', signal });
    if (head.ok) size = Number(head.headers.get('content-length') ?? -1);
  } catch { /* some servers refuse HEAD; try a ranged GET below */ }
  if (!(size >= 0)) {
    const r = await fetchOk(url, { headers: { Range: 'bytes=0-0' }, signal }, name);
    const total = /\/(\d+)$/.exec(r.headers.get('content-range') ?? '');
    if (!total) throw new EngineError('ReadFailed', `${name}: the server does not say how large the file is (no Content-Length or Content-Range)`);
    size = Number(total[1]);
  }
  return rangeReader(url, name, size, signal);
}

/** Reads of a URL whose size is known, one Range request each. */
function rangeReader(url: string, name: string, size: number, signal?: AbortSignal): ByteReader {
  return {
    name,
    size,
    handle: { kind: 'url', url, name, size },
    async read(offset, length) {
      const end = Math.min(size, offset + length) - 1;
      if (end < offset) return new Uint8Array(0);
      const r = await fetchOk(url, { headers: { Range: `bytes=${offset}-${end}` }, ...(signal ? { signal } : {}) }, name);
      const buf = new Uint8Array(await r.arrayBuffer());
      // a server that ignores Range sends the whole file with 200
      return r.status === 206 ? buf : buf.subarray(offset, end + 1);
    },
  };
}

async function fetchOk(url: string, init: RequestInit, name: string): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(url, init);
  } catch (e) {
    throw new EngineError('ReadFailed', `${name}: could not fetch ${url} (${(e as Error).message})`);
  }
  if (!r.ok) throw new EngineError('ReadFailed', `${name}: ${url} answered ${r.status} ${r.statusText}`);
  return r;
}

let pathReader: ((path: string, name: string, size: number) => ByteReader) | null = null;

/** Node registers how to read file paths (see workers/node/bytes.ts). */
export function registerPathReader(make: (path: string, name: string, size: number) => ByteReader): void {
  pathReader = make;
}

/** Reopens a handle that crossed from another thread. */
export function readerFromHandle(h: ByteHandle): ByteReader {
  switch (h.kind) {
    case 'blob': return blobReader(h.blob, h.name);
    case 'url': return rangeReader(h.url, h.name, h.size);
    case 'path':
      if (!pathReader) throw new EngineError('ReadFailed', `${h.name}: file paths can only be read in Node`);
      return pathReader(h.path, h.name, h.size);
  }
}
