// The Content-Security-Policy (app/security/csp.ts) is on every response and
// the page works under it: kernels compile, workers start, an Arrow file opens
// (apache-arrow's bundle holds a `new Function` our path never calls). And it
// is in force: an inline script added to the page does not run.
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { expect, test, type Page } from '@playwright/test';
import { bookHistogram, openDemo, plot, runGen, waitForRun, watchErrors } from './helpers';
import { contentSecurityPolicy } from '../app/security/csp';

let errors: string[] = [];
test.beforeEach(async ({ page }) => {
  errors = watchErrors(page);
  // Playwright's init scripts run outside the page's policy; they record its violations
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});
test.afterEach(() => { expect(errors).toEqual([]); });

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

test('every response carries the policy; the demo runs under it with no violation', async ({ page }) => {
  const policies = new Map<string, string | undefined>();
  page.on('response', (r) => { policies.set(new URL(r.url()).pathname, r.headers()['content-security-policy']); });
  await openDemo(page);
  const paths = [...policies.keys()];
  expect(paths.some((p) => /kernel\.worker/.test(p)), `a kernel worker script among ${paths.join(' ')}`).toBe(true);
  expect(paths.some((p) => p.endsWith('.wasm'))).toBe(true);
  for (const [path, csp] of policies) expect(csp, path).toBe(contentSecurityPolicy());
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', contentSecurityPolicy({ meta: true }));
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await violations(page)).toEqual([]);
});

test('an Arrow file opens and fills its histogram under the policy', async ({ page }) => {
  await openDemo(page);
  const x = Float64Array.from({ length: 2000 }, (_, i) => (i % 10) + 0.5);
  const bytes = tableToIPC(tableFromArrays({ x, cat: Array.from({ length: 2000 }, (_, i) => ['a', 'b'][i % 2]!) }), 'file');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open-file').click()]);
  await chooser.setFiles({ name: 'table.arrow', mimeType: 'application/vnd.apache.arrow.file', buffer: Buffer.from(bytes) });
  await expect(page.getByTestId('dataset-rows')).toHaveAttribute('data-rows', '2000');
  const gen = await runGen(page);
  await bookHistogram(page, 'hx', ['x', 10, 0, 10]);
  await waitForRun(page, gen);
  await expect(plot(page, 'hx')).toHaveAttribute('data-entries', '2000');
  const h = await page.evaluate(() => window.sift!.result!.histograms.find((r) => r.name === 'hx')!.bins);
  expect(h).toEqual(new Array(10).fill(200));
  expect(await violations(page)).toEqual([]);
});

test('the policy is in force: an inline script or handler added to the page does not run', async ({ page }) => {
  await openDemo(page);
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.__inline = 2');
    img.src = 'data:,';
    document.body.append(img);
  });
  await expect.poll(async () => (await violations(page)).length).toBeGreaterThanOrEqual(2);
  expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
  // the browser reports each refusal on the console; here they are what the test wants
  errors = errors.filter((e) => !/Content Security Policy/.test(e));
});
