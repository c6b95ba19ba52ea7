// File paths as byte readers, for the CLI and tests. Reads go through one
// descriptor per reader with positioned reads, so concurrent chunks never
// fight over a file position.
import { openSync, readSync, fstatSync, closeSync } from 'node:fs';
import { basename } from 'node:path';
import type { ByteReader } from '../sources/source';
import { registerPathReader } from '../sources/bytes';
import { EngineError } from '../engine/errors';

export function pathReader(path: string, name = basename(path), knownSize?: number): ByteReader {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new EngineError('ReadFailed', `${name}: ${(e as Error).message}`);
  }
  const size = knownSize ?? fstatSync(fd).size;
  const registry = new FinalizationRegistry<number>((d) => { try { closeSync(d); } catch { /* already closed */ } });
  const reader: ByteReader = {
    name,
    size,
    handle: { kind: 'path', path, name, size },
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const k = readSync(fd, buf, got, n - got, offset + got);
        if (k === 0) break;
        got += k;
      }
      return got === n ? buf : buf.subarray(0, got);
    },
  };
  registry.register(reader, fd);
  return reader;
}

registerPathReader((path, name, size) => pathReader(path, name, size));
