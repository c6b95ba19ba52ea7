// A kernel worker that crashes mid-run in the browser (the test-only fault
// hook, e2e/README.md): the run fails with a message saying so, the page keeps
// its plots, the engine replaces the worker, and the next run gives the Node
// engine's counts bin for bin.
import { expect, test } from '@playwright/test';
import { expectSameHistogram, nodeResult, openDemo, runGen, runStatus, waitForRun, watchErrors } from './helpers';

let errors: string[] = [];
test.beforeEach(({ page }) => { errors = watchErrors(page); });
test.afterEach(() => { expect(errors).toEqual([]); });

for (const how of ['die', 'throw'] as const) {
  test(`a kernel worker that ${how === 'die' ? 'crashes' : 'throws'} mid-run fails that run only; the next is exact`, async ({ page }) => {
    await openDemo(page, 400_000, 2);
    const before = await page.evaluate(() => window.sift!.result!.histograms.map((h) => h.entries));
    await page.evaluate((h) => window.sift!.client.injectFault(0, { afterChunks: 1, how: h }), how);
    await page.keyboard.press('Control+Enter');
    // a failed run has no result, so no generation of its own to wait for: its state says it
    await expect(runStatus(page)).toHaveAttribute('data-state', 'error');
    await expect(runStatus(page)).toContainText(how === 'die' ? /a kernel worker stopped.*run again/ : /injected fault/);
    // the last results stay on screen
    expect(await page.evaluate(() => window.sift!.result!.histograms.map((h) => h.entries))).toEqual(before);

    const again = await runGen(page);
    await page.keyboard.press('Control+Enter');
    await waitForRun(page, again);
    const { doc, result } = await page.evaluate(() => ({ doc: window.sift!.doc!, result: window.sift!.result! }));
    expect(result.workers).toBe(2);
    const want = await nodeResult(doc);
    expect(result.cutflow).toEqual(want.cutflow);
    result.histograms.forEach((h, i) => expectSameHistogram(h, want.histograms[i]!));
  });
}
