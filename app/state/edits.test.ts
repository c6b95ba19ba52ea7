// The editor's model edits that carry histograms along with their cuts.
import { describe, expect, it } from 'vitest';
import { addCut, removeCut, updateCut } from './edits';
import { emptyModel, type HistItem, type Model } from './model';

const hist = (name: string, after?: string): HistItem => ({ id: name, name, x: { expr: 'x', bins: 10, lo: 0, hi: 1 }, ...(after ? { after } : {}) });

function model(): Model {
  let m = addCut(addCut(emptyModel(), 'a', 'x > 0'), 'b', 'x > 1');
  m = { ...m, histograms: [hist('all'), hist('ha', 'a'), hist('hb', 'b')] };
  return m;
}

describe('edits', () => {
  it('a renamed cut takes its histograms along', () => {
    const m = model();
    const after = updateCut(m, m.cuts[0]!.id, { name: 'first' });
    expect(after.cuts.map((c) => c.name)).toEqual(['first', 'b']);
    expect(after.histograms.map((h) => h.after)).toEqual([undefined, 'first', 'b']);
  });

  it("a removed cut's histograms move to the cut before it, or to all rows", () => {
    const m = model();
    const noB = removeCut(m, m.cuts[1]!.id);
    expect(noB.histograms.map((h) => h.after)).toEqual([undefined, 'a', 'a']);
    const noA = removeCut(m, m.cuts[0]!.id);
    expect(noA.histograms.map((h) => h.after)).toEqual([undefined, undefined, 'b']);
    expect('after' in noA.histograms[1]!).toBe(false);
  });
});
