// Structural checks of the analysis document, without the dataset: what a
// share link or the editor can check before any data is open. Expressions are
// parsed here too (syntax needs no schema); names and types wait for validate().

import type { Expr } from '../expr/ast';
import type { Diagnostic } from '../expr/diagnostic';
import { atPath } from '../expr/diagnostic';
import { isIdentifier } from '../expr/names';
import { parseExpr } from '../expr/parser';
import { suggest } from '../expr/suggest';
import { DATASET_FORMATS, LIMITS, type AnalysisDoc, type Axis, type DatasetRef, type Histogram, type NamedExpr } from './document';

export type ShapeResult = { ok: true; doc: AnalysisDoc } | { ok: false; diagnostics: Diagnostic[] };

/** What validate() builds on: the normalized document and every expression's tree, by path. */
export interface ShapeCheck {
  /** Present when the structure is sound (expressions may still have syntax errors). */
  doc?: AnalysisDoc;
  structural: Diagnostic[];
  syntax: Diagnostic[];
  /** Trees of the expressions that parsed cleanly, by path (`defines[0].expr`). */
  asts: Map<string, Expr>;
}

/** Checks a document's structure and expression syntax; no dataset needed. */
export function validateShape(input: unknown): ShapeResult {
  const s = checkShape(input);
  const diagnostics = [...s.structural, ...s.syntax];
  return s.doc && diagnostics.length === 0 ? { ok: true, doc: s.doc } : { ok: false, diagnostics };
}

/** Names that expressions could not refer to, or would read as something else. */
const RESERVED_NAMES = new Set(['true', 'false', 'and', 'or', 'not', 'M_PI']);

type Json = Record<string, unknown>;

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'string' ? `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`
  : typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v === 'object' ? 'an object' : typeof v;

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

export function checkShape(input: unknown): ShapeCheck {
  const c = new ShapeChecker();
  const doc = c.document(input);
  return { doc: c.structural.length === 0 ? doc : undefined, structural: c.structural, syntax: c.syntax, asts: c.asts };
}

class ShapeChecker {
  readonly structural: Diagnostic[] = [];
  readonly syntax: Diagnostic[] = [];
  readonly asts = new Map<string, Expr>();

  private err(path: string | undefined, message: string, extra: Partial<Diagnostic> = {}): undefined {
    this.structural.push({ ...(path ? { path } : {}), message, ...extra });
    return undefined;
  }

  /** An object with exactly these fields (optional ones marked `?`); reports unknown and missing ones. */
  private object(v: unknown, path: string, what: string, fields: string[]): Json | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.err(path || undefined, `${what} must be an object, got ${describe(v)}`);
    const o = v as Json;
    const known = fields.map((f) => f.replace('?', ''));
    let ok = true;
    for (const k of Object.keys(o)) {
      if (known.includes(k)) continue;
      const s = suggest(k, known);
      this.err(join(path, k), `unknown field '${k}' in ${what}${s ? `; did you mean '${s}'?` : `; the fields are ${known.join(', ')}`}`, { name: k, ...(s ? { suggestion: s } : {}) });
      ok = false;
    }
    for (const f of fields) {
      if (!f.endsWith('?') && o[f] === undefined) { this.err(join(path, f), `${what} is missing the field '${f}'`); ok = false; }
    }
    return ok ? o : undefined;
  }

  private string(v: unknown, path: string, what: string): string | undefined {
    if (typeof v !== 'string') return this.err(path, `${what} must be a string, got ${describe(v)}`);
    if (v.trim() === '') return this.err(path, `${what} must not be empty`);
    return v;
  }

  private integer(v: unknown, path: string, what: string, lo: number, hi: number): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      return this.err(path, `${what} must be a whole number from ${lo} to ${hi}, got ${describe(v)}`);
    }
    return v;
  }

  private finite(v: unknown, path: string, what: string): number | undefined {
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.err(path, `${what} must be a finite number, got ${describe(v)}`);
    return v;
  }

  private list(v: unknown, path: string): unknown[] | undefined {
    if (v === undefined) return [];
    if (!Array.isArray(v)) return this.err(path, `${path} must be a list, got ${describe(v)}`);
    return v;
  }

  private expr(v: unknown, path: string, what: string): string | undefined {
    if (typeof v !== 'string') return this.err(path, `${what} must be a string, got ${describe(v)}`);
    const r = parseExpr(v);
    if (r.diagnostics.length > 0) this.syntax.push(...atPath(r.diagnostics, path));
    else if (r.ast) this.asts.set(path, r.ast);
    return v;
  }

  private name(v: unknown, path: string, what: string): string | undefined {
    const s = this.string(v, path, `a ${what} name`);
    if (s === undefined) return undefined;
    if (s.length > LIMITS.maxNameLength) return this.err(path, `a ${what} name must be at most ${LIMITS.maxNameLength} characters long`);
    if (!isIdentifier(s)) {
      return this.err(path, `a ${what} name must be letters, digits and _, not starting with a digit, like pt_lead; got ${describe(s)}`, { name: s });
    }
    if (RESERVED_NAMES.has(s)) return this.err(path, `'${s}' is reserved in expressions; choose another ${what} name`, { name: s });
    return s;
  }

  /** Reports repeated names at the later occurrence. */
  private unique(items: readonly { name: string }[], list: string, what: string): void {
    const first = new Map<string, number>();
    items.forEach((it, i) => {
      const j = first.get(it.name);
      if (j === undefined) first.set(it.name, i);
      else this.err(`${list}[${i}].name`, `the ${what} name '${it.name}' is already used by ${list}[${j}]`, { name: it.name });
    });
  }

  document(input: unknown): AnalysisDoc | undefined {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return this.err(undefined, `an analysis must be a JSON object, got ${describe(input)}`);
    }
    const raw = input as Json;
    // A different version may have different fields: say only that.
    if (raw.version !== 1) {
      return this.err('version', raw.version === undefined ? "the analysis is missing 'version' (this Sift reads version 1)"
        : `unsupported version ${describe(raw.version)}; this Sift reads version 1`);
    }
    const o = this.object(input, '', 'the analysis', ['version', 'dataset', 'defines?', 'filters?', 'histograms?']);
    if (!o) return undefined;
    const dataset = this.dataset(o.dataset);
    const defines = this.namedExprs(o.defines, 'defines', 'define');
    const filters = this.namedExprs(o.filters, 'filters', 'filter');
    const histograms = this.list(o.histograms, 'histograms')?.map((h, i) => this.histogram(h, `histograms[${i}]`));
    if (!dataset || !defines || !filters || !histograms || histograms.some((h) => !h)) return undefined;
    const hs = histograms as Histogram[];
    this.unique(hs, 'histograms', 'histogram');
    const filterNames = filters.map((f) => f.name);
    hs.forEach((h, i) => {
      if (h.after === undefined || filterNames.includes(h.after)) return;
      const s = suggest(h.after, filterNames);
      const tail = s ? `; did you mean '${s}'?` : filterNames.length > 0 ? `; the filters are ${filterNames.map((n) => `'${n}'`).join(', ')}` : '; there are no filters';
      this.err(`histograms[${i}].after`, `no filter named '${h.after}'${tail}`, { name: h.after, ...(s ? { suggestion: s } : {}) });
    });
    return { version: 1, dataset, defines, filters, histograms: hs };
  }

  private dataset(v: unknown): DatasetRef | undefined {
    const path = 'dataset';
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.err(path, `the dataset must be an object, got ${describe(v)}`);
    const kind = (v as Json).kind;
    if (kind === 'demo') {
      const o = this.object(v, path, 'a demo dataset', ['kind', 'name', 'rows', 'seed']);
      if (!o) return undefined;
      const name = this.string(o.name, 'dataset.name', 'the demo name');
      const rows = this.integer(o.rows, 'dataset.rows', 'rows', 0, Number.MAX_SAFE_INTEGER);
      const seed = this.integer(o.seed, 'dataset.seed', 'the seed', 0, 0xffffffff);
      return name !== undefined && rows !== undefined && seed !== undefined ? { kind, name, rows, seed } : undefined;
    }
    if (kind === 'url') {
      const o = this.object(v, path, 'a url dataset', ['kind', 'url', 'format?', 'tree?']);
      if (!o) return undefined;
      const url = this.string(o.url, 'dataset.url', 'the url');
      // A link is data from someone else: only fetchable web addresses (or paths on this site).
      const scheme = url !== undefined ? /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase() : undefined;
      if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
        return this.err('dataset.url', `only http and https addresses can be opened, got a ${scheme}: address`);
      }
      const out = this.optionals(o, { kind, url: url! });
      return url !== undefined && out ? out : undefined;
    }
    if (kind === 'file') {
      const o = this.object(v, path, 'a file dataset', ['kind', 'name', 'size', 'fingerprint?', 'format?', 'tree?']);
      if (!o) return undefined;
      const name = this.string(o.name, 'dataset.name', 'the file name');
      const size = this.integer(o.size, 'dataset.size', 'the file size', 0, Number.MAX_SAFE_INTEGER);
      const fingerprint = o.fingerprint === undefined ? undefined : this.string(o.fingerprint, 'dataset.fingerprint', 'the fingerprint');
      if (o.fingerprint !== undefined && fingerprint === undefined) return undefined;
      const out = this.optionals(o, { kind, name: name!, size: size!, ...(fingerprint !== undefined ? { fingerprint } : {}) });
      return name !== undefined && size !== undefined && out ? out : undefined;
    }
    const s = typeof kind === 'string' ? suggest(kind, ['demo', 'url', 'file']) : undefined;
    return this.err('dataset.kind', `the dataset kind must be 'demo', 'url' or 'file', got ${describe(kind)}${s ? `; did you mean '${s}'?` : ''}`);
  }

  /** `format` and `tree`, shared by url and file datasets. */
  private optionals<T extends DatasetRef>(o: Json, base: T): T | undefined {
    let ok = true;
    const out: Json = { ...base };
    if (o.format !== undefined) {
      if (typeof o.format === 'string' && (DATASET_FORMATS as readonly string[]).includes(o.format)) out.format = o.format;
      else { this.err('dataset.format', `unknown format ${describe(o.format)}; expected one of ${DATASET_FORMATS.join(', ')}`); ok = false; }
    }
    if (o.tree !== undefined) {
      const tree = this.string(o.tree, 'dataset.tree', 'the tree name');
      if (tree === undefined) ok = false;
      else out.tree = tree;
    }
    return ok ? (out as T) : undefined;
  }

  private namedExprs(v: unknown, list: 'defines' | 'filters', what: string): NamedExpr[] | undefined {
    const items = this.list(v, list);
    if (!items) return undefined;
    const out = items.map((it, i) => {
      const path = `${list}[${i}]`;
      const o = this.object(it, path, `a ${what}`, ['name', 'expr']);
      if (!o) return undefined;
      const name = this.name(o.name, `${path}.name`, what);
      const expr = this.expr(o.expr, `${path}.expr`, `the expression of a ${what}`);
      return name !== undefined && expr !== undefined ? { name, expr } : undefined;
    });
    if (out.some((x) => !x)) return undefined;
    this.unique(out as NamedExpr[], list, what);
    return out as NamedExpr[];
  }

  private axis(v: unknown, path: string, what: string): Axis | undefined {
    const o = this.object(v, path, what, ['expr', 'bins', 'lo', 'hi']);
    if (!o) return undefined;
    const expr = this.expr(o.expr, `${path}.expr`, `the expression of ${what}`);
    const bins = this.integer(o.bins, `${path}.bins`, 'bins', 1, LIMITS.maxBins);
    const lo = this.finite(o.lo, `${path}.lo`, 'lo');
    const hi = this.finite(o.hi, `${path}.hi`, 'hi');
    if (expr === undefined || bins === undefined || lo === undefined || hi === undefined) return undefined;
    if (!(lo < hi)) return this.err(`${path}.hi`, `hi (${hi}) must be greater than lo (${lo})`);
    if (!Number.isFinite(hi - lo)) return this.err(`${path}.hi`, `the range hi − lo overflows to infinity; narrow it`);
    return { expr, bins, lo, hi };
  }

  private histogram(v: unknown, path: string): Histogram | undefined {
    const o = this.object(v, path, 'a histogram', ['name', 'x', 'y?', 'weight?', 'after?']);
    if (!o) return undefined;
    const name = this.name(o.name, `${path}.name`, 'histogram');
    const x = this.axis(o.x, `${path}.x`, 'the x axis');
    const y = o.y === undefined ? undefined : this.axis(o.y, `${path}.y`, 'the y axis');
    const weight = o.weight === undefined ? undefined : this.expr(o.weight, `${path}.weight`, 'the weight');
    const after = o.after === undefined ? undefined : this.string(o.after, `${path}.after`, "'after'");
    if (name === undefined || x === undefined || (o.y !== undefined && y === undefined)
      || (o.weight !== undefined && weight === undefined) || (o.after !== undefined && after === undefined)) return undefined;
    if (y && x.bins * y.bins > LIMITS.maxCells2D) {
      return this.err(`${path}.y.bins`, `${x.bins} × ${y.bins} = ${x.bins * y.bins} cells is more than the ${LIMITS.maxCells2D} a 2D histogram may have; use fewer bins`);
    }
    return { name, x, ...(y ? { y } : {}), ...(weight !== undefined ? { weight } : {}), ...(after !== undefined ? { after } : {}) };
  }
}
