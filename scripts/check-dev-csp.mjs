// The dev server (`npm start`) under its Content-Security-Policy: starts Vite's dev
// server on a free port, loads the demo in headless Chromium and fails on any policy
// violation, console error or a run that doesn't finish. The e2e suite checks the
// production build; this is the same check for dev, which injects its own scripts.
// Usage: npm run check:dev-csp
import { createServer } from 'vite';
import { chromium } from '@playwright/test';
import { chromiumPath } from './setup.mjs';

const server = await createServer({ server: { port: 0, host: '127.0.0.1', open: false }, logLevel: 'warn' });
await server.listen();
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: process.env.SIFT_CHROMIUM || chromiumPath(), args: ['--headless', '--no-sandbox', '--disable-gpu'] });
let failed = false;
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(`${url}?rows=100000&workers=2`);
  if (!response.headers()['content-security-policy']) problems.push('no Content-Security-Policy header');
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.getAttribute('data-state') === 'done', null, { timeout: 120_000 });
  for (const v of await page.evaluate(() => window.__csp)) problems.push(`violation: ${v}`);
  failed = problems.length > 0;
  console.log(failed ? `dev server under CSP: ${problems.join('\n')}` : 'dev server under CSP: the demo ran, no violation, no console error');
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
