// `sift run ANALYSIS.json [--data FILE] [--workers N] [--budget SIZE] …`: runs
// an analysis with the Node engine and prints one JSON object on stdout;
// `sift export --sql|--rdf ANALYSIS.json` writes it for other engines (cli-export.ts).
// Errors go to stderr, exit 1.
import { readFileSync } from 'node:fs';
import { createNodeEngine } from './platform';
import { pathReader } from './bytes';
import { errorInfo } from '../engine/errors';
import { EXPORT_USAGE, exportMain } from './cli-export';
import type { HistogramResult, RunResult } from '../protocol';
import type { OpenOptions } from '../sources/source';

const USAGE = `usage: sift run ANALYSIS.json [options]
  --data FILE        a CSV/TSV, Parquet, Arrow IPC or ROOT file (default: the analysis's demo dataset)
  --format F         csv, tsv, parquet, arrow or root, when the file's name and first bytes don't say
  --tree NAME        the TTree to read from a ROOT file holding several
  --delimiter C      CSV field separator (default: sniffed from , tab ; |)
  --skip-bad-rows    CSV: skip malformed rows (counted) instead of failing
  --workers N        kernel workers (default: one per core)
  --budget SIZE      memory for column data, e.g. 512MB or 2GiB (default 3 GiB); larger files stream
  --stats            also print timings and memory to stderr`;

interface Args {
  analysis: string;
  data?: string;
  workers?: number;
  budget?: number;
  format?: string;
  stats: boolean;
  open: OpenOptions;
}

function parseArgs(argv: string[]): Args {
  const [cmd, ...rest] = argv;
  if (cmd !== 'run') throw new Error(`${USAGE}\n${EXPORT_USAGE}`);
  const args: Args = { analysis: '', stats: false, open: {} };
  const value = (i: number, flag: string): string => {
    const v = rest[i];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--data') args.data = value(++i, a);
    else if (a === '--format') args.format = value(++i, a);
    else if (a === '--tree') args.open.tree = value(++i, a);
    else if (a === '--delimiter') args.open.delimiter = value(++i, a).replace(/^\\t$|^tab$/, '\t');
    else if (a === '--skip-bad-rows') args.open.skipBadRows = true;
    else if (a === '--stats') args.stats = true;
    else if (a === '--workers') {
      const n = Number(value(++i, a));
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error('--workers takes a whole number from 1 to 64');
      args.workers = n;
    } else if (a === '--budget') args.budget = parseSize(value(++i, a));
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else if (!args.analysis) args.analysis = a;
    else throw new Error(`unexpected argument ${a}\n${USAGE}`);
  }
  if (!args.analysis) throw new Error(USAGE);
  return args;
}

/** "512MB", "2GiB", "1.5G", "1000000" → bytes (K/M/G/T are powers of 1024, as memory is). */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!m) throw new Error(`--budget: "${text}" is not a size; write e.g. 512MB or 2GiB`);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * scale);
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
  if (argv[0] === 'export') return exportMain(argv.slice(1));
  const args = parseArgs(argv);
  const doc = readJson(args.analysis) as { dataset?: { kind?: string; name?: string; rows?: number; seed?: number } };
  const t0 = performance.now();
  const engine = await createNodeEngine({
    ...(args.workers !== undefined ? { workers: args.workers } : {}),
    ...(args.budget !== undefined ? { budgetBytes: args.budget } : {}),
  });
  try {
    if (args.data) {
      await engine.openReader(pathReader(args.data), { ...args.open, ...(args.format ? { format: args.format } : {}) });
    } else if (doc.dataset?.kind === 'demo') {
      const { name = 'dimuon', rows = 1_000_000, seed = 1 } = doc.dataset;
      await engine.openDemo({ name, rows, seed });
    } else {
      throw new Error(`the analysis names a ${doc.dataset?.kind ?? 'missing'} dataset; pass --data FILE`);
    }
    const opened = performance.now();
    const result = await engine.run(doc);
    process.stdout.write(JSON.stringify(resultJson(result)) + '\n');
    if (args.stats) {
      const m = engine.memory();
      const mb = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB`;
      process.stderr.write(
        `sift: opened in ${(opened - t0).toFixed(0)} ms, ran in ${result.elapsedMs.toFixed(0)} ms (${result.rowsDone} rows); ` +
          `columns resident ${mb(m.columnBytes)} of ${mb(m.budgetBytes)} budget, ${m.pagesDecoded} pages decoded, ${m.pagesEvicted} evicted; ` +
          `peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}\n`,
      );
    }
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
