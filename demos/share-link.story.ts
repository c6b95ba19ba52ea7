// Story 3: a share link opened in a fresh browser shows the sender's results, and a
// reload shows them again from the result cache without reading a row.
import { expect } from '@playwright/test';
import { plot, runGen, runStatus, story, type, waitForRun } from './director';

story('Share link to a colleague, then from the cache', async ({ page, step, newContext }) => {
  await step('The sender opens Sift on the demo dataset', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('/?rows=1000000&workers=2');
    await waitForRun(page, 0);
  });

  await step('…tightens the muon cut to 30 GeV', async () => {
    const gen = await runGen(page);
    const input = page.locator('[data-testid="cut"][data-name="muon_pt"]').getByRole('combobox');
    await input.fill('');
    await input.focus();
    await type(page, 'mu1_pt > 30 && mu2_pt > 30');
    await page.keyboard.press('Enter');
    await waitForRun(page, gen);
    await expect(page.locator('[data-testid="cutflow-row"][data-name="muon_pt"]')).toBeVisible();
  });

  let link = '';
  let sent: { bins: number[]; cutflow: unknown } = { bins: [], cutflow: [] };
  await step('…and clicks Share: the whole analysis is in the link, nothing goes to a server', async () => {
    await page.getByTestId('share').click();
    await expect(page.getByTestId('share-status')).toHaveAttribute('data-copied', 'true');
    link = await page.getByTestId('share-link').inputValue();
    expect(link).toMatch(/#a=[A-Za-z0-9_-]+$/);
    sent = await page.evaluate(() => ({
      bins: window.sift!.result!.histograms.find((h) => h.name === 'm_Z')!.bins,
      cutflow: window.sift!.result!.cutflow,
    }));
  });

  const { page: other } = await newContext();
  await step('A colleague opens the link in a fresh browser: the same plots, computed there', async () => {
    await other.goto(link);
    await waitForRun(other, 0);
    await expect(runStatus(other)).toHaveAttribute('data-rows', '1000000');
    await expect(runStatus(other)).toHaveAttribute('data-cached', '0');
    const got = await other.evaluate(() => ({
      bins: window.sift!.result!.histograms.find((h) => h.name === 'm_Z')!.bins,
      cutflow: window.sift!.result!.cutflow,
    }));
    expect(got).toEqual(sent);
    await expect(plot(other, 'm_Z').locator('canvas').first()).toBeVisible();
  });

  await step('The colleague reloads: every result comes from the cache, 0 rows read', async () => {
    await other.reload();
    await expect.poll(async () => runStatus(other).getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    await expect(runStatus(other)).toHaveAttribute('data-rows', '0');
    await expect(plot(other, 'm_Z').getByTestId('cached-badge')).toBeVisible();
    const got = await other.evaluate(() => window.sift!.result!.histograms.find((h) => h.name === 'm_Z')!.bins);
    expect(got).toEqual(sent.bins);
  });
});
