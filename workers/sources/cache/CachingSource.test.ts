import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../node/platform';
import type { Engine } from '../../engine/Engine';
import type { AnalysisInput } from '../../analysis';
import type { RunResult } from '../../protocol';
import { blobReader } from '../bytes';
import { CACHE_NOTE } from './CachingSource';
import { MemoryColumnCache, type ColumnCacheStore } from './page-store';

const ROWS = 20_000;
const CHUNK = 1500;

/**
 * A CSV whose later chunks change column types: `late_float` turns from
 * integers to decimals at row 9000, `late_text` from numbers to strings at 12000.
 */
function csv(): string {
  const lines = ['id,x,cat,late_float,late_text'];
  let s = 7;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < ROWS; i++) {
    const lf = i < 9000 ? String(i % 97) : (rnd() * 10).toFixed(3);
    const lt = i < 12000 ? String(i % 13) : ['p', 'q', 'r'][i % 3]!;
    lines.push(`${i},${(rnd() * 10 - 5).toFixed(6)},${['alpha', 'beta', 'gamma'][Math.floor(rnd() * 3)]},${lf},${lt}`);
  }
  return lines.join('\n') + '\n';
}

const doc: AnalysisInput = {
  version: 1,
  dataset: { kind: 'file', name: 'cache.csv', size: 0 },
  filters: [{ name: 'beta', expr: 'cat == "beta"' }, { name: 'pos', expr: 'x > -2' }],
  histograms: [
    { name: 'x', x: { expr: 'x', bins: 50, lo: -5, hi: 5 } },
    { name: 'lf', x: { expr: 'late_float', bins: 100, lo: 0, hi: 100 }, after: 'beta' },
    { name: 'id', x: { expr: 'id', bins: 20, lo: 0, hi: ROWS }, weight: 'x', after: 'pos' },
    { name: 'lt', x: { expr: 'late_text == "q" ? 1 : 0', bins: 2, lo: 0, hi: 2 } },
  ],
};

const comparable = (r: RunResult) => ({ cutflow: r.cutflow, histograms: r.histograms, rows: r.rowsDone });

describe('the column cache', () => {
  const file = new Blob([csv()]);
  let plain: RunResult;
  const engines: Engine[] = [];
  const engine = async (columnCache?: ColumnCacheStore) => {
    const e = await createNodeEngine({ workers: 1, chunkRows: CHUNK, ...(columnCache ? { columnCache } : {}) });
    engines.push(e);
    return e;
  };
  beforeAll(async () => {
    const e = await engine();
    await e.openReader(blobReader(file, 'cache.csv'));
    plain = await e.run(doc);
  });
  afterAll(async () => { await Promise.all(engines.map((e) => e.close())); });

  it('gives the parser’s results bit for bit when cold, and again when every page comes from the cache', async () => {
    const cache = new MemoryColumnCache();
    const e = await engine(cache);
    const cold = await e.openReader(blobReader(file, 'cache.csv'));
    expect(cold.notes).not.toContain(CACHE_NOTE);
    expect(comparable(await e.run(doc))).toEqual(comparable(plain));
    const [dir] = [...cache.dirs.values()];
    const pages = dir!.files.size;
    expect(pages).toBeGreaterThan(0);

    const warm = await e.openReader(blobReader(file, 'cache.csv'));
    expect(warm.notes).toContain(CACHE_NOTE);
    expect(warm.rows).toBe(ROWS);
    expect(comparable(await e.run(doc))).toEqual(comparable(plain));
    // a second engine (a reloaded page) with the same store
    const other = await engine(cache);
    await other.openReader(blobReader(file, 'cache.csv'));
    expect(comparable(await other.run(doc))).toEqual(comparable(plain));
    expect(dir!.files.size).toBe(pages);
    expect(plain.histograms.find((h) => h.name === 'lt')!.bins[1]).toBeGreaterThan(0);
  });

  it('serves every page without the parser: a cached open reads only the fingerprint samples', async () => {
    const cache = new MemoryColumnCache();
    const e = await engine(cache);
    await e.openReader(blobReader(file, 'cache.csv'));
    await e.run(doc);
    // every page is cached: the parser is not even opened (its indexing pass would read every byte)
    let reads = 0;
    const reader = blobReader(file, 'cache.csv');
    const counting = { ...reader, handle: reader.handle, read: (o: number, n: number) => { reads += n; return reader.read(o, n); } };
    await e.openReader(counting);
    expect(comparable(await e.run(doc))).toEqual(comparable(plain));
    expect(reads).toBe(file.size); // the fingerprint reads a file this small whole, once
  });

  it('a new column after a cached open is parsed then, and cached', async () => {
    const cache = new MemoryColumnCache();
    const e = await engine(cache);
    await e.openReader(blobReader(file, 'cache.csv'));
    const only: AnalysisInput = { ...doc, filters: [], histograms: [doc.histograms![0]!] };
    await e.run(only);
    await e.openReader(blobReader(file, 'cache.csv'));
    expect(comparable(await e.run(doc))).toEqual(comparable(plain));
  });

  it('a store that fails loses nothing: the file is parsed and the dataset says why', async () => {
    const broken: ColumnCacheStore = {
      dataset: async () => { throw new DOMException('quota', 'QuotaExceededError'); },
      list: async () => [],
      clear: async () => {},
    };
    const e = await engine(broken);
    const info = await e.openReader(blobReader(file, 'cache.csv'));
    expect(info.notes.some((n) => n.includes('column cache could not be read'))).toBe(true);
    expect(comparable(await e.run(doc))).toEqual(comparable(plain));

    const cache = new MemoryColumnCache();
    const failingWrites: ColumnCacheStore = {
      ...cache,
      dataset: async (id) => ({ ...(await cache.dataset(id)), writePage: async () => { throw new DOMException('full', 'QuotaExceededError'); } }),
      list: () => cache.list(),
      clear: (f) => cache.clear(f),
    };
    const e2 = await engine(failingWrites);
    await e2.openReader(blobReader(file, 'cache.csv'));
    expect(comparable(await e2.run(doc))).toEqual(comparable(plain));
    expect((await e2.openReader(blobReader(file, 'cache.csv'))).notes).toContain(CACHE_NOTE);
    expect(comparable(await e2.run(doc))).toEqual(comparable(plain));
  });
});
