// no-eval-checker: this file is the checker itself and is the only file skipped.
// Fails when source under app/ workers/ kernels/ scripts/ bench/ e2e/ demos/ runs a string as
// code — eval, the Function constructors, timers given strings (DESIGN.md, invariant 2:
// no run-time code generation) — or parses a string as HTML (names from files are text).
// Usage: node scripts/lint-no-eval.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const dirs = ['app', 'workers', 'kernels', 'scripts', 'bench', 'e2e', 'demos'];
const extensions = /\.(ts|tsx|mts|cts|mjs|cjs|js)$/;
// the page and the configs outside those folders; inline scripts and handlers would also break the CSP
const files = ['index.html', 'vite.config.ts', 'playwright.config.ts', 'vitest.config.ts'];
const HTML_ONLY = [
  { why: 'an inline script (the Content-Security-Policy allows only files)', re: /<script(?![^>]*\bsrc=)[^>]*>/i },
  { why: 'an inline event handler', re: /<[^>]+\son[a-z]+\s*=/i },
];
const marker = '// no-eval-checker: this file is the checker itself';
// What runs a string as code, or parses a string as HTML (where a file's column
// name would become markup): each with why it is here.
export const FORBIDDEN = [
  // `eval(`, `globalThis.eval(`; not `page.$eval(` or `evaluate(`
  { why: 'eval', re: /(?<![\w$])eval\s*\(/ },
  { why: 'eval by property name', re: /\[\s*['"`]eval['"`]\s*\]/ },
  // `new Function(`, `Function(`; not `isFunction(` or `x.Function(`
  { why: 'the Function constructor', re: /(?<![\w$.])(Async|Generator|AsyncGenerator)?Function\s*\(/ },
  { why: 'a constructor reached through .constructor("code")', re: /\.constructor\s*\(\s*['"`]/ },
  // a string (or template) first argument is compiled as code; a function is fine
  { why: 'a timer given a string of code', re: /(?<![\w$])(setTimeout|setInterval|setImmediate)\s*\(\s*['"`]/ },
  { why: 'HTML parsed from a string', re: /\.(innerHTML|outerHTML)\s*\+?=|insertAdjacentHTML\s*\(|dangerouslySetInnerHTML|createContextualFragment\s*\(|document\.write(ln)?\s*\(/ },
];

/** The reasons `line` is forbidden (empty when it is fine). */
export function forbiddenIn(line) {
  return FORBIDDEN.filter((f) => f.re.test(line)).map((f) => f.why);
}

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (extensions.test(e.name)) yield path;
  }
}

function* sources() {
  for (const dir of dirs) yield* walk(join(root, dir));
  for (const f of files) if (existsSync(join(root, f))) yield join(root, f);
}

/** Every `file:line: reason: text` that runs a string as code or parses one as HTML. */
export function findEval() {
  const hits = [];
  {
    for (const file of sources()) {
      const text = readFileSync(file, 'utf8');
      if (file === self && text.startsWith(marker)) continue;
      text.split('\n').forEach((line, i) => {
        const why = forbiddenIn(line);
        if (file.endsWith('.html')) why.push(...HTML_ONLY.filter((f) => f.re.test(line)).map((f) => f.why));
        if (why.length > 0) hits.push(`${relative(root, file)}:${i + 1}: ${why.join(', ')}: ${line.trim()}`);
      });
    }
  }
  return hits;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const hits = findEval();
  if (hits.length > 0) {
    console.error('No run-time code generation (DESIGN.md, invariant 2) and no HTML from strings; found:');
    for (const h of hits) console.error(`  ${h}`);
    process.exit(1);
  }
  console.log('lint:no-eval: no eval, Function constructor, string timer or HTML from strings in app/ workers/ kernels/ scripts/ bench/ e2e/ index.html');
}
