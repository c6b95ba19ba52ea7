import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSql } from '../export/sql';
import { exportRdf } from '../export/rdf';

const bin = new URL('../../bin/sift.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sift-export-'));
const doc = {
  version: 1, dataset: { kind: 'file', name: 'events.csv', size: 10 },
  filters: [{ name: 'c', expr: 'x > 1' }],
  histograms: [{ name: 'h', x: { expr: 'x / 2', bins: 4, lo: 0, hi: 4 }, after: 'c' }],
};
const path = join(dir, 'a.json');
writeFileSync(path, JSON.stringify(doc));

describe('sift export', () => {
  it('prints the SQL and the RDataFrame script the library makes', () => {
    expect(execFileSync('node', [bin, 'export', '--sql', path, '--table', 'events'], { encoding: 'utf8' })).toBe(exportSql(doc, { table: 'events' }).text);
    const out = join(dir, 'a.py');
    execFileSync('node', [bin, 'export', '--rdf', path, '--dask', '--out', out]);
    expect(readFileSync(out, 'utf8')).toBe(exportRdf(doc, { dask: true }));
  });

  it('explains a wrong call or a bad document on stderr, exit 1', () => {
    const r = spawnSync('node', [bin, 'export', '--rdf', path, '--table', 't'], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([1, 'sift: --table applies to --sql only\n']);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...doc, defines: [{ name: 'a', expr: 'b' }, { name: 'b', expr: 'a + 1' }] }));
    const c = spawnSync('node', [bin, 'export', '--sql', join(dir, 'bad.json')], { encoding: 'utf8' });
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/cycle: a → b → a/);
  });
});
