import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/sift.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sift-cli-'));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

describe('sift run', () => {
  it('prints one JSON result for a CSV, counted by hand', () => {
    const csv = file('t.csv', 'a,cat\n1,x\n2,y\n2.5,x\n,x\n7,y\n');
    const doc = file('a.json', JSON.stringify({
      version: 1, dataset: { kind: 'file', name: 't.csv', size: 0 },
      filters: [{ name: 'isx', expr: 'cat == "x"' }],
      histograms: [{ name: 'a', x: { expr: 'a', bins: 2, lo: 0, hi: 4 }, after: 'isx' }],
    }));
    const out = JSON.parse(execFileSync('node', [bin, 'run', doc, '--data', csv, '--workers', '2'], { encoding: 'utf8' }));
    expect(out.rows).toBe(5);
    expect(out.cutflow).toEqual([{ name: 'isx', pass: 3, total: 5 }]);
    expect(out.histograms[0]).toMatchObject({ name: 'a', bins: [1, 1], nan: 1, entries: 2, underflow: 0, overflow: 0, mean: 1.75 });
  });

  it('reports a bad expression on stderr with a non-zero exit', () => {
    const doc = file('b.json', JSON.stringify({
      version: 1, dataset: { kind: 'demo', name: 'toy', rows: 100, seed: 1 },
      histograms: [{ name: 'h', x: { expr: 'xx + 1', bins: 4, lo: 0, hi: 1 } }],
    }));
    const r = spawnSync('node', [bin, 'run', doc], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown column 'xx'/);
  });
});
