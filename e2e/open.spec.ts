// Opening files: the picker, a drop anywhere on the page, and a file that
// can't be read, whose error must leave the open dataset and its results alone.
import { expect, test, type Page } from '@playwright/test';
import { bookHistogram, openDemo, plot, runGen, waitForRun, watchErrors } from './helpers';

let errors: string[] = [];
test.beforeEach(({ page }) => { errors = watchErrors(page); });
test.afterEach(() => { expect(errors).toEqual([]); });

/** A small table with a float, an integer and a string column, and its x histogram counted here. */
function sampleCsv(rows = 1000): { csv: string; xCounts: number[] } {
  const lines = ['x,n,cat'];
  const xCounts = new Array<number>(10).fill(0);
  const cats = ['alpha', 'beta', 'gamma'];
  for (let i = 0; i < rows; i++) {
    const x = ((i * 7919) % 1000) / 100; // 0 … 9.99, a fixed permutation
    lines.push(`${x},${i % 13},${cats[i % 3]}`);
    xCounts[Math.floor(x)]!++;
  }
  return { csv: lines.join('\n') + '\n', xCounts };
}


async function expectSample(page: Page, xCounts: number[]): Promise<void> {
  await expect(page.getByTestId('dataset-name')).toHaveText('events.csv');
  await expect(page.getByTestId('dataset-rows')).toHaveAttribute('data-rows', '1000');
  // a file's dictionaries grow as its pages are read, so the count may not be known yet
  await expect(page.locator('[data-testid="column-row"][data-name="cat"] td').first()).toHaveText(/^dict( \(3\))?$/);
  const gen = await runGen(page);
  await bookHistogram(page, 'hx', ['x', 10, 0, 10]);
  await waitForRun(page, gen);
  const h = await page.evaluate(() => window.sift!.result!.histograms.find((x) => x.name === 'hx')!);
  expect(h.bins).toEqual(xCounts);
  await expect(plot(page, 'hx')).toHaveAttribute('data-entries', '1000');
}

test('a CSV dropped anywhere on the page opens, and its histograms fill', async ({ page }) => {
  await openDemo(page);
  const { csv, xCounts } = sampleCsv();
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], 'events.csv', { type: 'text/csv' }));
    return d;
  }, csv);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('main', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
  await expectSample(page, xCounts);
});

test('a CSV chosen with the file picker opens, and its histograms fill', async ({ page }) => {
  await openDemo(page);
  const { csv, xCounts } = sampleCsv();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open-file').click()]);
  await chooser.setFiles({ name: 'events.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expectSample(page, xCounts);
});

test('a file that cannot be read says why; the open dataset and its plots stay', async ({ page }) => {
  await openDemo(page);
  const entries = await plot(page, 'm_Z').getAttribute('data-entries');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open-file').click()]);
  await chooser.setFiles({ name: 'broken.parquet', mimeType: 'application/octet-stream', buffer: Buffer.from('PAR1 this is not parquet at all') });
  await expect(page.getByTestId('open-error')).toContainText('Could not open broken.parquet');
  await expect(page.getByTestId('dataset-name')).toHaveText('dimuon');
  await expect(plot(page, 'm_Z')).toHaveAttribute('data-entries', entries!);
  // the engine still holds the demo: a run over it works
  const gen = await runGen(page);
  await page.keyboard.press('Control+Enter');
  await waitForRun(page, gen);
  await expect(plot(page, 'm_Z')).toHaveAttribute('data-entries', entries!);
});

test('a URL that is not http(s) is refused next to the URL field', async ({ page }) => {
  await openDemo(page);
  await page.getByTestId('url-input').fill('ftp://example.org/events.csv');
  await page.getByTestId('open-url').click();
  await expect(page.getByTestId('open-error')).toContainText('http:// or https://');
  await expect(page.getByTestId('dataset-name')).toHaveText('dimuon');
});

test('opening shows its progress and can be cancelled; the previous dataset comes back', async ({ page }) => {
  await openDemo(page);
  const before = await runGen(page);
  await page.getByTestId('demo-rows').fill('4000000');
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('ingest')).toContainText('Opening');
  await page.getByTestId('cancel-open').click();
  await expect(page.getByTestId('ingest')).toHaveCount(0);
  await expect(page.getByTestId('notice')).toContainText('cancelled');
  await expect(page.getByTestId('dataset-rows')).toHaveAttribute('data-rows', '200000');
  // the engine is put back on the previous dataset: a run covers its 200,000 rows
  // (that run's results come from the result cache, so wait for it before asking for a full one)
  await waitForRun(page, before, 30_000);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-total', '200000', { timeout: 30_000 });
  const gen = await runGen(page);
  await page.keyboard.press('Control+Enter');
  await waitForRun(page, gen);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-rows', '200000');
});
