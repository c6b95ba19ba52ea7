// no-eval-checker: this file is the checker itself and is the only file skipped.
// Fails when source under app/ workers/ kernels/ scripts/ bench/ e2e/ calls eval or
// the Function constructor (DESIGN.md, invariant 2: no run-time code generation).
// Usage: node scripts/lint-no-eval.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const dirs = ['app', 'workers', 'kernels', 'scripts', 'bench', 'e2e'];
const extensions = /\.(ts|tsx|mts|cts|mjs|cjs|js)$/;
const marker = '// no-eval-checker: this file is the checker itself';
// `eval(`, `globalThis.eval(` and `new Function(` / `Function(`; not `page.$eval(` or `evaluate(`.
const forbidden = /(?<![\w$])eval\s*\(|(?<![\w$.])Function\s*\(/;

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (extensions.test(e.name)) yield path;
  }
}

/** Every `file:line: text` that calls eval or the Function constructor. */
export function findEval() {
  const hits = [];
  for (const dir of dirs) {
    for (const file of walk(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      if (file === self && text.startsWith(marker)) continue;
      text.split('\n').forEach((line, i) => {
        if (forbidden.test(line)) hits.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  return hits;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const hits = findEval();
  if (hits.length > 0) {
    console.error('No run-time code generation (DESIGN.md, invariant 2); found:');
    for (const h of hits) console.error(`  ${h}`);
    process.exit(1);
  }
  console.log('lint:no-eval: no eval or Function constructor in app/ workers/ kernels/ scripts/ bench/ e2e/');
}
