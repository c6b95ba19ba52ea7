// dist/ from a plain static host, once with COOP/COEP and once without (the
// service worker's case: isolated after one reload, the app started once, the
// #a= link kept through the reload), and without headers or service workers
// (the one-worker fallback). The build itself comes from the e2e web server.
import { expect, test, type Page } from '@playwright/test';
import { serveStatic } from '../scripts/static-server.mjs';
import { encodeLink } from '../app/share/link';
import type { AnalysisDoc } from '../workers/analysis';
import { nodeResult, expectSameHistogram, watchErrors } from './helpers';

type Served = Awaited<ReturnType<typeof serveStatic>>;
let withHeaders: Served;
let withoutHeaders: Served;
test.beforeAll(async () => {
  withHeaders = await serveStatic({ dir: 'dist', isolation: true });
  withoutHeaders = await serveStatic({ dir: 'dist', isolation: false });
});
test.afterAll(async () => {
  await withHeaders?.close();
  await withoutHeaders?.close();
});

const doc: AnalysisDoc = {
  version: 1,
  dataset: { kind: 'demo', name: 'toy', rows: 150_000, seed: 3 },
  defines: [],
  filters: [{ name: 'pos', expr: 'z > 0.5' }],
  histograms: [{ name: 'x', x: { expr: 'x', bins: 40, lo: -4, hi: 4 }, after: 'pos' }],
};

/** Counts, across reloads (localStorage), how many times the page started the engine's worker. */
async function countEngineStarts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Base = window.Worker;
    window.Worker = class extends Base {
      constructor(url: string | URL, options?: WorkerOptions) {
        if (options?.name === 'sift-engine') localStorage.setItem('test:engine-starts', String(Number(localStorage.getItem('test:engine-starts') ?? 0) + 1));
        super(url, options);
      }
    };
  });
}
const engineStarts = (page: Page) => page.evaluate(() => Number(localStorage.getItem('test:engine-starts') ?? 0));

/** The page's result, bin for bin the Node engine's (whether it ran or came from a cache). */
async function expectFilled(page: Page): Promise<void> {
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.locator('[data-testid="plot"][data-name="x"]')).toHaveAttribute('data-state', 'shown');
  const got = await page.evaluate(() => window.sift!.result!.histograms[0]!);
  expectSameHistogram(got, (await nodeResult(doc)).histograms[0]!);
  expect(got.entries).toBeGreaterThan(0);
}

test('a host that sends COOP/COEP: isolated at once, no service worker', async ({ page }) => {
  const errors = watchErrors(page);
  await countEngineStarts(page);
  await page.goto(`${withHeaders.url}?workers=2#a=${await encodeLink(doc)}`);
  await expectFilled(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  await expect(page.getByTestId('workers')).toHaveText('2');
  expect(await engineStarts(page)).toBe(1);
  expect(errors).toEqual([]);
});

test('a host without COOP/COEP: the service worker isolates the page after one reload, link kept', async ({ page }) => {
  const errors = watchErrors(page);
  await countEngineStarts(page);
  const payload = await encodeLink(doc);
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));
  await page.goto(`${withoutHeaders.url}?workers=2#a=${payload}`);
  await expectFilled(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.getByTestId('workers')).toHaveText('2');
  await expect(page.getByTestId('isolation-banner')).toHaveCount(0);
  expect(loads.length).toBe(2);
  expect(loads[1]).toContain(`#a=${payload}`);
  // the first load registered the worker and reloaded without starting the engine
  expect(await engineStarts(page)).toBe(1);

  // A hard reload bypasses the service worker: the page reloads once more and is isolated again.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.reload', { ignoreCache: true });
  await expect.poll(() => loads.length, { timeout: 30_000 }).toBe(4);
  await expectFilled(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await engineStarts(page)).toBe(2);
  expect(errors).toEqual([]);
});

test.describe('where the service worker can not help', () => {
  test.use({ serviceWorkers: 'block' });
  test('a host without COOP/COEP and no service workers: the one-worker fallback, with its banner', async ({ page }) => {
    const errors = watchErrors(page);
    await countEngineStarts(page);
    await page.goto(`${withoutHeaders.url}?workers=2#a=${await encodeLink(doc)}`);
    await expectFilled(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.getByTestId('isolation-banner')).toContainText('not cross-origin isolated');
    await expect(page.getByTestId('workers')).toHaveText('1');
    expect(await engineStarts(page)).toBe(1);
    expect(errors).toEqual([]);
  });
});
