import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The scripted demos (`npm run demo`): the e2e setup (system Chromium, production
// build served with isolation headers), one story at a time so the videos show
// what a user would see on an unloaded machine.
const chromium = base.projects!.find((p) => p.name === 'chromium')!.use!;
const headed = Boolean(process.env.SIFT_DEMO_HEADED);
const args = (chromium.launchOptions?.args ?? []).filter((a) => !(headed && a === '--headless'));

export default defineConfig({
  ...base,
  testDir: 'demos',
  testMatch: /\.story\.ts$/,
  outputDir: 'test-results/demos',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  reporter: [['list']],
  projects: [{ name: 'demo', use: { ...chromium, headless: !headed, launchOptions: { ...chromium.launchOptions, args } } }],
});
