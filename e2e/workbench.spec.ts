// The workbench driven as a user would: keyboard and mouse on the real UI, the
// results checked against the Node engine running the same analysis.
import { expect, test, type Page } from '@playwright/test';
import type { AnalysisDoc } from '../workers/analysis';
import type { HistogramResult, RunResult } from '../workers/protocol';
import {
  downloadText, expectSameHistogram, nodeResult, openDemo, plot, runGen, runStatus, waitForRun, watchErrors,
} from './helpers';

let errors: string[] = [];
test.beforeEach(({ page }) => { errors = watchErrors(page); });
test.afterEach(() => { expect(errors).toEqual([]); });

const pageState = (page: Page) => page.evaluate(() => ({ doc: window.sift!.doc!, result: window.sift!.result! })) as Promise<{ doc: AnalysisDoc; result: RunResult }>;

/** Waits for a finished run whose result has every one of `names`. */
async function waitForHistograms(page: Page, names: string[]): Promise<void> {
  await expect.poll(() => page.evaluate((want) => {
    const s = document.querySelector('[data-testid="run-status"]');
    const have = window.sift?.result?.histograms.map((h) => h.name) ?? [];
    return s?.getAttribute('data-state') === 'done' && want.every((n) => have.includes(n));
  }, names), { timeout: 30_000 }).toBe(true);
}

test('build an analysis with the keyboard; plots and exports agree with the Node engine', async ({ page }) => {
  await openDemo(page);

  // a define and a cut, typed
  await page.getByTestId('new-define-name').focus();
  await page.keyboard.type('ptsum');
  await page.keyboard.press('Tab');
  await page.keyboard.type('mu1_pt + mu2_pt');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="define"][data-name="ptsum"]')).toBeVisible();

  await page.getByTestId('new-cut-name').focus();
  await page.keyboard.type('central');
  await page.keyboard.press('Tab');
  await page.keyboard.type('abs(mu1_eta) < 2.1 && abs(mu2_eta) < 2.1');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="cut"][data-name="central"]')).toBeVisible();

  // a weighted 1D histogram after the new cut
  await page.getByTestId('hist-name').fill('ptsum_h');
  await page.getByTestId('hist-x-expr').fill('ptsum');
  await page.getByTestId('hist-x-auto').uncheck();
  await page.getByTestId('hist-x-bins').fill('50');
  await page.getByTestId('hist-x-lo').fill('0');
  await page.getByTestId('hist-x-hi').fill('200');
  await page.getByTestId('hist-weight').fill('weight');
  await expect(page.getByTestId('hist-after')).toHaveValue('central');
  await page.getByTestId('hist-x-hi').press('Enter');
  await expect(plot(page, 'ptsum_h')).toBeVisible();

  // and a 2D one
  await page.getByTestId('hist-name').fill('pt1_vs_pt2');
  await page.getByTestId('hist-x-expr').fill('mu1_pt');
  await page.getByTestId('hist-x-auto').uncheck();
  await page.getByTestId('hist-x-bins').fill('40');
  await page.getByTestId('hist-x-lo').fill('0');
  await page.getByTestId('hist-x-hi').fill('100');
  await page.getByTestId('hist-2d').check();
  await page.getByTestId('hist-y-expr').fill('mu2_pt');
  await page.getByTestId('hist-y-auto').uncheck();
  await page.getByTestId('hist-y-bins').fill('40');
  await page.getByTestId('hist-y-lo').fill('0');
  await page.getByTestId('hist-y-hi').fill('100');
  await page.getByTestId('book-histogram').click();

  await waitForHistograms(page, ['ptsum_h', 'pt1_vs_pt2']);
  const { doc, result } = await pageState(page);
  expect(doc.defines.at(-1)).toEqual({ name: 'ptsum', expr: 'mu1_pt + mu2_pt' });
  expect(doc.filters.at(-1)).toEqual({ name: 'central', expr: 'abs(mu1_eta) < 2.1 && abs(mu2_eta) < 2.1' });
  const node = await nodeResult(doc);
  expect(result.cutflow).toEqual(node.cutflow);
  expect(result.histograms.map((h) => h.name)).toEqual(node.histograms.map((h) => h.name));
  result.histograms.forEach((h, i) => expectSameHistogram(h, node.histograms[i]!));

  // what the page shows
  const want = (name: string) => node.histograms.find((h) => h.name === name)!;
  for (const name of ['ptsum_h', 'pt1_vs_pt2']) {
    await expect(plot(page, name)).toHaveAttribute('data-entries', String(want(name).entries));
    await expect(plot(page, name).locator('canvas').first()).toBeVisible();
    await expect(plot(page, name).getByTestId('stats-box')).toContainText(new Intl.NumberFormat('en').format(want(name).entries));
  }
  await expect(page.getByTestId('cutflow-row')).toHaveCount(node.cutflow.length);
  const last = node.cutflow.at(-1)!;
  await expect(page.locator('[data-testid="cutflow-row"][data-name="central"]')).toHaveAttribute('data-pass', String(last.pass));

  // what it exports
  for (const name of ['ptsum_h', 'pt1_vs_pt2']) {
    const json = await downloadText(page, () => plot(page, name).getByTestId('export-json').click());
    expect(json.name).toBe(`${name}.json`);
    expectSameHistogram(JSON.parse(json.text) as HistogramResult, want(name));
  }
  const csv = await downloadText(page, () => plot(page, 'ptsum_h').getByTestId('export-csv').click());
  const rows = csv.text.trim().split('\n').filter((l) => !l.startsWith('#')).slice(1).map((l) => l.split(',').map(Number));
  expect(rows.map((r) => r[3])).toEqual(want('ptsum_h').bins);
  expect(rows[0]!.slice(1, 3)).toEqual([0, 4]);
  const svg = await downloadText(page, () => plot(page, 'pt1_vs_pt2').getByTestId('export-svg').click());
  expect(svg.text).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const png = await Promise.all([page.waitForEvent('download'), plot(page, 'ptsum_h').getByTestId('export-png').click()]);
  expect(png[0].suggestedFilename()).toBe('ptsum_h.png');
});

test('reordering and switching off cuts re-runs the cut-flow', async ({ page }) => {
  await openDemo(page);
  const names = () => page.getByTestId('cutflow-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
  expect(await names()).toEqual(['opposite_sign', 'trigger', 'muon_pt', 'muon_eta']);

  // drag the last cut to the top
  let gen = await runGen(page);
  await page.getByTestId('cut-handle').nth(3).dragTo(page.getByTestId('cut').nth(0));
  await waitForRun(page, gen);
  expect(await names()).toEqual(['muon_eta', 'opposite_sign', 'trigger', 'muon_pt']);
  const { doc, result } = await pageState(page);
  expect(doc.filters.map((f) => f.name)).toEqual(['muon_eta', 'opposite_sign', 'trigger', 'muon_pt']);
  expect(result.cutflow).toEqual((await nodeResult(doc)).cutflow);
  const first = result.cutflow[0]!;
  await expect(page.locator('[data-testid="cutflow-row"][data-name="muon_eta"]')).toContainText(`${((100 * first.pass) / first.total).toFixed(2)} %`);

  // the keyboard way: move it back down one
  gen = await runGen(page);
  await page.getByRole('button', { name: 'move cut muon_eta down' }).click();
  await waitForRun(page, gen);
  expect(await names()).toEqual(['opposite_sign', 'muon_eta', 'trigger', 'muon_pt']);

  // switched off: gone from the cut-flow, and histograms after it fill after the cut before
  gen = await runGen(page);
  await page.getByRole('checkbox', { name: 'apply cut trigger' }).uncheck();
  await waitForRun(page, gen);
  expect(await names()).toEqual(['opposite_sign', 'muon_eta', 'muon_pt']);
  const off = await pageState(page);
  expect(off.result.cutflow).toEqual((await nodeResult(off.doc)).cutflow);
});

test('a broken expression is underlined where it breaks; earlier results stay', async ({ page }) => {
  await openDemo(page);
  const entries = await plot(page, 'pt_mumu').getAttribute('data-entries');
  const input = page.getByTestId('define-expr-pt_mumu');
  await input.fill('hypot(px_mumu, py_mumuu)');
  const error = page.getByTestId('define-expr-pt_mumu-error');
  await expect(error).toContainText("unknown column 'py_mumuu'");
  await expect(error).toContainText("did you mean 'py_mumu'");
  await expect(error).toHaveAttribute('data-start', '15');
  await expect(error).toHaveAttribute('data-end', '23');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.expr.invalid .expr-err').first()).toHaveText('py_mumuu');
  await expect(runStatus(page)).toHaveAttribute('data-state', 'invalid');
  await expect(plot(page, 'pt_mumu')).toHaveAttribute('data-entries', entries!);

  // a syntax error, at the end
  await input.fill('hypot(px_mumu, ');
  await expect(error).toHaveAttribute('data-start', '15');

  // the suggestion fixes it
  const gen = await runGen(page);
  await input.fill('hypot(px_mumu, py_mumuu)');
  await error.getByRole('button', { name: "use ‘py_mumu’" }).click();
  await expect(input).toHaveValue('hypot(px_mumu, py_mumu)');
  await expect(error).toHaveCount(0);
  await waitForRun(page, gen);

  // an impossible binning is refused by the form, next to the binning
  await page.getByTestId('hist-x-expr').fill('m');
  await page.getByTestId('hist-x-auto').uncheck();
  await page.getByTestId('hist-x-bins').fill('0');
  await page.getByTestId('hist-x-lo').fill('10');
  await page.getByTestId('hist-x-hi').fill('5');
  await page.getByTestId('book-histogram').click();
  await expect(page.getByTestId('hist-x-binning-error')).toContainText('bins must be a whole number');
  await page.getByTestId('hist-x-bins').fill('10');
  await expect(page.getByTestId('hist-x-binning-error')).toContainText('must be greater than lo');
  await expect(page.getByTestId('plot')).toHaveCount(5);
});

test('names complete as you type', async ({ page }) => {
  await openDemo(page);
  const input = page.getByTestId('new-define-expr');
  await input.focus();
  await page.keyboard.type('2 * mu1_p');
  const list = page.getByRole('listbox', { name: 'completions for new define expression' });
  await expect(list.getByRole('option')).toHaveText([/^mu1_pt/, /^mu1_phi/, /^mu1_px/, /^mu1_py/, /^mu1_pz/]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(input).toHaveValue('2 * mu1_phi');
  await expect(list).toHaveCount(0);
  await page.keyboard.type(' + sqr');
  await expect(list.getByRole('option').first()).toHaveText(/^sqrt/);
  await page.keyboard.press('Tab');
  await expect(input).toHaveValue('2 * mu1_phi + sqrt(');
  await page.keyboard.type('pt_m');
  await expect(list.getByRole('option').first()).toHaveText(/^pt_mumu/);
});

test('a click on a column books its histogram; column statistics on demand', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('button', { name: 'book a histogram of mu1_eta' }).click();
  const card = plot(page, 'mu1_eta');
  await expect(card).toBeVisible();
  await waitForHistograms(page, ['mu1_eta']);
  const { doc, result } = await pageState(page);
  const booked = doc.histograms.find((h) => h.name === 'mu1_eta')!;
  expect(booked.after).toBe('muon_eta');
  // |η| < 2.4 after the last cut: the auto range brackets it
  expect(booked.x.lo).toBeGreaterThanOrEqual(-2.6);
  expect(booked.x.lo).toBeLessThan(-2.3);
  expect(booked.x.hi).toBeGreaterThan(2.3);
  expect(booked.x.hi).toBeLessThanOrEqual(2.6);
  const h = result.histograms.find((x) => x.name === 'mu1_eta')!;
  expect(h.underflow + h.overflow).toBe(0);
  await expect(card).toHaveAttribute('data-entries', String(h.entries));

  await page.getByTestId('compute-stats').click();
  const row = page.locator('[data-testid="column-row"][data-name="mu1_charge"]');
  await expect(row.locator('td').nth(2)).toHaveText('-1');
  await expect(row.locator('td').nth(3)).toHaveText('1');
  await expect(row.locator('svg.sparkline')).toBeVisible();
  await expect(page.locator('[data-testid="column-row"][data-name="period"] td').first()).toHaveText('dict (7)');
});

test('brushing an x-range of a plot adds it as a cut', async ({ page }) => {
  await openDemo(page);
  const over = plot(page, 'm_Z').locator('.u-over');
  const box = (await over.boundingBox())!;
  const gen = await runGen(page);
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(plot(page, 'm_Z').getByTestId('brush')).toContainText('m ∈ [');
  await plot(page, 'm_Z').getByTestId('brush-add-cut').click();
  const cut = page.locator('[data-testid="cut"][data-name="m_Z_range"]');
  await expect(cut).toBeVisible();
  await expect(cut.getByRole('combobox')).toHaveValue(/^m >= [\d.]+ && m < [\d.]+$/);
  await waitForRun(page, gen);
  await expect(page.locator('[data-testid="cutflow-row"][data-name="m_Z_range"]')).toBeVisible();
});

test('hovering a bin shows its edges and content', async ({ page }) => {
  await openDemo(page);
  const over = plot(page, 'm_Z').locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5 + 1, box.y + box.height / 2);
  await expect(plot(page, 'm_Z').getByTestId('plot-tip')).toHaveText(/^\[\d+(\.\d+)?, \d+(\.\d+)?\): [\d.]+ ± [\d.]+/);
});
