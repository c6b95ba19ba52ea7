// Story 2: open a CSV, build a 2D histogram, brush a range into a cut.
import { expect } from '@playwright/test';
import { bookHistogram, plot, runGen, story, waitForRun } from './director';

/** Two correlated measurements and a detector label, 200k rows, the same every time. */
function measurements(rows = 200_000): string {
  // mulberry32: a plain LCG's consecutive draws fall on lattice lines that Box–Muller turns into stripes
  let s = 12345;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const lines = ['energy,time,detector'];
  for (let i = 0; i < rows; i++) {
    const e = rand() < 0.3 ? 50 + 3 * gauss() : 100 * rand();
    lines.push(`${e.toFixed(3)},${(0.02 * e + gauss()).toFixed(3)},${['barrel', 'endcap', 'forward'][i % 3]}`);
  }
  return lines.join('\n') + '\n';
}


story('CSV to a 2D histogram and a brushed cut', async ({ page, step }) => {
  await step('Sift opens on its demo dataset', async () => {
    await page.goto('/?rows=200000&workers=2');
    await waitForRun(page, 0);
  });

  await step('Open a CSV of 200,000 measurements with the file picker', async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open-file').click()]);
    await chooser.setFiles({ name: 'measurements.csv', mimeType: 'text/csv', buffer: Buffer.from(measurements()) });
    await expect(page.getByTestId('dataset-name')).toHaveText('measurements.csv');
    await expect(page.getByTestId('dataset-rows')).toHaveAttribute('data-rows', '200000');
    await expect(page.locator('[data-testid="column-row"][data-name="detector"]')).toBeVisible();
  });

  await step('Book the energy spectrum: a peak at 50 on a flat background', async () => {
    const gen = await runGen(page);
    await bookHistogram(page, 'energy', ['energy', 100, 0, 100]);
    await waitForRun(page, gen);
    await expect(plot(page, 'energy')).toHaveAttribute('data-entries', '200000');
  });

  await step('Book time against energy as a 2D histogram', async () => {
    const gen = await runGen(page);
    await bookHistogram(page, 'time_vs_energy', ['energy', 50, 0, 100], { y: ['time', 40, -4, 6] });
    await waitForRun(page, gen);
    await expect(plot(page, 'time_vs_energy').locator('canvas').first()).toBeVisible();
  });

  await step('Brush the peak on the energy plot', async () => {
    const over = plot(page, 'energy').locator('.u-over');
    await plot(page, 'energy').scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.44, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.56, box.y + box.height / 2, { steps: 12 });
    await page.mouse.up();
    await expect(plot(page, 'energy').getByTestId('brush')).toContainText('energy ∈ [');
  });

  await step('Add the brushed range as a cut: the 2D histogram now shows the peak only', async () => {
    const gen = await runGen(page);
    const before = Number(await plot(page, 'time_vs_energy').getAttribute('data-entries'));
    await plot(page, 'energy').getByTestId('brush-add-cut').click();
    await expect(page.locator('[data-testid="cut"][data-name="energy_range"]')).toBeVisible();
    // a histogram booked before the cut keeps filling from all rows: point the 2D one after it
    await page.getByRole('button', { name: 'edit histogram time_vs_energy' }).click();
    await page.getByTestId('hist-after').selectOption('energy_range');
    await page.getByTestId('book-histogram').click();
    await waitForRun(page, gen);
    await expect.poll(async () => Number(await plot(page, 'time_vs_energy').getAttribute('data-entries'))).toBeLessThan(before);
    await expect(page.locator('[data-testid="cutflow-row"][data-name="energy_range"]')).toBeVisible();
  });
});
