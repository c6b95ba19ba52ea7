import { expect, test, type ConsoleMessage } from '@playwright/test';

// The page must be cross-origin isolated (COOP/COEP on every response), or the
// engine falls back to one worker without shared memory (DESIGN.md, invariant 7).
test('the page and its module workers are cross-origin isolated', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() !== 'error') return;
    if (/\/favicon\.ico$/.test(msg.location().url)) return;
    errors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));

  const response = await page.goto('/', { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');

  const page_ = await page.evaluate(() => ({
    isolated: self.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
  }));
  expect(page_).toEqual({ isolated: true, sharedArrayBuffer: true });

  const worker = await page.evaluate(() => new Promise((resolve, reject) => {
    const w = new Worker('/isolation-probe.js', { type: 'module' });
    w.onmessage = (e) => { resolve(e.data); w.terminate(); };
    w.onerror = (e) => reject(new Error(`probe worker failed: ${e.message}`));
    setTimeout(() => reject(new Error('probe worker did not answer in 10 s')), 10_000);
  }));
  expect(worker).toEqual({
    isolated: true,
    sharedArrayBuffer: true,
    nested: { isolated: true, sharedArrayBuffer: true },
  });

  // Let the app finish starting (it may start its own workers) before judging the console.
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
  expect(errors).toEqual([]);
});

// Without COOP/COEP the page can't share memory: the engine falls back to one worker
// over unshared memory, the page says so, and runs still give the same answer.
// Service workers are blocked: with them the page would isolate itself (public/sw.js,
// checked in static.spec.ts), and page.route doesn't see what a service worker fetches.
test.describe('no service worker', () => {
  test.use({ serviceWorkers: 'block' });
  test('without isolation the page runs on one worker and shows a banner', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    await page.goto('/?rows=100000');
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.getByTestId('isolation-banner')).toContainText('not cross-origin isolated');
    await expect(page.getByTestId('isolated')).toHaveText('false');
    await expect(page.getByTestId('workers')).toHaveText('1');
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-rows', '100000');
    expect(errors).toEqual([]);
  });
});
