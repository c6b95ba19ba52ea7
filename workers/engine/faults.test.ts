// Faults: a kernel worker that fails or dies mid-run fails that run with a
// clear message and nothing else — the pool replaces a dead worker, and the
// next run is exact (against the plain-JS reference). A streamed run whose
// pages can't fit the budget fails cleanly and leaves the engine usable.
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../node/platform';
import type { Engine } from './Engine';
import { EngineError } from './errors';
import { ROWS, DOC, makeTable, expectMatchesReference, asColumns } from '../testing/engine-fixtures';
import type { RefDoc } from '../testing/reference-run';

const MiB = 1024 ** 2;
const engines: Engine[] = [];
afterAll(async () => { await Promise.all(engines.map((e) => e.close())); });

async function engine(opts: Parameters<typeof createNodeEngine>[0] = {}): Promise<Engine> {
  const e = await createNodeEngine({ workers: 2, chunkRows: 1024, vecLen: 256, ...opts });
  engines.push(e);
  return e;
}

const table = makeTable(ROWS, 13);

describe('a kernel worker that fails mid-run', () => {
  it('dies (its thread exits): the run fails with WorkerFailed, the worker is replaced, the next run is exact', async () => {
    const e = await engine();
    await e.openColumns('t', ROWS, asColumns(table));
    await e.injectFault(0, { afterChunks: 3, how: 'die' });
    const failed = await e.run(DOC).then(() => null, (err: unknown) => err);
    expect(failed).toBeInstanceOf(EngineError);
    expect((failed as EngineError).name).toBe('WorkerFailed');
    expect((failed as EngineError).message).toMatch(/a kernel worker stopped \(its thread exited with code 70\).*run again/);
    const next = await e.run(DOC);
    expect(next.workers).toBe(2);
    expectMatchesReference(next, table);
    // and again: the replacement holds up, the survivors too
    expectMatchesReference(await e.run(DOC), table);
  });

  it('throws: the run fails with the worker\'s error, and the next run is exact', async () => {
    const e = await engine();
    await e.openColumns('t', ROWS, asColumns(table));
    await e.injectFault(1, { afterChunks: 2, how: 'throw' });
    await expect(e.run(DOC)).rejects.toThrow(/injected fault: the kernel worker failed/);
    expectMatchesReference(await e.run(DOC), table);
  });

  it('dies while the dataset streams in windows under a small budget: same clean failure, then exact', async () => {
    const e = await engine({ budgetBytes: 1 * MiB });
    await e.openColumns('t', ROWS, asColumns(table));
    await e.injectFault(1, { afterChunks: 5, how: 'die' });
    await expect(e.run(DOC)).rejects.toMatchObject({ name: 'WorkerFailed' });
    expect(e.memory().columnBytes).toBeLessThanOrEqual(1 * MiB);
    expectMatchesReference(await e.run(DOC), table);
  });

  it('dies at its first chunk of a run over generated data: the run fails, the next is exact', async () => {
    const e = await engine();
    await e.openDemo({ name: 'toy', rows: 200_000, seed: 1 });
    const doc = {
      version: 1, dataset: { kind: 'demo', name: 'toy', rows: 200_000, seed: 1 },
      filters: [{ name: 'z', expr: 'z > 0.5' }], histograms: [{ name: 'x', x: { expr: 'x', bins: 20, lo: -5, hi: 5 }, after: 'z' }],
    };
    const before = await e.run(doc);
    await e.injectFault(0, { afterChunks: 0, how: 'die' });
    await expect(e.run(doc)).rejects.toMatchObject({ name: 'WorkerFailed' });
    const after = await e.run(doc);
    expect(after.histograms[0]!.bins).toEqual(before.histograms[0]!.bins);
    expect(after.cutflow).toEqual(before.cutflow);
  });
});

describe('memory budget', () => {
  it('a page larger than the budget fails the run cleanly; narrower runs still work', async () => {
    // one chunk of the run's columns is ~2 MiB against a 1 MiB budget
    const rows = 140_000;
    const wide = makeTable(rows, 3);
    const e = await engine({ budgetBytes: 1 * MiB, chunkRows: 131_072 });
    await e.openColumns('t', rows, asColumns(wide));
    const err = await e.run(DOC).then(() => null, (x: unknown) => x);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).name).toBe('OutOfMemory');
    expect((err as EngineError).message).toMatch(/memory budget \(1\.0 MiB\) is smaller than one chunk.*raise the budget/);
    expect(e.memory().columnBytes).toBeLessThanOrEqual(1 * MiB);
    const narrow = { ...DOC, defines: [], filters: [], histograms: [{ name: 'b', x: { expr: 'b', bins: 2, lo: 0, hi: 2 } }] } as RefDoc;
    expectMatchesReference(await e.run(narrow), wide, rows, narrow);
    // raising the budget makes the same analysis run, exactly
    e.setBudget(64 * MiB);
    expectMatchesReference(await e.run(DOC), wide, rows);
  });
});
