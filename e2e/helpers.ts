// Shared by the workbench specs: page errors as a test failure, waiting for a
// run through the documented hooks (e2e/README.md), and the Node engine as the oracle.
import { readFile } from 'node:fs/promises';
import { expect, type Download, type Page } from '@playwright/test';
import { createNodeEngine } from '../workers/node/platform';
import type { AnalysisDoc } from '../workers/analysis';
import type { HistogramResult, RunResult } from '../workers/protocol';

/** Console errors, uncaught exceptions and unhandled rejections; assert it is empty at the end. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

export const runStatus = (page: Page) => page.getByTestId('run-status');

/** The generation of the last run the page knows of (0 before any). */
export async function runGen(page: Page): Promise<number> {
  return Number(await runStatus(page).getAttribute('data-gen'));
}

/** Waits until a run newer than `after` has finished. */
export async function waitForRun(page: Page, after: number, timeout = 30_000): Promise<void> {
  await expect.poll(async () => {
    const s = runStatus(page);
    const [state, gen] = await Promise.all([s.getAttribute('data-state'), s.getAttribute('data-gen')]);
    return state === 'done' && Number(gen) > after;
  }, { timeout, intervals: [50, 100, 200] }).toBe(true);
}

/** Opens the page on a demo of `rows` and waits for its first run. */
export async function openDemo(page: Page, rows = 200_000, workers = 2): Promise<void> {
  await page.goto(`/?rows=${rows}&workers=${workers}`);
  await waitForRun(page, 0, 60_000);
}

/** The same analysis, run by the Node engine over the same demo data. */
export async function nodeResult(doc: AnalysisDoc): Promise<RunResult> {
  const engine = await createNodeEngine({ workers: 2 });
  try {
    if (doc.dataset.kind !== 'demo') throw new Error('the Node oracle regenerates demo datasets only');
    await engine.openDemo(doc.dataset);
    return await engine.run(doc);
  } finally {
    await engine.close();
  }
}

/** Bin for bin: counts exactly, weighted sums to rounding (merge order differs by worker count). */
export function expectSameHistogram(got: HistogramResult, want: HistogramResult): void {
  expect(got.name).toBe(want.name);
  expect(got.x).toEqual(want.x);
  expect(got.y).toEqual(want.y);
  expect(got.bins).toEqual(want.bins);
  expect([got.entries, got.underflow, got.overflow, got.nan]).toEqual([want.entries, want.underflow, want.overflow, want.nan]);
  // one assertion per array: thousands of expect() calls make a slow trace
  const worst = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!) / Math.max(1, Math.abs(b[i]!))), 0);
  expect(got.sumw.length).toBe(want.sumw.length);
  expect(worst(got.sumw, want.sumw)).toBeLessThan(1e-9);
  expect(worst(got.sumw2, want.sumw2)).toBeLessThan(1e-9);
}

export async function downloadText(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]) as [Download, void];
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

export const plot = (page: Page, name: string) => page.locator(`[data-testid="plot"][data-name="${name}"]`);

/** One axis of the histogram form: expression, bins, lo, hi (auto range off). */
export type FormAxis = [expr: string, bins: number, lo: number, hi: number];

/** Fills the histogram form as a user would and books it; `after` picks the cut it fills after. */
export async function bookHistogram(page: Page, name: string, x: FormAxis, more: { y?: FormAxis; weight?: string; after?: string } = {}): Promise<void> {
  const axis = async (which: 'x' | 'y', [expr, bins, lo, hi]: FormAxis) => {
    await page.getByTestId(`hist-${which}-expr`).fill(expr);
    await page.getByTestId(`hist-${which}-auto`).uncheck();
    await page.getByTestId(`hist-${which}-bins`).fill(String(bins));
    await page.getByTestId(`hist-${which}-lo`).fill(String(lo));
    await page.getByTestId(`hist-${which}-hi`).fill(String(hi));
  };
  await page.getByTestId('hist-name').fill(name);
  await axis('x', x);
  if (more.y) {
    await page.getByTestId('hist-2d').check();
    await axis('y', more.y);
  }
  if (more.weight !== undefined) await page.getByTestId('hist-weight').fill(more.weight);
  if (more.after !== undefined) await page.getByTestId('hist-after').selectOption(more.after);
  await page.getByTestId('book-histogram').click();
}
