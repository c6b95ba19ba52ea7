// Story 1: from the demo dataset to a Z peak with two cuts and a cut-flow.
import { expect } from '@playwright/test';
import { bookHistogram, plot, runGen, story, type, waitForRun } from './director';

story('Z peak from the demo dataset', async ({ page, step }) => {
  await step('Sift opens on a generated dimuon dataset and runs its example analysis', async () => {
    await page.goto('/?rows=2000000&workers=2');
    await waitForRun(page, 0);
    await expect(page.getByTestId('isolated')).toHaveText('true');
  });

  await step('Start from the bare four-vector: the example histograms and cuts go', async () => {
    for (;;) {
      const remove = page.getByRole('button', { name: /^remove (histogram|cut) / });
      if ((await remove.count()) === 0) break;
      await remove.first().click();
    }
    await expect(page.getByTestId('plot')).toHaveCount(0);
    await expect(page.getByTestId('cut')).toHaveCount(0);
  });

  await step('Book the dimuon mass over every event: a falling spectrum with resonances', async () => {
    const gen = await runGen(page);
    await bookHistogram(page, 'm_all', ['m', 150, 0, 150]);
    await waitForRun(page, gen);
    await expect(plot(page, 'm_all')).toBeVisible();
  });

  await step('First cut: two muons of opposite charge', async () => {
    const gen = await runGen(page);
    await page.getByTestId('new-cut-name').focus();
    await type(page, 'opposite_sign');
    await page.keyboard.press('Tab');
    await type(page, 'mu1_charge * mu2_charge < 0');
    await page.keyboard.press('Enter');
    await waitForRun(page, gen);
    await expect(page.locator('[data-testid="cutflow-row"][data-name="opposite_sign"]')).toBeVisible();
  });

  await step('Second cut: both muons hard and central', async () => {
    const gen = await runGen(page);
    await page.getByTestId('new-cut-name').focus();
    await type(page, 'hard_central');
    await page.keyboard.press('Tab');
    await type(page, 'mu1_pt > 25 && mu2_pt > 20 && abs(mu1_eta) < 2.4 && abs(mu2_eta) < 2.4');
    await page.keyboard.press('Enter');
    await waitForRun(page, gen);
    await expect(page.getByTestId('cutflow-row')).toHaveCount(2);
  });

  await step('Book the Z window after both cuts, weighted: the peak stands at 91 GeV', async () => {
    const gen = await runGen(page);
    await bookHistogram(page, 'm_Z', ['m', 60, 60, 120], { weight: 'weight', after: 'hard_central' });
    await waitForRun(page, gen);
    const peak = await page.evaluate(() => {
      const h = window.sift!.result!.histograms.find((x) => x.name === 'm_Z')!;
      const i = h.sumw.indexOf(Math.max(...h.sumw));
      return h.x.lo + ((i + 0.5) * (h.x.hi - h.x.lo)) / h.x.bins;
    });
    expect(Math.abs(peak - 91)).toBeLessThan(2);
    await expect(plot(page, 'm_Z').locator('canvas').first()).toBeVisible();
  });

  await step('The cut-flow says how many events each cut kept', async () => {
    const flow = await page.evaluate(() => window.sift!.result!.cutflow);
    expect(flow.map((c) => c.name)).toEqual(['opposite_sign', 'hard_central']);
    expect(flow[1]!.pass).toBeLessThan(flow[0]!.pass);
    await page.getByTestId('cutflow').scrollIntoViewIfNeeded();
  });
});
