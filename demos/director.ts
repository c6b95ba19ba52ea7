// What every story shares: its own browser context recording a video, numbered step
// screenshots, a caption a viewer can read, and the documented hooks (e2e/README.md)
// to know when a step has happened. A step that doesn't happen fails the story.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';

export const OUTPUT = 'demo-output';
const SIZE = { width: 1280, height: 800 };

export interface Scene {
  page: Page;
  context: BrowserContext;
  /** Runs one step under a caption, then screenshots the page as `NN-slug.png`. */
  step(caption: string, body: () => Promise<void>): Promise<void>;
  /** Another browser context that records into the same story (a recipient, say). */
  newContext(): Promise<{ context: BrowserContext; page: Page }>;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

async function caption(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    let el = document.getElementById('demo-caption');
    if (!el) {
      el = document.createElement('div');
      el.id = 'demo-caption';
      Object.assign(el.style, {
        position: 'fixed', left: '50%', bottom: '16px', transform: 'translateX(-50%)', zIndex: '2147483647',
        background: 'rgba(20,20,30,0.85)', color: '#fff', font: '15px system-ui, sans-serif', padding: '8px 14px',
        borderRadius: '6px', pointerEvents: 'none', maxWidth: '80%',
      });
      document.body.append(el);
    }
    el.textContent = t;
  }, text).catch(() => { /* the page is navigating: the next step captions it */ });
}

/** Declares a story: `name` names its folder under demo-output/. */
export function story(name: string, body: (scene: Scene) => Promise<void>): void {
  test(name, async ({ browser }) => {
    const dir = join(OUTPUT, slug(name));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const contexts: { context: BrowserContext; page: Page; tag: string }[] = [];
    const open = async (tag: string) => {
      const context = await browser.newContext({ viewport: SIZE, recordVideo: { dir: join(dir, '.video'), size: SIZE }, acceptDownloads: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      contexts.push({ context, page, tag });
      (page as Page & { demoErrors?: string[] }).demoErrors = errors;
      return { context, page };
    };
    const first = await open('video');
    let n = 0;
    let current = first.page;
    const scene: Scene = {
      ...first,
      async step(text, run) {
        n++;
        await test.step(text, async () => {
          for (const c of contexts) await caption(c.page, text);
          await run();
          current = contexts.at(-1)!.page;
          await caption(current, text);
          await current.screenshot({ path: join(dir, `${String(n).padStart(2, '0')}-${slug(text)}.png`) });
        });
      },
      newContext: () => open(`video-${contexts.length + 1}`),
    };
    try {
      await body(scene);
      for (const c of contexts) expect((c.page as Page & { demoErrors?: string[] }).demoErrors).toEqual([]);
    } finally {
      for (const c of contexts) {
        await c.context.close();
        await c.page.video()?.saveAs(join(dir, `${c.tag}.webm`));
      }
      rmSync(join(dir, '.video'), { recursive: true, force: true });
    }
    void (browser satisfies Browser);
  });
}

export { bookHistogram, plot, runGen, runStatus, waitForRun } from '../e2e/helpers';

/** Types like a person, slowly enough for the video to show it. */
export async function type(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 25 });
}
