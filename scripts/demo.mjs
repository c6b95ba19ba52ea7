// `npm run demo`: set up what is missing (dependencies, kernels, Chromium, ffmpeg), then play
// the scripted stories in demos/ against the production build and write a video and
// step screenshots per story to demo-output/<story>/. Exits non-zero when a step
// doesn't happen. Usage: npm run demo [-- --headed] [-- -g "share link"]
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, ensureDependencies, ensureFfmpeg, ensureKernels, ensureNodeBundles } from './setup.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function freePort(from) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e) => (e.code === 'EADDRINUSE' && from < 65535 ? resolve(freePort(from + 1)) : reject(e)));
    server.listen(from, '127.0.0.1', () => server.close(() => resolve(from)));
  });
}

try {
  await ensureDependencies();
  process.env.SIFT_CHROMIUM = await ensureChromium();
  await ensureKernels();
  await ensureNodeBundles();
  process.env.PLAYWRIGHT_BROWSERS_PATH = await ensureFfmpeg();
} catch (e) {
  console.error(`[setup] ${e.message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const headed = args.includes('--headed');
const rest = args.filter((a) => a !== '--headed');
const port = await freePort(4273);
const child = spawn(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'playwright.demo.config.ts', ...rest], {
  cwd: root, stdio: 'inherit', env: { ...process.env, SIFT_E2E_PORT: String(port), ...(headed ? { SIFT_DEMO_HEADED: '1' } : {}) },
});
child.on('exit', (code, signal) => {
  if (code === 0) console.log(`\nvideos and screenshots: ${join('demo-output')}/<story>/`);
  process.exit(code ?? (signal ? 128 : 1));
});
