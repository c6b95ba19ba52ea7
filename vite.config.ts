import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// SharedArrayBuffer (and so the shared WebAssembly.Memory) needs a cross-origin
// isolated page, and every worker script needs the same headers to be isolated too.
const isolationHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Sets the isolation headers first thing on every response (HTML, modules, workers, assets, 404s). */
function crossOriginIsolation(): Plugin {
  const setHeaders = (_req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => {
    for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
    next();
  };
  return {
    name: 'sift:cross-origin-isolation',
    configureServer(server) { server.middlewares.use(setHeaders); },
    configurePreviewServer(server) { server.middlewares.use(setHeaders); },
  };
}

export default defineConfig({
  plugins: [crossOriginIsolation(), react()],
  clearScreen: false,
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
});
