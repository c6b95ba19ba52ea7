// `sift run ANALYSIS.json [--data FILE] [--workers N]`: runs an analysis with the
// Node engine and prints one JSON object on stdout; errors go to stderr, exit 1.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createNodeEngine } from './platform';
import { parseCsv } from '../sources/csv-simple';
import { errorInfo } from '../engine/errors';
import type { HistogramResult, RunResult } from '../protocol';

const USAGE = 'usage: sift run ANALYSIS.json [--data FILE.csv] [--workers N]';

interface Args { analysis: string; data?: string; workers?: number }

function parseArgs(argv: string[]): Args {
  const [cmd, ...rest] = argv;
  if (cmd !== 'run') throw new Error(USAGE);
  let analysis: string | undefined;
  let data: string | undefined;
  let workers: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--data') data = rest[++i];
    else if (a === '--workers') {
      workers = Number(rest[++i]);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error('--workers takes a whole number from 1 to 64');
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else if (!analysis) analysis = a;
    else throw new Error(`unexpected argument ${a}\n${USAGE}`);
  }
  if (!analysis) throw new Error(USAGE);
  return { analysis, ...(data !== undefined ? { data } : {}), ...(workers !== undefined ? { workers } : {}) };
}

function readJson(path: string): unknown {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new Error(`cannot read ${path}: ${(e as Error).message}`); }
  try { return JSON.parse(text); } catch (e) { throw new Error(`${path} is not valid JSON: ${(e as Error).message}`); }
}

function histogramJson(h: HistogramResult) {
  return {
    name: h.name,
    ...(h.y ? { nx: h.x.bins, ny: h.y.bins } : {}),
    bins: h.bins, sumw: h.sumw, sumw2: h.sumw2,
    underflow: h.underflow, overflow: h.overflow, nan: h.nan, entries: h.entries,
    mean: h.mean, std: h.std,
    ...(h.y ? { meanY: h.meanY, stdY: h.stdY } : {}),
  };
}

export function resultJson(r: RunResult) {
  return {
    rows: r.rows,
    cutflow: r.cutflow.map(({ name, pass, total }) => ({ name, pass, total })),
    histograms: r.histograms.map(histogramJson),
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const doc = readJson(args.analysis) as { dataset?: { kind?: string; name?: string; rows?: number; seed?: number } };
  const engine = await createNodeEngine(args.workers !== undefined ? { workers: args.workers } : {});
  try {
    if (args.data) {
      const { rows, columns } = parseCsv(readFileSync(args.data, 'utf8'), basename(args.data));
      await engine.openColumns(basename(args.data), rows, columns);
    } else if (doc.dataset?.kind === 'demo') {
      const { name = 'dimuon', rows = 1_000_000, seed = 1 } = doc.dataset;
      await engine.openDemo({ name, rows, seed });
    } else {
      throw new Error(`the analysis names a ${doc.dataset?.kind ?? 'missing'} dataset; pass --data FILE`);
    }
    const result = await engine.run(doc);
    process.stdout.write(JSON.stringify(resultJson(result)) + '\n');
    return 0;
  } finally {
    await engine.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    const info = errorInfo(e);
    process.stderr.write(`sift: ${info.message}\n`);
    for (const d of info.diagnostics ?? []) {
      if (d.path) process.stderr.write(`  at ${d.path}${d.start !== undefined ? `:${d.start}` : ''}\n`);
    }
    process.exitCode = 1;
  },
);
