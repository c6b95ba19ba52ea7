import { defineConfig, devices } from '@playwright/test';
import { chromiumPath } from './scripts/setup.mjs';

// Chromium comes from the system (Debian's /usr/bin/chromium or $SIFT_CHROMIUM);
// Playwright's own browser downloads are never used.
const executablePath = process.env.SIFT_CHROMIUM || chromiumPath();
if (!executablePath) {
  throw new Error('No Chromium found: run `node scripts/setup.mjs --browser` or set SIFT_CHROMIUM.');
}

// The e2e suite runs against the production build (vite build + vite preview).
// scripts/test.mjs picks a free port and passes it in SIFT_E2E_PORT.
const port = Number(process.env.SIFT_E2E_PORT || 4173);
const baseURL = `http://127.0.0.1:${port}`;
const ci = Boolean(process.env.CI);

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: true,
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  workers: ci ? 1 : 2,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  expect: {
    // the visual checks: stable fonts and data, a little room for anti-aliasing
    toHaveScreenshot: { maxDiffPixelRatio: 0.01, animations: 'disabled', caret: 'hide' },
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /perf\.spec\.ts$/,
      use: { ...chromium },
    },
    {
      // The long-task measurement runs alone, after everything else: a test running beside
      // it on the same cores would be measured too.
      name: 'perf',
      testMatch: /perf\.spec\.ts$/,
      dependencies: ['chromium'],
      use: { ...chromium },
    },
  ],
  webServer: {
    command: `node scripts/preview.mjs --port ${port}`,
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  },
});
