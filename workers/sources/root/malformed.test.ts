// Damaged ROOT files: truncated or with a flipped byte, they fail as BadFile
// (a message naming the file), never as a raw jsroot error, and never hang.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openFile, type RootTree } from 'jsroot/io';
import { EngineError } from '../../engine/errors';
import { seededRandom } from '../../expr/random';
import { memoryReader } from '../bytes';
import type { ByteReader, PageRequest, Source } from '../source';
import { readJaggedBranch, rootFormat } from './index';
import { openTree } from './open-file';

// jsroot narrates what it finds wrong in damaged streamers on the console
beforeAll(() => {
  for (const level of ['log', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation(() => {});
});
afterAll(() => vi.restoreAllMocks());

const dataDir = new URL('../../../public/data/root/', import.meta.url);
const bytesOf = async (file: string) => new Uint8Array(await readFile(new URL(file, dataDir)));

/** Opens and reads every column and jagged branch; resolves 'ok' or the error. */
async function readEverything(bytes: Uint8Array, name: string): Promise<unknown> {
  try {
    const s: Source = await rootFormat.open(memoryReader(bytes, name), {});
    for (let chunk = 0; chunk < s.schema.chunkRows.length; chunk++) {
      const n = s.schema.chunkRows[chunk]!;
      const pages: PageRequest[] = s.schema.columns.map((c, column) => ({ column, dest: c.type === 'dict' ? null : new Float64Array(n) }));
      await s.read(chunk, pages);
    }
    for (const j of s.schema.jagged) await readJaggedBranch(s, j.name, 0, s.schema.rows);
    return 'ok';
  } catch (e) {
    return e;
  }
}

function expectUsable(outcome: unknown, what: string) {
  if (outcome === 'ok') return;
  expect(outcome, what).toBeInstanceOf(EngineError);
  expect(['BadFile', 'BadDataset'], `${what}: ${(outcome as Error).message}`).toContain((outcome as Error).name);
  expect((outcome as Error).message.startsWith('f.root')).toBe(true);
}

/** Rewrites the header's fEND, so the cut is not caught by the first check. */
function withEnd(bytes: Uint8Array, end: number): Uint8Array {
  const copy = bytes.slice(0, end);
  const v = new DataView(copy.buffer);
  if (v.getUint32(4) >= 1_000_000) {
    v.setUint32(12, Math.floor(end / 2 ** 32));
    v.setUint32(16, end >>> 0);
  } else {
    v.setUint32(12, end);
  }
  return copy;
}

describe('truncated files', () => {
  for (const file of ['uproot-Zmumu-zlib.root', 'uproot-HZZ.root', 'nanoAOD_2015_CMS_Open_Data_ttbar.root']) {
    it(`${file}: cut anywhere → BadFile`, async () => {
      const bytes = await bytesOf(file);
      for (const cut of [0, 3, 10, 100, 1000, bytes.length >> 1, bytes.length - 500, bytes.length - 1]) {
        const outcome = await readEverything(bytes.slice(0, cut), 'f.root');
        expect(outcome, `cut at ${cut}`).toBeInstanceOf(EngineError);
        expect((outcome as Error).name).toBe('BadFile');
        expect((outcome as Error).message).toMatch(/^f\.root: .*(truncated|not a ROOT file)/);
      }
    });
  }

  it('a cut with a header that agrees (fEND rewritten) still fails as BadFile', async () => {
    const bytes = await bytesOf('uproot-Zmumu-zlib.root');
    for (const cut of [2000, bytes.length >> 1, bytes.length - 500]) {
      const outcome = await readEverything(withEnd(bytes, cut), 'f.root');
      expect(outcome, `cut at ${cut}`).toBeInstanceOf(EngineError);
      expect((outcome as Error).name).toBe('BadFile');
    }
    // the last bytes hold only the free-segment list, which a reader never needs
    expect(await readEverything(withEnd(bytes, bytes.length - 50), 'f.root')).toBe('ok');
  });
});

describe('flipped bytes', () => {
  for (const file of ['uproot-Zmumu-zlib.root', 'uproot-Zmumu-uncompressed.root', 'uproot-HZZ-zstd.root', 'uproot-small-dy-nooffsets.root']) {
    it(`${file}: a flipped byte anywhere reads or fails as BadFile, quickly`, async () => {
      const bytes = await bytesOf(file);
      const random = seededRandom(7);
      const t0 = performance.now();
      for (let i = 0; i < 60; i++) {
        const at = Math.floor(random() * bytes.length);
        const damaged = bytes.slice();
        damaged[at] ^= 1 << Math.floor(random() * 8);
        expectUsable(await readEverything(damaged, 'f.root'), `bit flip at byte ${at}`);
      }
      expect(performance.now() - t0).toBeLessThan(30_000);
    });
  }

  it('the magic → not a ROOT file', async () => {
    const bytes = (await bytesOf('uproot-simple.root')).slice();
    bytes[0] ^= 4;
    expect(rootFormat.sniff(bytes)).toBe(false);
    await expect(rootFormat.open(memoryReader(bytes, 'f.root'), {})).rejects.toMatchObject({ name: 'BadFile', message: 'f.root: not a ROOT file (it does not start with "root")' });
  });

  it('inside a compressed basket → BadFile naming the branch', async () => {
    const bytes = await bytesOf('uproot-Zmumu-zlib.root');
    const f = await openFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const branch = ((await f.readObject('events')) as RootTree).fBranches.arr.find((b) => b?.fName === 'px1')!;
    const damaged = bytes.slice();
    damaged[Number(branch.fBasketSeek[0]) + (branch.fBasketBytes[0]! >> 1)] ^= 0x10;
    const s = await rootFormat.open(memoryReader(damaged, 'f.root'), {});
    const column = s.schema.columns.findIndex((c) => c.name === 'px1');
    await expect(s.read(0, [{ column, dest: new Float64Array(s.schema.chunkRows[0]!) }])).rejects.toMatchObject({
      name: 'BadFile', message: expect.stringMatching(/^f\.root: branch px1, basket at byte \d+: it does not decompress/),
    });
  });
});

describe('time box', () => {
  it('a read that never answers during open becomes BadFile', async () => {
    const bytes = await bytesOf('uproot-simple.root');
    const inner = memoryReader(bytes, 'f.root');
    const stalls: ByteReader = {
      name: inner.name,
      size: inner.size,
      read: (offset, length) => (offset === 0 ? inner.read(offset, length) : new Promise<Uint8Array>(() => {})),
    };
    await expect(openTree(stalls, undefined, undefined, 200)).rejects.toMatchObject({ name: 'BadFile', message: expect.stringMatching(/^f\.root: .*did not finish within 0\.2 s/) });
  });
});
