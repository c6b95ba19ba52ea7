// The link codec against Node's zlib (an independent deflate-raw and base64url,
// what the README's Python snippet does) and against every kind of broken link.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalize, type AnalysisDoc, type AnalysisInput, type DatasetRef } from '../../workers/analysis';
import { decodeLink, encodeLink, MAX_JSON_BYTES, MAX_PAYLOAD_CHARS, payloadOfHash } from './link';

const refs: DatasetRef[] = [
  { kind: 'demo', name: 'dimuon', rows: 10_000_000, seed: 1 },
  { kind: 'url', url: 'https://example.org/data/événements.parquet?x=1&y=2', format: 'parquet', tree: 'Events' },
  { kind: 'url', url: '/data/root/uproot-HZZ.root' },
  { kind: 'file', name: 'Ünïcödé 数据 😀.csv', size: 123_456_789, fingerprint: 'sha256:' + 'ab'.repeat(32), format: 'csv' },
  { kind: 'file', name: 'events.root', size: 0, tree: 'tree' },
];

const analysis = (dataset: DatasetRef): AnalysisDoc => ({
  version: 1,
  dataset,
  defines: [{ name: 'pt', expr: 'sqrt(mu1_px*mu1_px + mu1_py*mu1_py) /* µ — “quoted” */' }],
  filters: [{ name: 'central', expr: 'abs(mu1_eta) < 2.4' }, { name: 'tag', expr: 'period == "2016G ✓"' }],
  histograms: [
    { name: 'pt', x: { expr: 'pt', bins: 100, lo: 0, hi: 200 }, weight: 'weight', after: 'central' },
    { name: 'eta_phi', x: { expr: 'mu1_eta', bins: 50, lo: -2.5, hi: 2.5 }, y: { expr: 'mu1_phi', bins: 64, lo: -3.2, hi: 3.2 } },
  ],
});

const zlibLink = (json: string | Uint8Array) => deflateRawSync(typeof json === 'string' ? Buffer.from(json, 'utf8') : json).toString('base64url');
const expectError = async (payload: string, pattern: RegExp) => {
  const r = await decodeLink(payload);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatch(pattern);
};

describe('encodeLink / decodeLink', () => {
  for (const ref of refs) {
    it(`round-trips a ${ref.kind} dataset byte for byte (${JSON.stringify(ref).slice(0, 40)}…)`, async () => {
      const doc = analysis(ref);
      const payload = await encodeLink(doc);
      expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
      // what another tool gets back with plain zlib is the canonical JSON
      expect(inflateRawSync(Buffer.from(payload, 'base64url')).toString('utf8')).toBe(canonicalize(doc));
      const back = await decodeLink(payload);
      expect(back.ok).toBe(true);
      if (back.ok) expect(canonicalize(back.doc)).toBe(canonicalize(doc));
    });
  }

  it('opens a link another tool built (zlib deflate-raw, base64url without padding), lists left out', async () => {
    const input: AnalysisInput = { version: 1, dataset: { kind: 'demo', name: 'toy', rows: 1000, seed: 7 }, histograms: [{ name: 'x', x: { expr: 'x', bins: 10, lo: -5, hi: 5 } }] };
    const back = await decodeLink(zlibLink(JSON.stringify(input)));
    expect(back).toEqual({ ok: true, doc: { ...input, defines: [], filters: [] } });
    // with the padding some encoders add
    const padded = deflateRawSync(Buffer.from(JSON.stringify(input))).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    expect((await decodeLink(padded)).ok).toBe(true);
  });

  it('finds the payload in a fragment', () => {
    expect(payloadOfHash('#a=abc')).toBe('abc');
    expect(payloadOfHash('#plots')).toBeUndefined();
    expect(payloadOfHash('')).toBeUndefined();
  });
});

describe('hostile and broken links', () => {
  const good = { version: 1, dataset: { kind: 'demo', name: 'toy', rows: 10, seed: 1 } };

  it('empty', () => expectError('', /empty/));
  it('not base64url', async () => {
    await expectError('abc$def', /not base64url/);
    await expectError('<script>alert(1)</script>', /not base64url/);
    await expectError('abcd+/==', /not base64url/);
    await expectError('abcde', /not base64url/); // 4k+1 characters can't be base64
  });
  it('not deflate', async () => {
    await expectError(Buffer.from('{"version":1}').toString('base64url'), /does not decompress/);
    await expectError(zlibLink(JSON.stringify(good)).slice(0, 10), /does not decompress/); // cut short
  });
  it('not UTF-8', () => expectError(zlibLink(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), /not UTF-8/));
  it('not JSON', async () => {
    await expectError(zlibLink('{"version":1,'), /not JSON/);
    await expectError(zlibLink('<img src=x onerror="window.__pwned=1">'), /not JSON/);
  });
  it('JSON but not an analysis', async () => {
    await expectError(zlibLink('null'), /must be a JSON object/);
    await expectError(zlibLink('[1,2]'), /must be a JSON object/);
    await expectError(zlibLink('"text"'), /must be a JSON object/);
  });
  it('another version', () => expectError(zlibLink(JSON.stringify({ ...good, version: 2 })), /unsupported version 2/));
  it('unknown fields, at any depth, and __proto__', async () => {
    await expectError(zlibLink(JSON.stringify({ ...good, script: 'alert(1)' })), /unknown field 'script'/);
    await expectError(zlibLink(JSON.stringify({ ...good, dataset: { ...good.dataset, onload: 'x' } })), /unknown field 'onload'/);
    await expectError(zlibLink('{"version":1,"dataset":{"kind":"demo","name":"toy","rows":10,"seed":1},"__proto__":{"polluted":1}}'), /unknown field '__proto__'/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('names with markup are refused; markup in expressions is a syntax error', async () => {
    const named = { ...good, defines: [{ name: '<img src=x onerror=alert(1)>', expr: '1' }] };
    await expectError(zlibLink(JSON.stringify(named)), /defines\[0\]\.name: a define name must be letters/);
    const expr = { ...good, filters: [{ name: 'f', expr: '<script>window.__pwned=1</script>' }] };
    await expectError(zlibLink(JSON.stringify(expr)), /filters\[0\]\.expr/);
  });
  it('a url dataset that is not http(s)', () => expectError(
    zlibLink(JSON.stringify({ version: 1, dataset: { kind: 'url', url: 'javascript:alert(1)' } })), /only http and https/));
  it('a payload longer than the cap, without decoding it', () => expectError('A'.repeat(MAX_PAYLOAD_CHARS + 1), /characters long/));
  it('a small link that inflates past 1 MiB (a deflate bomb) stops early', async () => {
    const bomb = zlibLink(new Uint8Array(64 * MAX_JSON_BYTES).fill(0x20));
    expect(bomb.length).toBeLessThan(MAX_PAYLOAD_CHARS);
    await expectError(bomb, /larger than 1 MiB/);
  });
  it('deeply nested JSON', () => expectError(zlibLink('['.repeat(500_000) + ']'.repeat(500_000)), /not valid|not JSON|could not be read/));
  it('lists many problems briefly', async () => {
    const r = await decodeLink(zlibLink(JSON.stringify({ ...good, a: 1, b: 2, c: 3, d: 4, e: 5 })));
    expect(!r.ok && r.error).toMatch(/and 2 more/);
  });
  it('never throws, whatever the text', async () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = 'AZaz09-_+/=$ <>\u00e9\u{1F600}';
    for (let i = 0; i < 300; i++) {
      const chars = Array.from({ length: Math.floor(rand() * 60) }, () => [...alphabet][Math.floor(rand() * [...alphabet].length)]);
      const r = await decodeLink(chars.join(''));
      expect(typeof r.ok).toBe('boolean');
    }
    for (const odd of [undefined, null, 42, {}, []]) expect((await decodeLink(odd as unknown as string)).ok).toBe(false);
  });
  it('encodeLink refuses a document a link could not open', async () => {
    const big = analysis(refs[0]!);
    big.defines = Array.from({ length: 20_000 }, (_, i) => ({ name: `d${i}`, expr: 'x'.repeat(50) }));
    await expect(encodeLink(big)).rejects.toThrow(/more than the 1048576/);
  });
});
