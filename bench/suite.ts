// The benchmark itself, written once against a small engine interface and run
// unchanged in Node (bench/node-bench.ts) and in Chromium (bench/browser-bench.ts).
import type { DatasetInfo, RunResult } from '../workers/protocol';
import type { DemoRef } from '../workers/engine/Engine';
import { jobs, type JobName } from './jobs';
import type { PlainResult } from './plain';
import { toyTable } from './toy-table';

/** The part of Engine / EngineClient the bench uses. */
export interface BenchEngine {
  openDemo(ref: DemoRef): Promise<DatasetInfo>;
  run(doc: unknown): Promise<RunResult>;
}

/**
 * Engine.scanSum: every worker reads the named columns once and does nothing else,
 * the bandwidth floor. Its sums are word checksums, not sums of the values.
 */
export interface ScanSum { ms: number; sums: number[]; bytes?: number }
type ScanSumFn = (columns: string[]) => ScanSum | Promise<ScanSum>;

export interface SuiteOptions {
  rows: number;
  runs: number;
  seed: number;
  /** the unshared kernel build, for the plain-JS copy of the data */
  kernels: WebAssembly.Module;
  log(message: string): void;
}

export interface JobResult {
  job: JobName;
  what: string;
  columns: string[];
  /** wall time around engine.run as the caller sees it; engineMs: RunResult.elapsedMs */
  sift: { wallMs: number[]; medianMs: number; engineMedianMs: number; nsPerRow: number };
  plain: { ms: number[]; medianMs: number; nsPerRow: number };
  /** null when the engine has no scanSum */
  floor: {
    wallMs: number[]; medianMs: number; engineMedianMs: number;
    /** column bytes read per scan, and that over the median wall time */
    bytes: number | null; gbPerSec: number | null;
  } | null;
  /** Sift's bins, under/overflow, NaN counts and cut-flow equal the plain-JS ones exactly */
  check: { ok: boolean; problems: string[] };
}

export interface SuiteResult {
  rows: number;
  runs: number;
  seed: number;
  /** openDemo: the first (cold kernels) and a second, warm generation */
  gen: { coldMs: number; ms: number; rowsPerSec: number };
  plainGenMs: number;
  floorNote?: string;
  jobs: JobResult[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await f();
  return [v, performance.now() - t0];
}

/** Differences between Sift's result and the plain-JS reference, whose histograms are `names` (none: identical). */
export function compare(res: RunResult, ref: PlainResult, names: readonly string[]): string[] {
  const problems: string[] = [];
  if (res.status !== 'done') problems.push(`run ended "${res.status}"`);
  if (res.rowsDone !== res.rows) problems.push(`processed ${res.rowsDone} of ${res.rows} rows`);
  const passes = res.cutflow.map((c) => c.pass);
  if (passes.join() !== ref.cutflow.join()) problems.push(`cut-flow ${passes.join('/')} ≠ plain ${ref.cutflow.join('/')}`);
  const got = res.histograms.map((h) => h.name);
  if (got.join() !== names.join()) problems.push(`histograms come back as [${got.join(', ')}], the document has [${names.join(', ')}]`);
  names.forEach((name, k) => {
    const h = res.histograms.find((g) => g.name === name);
    const r = ref.histograms[k]!;
    if (!h) return;
    for (const f of ['underflow', 'overflow', 'nan'] as const) {
      if (h[f] !== r[f]) problems.push(`${name}: ${f} ${h[f]} ≠ plain ${r[f]}`);
    }
    if (h.bins.length !== r.bins.length) {
      problems.push(`${name}: ${h.bins.length} bins ≠ plain ${r.bins.length}`);
      return;
    }
    const diff: number[] = [];
    for (let i = 0; i < r.bins.length; i++) if (h.bins[i] !== r.bins[i]) diff.push(i);
    if (diff.length) {
      const shown = diff.slice(0, 3).map((i) => `[${i}] ${h.bins[i]} ≠ ${r.bins[i]}`).join(', ');
      problems.push(`${name}: ${diff.length} bins differ: ${shown}${diff.length > 3 ? ', …' : ''}`);
    }
  });
  return problems;
}

function scanSumOf(engine: BenchEngine): ScanSumFn | undefined {
  const f = (engine as { scanSum?: ScanSumFn }).scanSum;
  return typeof f === 'function' ? f.bind(engine) : undefined;
}

export async function runSuite(engine: BenchEngine, opts: SuiteOptions): Promise<SuiteResult> {
  const { rows, runs, seed, log } = opts;
  const ref: DemoRef = { name: 'toy', rows, seed };
  const perRow = (ms: number) => (rows > 0 ? (ms * 1e6) / rows : 0);

  log(`generating ${rows} rows in the engine (twice: cold, warm)`);
  const [, coldMs] = await timed(() => engine.openDemo(ref));
  const [, genMs] = await timed(() => engine.openDemo(ref));
  log(`generating the plain-JS copy on one thread`);
  const [table, plainGenMs] = await timed(() => toyTable(opts.kernels, rows, seed));

  const scanSum = scanSumOf(engine);
  const floorNote = scanSum ? undefined : 'this engine handle has no scanSum yet: no floor measured';
  if (!scanSum) log(floorNote!);
  const floors = new Map<string, JobResult['floor']>();

  const results: JobResult[] = [];
  for (const job of jobs(rows, seed)) {
    log(`${job.name}: ${job.what}`);
    const plainMs: number[] = [];
    let reference: PlainResult | undefined;
    for (let i = 0; i <= runs; i++) {
      const [r, ms] = await timed(() => job.plain(table));
      if (i === 0) reference = r; else plainMs.push(ms);
    }

    const names = (job.doc.histograms ?? []).map((h) => h.name);
    const wallMs: number[] = [], engineMs: number[] = [];
    const problems = new Set<string>();
    for (let i = 0; i <= runs; i++) {
      const [res, ms] = await timed(() => engine.run(job.doc));
      for (const p of compare(res, reference!, names)) problems.add(p);
      if (i > 0) { wallMs.push(ms); engineMs.push(res.elapsedMs); }
    }

    const key = job.columns.join(' ');
    if (scanSum && !floors.has(key)) {
      const fWall: number[] = [], fEngine: number[] = [];
      let bytes: number | null = null;
      for (let i = 0; i <= runs; i++) {
        const [s, ms] = await timed(() => scanSum(job.columns));
        bytes = s.bytes ?? null;
        if (i > 0) { fWall.push(ms); fEngine.push(s.ms); }
      }
      const medianMs = median(fWall);
      floors.set(key, {
        wallMs: fWall, medianMs, engineMedianMs: median(fEngine),
        bytes, gbPerSec: bytes != null && medianMs > 0 ? bytes / medianMs / 1e6 : null,
      });
    }

    const siftMedian = median(wallMs), plainMedian = median(plainMs);
    results.push({
      job: job.name, what: job.what, columns: job.columns,
      sift: { wallMs, medianMs: siftMedian, engineMedianMs: median(engineMs), nsPerRow: perRow(siftMedian) },
      plain: { ms: plainMs, medianMs: plainMedian, nsPerRow: perRow(plainMedian) },
      floor: floors.get(key) ?? null,
      check: { ok: problems.size === 0, problems: [...problems] },
    });
    if (problems.size) log(`${job.name}: Sift differs from plain JS: ${[...problems].join('; ')}`);
  }
  return {
    rows, runs, seed,
    gen: { coldMs, ms: genMs, rowsPerSec: genMs > 0 ? (rows / genMs) * 1000 : 0 },
    plainGenMs,
    ...(floorNote ? { floorNote } : {}),
    jobs: results,
  };
}
