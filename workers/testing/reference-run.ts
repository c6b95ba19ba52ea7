// An independent oracle for whole analyses: row at a time, plain JS, the AST
// evaluated by the reference evaluator, the bin rule written out from its
// definition. Shares nothing with the compiler, the VM or the merge.
import { parseExpr } from '../expr/parser';
import { evalExpr } from '../expr/reference';
import type { Expr } from '../expr/ast';
import type { ColumnType } from '../store';

export interface RefColumn {
  type: ColumnType;
  values: ArrayLike<number>;
  dictionary?: string[];
}

interface Axis { expr: string; bins: number; lo: number; hi: number }
export interface RefDoc {
  defines?: { name: string; expr: string }[];
  filters?: { name: string; expr: string }[];
  histograms?: { name: string; x: Axis; y?: Axis; weight?: string; after?: string }[];
}

export interface RefHist {
  name: string;
  bins: number[];
  sumw: number[];
  sumw2: number[];
  underflow: number;
  overflow: number;
  nan: number;
  entries: number;
  sumwx: number;
  sumwIn: number;
}

/** Per axis: -2 NaN, -1 underflow, n overflow, else the bin (DESIGN: one rule everywhere). */
export function refBin(x: number, lo: number, hi: number, n: number): number {
  if (Number.isNaN(x)) return -2;
  if (x >= hi) return n;
  const b = Math.floor((x - lo) * (n / (hi - lo)));
  if (b < 0) return -1;
  return Math.min(b, n - 1);
}

function parse(src: string): Expr {
  const r = parseExpr(src);
  if (!r.ast || r.diagnostics.length > 0) throw new Error(`reference: cannot parse ${src}`);
  return r.ast;
}

const truthy = (v: number | string | boolean) => (typeof v === 'boolean' ? v : v !== 0);
const num = (v: number | string | boolean) => (typeof v === 'boolean' ? (v ? 1 : 0) : (v as number));

export function referenceRun(doc: RefDoc, table: Record<string, RefColumn>, rows: number) {
  const defines = new Map((doc.defines ?? []).map((d) => [d.name, parse(d.expr)]));
  const filters = (doc.filters ?? []).map((f) => ({ name: f.name, ast: parse(f.expr) }));
  const hists = (doc.histograms ?? []).map((h) => ({
    h,
    x: parse(h.x.expr),
    y: h.y ? parse(h.y.expr) : null,
    w: h.weight ? parse(h.weight) : null,
    after: h.after ? filters.findIndex((f) => f.name === h.after) : -1,
    out: {
      name: h.name,
      bins: new Array((h.x.bins) * (h.y?.bins ?? 1)).fill(0),
      sumw: new Array((h.x.bins) * (h.y?.bins ?? 1)).fill(0),
      sumw2: new Array((h.x.bins) * (h.y?.bins ?? 1)).fill(0),
      underflow: 0, overflow: 0, nan: 0, entries: 0, sumwx: 0, sumwIn: 0,
    } as RefHist,
  }));
  const pass = filters.map(() => 0);
  for (let r = 0; r < rows; r++) {
    const memo = new Map<string, number | string | boolean>();
    const lookup = (name: string): number | string => {
      const col = table[name];
      if (col) {
        const v = col.values[r]!;
        return col.type === 'dict' ? col.dictionary![v]! : v;
      }
      if (!memo.has(name)) memo.set(name, evalExpr(defines.get(name)!, lookup));
      return num(memo.get(name)!);
    };
    const ev = (e: Expr) => num(evalExpr(e, lookup));
    const passed: boolean[] = [];
    let ok = true;
    filters.forEach((f, k) => {
      ok = ok && truthy(evalExpr(f.ast, lookup));
      passed.push(ok);
      if (ok) pass[k]!++;
    });
    for (const t of hists) {
      if (t.after >= 0 && !passed[t.after]) continue;
      const x = ev(t.x);
      const w = t.w ? ev(t.w) : 1;
      const o = t.out;
      const bx = refBin(x, t.h.x.lo, t.h.x.hi, t.h.x.bins);
      let by = 0;
      let y = 0;
      if (t.y) { y = ev(t.y); by = refBin(y, t.h.y!.lo, t.h.y!.hi, t.h.y!.bins); }
      if (bx === -2 || by === -2) { o.nan++; continue; }
      o.entries++;
      const nx = t.h.x.bins, ny = t.h.y?.bins ?? 0;
      if (bx === -1 || by === -1) { o.underflow++; continue; }
      if (bx === nx || (ny > 0 && by === ny)) { o.overflow++; continue; }
      const i = ny > 0 ? bx * ny + by : bx;
      o.bins[i]++;
      o.sumw[i] += w;
      o.sumw2[i] += w * w;
      o.sumwx += w * x;
      o.sumwIn += w;
    }
  }
  let total = rows;
  const cutflow = filters.map((f, k) => {
    const row = { name: f.name, pass: pass[k]!, total };
    total = pass[k]!;
    return row;
  });
  return { cutflow, histograms: hists.map((t) => t.out) };
}
