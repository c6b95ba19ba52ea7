// `npm start`: set up what is missing, then serve the app with Vite's dev server
// on 127.0.0.1 (5173 or the next free port), cross-origin isolated.
import { closeOnSignals, ensureDependencies, ensureKernels, ensureNodeBundles } from './setup.mjs';

function hasDisplay() {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

try {
  await ensureDependencies();
  await ensureKernels();
} catch (e) {
  console.error(`[setup] ${e.message}`);
  process.exit(1);
}
// The page doesn't use the Node bundles: a broken one is worth a warning, not a refusal to serve.
await ensureNodeBundles().catch((e) => console.warn(`[setup] build/node not rebuilt: ${e.message}`));

const { createServer } = await import('vite');
const open = hasDisplay() && !process.env.CI;
const server = await createServer({ server: { open } });
await server.listen();

const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${server.config.server.port}/`;
const line = '─'.repeat(url.length + 12);
console.log(`\n  ${line}\n    Sift:   ${url}\n  ${line}\n`);
if (!open) console.log('  Open that address in Chrome, Edge or Firefox. Ctrl-C stops the server.\n');

closeOnSignals(server);
