// An analysis as SQL (DuckDB's dialect; standard SQL where it costs nothing:
// CTEs, CASE, CAST, UNION ALL). The script holds one view and one query per result:
//
//   CREATE OR REPLACE TEMPORARY VIEW sift_rows AS …  -- every row: columns, defines, cuts, bin numbers
//   SELECT bin, count, sumw, sumw2 …                 -- one per histogram, in document order
//   SELECT cut, pass, total …                        -- the cut-flow, when there are filters
//
// A histogram query returns one row per non-empty bin: `bin` 0..n-1 (2D:
// ix * ny + iy), or -1 underflow, -2 overflow, -3 NaN; `count` the rows,
// `sumw` and `sumw2` the sums of the weight and its square (1 unweighted).
// Bin numbers follow Sift's one bin rule, computed in the same f64 operations:
// t = (x - lo) * (n / (hi - lo)); NaN → -3; x >= hi → -2; floor(t) < 0 → -1;
// else min(floor(t), n - 1). The view is built in layers (CTEs): a layer adds
// the columns whose inputs the layers before it computed.

import type { DatasetRef } from '../analysis/document';
import { ExportError, prepare, type Prepared, type PreparedAxis } from './prepare';
import { SqlExpr, sqlIdent, sqlNumber, sqlString, type Frag } from './sql-expr';

export interface SqlExportOptions {
  /** Read this existing table (or view) instead of the dataset's file or URL. */
  table?: string;
  /** The view's name (default sift_rows). */
  view?: string;
}

export interface SqlExport {
  /** The whole script, statements separated by `;` and a blank line. */
  text: string;
  /** The CREATE VIEW statement, without its `;`. */
  view: string;
  /** One query per histogram, in document order. */
  histograms: { name: string; sql: string }[];
  /** The cut-flow query: rows (cut, pass, total) in filter order; absent without filters. */
  cutflow?: string;
}

interface Step { name: string; sql: string; level: number }

/** The FROM clause for a dataset, and notes for the header. */
export function sqlSource(ds: DatasetRef, table?: string): { from: string; notes: string[] } {
  if (table !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(table) && !/^"/.test(table)) return { from: sqlIdent(table), notes: [] };
    return { from: table, notes: [] };
  }
  if (ds.kind === 'demo') {
    return { from: sqlIdent(ds.name), notes: [`the dataset is Sift's generated demo '${ds.name}': load it into a table named ${ds.name}, or export with --table NAME`] };
  }
  const path = ds.kind === 'url' ? ds.url : ds.name;
  const ext = /\.([A-Za-z0-9]+)$/.exec(path.split(/[?#]/)[0]!)?.[1]?.toLowerCase();
  const format = ds.format ?? ({ csv: 'csv', tsv: 'tsv', tab: 'tsv', parquet: 'parquet', pq: 'parquet', arrow: 'arrow', feather: 'arrow', ipc: 'arrow', root: 'root' } as const)[ext ?? ''] ?? 'csv';
  const p = sqlString(path);
  const local = ds.kind === 'file' ? [`${path} is the local file the analysis was made on: run from its folder, or edit the path`] : [];
  switch (format) {
    case 'csv': return { from: `read_csv(${p}, header = true)`, notes: [...local, 'CSV: empty text fields read as NULL here, which this script reads as "∅" (Sift keeps them empty)'] };
    case 'tsv': return { from: `read_csv(${p}, delim = '\t', header = true)`, notes: local };
    case 'parquet': return { from: `read_parquet(${p})`, notes: local };
    case 'arrow': return { from: `read_arrow(${p})`, notes: [...local, "Arrow IPC needs DuckDB's community extension: INSTALL arrow FROM community; LOAD arrow;"] };
    case 'root': {
      const name = (ds.tree ?? path.replace(/^.*\//, '').replace(/\.root$/i, '')).replace(/\W/g, '_');
      return { from: sqlIdent(name), notes: [`SQL engines read no ROOT files: load the tree into a table named ${name}, or export with --table NAME`] };
    }
  }
}

/** A name for a generated column that no column or define of the analysis has. */
function namer(taken: Set<string>): (base: string) => string {
  return (base) => {
    let name = `sift_${base}`;
    while (taken.has(name)) name = `_${name}`;
    taken.add(name);
    return name;
  };
}

/** The analysis document (validated as data, no dataset needed) as SQL. */
export function exportSql(input: unknown, opts: SqlExportOptions = {}): SqlExport {
  return sqlOf(prepare(input), opts);
}

export function sqlOf(p: Prepared, opts: SqlExportOptions = {}): SqlExport {
  const view = opts.view ?? 'sift_rows';
  const fresh = namer(new Set([...p.columns, ...p.defines.map((d) => d.name)]));
  const steps: Step[] = [];
  const defineLevel = new Map<string, number>();
  const add = (name: string, f: Frag): Frag => {
    const level = f.level + 1;
    steps.push({ name, sql: f.sql, level });
    return { sql: sqlIdent(name), level };
  };
  let hoisted = 0;
  const tr = new SqlExpr({
    ref: (name) => ({ sql: sqlIdent(name), level: defineLevel.get(name) ?? 0 }),
    typeOf: p.typeOf,
    hoist: (f) => add(fresh(`e${++hoisted}`), f),
  });

  for (const d of p.defines) {
    const f = d.type === 'bool' ? tr.bool(d.ast) : tr.num(d.ast);
    defineLevel.set(d.name, add(d.name, f).level);
  }
  const passes: Frag[] = [];
  p.filters.forEach((f, k) => {
    const cut = tr.bool(f.ast);
    const prev = passes[k - 1];
    passes.push(add(fresh(`pass${k}`), prev ? { sql: `(${prev.sql} AND ${cut.sql})`, level: Math.max(prev.level, cut.level) } : cut));
  });

  const binOf = (x: Frag, a: PreparedAxis, tag: string): Frag => {
    const [lo, hi, n] = [sqlNumber(a.lo), sqlNumber(a.hi), sqlNumber(a.bins)];
    const t = `floor((${x.sql} - ${lo}) * (${n} / (${hi} - ${lo})))`;
    return add(fresh(tag), {
      sql: `CASE WHEN isnan(${x.sql}) THEN -3 WHEN ${x.sql} >= ${hi} THEN -2 WHEN ${t} < 0e0 THEN -1 ELSE CAST(least(${t}, ${sqlNumber(a.bins - 1)}) AS BIGINT) END`,
      level: x.level,
    });
  };
  const histograms = p.histograms.map((h, i) => {
    const x = add(fresh(`h${i}_x`), tr.num(h.x.ast));
    let bin = binOf(x, h.x, `h${i}_binx`);
    if (h.y) {
      const y = add(fresh(`h${i}_y`), tr.num(h.y.ast));
      const bx = bin;
      const by = binOf(y, h.y, `h${i}_biny`);
      bin = add(fresh(`h${i}_bin`), {
        sql: `CASE WHEN ${bx.sql} = -3 OR ${by.sql} = -3 THEN -3 WHEN ${bx.sql} = -1 OR ${by.sql} = -1 THEN -1 ` +
          `WHEN ${bx.sql} = -2 OR ${by.sql} = -2 THEN -2 ELSE ${bx.sql} * ${h.y.bins} + ${by.sql} END`,
        level: Math.max(bx.level, by.level),
      });
    }
    const w = h.weight ? add(fresh(`h${i}_w`), tr.num(h.weight)) : undefined;
    const sums = w ? `sum(${w.sql}) AS sumw, sum(${w.sql} * ${w.sql}) AS sumw2` : 'CAST(count(*) AS DOUBLE) AS sumw, CAST(count(*) AS DOUBLE) AS sumw2';
    const where = h.after >= 0 ? `\nWHERE ${passes[h.after]!.sql}` : '';
    return { name: h.name, sql: `SELECT ${bin.sql} AS bin, count(*) AS count, ${sums}\nFROM ${view}${where}\nGROUP BY ${bin.sql}\nORDER BY bin` };
  });

  const src = sqlSource(p.dataset, opts.table);
  const viewSql = `CREATE OR REPLACE TEMPORARY VIEW ${view} AS\nWITH ${layers(p, steps, src.from, fresh)}`;
  const cutflow = passes.length === 0 ? undefined
    : `WITH c AS (\n  SELECT count(*) AS n0,\n${passes.map((f, k) => `    coalesce(sum(CASE WHEN ${f.sql} THEN 1 ELSE 0 END), 0) AS n${k + 1}`).join(',\n')}\n  FROM ${view}\n)\n` +
      p.filters.map((f, k) => k === 0 ? `SELECT 0 AS k, ${sqlString(f.name)} AS cut, n1 AS pass, n0 AS total FROM c` : `UNION ALL SELECT ${k}, ${sqlString(f.name)}, n${k + 1}, n${k} FROM c`).join('\n') +
      '\nORDER BY k';

  const header = [
    `-- Sift analysis as SQL (DuckDB dialect). Each histogram's query returns one row per non-empty bin:`,
    `--   bin: 0..n-1 (2D: ix * ny + iy), -1 underflow, -2 overflow, -3 NaN; count; sumw; sumw2.`,
    `-- Comparisons are written so that NaN compares false (SQL engines order NaN above every number).`,
    ...src.notes.map((n) => `-- Note: ${n}.`),
  ].join('\n');
  const text = [header + '\n' + viewSql,
    ...histograms.map((h) => `-- histogram ${h.name}\n${h.sql}`),
    ...(cutflow ? [`-- cut-flow\n${cutflow}`] : [])].join(';\n\n') + ';\n';
  return { text, view: viewSql, histograms, ...(cutflow ? { cutflow } : {}) };
}

/** The CTE chain: the source's columns as DOUBLE (NULL → NaN) or text (NULL → ∅), then one layer per step level. */
function layers(p: Prepared, steps: Step[], from: string, fresh: (b: string) => string): string {
  const cols = p.columns.map((c) => p.stringColumns.has(c)
    ? `coalesce(CAST(${sqlIdent(c)} AS VARCHAR), '∅') AS ${sqlIdent(c)}`
    : `coalesce(CAST(${sqlIdent(c)} AS DOUBLE), CAST('NaN' AS DOUBLE)) AS ${sqlIdent(c)}`);
  if (cols.length === 0) cols.push(`TRUE AS ${sqlIdent(fresh('row'))}`);
  const ctes = [`sift_src AS (\n  SELECT ${cols.join(',\n    ')}\n  FROM ${from}\n)`];
  const top = Math.max(0, ...steps.map((s) => s.level));
  let prev = 'sift_src';
  for (let level = 1; level <= top; level++) {
    const here = steps.filter((s) => s.level === level);
    if (here.length === 0) continue;
    const name = `sift_l${level}`;
    ctes.push(`${name} AS (\n  SELECT *,\n    ${here.map((s) => `${s.sql} AS ${sqlIdent(s.name)}`).join(',\n    ')}\n  FROM ${prev}\n)`);
    prev = name;
  }
  return `${ctes.join(',\n')}\nSELECT * FROM ${prev}`;
}

export { ExportError };
