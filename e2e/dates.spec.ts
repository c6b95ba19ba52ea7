// Dates and timestamps in a CSV become seconds since the epoch, and the page shows
// them as dates: the column table, the axis, the hover text and the stats box.
import { expect, test } from '@playwright/test';
import { openDemo, plot, runGen, waitForRun, watchErrors } from './helpers';

let errors: string[] = [];
test.beforeEach(({ page }) => { errors = watchErrors(page); });
test.afterEach(() => { expect(errors).toEqual([]); });

test('a CSV of dates histograms by day, labelled as dates', async ({ page }) => {
  await openDemo(page);
  // one reading a day through 2012, more of them in summer; counted here per ISO week bin
  const lines = ['day,reading'];
  const start = Date.UTC(2012, 0, 1);
  for (let d = 0; d < 366; d++) {
    const iso = new Date(start + d * 86400e3).toISOString().slice(0, 10);
    const n = d > 150 && d < 240 ? 3 : 1;
    for (let k = 0; k < n; k++) lines.push(`${iso},${d + k}`);
  }
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open-file').click()]);
  await chooser.setFiles({ name: 'daily.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
  const row = page.locator('[data-testid="column-row"][data-name="day"]');
  await expect(row.locator('td').first()).toHaveText('date');

  const gen = await runGen(page);
  await page.getByRole('button', { name: 'book a histogram of day' }).click();
  await waitForRun(page, gen);
  await expect.poll(() => page.evaluate(() => window.sift!.result?.histograms.find((h) => h.name === 'day')?.entries)).toBe(lines.length - 1);
  const h = await page.evaluate(() => window.sift!.result!.histograms.find((x) => x.name === 'day')!);
  // day-aligned bins from the first midnight, every date inside the range
  expect(h.x.lo).toBe(start / 1000);
  expect(((h.x.hi - h.x.lo) / h.x.bins) % 86400).toBe(0);
  expect(h.underflow + h.overflow + h.nan).toBe(0);
  const width = (h.x.hi - h.x.lo) / h.x.bins;
  const want = new Array<number>(h.x.bins).fill(0);
  for (const l of lines.slice(1)) want[Math.floor((Date.parse(l.split(',')[0]!) / 1000 - h.x.lo) / width)]!++;
  expect(h.bins).toEqual(want);

  const card = plot(page, 'day');
  await expect(card.getByTestId('stats-box')).toContainText(/mean\s*2012-\d\d-\d\d/);
  await expect(page.locator('[data-testid="histogram-item"][data-name="day"]')).toContainText(`[${h.x.bins} bins, 2012-01-01 – `);
  const over = card.locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await expect(card.getByTestId('plot-tip')).toHaveText(/^\[2012-\d\d-\d\d, 2012-\d\d-\d\d\): /);
});
