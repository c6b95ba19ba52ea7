// The result cache and the column cache in the real browser: IndexedDB for
// results, OPFS for parsed columns, and a page that still works without them.
import { expect, test, type Page } from '@playwright/test';
import { bookHistogram, expectSameHistogram, nodeResult, openDemo, plot, runGen, runStatus, waitForRun, watchErrors } from './helpers';
import type { RunResult } from '../workers/protocol';

let errors: string[] = [];
test.beforeEach(({ page }) => { errors = watchErrors(page); });
test.afterEach(() => { expect(errors).toEqual([]); });

const state = (page: Page) => page.evaluate(() => ({ doc: window.sift!.doc!, result: window.sift!.result! }));
const cachedFlags = (page: Page) => page.getByTestId('plot').evaluateAll((cards) =>
  Object.fromEntries(cards.map((c) => [c.getAttribute('data-name'), c.getAttribute('data-cached')])));

test('a reload shows every result from the cache, marked, with 0 rows processed; a changed cut recomputes only what depends on it', async ({ page }) => {
  await openDemo(page);
  const first = await state(page);
  await expect(runStatus(page)).toHaveAttribute('data-cached', '0');
  await expect(runStatus(page)).toHaveAttribute('data-rows', '200000');
  expect(Object.values(await cachedFlags(page))).toEqual(['false', 'false', 'false', 'false', 'false']);

  await page.reload();
  await waitForRun(page, 0, 60_000);
  await expect(runStatus(page)).toHaveAttribute('data-rows', '0');
  await expect(runStatus(page)).toHaveAttribute('data-cached', '5');
  expect(Object.values(await cachedFlags(page))).toEqual(['true', 'true', 'true', 'true', 'true']);
  await expect(plot(page, 'm_Z').getByTestId('cached-badge')).toBeVisible();
  await expect(page.getByTestId('cutflow')).toHaveAttribute('data-cached', 'true');
  await expect(page.getByTestId('cutflow').locator('..').getByTestId('cached-badge')).toBeVisible();
  const again = await state(page);
  expect(again.result.cutflow).toEqual(first.result.cutflow);
  expect(again.result.histograms).toEqual(first.result.histograms);

  // muon_pt feeds every histogram after it; m_all fills after opposite_sign and keeps its cached result
  const gen = await runGen(page);
  await page.getByTestId('cut-expr-muon_pt').fill('mu1_pt > 30 && mu2_pt > 20');
  await waitForRun(page, gen);
  expect(await cachedFlags(page)).toEqual({ m_Z: 'false', m_all: 'true', mu1_pt: 'false', pt_mumu: 'false', eta1_vs_eta2: 'false' });
  await expect(runStatus(page)).toHaveAttribute('data-cached', '1');
  await expect(runStatus(page)).toHaveAttribute('data-rows', '200000');
  const rows = await page.getByTestId('cutflow-row').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-name'), r.getAttribute('data-cached')]));
  expect(rows).toEqual([['opposite_sign', 'true'], ['trigger', 'true'], ['muon_pt', 'false'], ['muon_eta', 'false']]);
  // cached and fresh parts together equal one full run of the changed document
  const changed = await state(page);
  const want = await nodeResult(changed.doc);
  expect(changed.result.cutflow).toEqual(want.cutflow);
  changed.result.histograms.forEach((h, i) => expectSameHistogram(h, want.histograms[i]!));

  const g2 = await runGen(page);
  await page.keyboard.press('Control+Enter'); // Ctrl+Enter recomputes everything
  await waitForRun(page, g2);
  await expect(runStatus(page)).toHaveAttribute('data-cached', '0');
});

test('the cache panel lists what is cached and clears it', async ({ page }) => {
  await openDemo(page);
  await page.getByTestId('cache-toggle').click();
  const row = page.getByTestId('cache-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-dataset', 'demo:dimuon:200000:1');
  await expect(row).toHaveAttribute('data-results', '9'); // 5 histograms, 4 cut-flow rows
  expect(Number(await row.getAttribute('data-result-bytes'))).toBeGreaterThan(0);
  await page.getByTestId('cache-clear-all').click();
  await expect(page.getByTestId('cache-empty')).toBeVisible();
  await page.reload();
  await waitForRun(page, 0, 60_000);
  await expect(runStatus(page)).toHaveAttribute('data-rows', '200000');
  await expect(runStatus(page)).toHaveAttribute('data-cached', '0');
});

test('without IndexedDB the page runs everything and says the results are not cached', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { get() { return undefined; }, configurable: true });
  });
  await openDemo(page);
  await expect(page.getByTestId('cache-notice')).toContainText('IndexedDB is not available');
  await expect(plot(page, 'm_Z')).toHaveAttribute('data-state', 'shown');
  await page.reload();
  await waitForRun(page, 0, 60_000);
  await expect(runStatus(page)).toHaveAttribute('data-rows', '200000');
  await expect(page.getByTestId('cache-notice')).toBeVisible();
});

test('a full storage quota leaves the results shown and says so', async ({ page }) => {
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function put() { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await openDemo(page);
  await expect(page.getByTestId('cache-notice')).toContainText('quota');
  await expect(plot(page, 'm_Z')).toHaveAttribute('data-state', 'shown');
  const gen = await runGen(page);
  await page.getByTestId('cut-expr-muon_pt').fill('mu1_pt > 30 && mu2_pt > 20');
  await waitForRun(page, gen);
  await expect(runStatus(page)).toHaveAttribute('data-rows', '200000');
});

/** A CSV big enough for several chunks, with a float, an integer and a string column. */
function csv(rows: number): string {
  const lines = ['x,n,cat'];
  const cats = ['alpha', 'beta', 'gamma', 'delta'];
  for (let i = 0; i < rows; i++) lines.push(`${(((i * 7919) % 100_003) / 10_000 - 5).toFixed(4)},${i % 17},${cats[(i * 31) % 4]}`);
  return lines.join('\n') + '\n';
}

async function openCsv(page: Page, text: string): Promise<void> {
  await page.getByTestId('file-input').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await expect(page.getByTestId('dataset-name')).toHaveText('big.csv');
}

async function bookCsvAnalysis(page: Page): Promise<void> {
  await page.getByTestId('new-cut-name').fill('beta');
  await page.getByTestId('new-cut-expr').fill('cat == "beta" && n > 3');
  await page.getByTestId('add-cut').click();
  await bookHistogram(page, 'hx', ['x * n', 64, -80, 80], { after: 'beta' });
  // the cut alone runs first; wait for the run that has the histogram
  await expect.poll(() => page.evaluate(() => {
    const st = document.querySelector('[data-testid="run-status"]')?.getAttribute('data-state');
    return st === 'done' && !!window.sift!.result?.histograms.some((h) => h.name === 'hx') && window.sift!.doc?.histograms.length === 1;
  }), { timeout: 30_000 }).toBe(true);
}

test('a CSV opened again reads its parsed columns from the cache, with identical results', async ({ page }) => {
  // one worker: one summation order, so even the sums of weights must agree bit for bit
  await openDemo(page, 200_000, 1);
  const text = csv(300_000);
  await openCsv(page, text);
  await bookCsvAnalysis(page);
  const cold: RunResult = await page.evaluate(() => window.sift!.result!);
  expect(cold.histograms[0]!.entries).toBeGreaterThan(0);
  await expect(page.getByTestId('dataset-panel')).not.toContainText('read from the column cache');

  // a fresh page without the #a= link (a reload would wait for the link's file: share.spec.ts)
  await openDemo(page, 200_000, 1);
  await openCsv(page, text);
  await expect(page.getByTestId('dataset-panel')).toContainText('read from the column cache');
  await bookCsvAnalysis(page);
  // the result cache answered (same fingerprint, same sub-graph): recompute from the cached columns
  await expect(runStatus(page)).toHaveAttribute('data-rows', '0');
  const gen = await runGen(page);
  await page.keyboard.press('Control+Enter');
  await waitForRun(page, gen);
  await expect(runStatus(page)).toHaveAttribute('data-rows', '300000');
  const warm: RunResult = await page.evaluate(() => window.sift!.result!);
  expect(warm.cutflow).toEqual(cold.cutflow);
  expect(warm.histograms).toEqual(cold.histograms);

  await page.getByTestId('cache-toggle').click();
  const rows = page.getByTestId('cache-row');
  await expect(rows).toHaveCount(2); // the demo and the file
  const file = rows.filter({ hasText: 'big.csv' });
  expect(Number(await file.getAttribute('data-column-bytes'))).toBeGreaterThan(300_000 * 8);
  await file.getByTestId('cache-clear-one').click();
  await expect(rows).toHaveCount(1);
});
