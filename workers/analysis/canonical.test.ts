import { describe, expect, it } from 'vitest';
import { canonicalize, stableJson } from './canonical';
import type { AnalysisInput } from './document';

const doc: AnalysisInput = {
  version: 1,
  dataset: { kind: 'demo', name: 'dimuon', rows: 1000, seed: 1 },
  histograms: [{ name: 'pt', x: { expr: 'pt', bins: 100, lo: 0, hi: 200 }, weight: undefined }],
};

describe('canonicalize', () => {
  it('sorts keys at every depth, fills empty lists and drops undefined members', () => {
    expect(canonicalize(doc)).toBe(
      '{"dataset":{"kind":"demo","name":"dimuon","rows":1000,"seed":1},"defines":[],"filters":[],'
      + '"histograms":[{"name":"pt","x":{"bins":100,"expr":"pt","hi":200,"lo":0}}],"version":1}',
    );
  });

  it('gives equal strings for documents that differ only in key order and defaults', () => {
    const shuffled = JSON.parse('{"histograms":[{"x":{"hi":200,"lo":0,"bins":100,"expr":"pt"},"name":"pt"}],"defines":[],"version":1,'
      + '"dataset":{"seed":1,"rows":1000,"name":"dimuon","kind":"demo"}}') as AnalysisInput;
    expect(canonicalize(shuffled)).toBe(canonicalize(doc));
  });

  it('keeps list order and expression text as written', () => {
    const a = canonicalize({ ...doc, filters: [{ name: 'a', expr: 'x>1' }, { name: 'b', expr: 'y < 2' }] });
    const b = canonicalize({ ...doc, filters: [{ name: 'b', expr: 'y < 2' }, { name: 'a', expr: 'x>1' }] });
    expect(a).not.toBe(b);
    expect(a).toContain('"expr":"x>1"');
  });

  it('writes -0 as 0 and escapes strings as JSON', () => {
    expect(stableJson({ b: -0, a: 'q"\n' })).toBe('{"a":"q\\"\\n","b":0}');
    expect(JSON.parse(canonicalize(doc))).toEqual(JSON.parse(JSON.stringify({ ...doc, defines: [], filters: [] })));
  });
});
