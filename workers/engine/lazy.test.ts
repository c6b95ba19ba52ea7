import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../node/platform';
import type { Engine } from './Engine';
import type { RunResult } from '../protocol';
import { ROWS, DOC, makeTable, expectMatchesReference, asColumns } from '../testing/engine-fixtures';
import type { RefColumn, RefDoc } from '../testing/reference-run';
import type { OpenOptions, PageRequest, PageResult, Source } from '../sources/source';

const MiB = 1024 ** 2;
const engines: Engine[] = [];
afterAll(async () => { await Promise.all(engines.map((e) => e.close())); });

async function engine(opts: Parameters<typeof createNodeEngine>[0] = {}): Promise<Engine> {
  const e = await createNodeEngine({ workers: 2, chunkRows: 4096, vecLen: 256, ...opts });
  engines.push(e);
  return e;
}

function sameCounts(a: RunResult, b: RunResult): void {
  expect(a.cutflow).toEqual(b.cutflow);
  a.histograms.forEach((h, i) => {
    const o = b.histograms[i]!;
    expect(h.bins).toEqual(o.bins);
    expect([h.underflow, h.overflow, h.nan, h.entries]).toEqual([o.underflow, o.overflow, o.nan, o.entries]);
    h.sumw.forEach((s, j) => expect(s).toBeCloseTo(o.sumw[j]!, 6));
  });
}

describe('virtual columns', () => {
  const table = makeTable(ROWS, 11);

  it('decodes only the columns a run reads', async () => {
    const e = await engine();
    // 20 columns, the analysis reads 2
    const wide: Record<string, RefColumn> = { ...table };
    for (let i = 0; i < 18; i++) wide[`extra${i}`] = { type: 'f64', values: new Float64Array(ROWS).fill(i) };
    await e.openColumns('wide', ROWS, asColumns(wide));
    expect(e.memory().columnBytes).toBe(0);
    const doc: RefDoc & object = {
      version: 1, dataset: { kind: 'file', name: 'wide', size: 0 }, defines: [],
      filters: [{ name: 'pos', expr: 'y > 0' }],
      histograms: [{ name: 'x', x: { expr: 'x', bins: 10, lo: -3, hi: 3 }, after: 'pos' }],
    } as RefDoc;
    const r = await e.run(doc);
    expectMatchesReference(r, wide, ROWS, doc);
    const resident = e.memory().columns.filter((c) => c.bytes > 0).map((c) => c.name).sort();
    expect(resident).toEqual(['x', 'y']);
    expect(e.memory().columnBytes).toBe(ROWS * 16);
  });

  it('decodes the columns beside a string comparison the dictionary cannot answer before decoding', async () => {
    // `cat == "beta"` folds to false while cat's dictionary is still empty, taking `k > 2` along
    const e = await engine();
    await e.openColumns('t', ROWS, asColumns(table));
    const doc = {
      version: 1, dataset: { kind: 'file', name: 't', size: 0 }, defines: [{ name: 'kk', expr: 'k * 1' }],
      filters: [{ name: 'f', expr: 'cat == "beta" && kk > 2' }],
      histograms: [{ name: 'x', x: { expr: 'x', bins: 10, lo: -3, hi: 3 }, after: 'f' }],
    } as RefDoc;
    expectMatchesReference(await e.run(doc), table, ROWS, doc);
  });

  it('keeps decoded pages for the next run, and decodes an evicted column again with identical results', async () => {
    const e = await engine();
    await e.openColumns('t', ROWS, asColumns(table));
    const first = await e.run(DOC);
    expectMatchesReference(first, table);
    const decoded = e.memory().pagesDecoded;
    sameCounts(await e.run(DOC), first);
    expect(e.memory().pagesDecoded).toBe(decoded);
    expect(e.evict('x')).toBeGreaterThan(0);
    expect(e.memory().columns.find((c) => c.name === 'x')!.bytes).toBe(0);
    sameCounts(await e.run(DOC), first);
    expect(e.memory().pagesDecoded).toBe(decoded + Math.ceil(ROWS / 4096));
  });

  it('streams in windows under a budget smaller than the columns, with the same counts', async () => {
    const big = await engine();
    await big.openColumns('t', ROWS, asColumns(table));
    const resident = await big.run(DOC);
    // the run reads ~1.9 MB of columns; 1 MiB forces windows (and prefetch)
    const e = await engine({ budgetBytes: 1 * MiB });
    await e.openColumns('t', ROWS, asColumns(table));
    let peak = 0;
    const partials: RunResult[] = [];
    const streamed = await e.run(DOC, {
      onProgress: () => { peak = Math.max(peak, e.memory().columnBytes); },
      onPartial: (p) => partials.push(p),
    });
    expectMatchesReference(streamed, table);
    sameCounts(streamed, resident);
    expect(peak).toBeLessThanOrEqual(1 * MiB);
    expect(e.memory().columnBytes).toBeLessThanOrEqual(1 * MiB);
    expect(e.memory().pagesEvicted).toBeGreaterThan(0);
    for (const p of partials) expect(p.rowsDone).toBeLessThanOrEqual(ROWS);
  });

  it('fails clearly when the budget is smaller than one chunk', async () => {
    const e = await engine({ budgetBytes: 1 * MiB, chunkRows: 262_144 });
    await e.openColumns('t', ROWS * 6, asColumns(makeTable(ROWS * 6, 3)));
    await expect(e.run(DOC)).rejects.toThrow(/smaller than one chunk/);
    // nothing is lost: an analysis of a narrower column still runs
    const r = await e.run({ ...DOC, defines: [], filters: [], histograms: [{ name: 'b', x: { expr: 'b', bins: 2, lo: 0, hi: 2 } }] });
    expect(r.status).toBe('done');
    expect(r.histograms[0]!.entries).toBe(ROWS * 6);
  });

  it('cancels a streamed run, then runs the next exactly', async () => {
    const e = await engine({ budgetBytes: 1 * MiB });
    await e.openColumns('t', ROWS, asColumns(table));
    const stale = e.run(DOC);
    await new Promise((r) => setTimeout(r, 5));
    e.cancel();
    expect((await stale).status).toBe('cancelled');
    expectMatchesReference(await e.run(DOC), table);
  });

  it('merges page-local dictionaries, widening codes past 256 strings', async () => {
    const rows = 20_000;
    const names = Array.from({ length: 700 }, (_, i) => `s${i}`);
    // early chunks see few strings, later ones many: codes widen from u8 to u16 mid-pass
    const codes = new Uint32Array(rows).map((_, i) => (i < 8192 ? i % 7 : (i * 7919) % names.length));
    const t: Record<string, RefColumn> = {
      s: { type: 'dict', values: codes, dictionary: names },
      v: { type: 'f64', values: new Float64Array(rows).map((_, i) => i % 10) },
    };
    const doc = {
      version: 1, dataset: { kind: 'file', name: 't', size: 0 }, defines: [],
      filters: [{ name: 'pick', expr: 's == "s3" || s == "s650"' }],
      histograms: [{ name: 'v', x: { expr: 'v', bins: 10, lo: 0, hi: 10 }, after: 'pick' }],
    } as RefDoc;
    for (const budget of [64 * MiB, 1 * MiB]) {
      const e = await engine({ budgetBytes: budget });
      await e.openColumns('t', rows, asColumns(t));
      expectMatchesReference(await e.run(doc), t, rows, doc);
      const s = e.dataset!.columns.find((c) => c.name === 's')!;
      expect(new Set(s.dictionary)).toEqual(new Set(names.filter((_, i) => codes.includes(i))));
    }
  });

  it('widens a column whose later pages hold values its type cannot, converting pages already decoded', async () => {
    const rows = 10_000;
    const e = await engine();
    const values = Array.from({ length: rows }, (_, i) => (i < 9000 ? i % 50 : (i % 50) + 0.5));
    const src: Source = {
      schema: { format: 'csv', rows, chunkRows: [4096, 4096, 1808], columns: [{ name: 'n', type: 'i32' }], jagged: [], unsupported: [], notes: [] },
      async read(chunk: number, pages: PageRequest[]): Promise<PageResult[]> {
        const r0 = chunk * 4096, n = [4096, 4096, 1808][chunk]!;
        return pages.map((p) => {
          const slice = values.slice(r0, r0 + n);
          if (p.dest instanceof Int32Array && slice.some((v) => !Number.isInteger(v))) {
            return { kind: 'retype', type: 'f64', reason: `line ${r0 + 9000 - r0 + 2}, column n: 0.5 is not an integer` };
          }
          p.dest!.set(slice);
          return { kind: 'written' };
        });
      },
      close() {},
    };
    await (e as unknown as { adopt(s: Source, b: number, ms: number): unknown }).adopt(src, 0, 0);
    const doc = {
      version: 1, dataset: { kind: 'file', name: 't', size: 0 }, defines: [], filters: [],
      histograms: [{ name: 'n', x: { expr: 'n', bins: 100, lo: 0, hi: 50 } }],
    } as RefDoc;
    const r = await e.run(doc);
    expectMatchesReference(r, { n: { type: 'f64', values: Float64Array.from(values) } }, rows, doc);
    const n = e.dataset!.columns[0]!;
    expect(n.type).toBe('f64');
    expect(n.warnings?.join()).toMatch(/not an integer/);
    expect(e.memory().columnBytes).toBe(rows * 8);
  });

  it('computes reductions of list columns as columns, page by page, evicted and recomputed like the others', async () => {
    const rows = 9_000, chunk = 4096;
    const sizes = [4096, 4096, 808];
    // row r holds r % 5 elements: (r + j) % 7 for j < r % 5
    const list = (r: number) => Array.from({ length: r % 5 }, (_, j) => (r + j) % 7);
    const w = Float64Array.from({ length: rows }, (_, r) => (r % 3) + 1);
    const src: Source = {
      schema: { format: 'root', rows, chunkRows: sizes, columns: [{ name: 'w', type: 'f64' }], jagged: [{ name: 'J', elementType: 'f32' }], unsupported: [], notes: [] },
      async read(c: number, pages: PageRequest[]): Promise<PageResult[]> {
        return pages.map((p) => { p.dest!.set(w.subarray(c * chunk, c * chunk + sizes[c]!)); return { kind: 'written' }; });
      },
      async readList(c: number, name: string) {
        expect(name).toBe('J');
        const offsets = new Uint32Array(sizes[c]! + 1);
        const values: number[] = [];
        for (let i = 0; i < sizes[c]!; i++) { values.push(...list(c * chunk + i)); offsets[i + 1] = values.length; }
        return { offsets, values: Float64Array.from(values) };
      },
      close() {},
    };
    const e = await engine({ budgetBytes: 1 * MiB });
    await (e as unknown as { adopt(s: Source, b: number, ms: number): unknown }).adopt(src, 0, 0);
    const doc = {
      version: 1, dataset: { kind: 'file', name: 't', size: 0 },
      defines: [{ name: 'n', expr: 'size(J)' }],
      filters: [{ name: 'big', expr: 'any(J > 4)' }],
      histograms: [
        { name: 'max', x: { expr: 'max(J)', bins: 8, lo: 0, hi: 8 }, after: 'big', weight: 'w' },
        { name: 'n', x: { expr: 'n', bins: 6, lo: 0, hi: 6 } },
        { name: 'first', x: { expr: 'J[0] * w', bins: 20, lo: 0, hi: 20 } },
      ],
    };
    const expectMax = new Array(8).fill(0), expectN = new Array(6).fill(0), expectFirst = new Array(20).fill(0);
    let pass = 0, nanFirst = 0;
    for (let r = 0; r < rows; r++) {
      const l = list(r);
      expectN[l.length]++;
      if (l.length === 0) nanFirst++; else expectFirst[Math.floor(l[0]! * w[r]!)]++;
      if (l.some((v) => v > 4)) { pass++; expectMax[Math.max(...l)]++; }
    }
    for (let round = 0; round < 2; round++) {
      const r = await e.run(doc);
      expect(r.cutflow).toEqual([{ name: 'big', pass, total: rows }]);
      expect(r.histograms[0]!.bins).toEqual(expectMax);
      expect(r.histograms[1]!.bins).toEqual(expectN);
      expect(r.histograms[2]!.bins).toEqual(expectFirst);
      expect(r.histograms[2]!.nan).toBe(nanFirst);
      e.evict('max(J)');
    }
    // reductions are not columns of the file
    expect(e.dataset!.columns.map((c) => c.name)).toEqual(['w']);
    expect(e.check({ ...doc, histograms: [{ name: 'bad', x: { expr: 'J + 1', bins: 2, lo: 0, hi: 1 } }] })[0]!.message).toMatch(/list per row/);
  });

  it('reads a CSV File in spans of chunks, widening columns whose later chunks need it', async () => {
    const rows = 30_000;
    const e = await engine({ chunkRows: 1000 });
    const cats = ['alpha', 'beta', 'gamma'];
    const x = new Float64Array(rows), k = new Float64Array(rows), code = new Float64Array(rows);
    const lines = ['x,k,cat'];
    for (let i = 0; i < rows; i++) {
      x[i] = ((i * 7919) % 1000) / 100 - 5;
      // k is sampled as integers; its last chunks hold fractions
      k[i] = i < 25_000 ? i % 10 : (i % 10) + 0.5;
      code[i] = (i * 31) % 3;
      lines.push(`${x[i]},${k[i]},${cats[code[i]!]}`);
    }
    // a small sample, so the fractions come after it
    await e.open({ kind: 'file', file: new Blob([lines.join('\n')]), name: 'spans.csv' }, undefined, { sampleBytes: 4096 } as OpenOptions);
    expect(e.dataset!.columns.map((c) => c.type)).toEqual(['f64', 'u8', 'dict']);
    const doc = {
      version: 1, dataset: { kind: 'file', name: 'spans.csv', size: 0 }, defines: [],
      filters: [{ name: 'b', expr: 'cat == "beta"' }],
      histograms: [
        { name: 'x', x: { expr: 'x', bins: 20, lo: -5, hi: 5 }, after: 'b' },
        { name: 'k', x: { expr: 'k', bins: 20, lo: 0, hi: 10 } },
      ],
    } as RefDoc;
    const r = await e.run(doc);
    const dictionary = e.dataset!.columns[2]!.dictionary!;
    const codes = Float64Array.from(code, (c) => dictionary.indexOf(cats[c]!));
    expectMatchesReference(r, {
      x: { type: 'f64', values: x }, k: { type: 'f64', values: k }, cat: { type: 'dict', values: codes, dictionary },
    }, rows, doc);
    expect(e.dataset!.columns[1]!.type).toBe('f64');
    expect(e.dataset!.columns[1]!.warnings?.join()).toMatch(/spans\.csv, line 2[5-9]\d{3}, column 2 \(k\): "\d\.5" is not a 32-bit integer/);
  });
  it('reads text columns whose chunks meet their strings in other orders, and new ones, on 2 workers (requests carry the dictionary so far)', async () => {
    const rows = 24_000;
    const e = await engine({ chunkRows: 1000 });
    const bases = ['A', 'C', 'G', 'T', 'N', '-'];
    const g = new Float64Array(rows), w = new Float64Array(rows), v = new Float64Array(rows);
    const words = Array.from({ length: 400 }, (_, i) => `w${i}`);
    const lines = ['v,g,w'];
    for (let i = 0; i < rows; i++) {
      const chunk = Math.floor(i / 1000);
      // each chunk meets the letters first in another order; N from chunk 12 on, - from chunk 18 on
      const n = chunk >= 18 ? 6 : chunk >= 12 ? 5 : 4;
      g[i] = (i + chunk) % n;
      // past 256 strings (the longest dictionary a request carries, and u8 codes) half way
      w[i] = (i * 7919) % (i < 12_000 ? 50 : 400);
      v[i] = i;
      lines.push(`${i},${bases[g[i]!]},${words[w[i]!]}`);
    }
    await e.open({ kind: 'file', file: new Blob([lines.join('\n')]), name: 'known.csv' });
    expect(e.dataset!.columns.map((c) => c.type).slice(1)).toEqual(['dict', 'dict']);
    const letter = bases.map((b, k) => `g == "${b}" ? ${k}`).join(' : ') + ' : -1';
    const doc = {
      version: 1, dataset: { kind: 'file', name: 'known.csv', size: 0 },
      defines: [{ name: 'z', expr: letter }, { name: 'y', expr: 'w == "w3" ? 1 : w == "w300" ? 2 : w == "w49" ? 3 : 0' }],
      filters: [],
      histograms: [
        { name: 'gz', x: { expr: 'v', bins: 24, lo: 0, hi: rows }, y: { expr: 'z', bins: 8, lo: -1, hi: 7 } },
        { name: 'wy', x: { expr: 'v', bins: 24, lo: 0, hi: rows }, y: { expr: 'y', bins: 4, lo: 0, hi: 4 } },
      ],
    } as RefDoc;
    const r = await e.run(doc);
    const [gd, wd] = [e.dataset!.columns[1]!.dictionary!, e.dataset!.columns[2]!.dictionary!];
    expect(new Set(gd)).toEqual(new Set(bases));
    expect(wd.length).toBe(400);
    expectMatchesReference(r, {
      v: { type: 'f64', values: v },
      g: { type: 'dict', values: Float64Array.from(g, (k) => gd.indexOf(bases[k]!)), dictionary: gd },
      w: { type: 'dict', values: Float64Array.from(w, (k) => wd.indexOf(words[k]!)), dictionary: wd },
    }, rows, doc);
    // every letter counted in every chunk that has it: the test sees a wrong code
    expect(r.histograms[0]!.bins.filter((b) => b > 0).length).toBe(12 * 4 + 6 * 5 + 6 * 6);
  });
});

