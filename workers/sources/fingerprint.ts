// A dataset's content fingerprint: what share links check a recipient's local
// file against and what the result and column caches are keyed by. Hashing a
// 14 GB file whole would take longer than analysing it, so the hash covers the
// size and three 1 MiB samples (head, middle, tail): an edit anywhere in a
// text file almost always moves the tail or the middle, and a same-size
// in-place edit outside the samples is the accepted miss.
import type { ByteReader } from './source';

export const FINGERPRINT_SAMPLE = 1 << 20;

/** The byte ranges hashed for a file of `size` bytes, in order, never overlapping. */
export function sampleRanges(size: number, sample = FINGERPRINT_SAMPLE): [number, number][] {
  if (size <= 3 * sample) return [[0, size]];
  const mid = Math.floor((size - sample) / 2);
  return [[0, sample], [mid, mid + sample], [size - sample, size]];
}

/** `sha256:<hex>` of the size (as 8 little-endian bytes) followed by the sampled ranges. */
export async function fingerprintReader(reader: ByteReader): Promise<string> {
  const ranges = sampleRanges(reader.size);
  const parts: Uint8Array[] = [];
  const size = new Uint8Array(8);
  new DataView(size.buffer).setFloat64(0, reader.size, true);
  parts.push(size);
  for (const [lo, hi] of ranges) parts.push(await reader.read(lo, hi - lo));
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.byteLength; }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A demo dataset is its parameters: it is regenerated bit for bit from them. */
export function demoFingerprint(name: string, rows: number, seed: number): string {
  return `demo:${name}:${rows}:${seed}`;
}
