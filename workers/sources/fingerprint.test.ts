import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { memoryReader } from './bytes';
import { demoFingerprint, fingerprintReader, sampleRanges } from './fingerprint';

// The reference: Node's own SHA-256 over the same bytes, built independently.
function reference(bytes: Uint8Array, sample: number): string {
  const h = createHash('sha256');
  const size = Buffer.alloc(8);
  size.writeDoubleLE(bytes.byteLength);
  h.update(size);
  if (bytes.byteLength <= 3 * sample) h.update(bytes);
  else {
    const mid = Math.floor((bytes.byteLength - sample) / 2);
    h.update(bytes.subarray(0, sample));
    h.update(bytes.subarray(mid, mid + sample));
    h.update(bytes.subarray(bytes.byteLength - sample));
  }
  return `sha256:${h.digest('hex')}`;
}

function bytesOf(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) { s = (s * 1103515245 + 12345) >>> 0; b[i] = s >>> 24; }
  return b;
}

describe('fingerprint', () => {
  it('hashes small files whole and large ones by head, middle and tail', async () => {
    for (const n of [0, 1, 1000, 3 << 20, (3 << 20) + 1, 7_000_003]) {
      const b = bytesOf(n, n + 1);
      expect(await fingerprintReader(memoryReader(b))).toBe(reference(b, 1 << 20));
    }
  });

  it('changes with the size and with a byte in any sample', async () => {
    const b = bytesOf(5_000_000, 7);
    const base = await fingerprintReader(memoryReader(b));
    expect(await fingerprintReader(memoryReader(b.subarray(0, b.length - 1)))).not.toBe(base);
    for (const at of [0, 2_500_000, 4_999_999]) {
      const c = b.slice();
      c[at] ^= 1;
      expect(await fingerprintReader(memoryReader(c))).not.toBe(base);
    }
  });

  it('samples never overlap and stay inside the file', () => {
    for (const n of [0, 10, 3 << 20, (3 << 20) + 1, 1e10]) {
      const r = sampleRanges(n);
      for (let i = 0; i < r.length; i++) {
        expect(r[i][0]).toBeGreaterThanOrEqual(i === 0 ? 0 : r[i - 1][1]);
        expect(r[i][1]).toBeLessThanOrEqual(n);
      }
    }
  });

  it('names a demo by its parameters', () => {
    expect(demoFingerprint('dimuon', 1000, 1)).toBe('demo:dimuon:1000:1');
    expect(demoFingerprint('dimuon', 1000, 2)).not.toBe(demoFingerprint('dimuon', 1000, 1));
  });
});
