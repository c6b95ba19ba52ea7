// The main layout, light and dark, compared with reference screenshots. Timings are masked.
import { expect, test } from '@playwright/test';
import { openDemo, watchErrors } from './helpers';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the main layout, ${colorScheme}`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1400, height: 1100 });
    await openDemo(page);
    await page.mouse.move(0, 0);
    await expect(page).toHaveScreenshot(`layout-${colorScheme}.png`, {
      animations: 'disabled',
      caret: 'hide',
      maxDiffPixelRatio: 0.01,
      mask: [page.locator('.timing'), page.getByTestId('run-status')],
    });
    expect(errors).toEqual([]);
  });
}
