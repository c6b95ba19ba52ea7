// The simplest static host: files from a folder, with or without the
// cross-origin-isolation headers, single byte ranges for URL datasets. What
// e2e/static.spec.ts serves dist/ with, to check the site works from a host that
// can't send COOP/COEP (the service worker's case) as well as from one that can.
// Usage: node scripts/static-server.mjs [--dir dist] [--port N] [--no-isolation]
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.csv': 'text/csv', '.tsv': 'text/tab-separated-values', '.txt': 'text/plain; charset=utf-8',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Serves `dir` on 127.0.0.1:`port` (0: any free port); resolves to its address and a close(). */
export async function serveStatic({ dir = 'dist', port = 0, isolation = true } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    if (isolation) for (const [k, v] of Object.entries(ISOLATION)) res.setHeader(k, v);
    res.setHeader('Cache-Control', 'no-cache');
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end(); return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) { file = join(file, 'index.html'); info = await stat(file).catch(() => undefined); }
    if (!info?.isFile()) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
    const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Accept-Ranges': 'bytes' };
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = info.size - 1;
    if (range && (range[1] || range[2])) {
      start = range[1] ? Number(range[1]) : Math.max(0, info.size - Number(range[2]));
      end = range[1] && range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
      if (start > end || start >= info.size) { res.writeHead(416, { 'Content-Range': `bytes */${info.size}` }).end(); return; }
      res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${info.size}`, 'Content-Length': end - start + 1 });
    } else {
      res.writeHead(200, { ...headers, 'Content-Length': info.size });
    }
    if (req.method === 'HEAD' || info.size === 0) { res.end(); return; }
    createReadStream(file, { start, end }).pipe(res);
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', ok); });
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (k) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : undefined; };
  const { url, close } = await serveStatic({
    dir: arg('--dir') ?? 'dist', port: Number(arg('--port') ?? 0), isolation: !process.argv.includes('--no-isolation'),
  });
  console.log(`serving ${arg('--dir') ?? 'dist'} at ${url}${process.argv.includes('--no-isolation') ? ' (without COOP/COEP)' : ''}`);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => void close().then(() => process.exit(0)));
}
