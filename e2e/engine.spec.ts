import { expect, test } from '@playwright/test';
import { defaultAnalysis } from '../workers/demo/datasets';
import type { RunResult } from '../workers/protocol';
import { expectSameHistogram, nodeResult, openDemo, plot, watchErrors } from './helpers';

const ROWS = 200_000;

async function pageResult(page: import('@playwright/test').Page, workers: number): Promise<{ result: RunResult; isolated: boolean }> {
  const errors = watchErrors(page);
  await openDemo(page, ROWS, workers);
  const out = await page.evaluate(() => ({ result: window.sift!.result!, isolated: crossOriginIsolated }));
  expect(errors).toEqual([]);
  return out;
}

let node: RunResult;
test.beforeAll(async () => {
  const doc = defaultAnalysis();
  doc.dataset.rows = ROWS;
  node = await nodeResult(doc);
});

test('the demo page is isolated, fills its histograms, and shows the cut-flow', async ({ page }) => {
  const { result, isolated } = await pageResult(page, 2);
  expect(isolated).toBe(true);
  await expect(page.getByTestId('isolated')).toHaveText('true');
  await expect(page.getByTestId('workers')).toHaveText('2');
  const first = result.histograms[0]!;
  await expect(plot(page, first.name).locator('canvas').first()).toBeVisible();
  await expect(plot(page, first.name)).toHaveAttribute('data-entries', String(first.entries));
  expect(first.entries).toBeGreaterThan(0);
  await expect(page.getByTestId('cutflow-row')).toHaveCount(result.cutflow.length);
  // the run-period string column's dictionary, shown beside the budget it is not part of
  await expect(page.getByTestId('dictionaries')).toContainText(/\d[\d.]* [kMG]?B/);
});

for (const workers of [1, 4]) {
  test(`Chromium with ${workers} worker(s) gives the same counts as Node`, async ({ page }) => {
    const { result } = await pageResult(page, workers);
    expect(result.workers).toBe(workers);
    expect(result.cutflow).toEqual(node.cutflow);
    result.histograms.forEach((h, i) => expectSameHistogram(h, node.histograms[i]!));
  });
}
