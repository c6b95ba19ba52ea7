// The driver's browser side: a static server with the cross-origin-isolation
// headers (the page, DuckDB-WASM's bundle files, the data folder), and a fresh
// headless Chromium per call with the peers page open and the renderer's memory
// readable from /proc.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from '../../scripts/setup.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const PAGE_DIR = join(root, 'build/bench-peers');
const DUCKDB_DIST = join(root, 'node_modules/@duckdb/duckdb-wasm/dist');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.map': 'application/json' };

/** The page, DuckDB's bundle files and the data folder, with the isolation headers on every response (the pthread worker needs them too). */
export function serve(dataDir) {
  const mounts = [['/duckdb/', DUCKDB_DIST], ['/data/', dataDir], ['/', PAGE_DIR]];
  const server = createServer((req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, base] = mounts.find(([p]) => path.startsWith(p));
    const file = normalize(join(base, path.slice(prefix.length)));
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      return res.end('not found');
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', statSync(file).size);
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Peak (VmHWM) and current (VmRSS) resident bytes of the browser's renderer processes. */
export async function rendererMemory(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  let hwm = 0, rss = 0, count = 0;
  for (const p of processInfo.filter((q) => q.type === 'renderer')) {
    try {
      const s = readFileSync(`/proc/${p.id}/status`, 'utf8');
      hwm = Math.max(hwm, Number(/^VmHWM:\s+(\d+) kB/m.exec(s)[1]) * 1024);
      rss = Math.max(rss, Number(/^VmRSS:\s+(\d+) kB/m.exec(s)[1]) * 1024);
      count++;
    } catch { /* the process ended */ }
  }
  return count ? { hwm, rss, renderers: count } : null;
}

/**
 * CPU time (ms) the browser's processes have used so far: its renderers and
 * the rest (the browser process serves File reads). Unlike wall time it holds
 * up on a busy machine, and it shows what a load costs beyond its own threads.
 */
export async function browserCpu(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  const tick = 1000 / 100; // USER_HZ
  let renderer = 0, other = 0;
  for (const p of processInfo) {
    try {
      const f = readFileSync(`/proc/${p.id}/stat`, 'utf8').split(') ')[1].split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * tick;
      if (p.type === 'renderer') renderer += ms; else other += ms;
    } catch { /* the process ended */ }
  }
  return { renderer, other };
}

/** A fresh browser with the page open and `file` in its input; each call gets its own renderer. */
export async function withPage(origin, file, f) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--enable-blink-features=ForceEagerMeasureMemory'],
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('crash', () => errors.push('the page crashed (out of memory?)'));
    const response = await page.goto(`${origin}/bench/peers/index.html`);
    const headers = response?.headers() ?? {};
    await page.waitForFunction(() => window.peers);
    if (file) await page.setInputFiles('#file', file);
    const call = async (name, ...args) => {
      try {
        return await page.evaluate(([n, xs]) => window.peers[n](...xs), [name, args]);
      } catch (e) {
        throw new Error(`${name}: ${e.message.split('\n')[0]}${errors.length ? ` (${errors.join('; ')})` : ''}`);
      }
    };
    const info = await call('info');
    if (!info.crossOriginIsolated) throw new Error('the bench page is not cross-origin isolated');
    return await f({ page, call, memory: () => rendererMemory(browser), cpu: () => browserCpu(browser), browser, info: { ...info, browser: browser.version(), coop: headers['cross-origin-opener-policy'], coep: headers['cross-origin-embedder-policy'] } });
  } finally {
    await browser.close();
  }
}

