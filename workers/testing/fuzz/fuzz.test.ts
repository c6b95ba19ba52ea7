// Mutation fuzzing of every reader and the expression language through the
// engine's real open + run path: each case ends in a valid result or an
// EngineError naming the file, within the time box. `npm test` runs a bounded,
// fixed-seed campaign per target and replays every stored crashing input;
// `npm run fuzz -- --target T --iterations N --seed S` runs long campaigns
// (scripts/fuzz.mjs passes them here through SIFT_FUZZ_* variables).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodeEngine } from '../../node/platform';
import type { Engine } from '../../engine/Engine';
import { TARGETS, type Target } from './corpus';
import { fileCase } from './harness';
import { campaign, type Campaign } from './run';

// jsroot narrates damaged streamers on the console
beforeAll(() => {
  for (const level of ['log', 'warn', 'error', 'info'] as const) vi.spyOn(console, level).mockImplementation(() => {});
});
afterAll(() => vi.restoreAllMocks());

const env = process.env;
const longRun = env.SIFT_FUZZ_TARGET !== undefined;

/** Iterations per target in `npm test`: a few seconds each on a loaded 2-core machine. */
const BOUNDED: Record<Target, number> = { csv: 300, expr: 600, parquet: 150, arrow: 300, root: 120 };
const SEED = 20240607;

function describeFailures(c: Campaign): string {
  return c.failures.map((f) => `#${f.iteration} [${f.how.join(' ')}] ${f.outcome.verdict}: ${f.outcome.detail}`).join('\n');
}

function report(c: Campaign): void {
  const line = `fuzz ${c.target}: ${c.iterations} cases in ${(c.ms / 1000).toFixed(1)} s (ok ${c.counts.ok}, clean errors ${c.counts.error}, ` +
    `crashes ${c.counts.crash}, hangs ${c.counts.hang}; slowest case ${c.slowestMs.toFixed(0)} ms)`;
  process.stdout.write(`${line}\n`);
  if (env.SIFT_FUZZ_OUT) {
    mkdirSync(env.SIFT_FUZZ_OUT, { recursive: true });
    for (const f of c.failures) {
      const base = join(env.SIFT_FUZZ_OUT, `${f.target}-seed${f.seed}-case${f.iteration}`);
      writeFileSync(`${base}.bin`, f.bytes);
      writeFileSync(`${base}.txt`, `${f.how.join(' ')}\n${f.outcome.verdict}: ${f.outcome.detail}\n`);
    }
    writeFileSync(join(env.SIFT_FUZZ_OUT, `${c.target}-seed${env.SIFT_FUZZ_SEED}.json`), JSON.stringify({ ...c, failures: c.failures.map((f) => ({ ...f, bytes: f.bytes.length })) }, null, 2));
  }
}

if (longRun) {
  describe('fuzz campaign', () => {
    const targets = env.SIFT_FUZZ_TARGET === 'all' ? TARGETS : (env.SIFT_FUZZ_TARGET!.split(',') as Target[]);
    for (const target of targets) {
      it(target, async () => {
        const c = await campaign(target, {
          iterations: Number(env.SIFT_FUZZ_ITERATIONS ?? 1000),
          seed: Number(env.SIFT_FUZZ_SEED ?? SEED),
          ...(env.SIFT_FUZZ_CASE_MS ? { caseMs: Number(env.SIFT_FUZZ_CASE_MS) } : {}),
          ...(env.SIFT_FUZZ_IN_FLIGHT ? { inFlightPath: `${env.SIFT_FUZZ_IN_FLIGHT}.${target}` } : {}),
        });
        report(c);
        expect(c.failures, describeFailures(c)).toEqual([]);
      }, 0);
    }
  });
} else {
  describe('fuzz (bounded, fixed seed)', () => {
    for (const target of TARGETS) {
      it(`${target}: ${BOUNDED[target]} mutated inputs, each a result or a clear error`, async () => {
        const c = await campaign(target, { iterations: BOUNDED[target], seed: SEED });
        report(c);
        expect(c.failures, describeFailures(c)).toEqual([]);
        // a campaign whose every case fails at the first byte tests nothing past the header
        expect(c.counts.ok, 'some mutated inputs still open and run').toBeGreaterThan(0);
        expect(c.counts.error, 'some mutations are caught').toBeGreaterThan(0);
      });
    }
  });
}

describe('fuzz regressions: inputs that once broke a reader', () => {
  const dir = new URL('../fuzz-fixtures/', import.meta.url);
  const fixtures = readdirSync(dir).filter((f) => !f.endsWith('.md'));
  let engine: Engine;
  beforeAll(async () => { engine = await createNodeEngine({ workers: 2, chunkRows: 512, vecLen: 64 }); });
  afterAll(() => engine.close());
  for (const name of fixtures) {
    it(name, async () => {
      const outcome = await fileCase(engine, new Uint8Array(readFileSync(new URL(name, dir))), name);
      expect(['ok', 'error'], `${outcome.verdict}: ${outcome.detail}`).toContain(outcome.verdict);
    });
  }
});
