// Differential testing of the SQL export: the same analysis on the same rows
// through Sift's Node engine and through DuckDB running the exported SQL.
// Counts (bins, under/overflow, NaN, cut-flow) must be equal; sums of weights
// equal to 1e-9 of the sum of |w| (summation order differs), unless that sum
// overflows f64.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Engine } from '../engine/Engine';
import type { RunResult } from '../protocol';
import type { ColumnData } from '../sources/columns';
import { exportSql } from '../export/sql';
import { parseExpr } from '../expr/parser';
import { printExpr } from '../expr/print';
import type { Expr } from '../expr/ast';
import type { CaseColumn, DiffCase } from '../testing/random-analysis';

const SQL_TYPES: Record<CaseColumn['type'], string> = { f64: 'DOUBLE', f32: 'FLOAT', i32: 'INTEGER', bool: 'BOOLEAN', dict: 'VARCHAR' };

export async function runSift(engine: Engine, c: DiffCase): Promise<RunResult> {
  const columns: ColumnData[] = Object.entries(c.table).map(([name, col]) => ({
    info: { name, type: col.type, ...(col.dictionary ? { dictionary: col.dictionary } : {}) },
    values: col.type === 'f32' ? Float32Array.from(col.values) : col.values,
  }));
  await engine.openColumns('case', c.rows, columns);
  return engine.run(c.doc);
}

/** The case's rows as table `t`, value for value (NaN, ±Inf, -0 and every string kept). */
export async function loadDuck(conn: DuckDBConnection, c: DiffCase): Promise<void> {
  const names = Object.keys(c.table);
  await conn.run(`CREATE OR REPLACE TABLE t (${names.map((n) => `"${n}" ${SQL_TYPES[c.table[n]!.type]}`).join(', ')})`);
  const app = await conn.createAppender('t');
  for (let r = 0; r < c.rows; r++) {
    for (const n of names) {
      const col = c.table[n]!;
      const v = col.values[r]!;
      if (col.type === 'f64') app.appendDouble(v);
      else if (col.type === 'f32') app.appendFloat(v);
      else if (col.type === 'i32') app.appendInteger(v);
      else if (col.type === 'bool') app.appendBoolean(v !== 0);
      else app.appendVarchar(col.dictionary![v]!);
    }
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
}

export interface DuckResult {
  cutflow: { name: string; pass: number; total: number }[];
  histograms: { bins: number[]; sumw: number[]; sumw2: number[]; underflow: number; overflow: number; nan: number }[];
}

export async function runDuck(conn: DuckDBConnection, c: DiffCase): Promise<DuckResult> {
  const sql = exportSql(c.doc, { table: 't' });
  await conn.run(sql.view);
  const histograms = [];
  for (const [i, h] of sql.histograms.entries()) {
    const d = c.doc.histograms![i]!;
    const cells = d.x.bins * (d.y?.bins ?? 1);
    const out = { bins: new Array<number>(cells).fill(0), sumw: new Array<number>(cells).fill(0), sumw2: new Array<number>(cells).fill(0), underflow: 0, overflow: 0, nan: 0 };
    const rows = (await conn.runAndReadAll(h.sql)).getRows();
    for (const [bin, count, sumw, sumw2] of rows) {
      const b = Number(bin), n = Number(count);
      if (b === -1) out.underflow = n;
      else if (b === -2) out.overflow = n;
      else if (b === -3) out.nan = n;
      else if (b >= 0 && b < cells) { out.bins[b] = n; out.sumw[b] = Number(sumw); out.sumw2[b] = Number(sumw2); }
      else throw new Error(`bin ${b} out of range in histogram ${h.name}`);
    }
    histograms.push(out);
  }
  const cutflow = sql.cutflow ? (await conn.runAndReadAll(sql.cutflow)).getRows().map(([, name, pass, total]) => ({ name: String(name), pass: Number(pass), total: Number(total) })) : [];
  return { cutflow, histograms };
}

function close(a: number, b: number, scale: number): boolean {
  if (Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), scale);
}

/** The differences between Sift's result and DuckDB's, as readable lines (none: they agree). */
export function differences(s: RunResult, d: DuckResult): string[] {
  const out: string[] = [];
  if (JSON.stringify(s.cutflow.map(({ name, pass, total }) => ({ name, pass, total }))) !== JSON.stringify(d.cutflow)) {
    out.push(`cut-flow: sift ${JSON.stringify(s.cutflow.map((r) => [r.pass, r.total]))}, sql ${JSON.stringify(d.cutflow.map((r) => [r.pass, r.total]))}`);
  }
  s.histograms.forEach((h, i) => {
    const q = d.histograms[i]!;
    for (const k of ['underflow', 'overflow', 'nan'] as const) {
      if (h[k] !== q[k]) out.push(`${h.name} ${k}: sift ${h[k]}, sql ${q[k]}`);
    }
    h.bins.forEach((n, j) => {
      if (n !== q.bins[j]) out.push(`${h.name} bin ${j} count: sift ${n}, sql ${q.bins[j]}`);
      // sqrt(n * sumw2) >= the sum of |w|. When that overflows f64, where a sum
      // overflows (and so whether inf - inf makes NaN) depends on the order of the rows.
      const scale = Math.sqrt(n * h.sumw2[j]!);
      if (!Number.isFinite(scale)) return;
      if (!close(h.sumw[j]!, q.sumw[j]!, scale)) out.push(`${h.name} bin ${j} sumw: sift ${h.sumw[j]}, sql ${q.sumw[j]}`);
      if (!close(h.sumw2[j]!, q.sumw2[j]!, 0)) out.push(`${h.name} bin ${j} sumw2: sift ${h.sumw2[j]}, sql ${q.sumw2[j]}`);
    });
  });
  return out;
}

/** Runs a case both ways: the differences, or undefined when Sift refuses the analysis. An SQL error is a difference. */
export async function compareCase(engine: Engine, conn: DuckDBConnection, c: DiffCase): Promise<string[] | undefined> {
  let s: RunResult;
  try { s = await runSift(engine, c); } catch { return undefined; }
  if (s.status !== 'done') return undefined;
  try {
    await loadDuck(conn, c);
    return differences(s, await runDuck(conn, c));
  } catch (e) {
    return [`sql failed: ${(e as Error).message.split('\n')[0]}`];
  }
}

/** Smaller variants of an expression: each subtree in its place, and simple leaves. */
function simpler(src: string): string[] {
  const r = parseExpr(src);
  if (!r.ast) return [];
  const out = new Set<string>();
  const subtrees: Expr[] = [];
  const walk = (e: Expr) => {
    subtrees.push(e);
    if (e.kind === 'unary') walk(e.arg);
    else if (e.kind === 'binary') { walk(e.left); walk(e.right); }
    else if (e.kind === 'cond') { walk(e.test); walk(e.then); walk(e.else); }
    else if (e.kind === 'call') e.args.forEach(walk);
  };
  walk(r.ast);
  for (const s of subtrees.slice(1)) out.add(printExpr(s));
  for (const leaf of ['0', '1', 'x']) out.add(leaf);
  out.delete(printExpr(r.ast));
  return [...out].filter((s) => s.length < src.length || s.length <= 1);
}

/** Every expression of a document, as paths to get and set it. */
function exprSlots(doc: DiffCase['doc']): { get(): string; set(v: string): void }[] {
  const slots: { get(): string; set(v: string): void }[] = [];
  for (const d of [...(doc.defines ?? []), ...(doc.filters ?? [])]) slots.push({ get: () => d.expr, set: (v) => { d.expr = v; } });
  for (const h of doc.histograms ?? []) {
    slots.push({ get: () => h.x.expr, set: (v) => { h.x.expr = v; } });
    if (h.y) { const y = h.y; slots.push({ get: () => y.expr, set: (v) => { y.expr = v; } }); }
    if (h.weight !== undefined) slots.push({ get: () => h.weight!, set: (v) => { h.weight = v; } });
  }
  return slots;
}

const clone = (c: DiffCase): DiffCase => structuredClone(c);

function keepRows(c: DiffCase, keep: (r: number) => boolean): DiffCase {
  const idx = Array.from({ length: c.rows }, (_, r) => r).filter(keep);
  const table = Object.fromEntries(Object.entries(c.table).map(([n, col]) => [n, { ...col, values: idx.map((r) => col.values[r]!) }]));
  return { ...clone(c), rows: idx.length, table };
}

/** Greedy shrinking: fewer histograms, filters, defines, rows; simpler expressions; while `fails` holds. */
export async function shrink(c: DiffCase, fails: (c: DiffCase) => Promise<boolean>, budget = 2000): Promise<DiffCase> {
  let best = clone(c);
  let tries = 0;
  const attempt = async (cand: DiffCase): Promise<boolean> => {
    if (tries++ >= budget) return false;
    if (await fails(cand)) { best = cand; return true; }
    return false;
  };
  for (let progress = true; progress && tries < budget;) {
    progress = false;
    for (let i = (best.doc.histograms ?? []).length - 1; i >= 0 && (best.doc.histograms ?? []).length > 1; i--) {
      const cand = clone(best);
      cand.doc.histograms!.splice(i, 1);
      if (await attempt(cand)) progress = true;
    }
    for (let i = (best.doc.filters ?? []).length - 1; i >= 0; i--) {
      const cand = clone(best);
      const [gone] = cand.doc.filters!.splice(i, 1);
      const prev = cand.doc.filters![i - 1]?.name;
      for (const h of cand.doc.histograms ?? []) if (h.after === gone!.name) { if (prev) h.after = prev; else delete h.after; }
      if (await attempt(cand)) progress = true;
    }
    for (let i = (best.doc.defines ?? []).length - 1; i >= 0; i--) {
      const cand = clone(best);
      cand.doc.defines!.splice(i, 1);
      if (await attempt(cand)) progress = true;
    }
    for (const h of ['weight', 'y', 'after'] as const) {
      for (let i = 0; i < (best.doc.histograms ?? []).length; i++) {
        if (best.doc.histograms![i]![h] === undefined) continue;
        const cand = clone(best);
        delete cand.doc.histograms![i]![h];
        if (await attempt(cand)) progress = true;
      }
    }
    for (let s = 0; s < exprSlots(best.doc).length; s++) {
      for (const v of simpler(exprSlots(best.doc)[s]!.get())) {
        const cand = clone(best);
        exprSlots(cand.doc)[s]!.set(v);
        if (await attempt(cand)) { progress = true; break; }
      }
    }
    for (let size = Math.ceil(best.rows / 2); size >= 1; size = Math.floor(size / 2)) {
      for (let start = 0; start < best.rows; start += size) {
        const cand = keepRows(best, (r) => r < start || r >= start + size);
        if (await attempt(cand)) { progress = true; start -= size; }
      }
    }
  }
  return best;
}

/** A reproducer: the analysis as JSON and the rows as a JSON table (NaN, ±Infinity and -0 spelled as strings). */
export function describeCase(c: DiffCase): string {
  const value = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : Object.is(v, -0) ? '-0' : v);
  const data = Object.fromEntries(Object.entries(c.table).map(([n, col]) => [n, {
    type: col.type,
    values: col.type === 'dict' ? col.values.map((v) => col.dictionary![v]) : col.values.map(value),
  }]));
  return `analysis: ${JSON.stringify(c.doc)}\ndata (${c.rows} rows): ${JSON.stringify(data)}`;
}
