import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { createNodeEngine } from '../node/platform';
import { memoryReader } from './bytes';
import { distinctNames } from './names';
import type { SourceSchema } from './source';

const schema = (names: string[], jagged: string[] = []): SourceSchema => ({
  format: 'arrow', rows: 0, chunkRows: [], columns: names.map((name) => ({ name, type: 'f64' })),
  jagged: jagged.map((name) => ({ name, elementType: 'f64' })), unsupported: [], notes: [],
});

describe('distinct column names', () => {
  it('names blanks by position and numbers repeats, leaving good names alone', () => {
    expect(distinctNames(schema(['a', '', ' ', 'a', 'b', 'a'])).names).toEqual(['a', 'column2', 'column3', 'a_2', 'b', 'a_3']);
    expect(distinctNames(schema(['x', 'y'])).renamed).toEqual([]);
  });

  it('never takes a list column\'s name', () => {
    expect(distinctNames(schema(['Jet_pt', 'n'], ['Jet_pt'])).names).toEqual(['Jet_pt_2', 'n']);
  });

  it('an Arrow field named "" opens as column1 and can be histogrammed', async () => {
    const bytes = tableToIPC(tableFromArrays({ '': Float64Array.from([1, 2, 3]), x: Float64Array.from([4, 5, 6]) }), 'file');
    const e = await createNodeEngine({ workers: 1 });
    try {
      const info = await e.openReader(memoryReader(bytes, 'blank.arrow'));
      expect(info.columns.map((c) => c.name)).toEqual(['column1', 'x']);
      expect(info.notes.some((n) => n.includes('→ column1'))).toBe(true);
      const r = await e.run({ version: 1, dataset: { kind: 'file', name: 'blank.arrow', size: 0 }, histograms: [{ name: 'h', x: { expr: 'column1', bins: 3, lo: 0.5, hi: 3.5 } }] });
      expect(r.histograms[0]!.bins).toEqual([1, 1, 1]);
    } finally {
      await e.close();
    }
  });
});
