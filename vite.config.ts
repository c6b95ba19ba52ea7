import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './app/security/csp.ts';

// SharedArrayBuffer (and so the shared WebAssembly.Memory) needs a cross-origin
// isolated page, and every worker script needs the same headers to be isolated too.
const isolationHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// The dev server injects scripts and styles (React refresh's preamble, CSS modules as <style>);
// Vite marks each with this nonce. A fixed one is fine for a server on 127.0.0.1 that only
// serves our own sources; the production policy has none.
const DEV_NONCE = 'sift-dev';
const META_CSP = /(<meta http-equiv="Content-Security-Policy" content=")[^"]*(")/;

/**
 * Sets the isolation headers and the Content-Security-Policy first thing on every
 * response (HTML, modules, workers, assets, 404s): a worker's policy is its own
 * script's header. In dev, the <meta> policy of index.html is swapped for the dev one.
 */
function crossOriginIsolation(): Plugin {
  const headers = (csp: string) => (_req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => {
    for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
    res.setHeader('Content-Security-Policy', csp);
    next();
  };
  return {
    name: 'sift:cross-origin-isolation',
    configureServer(server) { server.middlewares.use(headers(contentSecurityPolicy({ devNonce: DEV_NONCE }))); },
    configurePreviewServer(server) { server.middlewares.use(headers(contentSecurityPolicy())); },
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        if (!ctx.server) return html;
        return html.replace(META_CSP, (_m, a: string, b: string) => a + contentSecurityPolicy({ devNonce: DEV_NONCE, meta: true }) + b);
      },
    },
  };
}

export default defineConfig(({ command }) => ({
  plugins: [crossOriginIsolation(), react()],
  clearScreen: false,
  ...(command === 'serve' ? { html: { cspNonce: DEV_NONCE } } : {}),
  server: {
    host: '127.0.0.1',
    port: 5173,
    headers: isolationHeaders,
    watch: { ignored: ['**/dist/**', '**/test-results/**', '**/playwright-report/**', '**/bench/results/**', '**/demo-output/**'] },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    headers: isolationHeaders,
  },
  optimizeDeps: {
    entries: ['index.html'],
    // Imported only inside workers, which the dependency scan doesn't follow: without
    // this the dev server would discover it on first use and reload the page.
    include: ['comlink'],
  },
  // Relative asset URLs: dist/ works from any static host and any path on it (a project page under /repo/).
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    // Kernels stay files (streamed compilation, cacheable), however small they are.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
  },
}));
