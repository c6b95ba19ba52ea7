// Share links end to end: a link copied from one page gives the same results in a
// fresh browser; reload keeps the analysis; a file link asks for its file and
// checks it; hostile links show an error, run nothing and fetch nothing.
import { readFile } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../app/share/link';
import type { AnalysisDoc } from '../workers/analysis';
import { memoryReader } from '../workers/sources/bytes';
import { fingerprintReader } from '../workers/sources/fingerprint';
import { createNodeEngine } from '../workers/node/platform';
import { expectSameHistogram, openDemo, plot, runGen, waitForRun, watchErrors } from './helpers';

const zlibLink = (text: string | Uint8Array) => deflateRawSync(typeof text === 'string' ? Buffer.from(text) : text).toString('base64url');
const hashOf = async (page: Page) => page.evaluate(() => location.hash);

test('a shared link opens in a fresh browser with the same results', async ({ page, browser, baseURL }) => {
  const errors = watchErrors(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDemo(page);
  const original = await page.evaluate(() => ({ result: window.sift!.result!, doc: window.sift!.doc! }));
  expect(original.result.histograms.length).toBeGreaterThan(0);

  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).toHaveAttribute('data-copied', 'true');
  const link = await page.getByTestId('share-link').inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  expect(link).toMatch(new RegExp(`^${baseURL}/#a=[A-Za-z0-9_-]+$`));

  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    const otherErrors = watchErrors(other);
    await other.goto(link);
    await waitForRun(other, 0, 60_000);
    const shared = await other.evaluate(() => ({ result: window.sift!.result!, doc: window.sift!.doc! }));
    expect(shared.doc).toEqual(original.doc);
    expect(shared.result.cutflow).toEqual(original.result.cutflow);
    expect(shared.result.histograms.map((h) => h.name)).toEqual(original.result.histograms.map((h) => h.name));
    shared.result.histograms.forEach((h, i) => expectSameHistogram(h, original.result.histograms[i]!));
    expect(otherErrors).toEqual([]);
  } finally {
    await fresh.close();
  }
  expect(errors).toEqual([]);
});

test('without the clipboard the link is in a field to copy by hand', async ({ page }) => {
  const errors = watchErrors(page);
  await openDemo(page);
  await page.evaluate(() => { Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } }); });
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).toHaveAttribute('data-copied', 'false');
  await expect(page.getByTestId('share-status')).toContainText('copy the link from this field');
  expect(await page.getByTestId('share-link').inputValue()).toMatch(/#a=[A-Za-z0-9_-]+$/);
  expect(errors).toEqual([]);
});

test('editing updates the fragment and a reload keeps the analysis', async ({ page }) => {
  const errors = watchErrors(page);
  await openDemo(page);
  const before = await hashOf(page);
  expect(before).toMatch(/^#a=/);
  const gen = await runGen(page);
  await page.getByTestId('new-cut-name').fill('tight');
  await page.getByTestId('new-cut-expr').fill('mu1_pt > 30');
  await page.getByTestId('new-cut-expr').press('Enter');
  await waitForRun(page, gen);
  await expect.poll(() => hashOf(page)).not.toBe(before);
  const edited = await page.evaluate(() => ({ doc: window.sift!.doc!, result: window.sift!.result! }));
  expect(edited.doc.filters.map((f) => f.name)).toContain('tight');

  await page.reload();
  await waitForRun(page, 0, 60_000);
  const reloaded = await page.evaluate(() => ({ doc: window.sift!.doc!, result: window.sift!.result! }));
  expect(reloaded.doc).toEqual(edited.doc);
  expect(reloaded.result.cutflow).toEqual(edited.result.cutflow);
  await expect(page.locator('[data-testid="cut"][data-name="tight"]')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a url link fetches its dataset (ROOT, range reads) and gives the Node engine\'s results', async ({ page }) => {
  const errors = watchErrors(page);
  const doc: AnalysisDoc = {
    version: 1,
    dataset: { kind: 'url', url: '/data/root/uproot-HZZ.root', format: 'root' },
    defines: [],
    filters: [{ name: 'muon', expr: 'NMuon >= 1' }],
    histograms: [
      { name: 'njet', x: { expr: 'NJet', bins: 10, lo: 0, hi: 10 } },
      { name: 'met_px', x: { expr: 'MET_px', bins: 40, lo: -100, hi: 100 }, weight: 'EventWeight', after: 'muon' },
    ],
  };
  await page.goto(`/?workers=2#a=${await encodeLink(doc)}`);
  await waitForRun(page, 0, 60_000);
  await expect(page.getByTestId('dataset-name')).toContainText('uproot-HZZ.root');
  const got = await page.evaluate(() => ({ result: window.sift!.result!, doc: window.sift!.doc! }));
  expect(got.doc).toEqual(doc);
  const engine = await createNodeEngine({ workers: 2 });
  try {
    const file = new Blob([await readFile('public/data/root/uproot-HZZ.root')]);
    await engine.open({ kind: 'file', file, name: 'uproot-HZZ.root' });
    const want = await engine.run(doc);
    expect(got.result.cutflow).toEqual(want.cutflow);
    got.result.histograms.forEach((h, i) => expectSameHistogram(h, want.histograms[i]!));
    expect(want.histograms[0]!.entries).toBe(2421);
  } finally {
    await engine.close();
  }
  expect(errors).toEqual([]);
});

function csv(rows: number): { text: string; xCounts: number[] } {
  const lines = ['x,n'];
  const xCounts = new Array<number>(10).fill(0);
  for (let i = 0; i < rows; i++) {
    const x = ((i * 7919) % 1000) / 100;
    lines.push(`${x},${i % 13}`);
    xCounts[Math.floor(x)]!++;
  }
  return { text: lines.join('\n') + '\n', xCounts };
}

test('a file link names its file, checks the one opened, and warns on a different one', async ({ page }) => {
  const errors = watchErrors(page);
  const right = csv(1000);
  const bytes = Buffer.from(right.text);
  const doc: AnalysisDoc = {
    version: 1,
    dataset: { kind: 'file', name: 'events.csv', size: bytes.byteLength, fingerprint: await fingerprintReader(memoryReader(bytes)), format: 'csv' },
    defines: [],
    filters: [],
    histograms: [{ name: 'hx', x: { expr: 'x', bins: 10, lo: 0, hi: 10 } }],
  };
  await page.goto(`/?workers=2#a=${await encodeLink(doc)}`);
  const ask = page.getByTestId('share-file');
  await expect(ask).toContainText('events.csv');
  await expect(ask).toContainText(`${bytes.byteLength.toLocaleString('en')} bytes`);
  await expect(ask).toHaveAttribute('data-size', String(bytes.byteLength));
  await expect(page.locator('[data-testid="histogram-item"][data-name="hx"]')).toHaveCount(1);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'idle');

  // same name, different content: a warning, and nothing runs until the user says so
  const wrong = csv(900);
  await page.getByTestId('file-input').setInputFiles({ name: 'events.csv', mimeType: 'text/csv', buffer: Buffer.from(wrong.text) });
  await expect(page.getByTestId('share-file-mismatch')).toContainText('not the file this link was made with');
  await expect(page.getByTestId('share-file-mismatch')).toContainText('fingerprint differs');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'idle');
  await page.getByTestId('share-proceed').click();
  await waitForRun(page, 0);
  expect(await page.evaluate(() => window.sift!.result!.histograms[0]!.bins)).toEqual(wrong.xCounts);
  await expect(page.getByTestId('share-file')).toHaveCount(0);

  // the right file, in a fresh page: no warning, the link's results
  const again = await page.context().newPage();
  const againErrors = watchErrors(again);
  await again.goto(`/?workers=2#a=${await encodeLink(doc)}`);
  await expect(again.getByTestId('share-file')).toBeVisible();
  await again.getByTestId('file-input').setInputFiles({ name: 'events.csv', mimeType: 'text/csv', buffer: bytes });
  await waitForRun(again, 0);
  await expect(again.getByTestId('share-file-mismatch')).toHaveCount(0);
  expect(await again.evaluate(() => window.sift!.result!.histograms[0]!.bins)).toEqual(right.xCounts);
  await expect(plot(again, 'hx')).toHaveAttribute('data-entries', '1000');
  expect(await again.evaluate(() => window.sift!.doc!.dataset)).toEqual(doc.dataset);
  expect([...errors, ...againErrors]).toEqual([]);
});

const good = { version: 1, dataset: { kind: 'demo', name: 'toy', rows: 1000, seed: 1 } };
const pwn = 'window.__pwned=1';
const hostile: [string, () => string, RegExp][] = [
  ['markup instead of base64', () => `<img src=x onerror="${pwn}"><script>${pwn}</script>`, /not base64url/],
  ['bytes that are not deflate', () => Buffer.from('{"version":1}').toString('base64url'), /does not decompress/],
  ['markup instead of JSON', () => zlibLink(`<img src=x onerror="${pwn}">`), /not JSON/],
  ['another version', () => zlibLink(JSON.stringify({ ...good, version: 99 })), /unsupported version 99/],
  ['an unknown field', () => zlibLink(JSON.stringify({ ...good, onload: pwn })), /unknown field 'onload'/],
  ['a define named with markup', () => zlibLink(JSON.stringify({ ...good, defines: [{ name: `<img src=x onerror="${pwn}">`, expr: '1' }] })), /a define name must be letters/],
  ['a javascript: dataset', () => zlibLink(JSON.stringify({ version: 1, dataset: { kind: 'url', url: `javascript:${pwn}` } })), /only http and https/],
  ['a deflate bomb', () => zlibLink(new Uint8Array(8 << 20).fill(0x20)), /larger than 1 MiB/],
  ['an overlong fragment', () => 'A'.repeat(300_000), /characters long/],
];

/** Fails the test on a dialog, a request to another origin, the marker, or an injected element. */
function guard(page: Page, origin: string): () => Promise<void> {
  const dialogs: string[] = [];
  const away: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on('request', (r) => { if (/^https?:/.test(r.url()) && new URL(r.url()).origin !== origin) away.push(r.url()); });
  return async () => {
    expect(dialogs).toEqual([]);
    expect(away).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await expect(page.locator('img[onerror], img[src="x"], script:not([src])')).toHaveCount(0);
  };
}

for (const [what, payload, error] of hostile) {
  test(`hostile link, ${what}: a clear error, an empty analysis, no code run, nothing fetched elsewhere`, async ({ page, baseURL }) => {
    const errors = watchErrors(page);
    const check = guard(page, new URL(baseURL!).origin);
    await page.goto(`/?rows=20000&workers=2#a=${payload()}`);
    await expect(page.getByTestId('share-error')).toContainText("This share link can't be opened");
    await expect(page.getByTestId('share-error')).toContainText(error);
    await expect(page.getByTestId('dataset-name')).toBeVisible();
    await expect(page.getByTestId('histogram-item')).toHaveCount(0);
    await check();
    expect(errors).toEqual([]);
  });
}

test('a link to data on another site contacts it only when asked', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const origin = new URL(baseURL!).origin;
  const away: string[] = [];
  page.on('request', (r) => { if (/^https?:/.test(r.url()) && new URL(r.url()).origin !== origin) away.push(r.url()); });
  const url = 'https://data.example.invalid/events.csv?token=<b>x</b>';
  const doc = {
    version: 1, dataset: { kind: 'url', url, format: 'csv' },
    histograms: [{ name: 'hx', x: { expr: 'x', bins: 10, lo: 0, hi: 1 } }],
  };
  await page.goto(`/?workers=2#a=${zlibLink(JSON.stringify(doc))}`);
  await expect(page.getByTestId('share-remote')).toBeVisible();
  await expect(page.getByTestId('share-remote-host')).toHaveText('data.example.invalid');
  await expect(page.getByTestId('share-remote-url')).toHaveText(url);
  await expect(page.getByTestId('histogram-item')).toHaveCount(1);
  // the page settles with nothing fetched from the other site and nothing run
  await page.waitForTimeout(500);
  expect(away).toEqual([]);
  expect(await page.evaluate(() => window.sift!.result)).toBeUndefined();
  await page.getByTestId('share-fetch').click();
  // the fetch is tried now (this test's machine reaches no such host): a clear error, the analysis kept
  await expect(page.getByTestId('open-error')).toContainText(`Could not open ${url}`);
  await expect(page.getByTestId('share-remote')).toHaveCount(0);
  await expect(page.getByTestId('histogram-item')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a file link whose name holds markup shows it as text', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const check = guard(page, new URL(baseURL!).origin);
  const name = `<img src=x onerror="${pwn}"><script>${pwn}</script>.csv`;
  await page.goto(`/#a=${zlibLink(JSON.stringify({ version: 1, dataset: { kind: 'file', name, size: 10 } }))}`);
  await expect(page.getByTestId('share-file-name')).toHaveText(name);
  await check();
  expect(errors).toEqual([]);
});

test('a broken link pasted into an open page keeps the analysis it had', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const check = guard(page, new URL(baseURL!).origin);
  await openDemo(page);
  const before = await page.evaluate(() => ({ doc: window.sift!.doc!, hash: location.hash }));
  const items = await page.getByTestId('histogram-item').count();
  expect(items).toBeGreaterThan(0);
  await page.evaluate((p) => { location.hash = `#a=${p}`; }, zlibLink('{"version":1,"dataset":'));
  await expect(page.getByTestId('share-error')).toContainText('not JSON');
  await expect(page.getByTestId('histogram-item')).toHaveCount(items);
  expect(await page.evaluate(() => window.sift!.doc)).toEqual(before.doc);
  await check();
  expect(errors).toEqual([]);
});
