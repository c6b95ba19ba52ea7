// `sift export --sql|--rdf ANALYSIS.json [--table NAME] [--dask] [--out FILE]`:
// the analysis as SQL or as an RDataFrame Python script, on stdout or to a file.
import { readFileSync, writeFileSync } from 'node:fs';
import { exportSql } from '../export/sql';
import { exportRdf } from '../export/rdf';

export const EXPORT_USAGE = `usage: sift export (--sql | --rdf) ANALYSIS.json [options]
  --sql          SQL (DuckDB dialect): one view, one query per histogram, one cut-flow query
  --rdf          a Python script for ROOT's RDataFrame
  --table NAME   SQL: read this existing table instead of the dataset's file or URL
  --dask         RDataFrame: run distributed on a Dask cluster
  --out FILE     write to FILE instead of stdout`;

export function exportMain(argv: string[]): number {
  let kind: 'sql' | 'rdf' | undefined;
  let analysis: string | undefined, table: string | undefined, out: string | undefined;
  let dask = false;
  const value = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${EXPORT_USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--sql' || a === '--rdf') {
      if (kind && kind !== a.slice(2)) throw new Error(`choose one of --sql and --rdf\n${EXPORT_USAGE}`);
      kind = a.slice(2) as 'sql' | 'rdf';
    } else if (a === '--table') table = value(++i, a);
    else if (a === '--out') out = value(++i, a);
    else if (a === '--dask') dask = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${EXPORT_USAGE}`);
    else if (!analysis) analysis = a;
    else throw new Error(`unexpected argument ${a}\n${EXPORT_USAGE}`);
  }
  if (!kind || !analysis) throw new Error(EXPORT_USAGE);
  if (table !== undefined && kind !== 'sql') throw new Error('--table applies to --sql only');
  if (dask && kind !== 'rdf') throw new Error('--dask applies to --rdf only');
  let text: string;
  try { text = readFileSync(analysis, 'utf8'); } catch (e) { throw new Error(`cannot read ${analysis}: ${(e as Error).message}`); }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) { throw new Error(`${analysis} is not valid JSON: ${(e as Error).message}`); }
  const result = kind === 'sql' ? exportSql(doc, table !== undefined ? { table } : {}).text : exportRdf(doc, { dask });
  if (out) writeFileSync(out, result);
  else process.stdout.write(result);
  return 0;
}
