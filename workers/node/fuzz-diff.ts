// `npm run fuzz:diff -- --cases N --seed S [--rows R] [--depth D]`: random
// analyses through Sift and through the SQL export on DuckDB; each mismatch is
// shrunk and printed as a reproducer. Exit code 1 when any was found.
import { DuckDBInstance } from '@duckdb/node-api';
import { createNodeEngine } from './platform';
import { seededRandom } from '../expr/random';
import { randomCase } from '../testing/random-analysis';
import { compareCase, describeCase, shrink } from './differential';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} takes a number`);
  return v;
}

const cases = flag('cases', 1000);
const seed = flag('seed', 1);
const maxRows = flag('rows', 300);
const maxDepth = flag('depth', 4);
const engine = await createNodeEngine({ workers: 2, chunkRows: 64, vecLen: 16 });
const conn = await (await DuckDBInstance.create(':memory:')).connect();
const rng = seededRandom(seed);
let compared = 0, refused = 0, mismatches = 0;
const t0 = performance.now();
try {
  for (let i = 0; i < cases; i++) {
    const c = randomCase(rng, { maxRows, maxDepth });
    const diff = await compareCase(engine, conn, c);
    if (diff === undefined) { refused++; continue; }
    compared++;
    if (diff.length === 0) continue;
    mismatches++;
    const small = await shrink(c, async (x) => ((await compareCase(engine, conn, x)) ?? []).length > 0);
    const why = (await compareCase(engine, conn, small)) ?? [];
    process.stdout.write(`\nmismatch in case ${i} (seed ${seed}): ${why.slice(0, 4).join('; ')}\n${describeCase(small)}\n`);
  }
} finally {
  await engine.close();
  conn.closeSync();
}
process.stdout.write(`\n${cases} cases (seed ${seed}): ${compared} compared, ${refused} refused by Sift's checker, ${mismatches} mismatched; ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
process.exitCode = mismatches > 0 ? 1 : 0;
