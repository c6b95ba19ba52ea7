// `npm run preview` (and the e2e web server): install what is missing, build the
// kernels and the production bundle to dist/, and serve it with the isolation headers.
// Usage: node scripts/preview.mjs [--port N]
import { closeOnSignals, ensureDependencies, ensureKernels } from './setup.mjs';

const i = process.argv.indexOf('--port');
const port = i > 0 ? Number(process.argv[i + 1]) : undefined;

try {
  await ensureDependencies();
  await ensureKernels();
} catch (e) {
  console.error(`[setup] ${e.message}`);
  process.exit(1);
}

const { build, preview } = await import('vite');
let server;
try {
  await build({ logLevel: 'warn' });
  server = await preview({ preview: port ? { port, strictPort: true } : {} });
} catch (e) {
  console.error(`[preview] ${e.message}`);
  process.exit(1);
}
server.printUrls();

closeOnSignals(server);
