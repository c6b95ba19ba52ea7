// The Export menu: the analysis on screen as SQL, RDataFrame and JSON downloads,
// each checked against the document the page runs (window.sift.doc).
import { expect, test } from '@playwright/test';
import type { AnalysisDoc } from '../workers/analysis';
import { exportSql } from '../workers/export/sql';
import { exportRdf } from '../workers/export/rdf';
import { downloadText, openDemo, watchErrors } from './helpers';

let errors: string[] = [];
test.beforeEach(({ page }) => { errors = watchErrors(page); });
test.afterEach(() => { expect(errors).toEqual([]); });

test('exports the running analysis as SQL, RDataFrame and JSON', async ({ page }) => {
  await openDemo(page, 50_000);
  const doc = await page.evaluate(() => window.sift!.doc!) as AnalysisDoc;
  expect(doc.histograms.length).toBeGreaterThan(0);
  await page.getByTestId('export-menu').locator('summary').click();

  const json = await downloadText(page, () => page.getByTestId('export-analysis-json').click());
  expect(json.name).toBe('analysis.json');
  expect(JSON.parse(json.text)).toEqual(doc);

  const sql = await downloadText(page, () => page.getByTestId('export-analysis-sql').click());
  expect(sql.name).toBe('analysis.sql');
  expect(sql.text).toBe(exportSql(doc).text);
  expect(sql.text.match(/^-- histogram /gm)?.length).toBe(doc.histograms.length);

  const rdf = await downloadText(page, () => page.getByTestId('export-analysis-rdf-dask').click());
  expect(rdf.text).toBe(exportRdf(doc, { dask: true }));
  await expect(page.getByTestId('export-analysis-message')).toHaveText('saved analysis_rdf_dask.py');
});
