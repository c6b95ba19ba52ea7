// A fuzz campaign on one target: seeded, so a failing case is reproduced by
// its (target, seed, iteration). Used by fuzz.test.ts (a bounded run in
// `npm test`) and scripts/fuzz.mjs (`npm run fuzz`, long runs).
import { createNodeEngine } from '../../node/platform';
import type { Engine } from '../../engine/Engine';
import { randomExpr, seededRandom } from '../../expr/random';
import { asColumns, makeTable } from '../engine-fixtures';
import { seedsOf, type Seed, type Target } from './corpus';
import { DEFAULT_CASE_MS, exprCase, fileCase, inFlight, type Outcome } from './harness';
import { mutate, mutateText } from './mutate';

export interface Failure {
  target: Target;
  iteration: number;
  seed: string;
  how: string[];
  /** the input: file bytes, or the expression's UTF-8 */
  bytes: Uint8Array;
  outcome: Outcome;
}

export interface CampaignOptions {
  iterations: number;
  seed: number;
  caseMs?: number;
  /** where the case in flight is written (for a watchdog outside the process) */
  inFlightPath?: string;
  onCase?(i: number, outcome: Outcome): void;
}

export interface Campaign {
  target: Target;
  iterations: number;
  counts: Record<Outcome['verdict'], number>;
  failures: Failure[];
  slowestMs: number;
  ms: number;
}

const EXPR_SEEDS = [
  'sqrt(x*x + y*y)', 'cat == "beta" && k > 2', 'abs(x) < 2.4 ? log(f) : -f / 3', 'pow(x, 2) + atan2(y, x) * TMath::Pi()',
  'min(x, y) >= max(-1, k % 3)', '!isnan(x) || isinf(y)', '`x` * 1e-3 + 2.5f', 'std::hypot(x, y) != round(u / 1e9)',
];

const engineOpts = { workers: 2, chunkRows: 512, vecLen: 64 };

export async function campaign(target: Target, opts: CampaignOptions): Promise<Campaign> {
  const t0 = performance.now();
  const caseMs = opts.caseMs ?? DEFAULT_CASE_MS;
  const rng = seededRandom(opts.seed);
  const counts = { ok: 0, error: 0, crash: 0, hang: 0 };
  const failures: Failure[] = [];
  let slowestMs = 0;
  let engine: Engine = await createNodeEngine(engineOpts);
  const table = makeTable(3000, 5);
  const reset = async () => {
    if (target === 'expr') await engine.openColumns('t', 3000, asColumns(table));
  };
  await reset();
  const seeds: Seed[] = target === 'expr' ? [] : await seedsOf(target);
  const exprSeeds = target === 'expr'
    ? [...EXPR_SEEDS, ...Array.from({ length: 24 }, () => randomExpr(
      [{ name: 'x', type: 'num' }, { name: 'y', type: 'num' }, { name: 'k', type: 'num' }, { name: 'b', type: 'bool' },
        { name: 'cat', type: 'dict', dictionary: ['alpha', 'beta', 'gamma', ''] }], rng, { maxDepth: 4 }))]
    : [];
  try {
    for (let i = 0; i < opts.iterations; i++) {
      let outcome: Outcome;
      let input: Uint8Array;
      let how: string[];
      if (target === 'expr') {
        const chosen = exprSeeds[Math.floor(rng() * exprSeeds.length)]!;
        // some seeds unchanged, so the valid path (check, then run) is exercised too
        const expr = rng() < 0.15 ? chosen : mutateText(chosen, rng);
        input = new TextEncoder().encode(expr);
        how = ['text'];
        inFlight(opts.inFlightPath, input);
        outcome = await exprCase(engine, expr, caseMs);
      } else {
        const seed = seeds[Math.floor(rng() * seeds.length)]!;
        const m = mutate(seed.bytes, rng, target === 'csv');
        input = m.bytes;
        how = [seed.name, ...m.how];
        inFlight(opts.inFlightPath, input);
        outcome = await fileCase(engine, input, seed.name, caseMs);
      }
      inFlight(opts.inFlightPath, null);
      counts[outcome.verdict]++;
      slowestMs = Math.max(slowestMs, outcome.ms);
      opts.onCase?.(i, outcome);
      if (outcome.verdict === 'crash' || outcome.verdict === 'hang') {
        failures.push({ target, iteration: i, seed: String(opts.seed), how, bytes: input, outcome });
      }
      if (outcome.verdict === 'hang') {
        // the stuck engine may hold a worker forever: start over with a fresh one
        void engine.close().catch(() => undefined);
        engine = await createNodeEngine(engineOpts);
        await reset();
      }
    }
  } finally {
    await engine.close();
  }
  return { target, iterations: opts.iterations, counts, failures, slowestMs, ms: performance.now() - t0 };
}
