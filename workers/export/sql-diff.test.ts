// Differential test: random analyses on random awkward data, through Sift and
// through the SQL export on DuckDB, result for result. A mismatch prints a
// shrunk reproducer; `npm run fuzz:diff -- --cases N --seed S` runs more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createNodeEngine } from '../node/platform';
import type { Engine } from '../engine/Engine';
import { seededRandom } from '../expr/random';
import { randomCase } from '../testing/random-analysis';
import { compareCase, describeCase, shrink } from '../node/differential';

const CASES = 300;
const SEED = 20240607;

describe('SQL export against DuckDB, differentially', () => {
  let engine: Engine;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    engine = await createNodeEngine({ workers: 2, chunkRows: 64, vecLen: 16 });
    conn = await (await DuckDBInstance.create(':memory:')).connect();
  });
  afterAll(async () => { await engine.close(); conn.closeSync(); });

  it(`agrees on ${CASES} random analyses (seed ${SEED})`, async () => {
    const rng = seededRandom(SEED);
    let compared = 0;
    for (let i = 0; i < CASES; i++) {
      const c = randomCase(rng);
      const diff = await compareCase(engine, conn, c);
      if (diff === undefined) continue;
      compared++;
      if (diff.length > 0) {
        const small = await shrink(c, async (x) => ((await compareCase(engine, conn, x)) ?? []).length > 0, 300);
        expect.fail(`case ${i}: ${diff.slice(0, 5).join('; ')}\nshrunk: ${(await compareCase(engine, conn, small))!.join('; ')}\n${describeCase(small)}`);
      }
    }
    // Most random analyses must be valid, or the test tests little.
    expect(compared).toBeGreaterThan(CASES * 0.8);
  }, 120_000);
});
