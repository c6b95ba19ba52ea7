// A file whose column names and values are markup, script URLs, bidi overrides,
// NULs and very long names: everything it carries is shown as text, nothing in
// it runs, no element it describes appears, no request leaves the origin, and
// its exports stay inert.
import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import { downloadText, openDemo, runGen, waitForRun, watchErrors } from './helpers';

const IMG = '<img src=x onerror=window.__pwned=1>';
const SCRIPT = '<script>window.__pwned=2</script>';
const JS_URL = 'javascript:window.__pwned=3';
const RTL = '\u202Eevil_name';
const LONG = `long_${'w'.repeat(400)}`;
const NAMES = [IMG, SCRIPT, JS_URL, RTL, LONG];
const VALUES = ['<img src=x onerror=window.__pwned=4>', 'javascript:window.__pwned=5', 'a\u0000b', '\u202Ecba', '<b>bold</b>'];
const ROWS = 500;

/** IMG, JS_URL, RTL and LONG are numeric; SCRIPT holds hostile strings. */
function hostileCsv(): string {
  const lines = [NAMES.join(',')];
  for (let i = 0; i < ROWS; i++) lines.push([i % 10, VALUES[i % VALUES.length], i % 7, -i, i / 10].join(','));
  return lines.join('\n') + '\n';
}

interface Exposure {
  origin: string;
  requests: string[];
  dialogs: string[];
}

function watchExposure(page: Page, origin: string): Exposure {
  const ex: Exposure = { origin, requests: [], dialogs: [] };
  page.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:' + origin))) ex.requests.push(u);
    // the one request an injected <img src=x> would make
    if (/\/x$/.test(new URL(u, origin).pathname)) ex.requests.push(u);
  });
  page.on('dialog', (d) => { ex.dialogs.push(d.message()); void d.dismiss(); });
  return ex;
}

/** Nothing the file holds became markup or ran. */
async function expectInert(page: Page, ex: Exposure): Promise<void> {
  const dom = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
    inlineScripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    jsLinks: document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i]').length,
    bold: document.querySelectorAll('#root b').length === 0 ? 0 : [...document.querySelectorAll('#root b')].filter((b) => b.textContent === 'bold').length,
  }));
  expect(dom).toEqual({ pwned: undefined, imgs: 0, handlers: 0, inlineScripts: 0, jsLinks: 0, bold: 0 });
  expect(ex.dialogs).toEqual([]);
  expect(ex.requests).toEqual([]);
}

let errors: string[] = [];
test.beforeEach(({ page }) => { errors = watchErrors(page); });
test.afterEach(() => { expect(errors).toEqual([]); });

test('hostile names and values are text everywhere; nothing runs, nothing leaves the origin', async ({ page, baseURL }) => {
  const ex = watchExposure(page, baseURL!);
  await openDemo(page);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open-file').click()]);
  await chooser.setFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(hostileCsv()) });
  await expect(page.getByTestId('dataset-rows')).toHaveAttribute('data-rows', String(ROWS));

  // the column table: every name as given, as text
  const rows = page.getByTestId('column-row');
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(NAMES);
  expect(await rows.evaluateAll((els) => els.map((e) => e.querySelector('th')!.textContent!.trim()))).toEqual(NAMES);

  // a click books a histogram of the markup-named column; its plot fills
  let gen = await runGen(page);
  await page.getByRole('button', { name: `book a histogram of ${IMG}` }).click();
  await waitForRun(page, gen);
  const booked = await page.evaluate(() => window.sift!.doc!.histograms.map((h) => h.x.expr));
  expect(booked).toContain('`<img src=x onerror=window.__pwned=1>`');
  const hist = await page.evaluate(() => window.sift!.result!.histograms.at(-1)!);
  expect(hist.entries).toBe(ROWS);

  // a cut comparing the string column with a markup value, typed in the editor
  gen = await runGen(page);
  await page.getByTestId('new-cut-name').fill('evil');
  await page.getByTestId('new-cut-expr').fill(`\`${SCRIPT}\` == "${VALUES[0]}"`);
  await page.getByTestId('add-cut').click();
  await waitForRun(page, gen);
  await expect(page.locator('[data-testid="cutflow-row"][data-name="evil"]')).toHaveAttribute('data-pass', String(ROWS / VALUES.length));
  await expect(page.getByTestId('cut-expr-evil')).toHaveValue(`\`${SCRIPT}\` == "${VALUES[0]}"`);

  // the statistics pass draws a sparkline per column, labelled with its name
  await page.getByTestId('compute-stats').click();
  await expect(page.getByRole('img', { name: `distribution of ${RTL}` })).toBeVisible();

  // a long name shows whole (as text) and the page still lays out
  await expect(page.getByRole('button', { name: `book a histogram of ${LONG}` })).toHaveText(LONG);
  await expectInert(page, ex);
});

test('exports of a plot of hostile names stay inert', async ({ page, baseURL }) => {
  const ex = watchExposure(page, baseURL!);
  await openDemo(page);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open-file').click()]);
  await chooser.setFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(hostileCsv()) });
  await expect(page.getByTestId('dataset-rows')).toHaveAttribute('data-rows', String(ROWS));
  const gen = await runGen(page);
  await page.getByRole('button', { name: `book a histogram of ${IMG}` }).click();
  await waitForRun(page, gen);
  const card = page.getByTestId('plot').last();

  const csv = await downloadText(page, () => card.getByTestId('export-csv').click());
  expect(csv.name).toMatch(/^[A-Za-z0-9_.-]+\.csv$/);
  expect(csv.text).not.toMatch(/[<>]/);
  const json = await downloadText(page, () => card.getByTestId('export-json').click());
  expect(JSON.parse(json.text).definition.x).toBe(`\`${IMG}\``);
  const svg = await downloadText(page, () => card.getByTestId('export-svg').click());
  // the axis label is escaped: the picture holds no element of the file's making
  const tags = new Set([...svg.text.matchAll(/<([A-Za-z][\w:-]*)/g)].map((m) => m[1]!.toLowerCase()));
  for (const t of ['img', 'script', 'a', 'foreignobject', 'iframe', 'use']) expect(tags.has(t), `<${t}> in the SVG`).toBe(false);
  expect(svg.text).not.toMatch(/\son[a-z]+\s*=\s*["']/i);
  expect(svg.text).toContain('&#60;img src=x onerror=window.__pwned=1&#62;');
  const [png] = await Promise.all([page.waitForEvent('download'), card.getByTestId('export-png').click()]) as [Download, void];
  const bytes = await readFile(await png.path());
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await expectInert(page, ex);
});
