// Brings a fresh checkout up to date: npm dependencies, WASM kernels, Node bundles
// and (for tests) Chromium. Node built-ins only: it runs before node_modules exists.
// Usage: node scripts/setup.mjs [--browser]
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampFile = join(root, 'node_modules', '.sift-install-stamp');

function mtime(path) {
  try { return statSync(path).mtimeMs; } catch { return -1; }
}

/** Runs a command with inherited stdio; resolves on exit 0, rejects otherwise. */
export function run(cmd, args, { cwd = root, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/** npm as the user invoked it (npm_execpath under `npm run`), else the one on PATH. */
function npm(args) {
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.js$/.test(cli)) return run(process.execPath, [cli, ...args]);
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args);
}

/** True when node_modules was installed after the last change to package.json / package-lock.json. */
export function dependenciesFresh() {
  if (!existsSync(join(root, 'node_modules'))) return false;
  const installed = Math.max(mtime(stampFile), mtime(join(root, 'node_modules', '.package-lock.json')));
  const wanted = Math.max(mtime(join(root, 'package.json')), mtime(join(root, 'package-lock.json')));
  return installed >= wanted;
}

/** `npm ci` (or `npm install` without a lockfile) when node_modules is missing or stale. */
export async function ensureDependencies() {
  if (dependenciesFresh()) return false;
  const hasLock = existsSync(join(root, 'package-lock.json'));
  const args = hasLock ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  console.log(`[setup] npm ${args[0]}: installing dependencies`);
  try {
    await npm(args);
  } catch (e) {
    if (!hasLock) throw new Error(`${e.message}\nCheck the npm output above.`);
    // `npm ci` refuses a lockfile that lacks other platforms' optional binaries
    // (@duckdb/node-bindings-* on a registry mirror that only carries this
    // platform's); `npm install` honours the same lockfile and skips them.
    console.log('[setup] npm ci refused the lockfile; npm install with the same lockfile instead');
    try {
      await npm(['install', '--no-audit', '--no-fund']);
    } catch (e2) {
      throw new Error(`${e2.message}\nIf package.json changed without package-lock.json, run \`npm install\` once and commit the lockfile.`);
    }
  }
  writeFileSync(stampFile, `${new Date().toISOString()}\n`);
  return true;
}

/** build/kernels/*.wasm from kernels/ (only when a source is newer). */
export async function ensureKernels() {
  const { buildKernels } = await import('./build-kernels.mjs');
  return buildKernels();
}

/** build/node/*.mjs from workers/ (only when a source is newer). */
export async function ensureNodeBundles() {
  const { buildNode } = await import('./build-node.mjs');
  return buildNode();
}

function executable(path) {
  try { accessSync(path, constants.X_OK); return statSync(path).isFile(); } catch { return false; }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * The Chromium that tests and benches drive, or undefined when there is none:
 * $SIFT_CHROMIUM if set, else Debian's /usr/bin/chromium, else a chromium on PATH.
 */
/** Ctrl-C / SIGTERM close a Vite server; a second Ctrl-C, or 3 s, exits at once. */
export function closeOnSignals(server) {
  let closing = false;
  const stop = async () => {
    if (closing) process.exit(0);
    closing = true;
    setTimeout(() => process.exit(0), 3000).unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export function chromiumPath() {
  const fromEnv = process.env.SIFT_CHROMIUM;
  if (fromEnv) return executable(fromEnv) ? fromEnv : undefined;
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  return onPath('chromium') ?? onPath('chromium-browser');
}

function debianLike() {
  try {
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(osRelease) && existsSync('/usr/bin/apt-get');
  } catch {
    return false;
  }
}

/** Finds Chromium, installing Debian's package when we are root on a Debian-like system. */
export async function ensureChromium() {
  const found = chromiumPath();
  if (found) return found;
  if (process.env.SIFT_CHROMIUM) {
    throw new Error(`SIFT_CHROMIUM=${process.env.SIFT_CHROMIUM} is not an executable file.`);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && debianLike()) {
    console.log('[setup] Chromium not found: installing Debian\'s chromium package with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update'], { env });
    // fonts-liberation: the same metric-compatible fonts on every machine, so pages render alike.
    await run('apt-get', ['install', '-y', 'chromium', 'fonts-liberation'], { env });
    const installed = chromiumPath();
    if (installed) return installed;
  }
  throw new Error([
    'Chromium is needed for the browser tests and was not found.',
    '  Debian/Ubuntu:  sudo apt-get install chromium   (gives /usr/bin/chromium)',
    '  elsewhere:      install Chromium or Chrome and set SIFT_CHROMIUM=/path/to/the/binary',
    '(The tests never download browsers: `npx playwright install` is not used.)',
  ].join('\n'));
}

/**
 * Playwright records videos with an ffmpeg it downloads itself, which this machine's
 * registries don't carry. Debian's ffmpeg takes the same arguments, so it is installed
 * (root, apt) when missing and placed where Playwright looks for its own: a registry
 * directory of our own, named by PLAYWRIGHT_BROWSERS_PATH (Chromium still comes from
 * the system through executablePath). Returns that directory.
 */
export async function ensureFfmpeg() {
  let ffmpeg = process.env.SIFT_FFMPEG || onPath('ffmpeg');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!ffmpeg && isRoot && debianLike()) {
    console.log('[setup] ffmpeg not found: installing Debian\'s ffmpeg package with apt-get (for demo videos)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update'], { env });
    await run('apt-get', ['install', '-y', '--no-install-recommends', 'ffmpeg'], { env });
    ffmpeg = onPath('ffmpeg');
  }
  if (!ffmpeg || !executable(ffmpeg)) {
    throw new Error('ffmpeg is needed to record demo videos: `sudo apt-get install ffmpeg`, or set SIFT_FFMPEG=/path/to/ffmpeg.');
  }
  const { revision } = JSON.parse(readFileSync(join(root, 'node_modules/playwright-core/browsers.json'), 'utf8'))
    .browsers.find((b) => b.name === 'ffmpeg');
  const registry = join(root, 'node_modules/.cache/sift-playwright');
  const dir = join(registry, `ffmpeg-${revision}`);
  const target = join(dir, process.platform === 'darwin' ? 'ffmpeg-mac' : 'ffmpeg-linux');
  mkdirSync(dir, { recursive: true });
  rmSync(target, { force: true });
  symlinkSync(ffmpeg, target);
  return registry;
}

/** Everything `npm start` (browser: false) or `npm test` (browser: true) needs. */
export async function setup({ browser = false } = {}) {
  await ensureDependencies();
  await ensureKernels();
  await ensureNodeBundles();
  if (browser) {
    const path = await ensureChromium();
    process.env.SIFT_CHROMIUM = path;
    return { chromium: path };
  }
  return {};
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  setup({ browser: process.argv.includes('--browser') }).then(
    ({ chromium }) => { if (chromium) console.log(`[setup] chromium: ${chromium}`); },
    (e) => { console.error(`[setup] ${e.message}`); process.exit(1); },
  );
}
