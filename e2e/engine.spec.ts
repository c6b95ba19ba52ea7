import { expect, test, type Page } from '@playwright/test';
import { createNodeEngine } from '../workers/node/platform';
import { defaultAnalysis } from '../workers/demo/datasets';
import type { RunResult } from '../workers/protocol';

const ROWS = 200_000;

async function pageResult(page: Page, workers: number): Promise<{ result: RunResult; partials: number; isolated: boolean }> {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?rows=${ROWS}&workers=${workers}`);
  await expect(page.getByTestId('phase')).toHaveText(/done/, { timeout: 60_000 });
  const out = await page.evaluate(() => ({
    result: window.sift!.result!,
    partials: window.sift!.partials,
    isolated: crossOriginIsolated,
  }));
  expect(errors).toEqual([]);
  return out;
}

let node: RunResult;
test.beforeAll(async () => {
  const engine = await createNodeEngine({ workers: 2 });
  try {
    const doc = defaultAnalysis();
    doc.dataset.rows = ROWS;
    await engine.openDemo(doc.dataset);
    node = await engine.run(doc);
  } finally {
    await engine.close();
  }
});

test('the demo page is isolated, fills the histogram live, and shows the cut-flow', async ({ page }) => {
  const { result, isolated } = await pageResult(page, 2);
  expect(isolated).toBe(true);
  await expect(page.getByTestId('isolated')).toHaveText('true');
  await expect(page.getByTestId('workers')).toHaveText('2');
  const plot = page.getByTestId('histogram');
  await expect(plot.locator('canvas')).toBeVisible();
  expect(Number(await plot.getAttribute('data-entries'))).toBe(result.histograms[0]!.entries);
  expect(result.histograms[0]!.entries).toBeGreaterThan(0);
  await expect(page.getByRole('table', { name: 'cut-flow' }).locator('tbody tr')).toHaveCount(result.cutflow.length);
});

for (const workers of [1, 4]) {
  test(`Chromium with ${workers} worker(s) gives the same counts as Node`, async ({ page }) => {
    const { result } = await pageResult(page, workers);
    expect(result.workers).toBe(workers);
    expect(result.cutflow).toEqual(node.cutflow);
    result.histograms.forEach((h, i) => {
      const n = node.histograms[i]!;
      expect(h.name).toBe(n.name);
      expect(h.bins).toEqual(n.bins);
      expect([h.underflow, h.overflow, h.nan, h.entries]).toEqual([n.underflow, n.overflow, n.nan, n.entries]);
      h.sumw.forEach((s, j) => expect(s).toBeCloseTo(n.sumw[j]!, 6));
    });
  });
}

test('partial results arrive while a larger run fills', async ({ page }) => {
  await page.goto('/?workers=2'); // the default 10M rows: long enough to see it fill
  await expect(page.getByTestId('phase')).toHaveText(/done/, { timeout: 90_000 });
  const partials = await page.evaluate(() => window.sift!.partials);
  expect(partials).toBeGreaterThan(0);
});
