// Result cache keys: each histogram and each cut-flow row is keyed by the
// dataset and the canonical form of exactly the sub-graph it depends on — its
// expressions, the cuts before it, its binning and weight, and the defines
// those read, transitively — written without the names a user can change. So
// renaming a histogram or a define, or adding a cut or define it doesn't read,
// keeps the key; changing anything it reads changes it.

import { Op } from '../../kernels/opcodes';
import type { IR } from '../expr/ir';
import { printExpr } from '../expr/print';
import type { DerivedColumn } from '../expr/jagged';
import type { CheckedAnalysis, CheckedAxis, DatasetSchema } from './document';
import { stableJson } from './canonical';

/** Bumped whenever the form below or the meaning of a result changes: old entries then simply miss. */
export const KEY_VERSION = 1;

export interface SubgraphKeys {
  /** one per checked histogram, in document order */
  histograms: string[];
  /** one per filter: row k depends on filters 0..k */
  cutflow: string[];
}

/**
 * The canonical text of every result's sub-graph, for the dataset whose
 * identity (fingerprint) is `dataset`. Pure: equal inputs give equal texts.
 */
export function subgraphTexts(a: CheckedAnalysis, schema: DatasetSchema, dataset: string): SubgraphKeys {
  const defines = new Map(a.defines.map((d) => [d.name, d]));
  const derived = new Map(a.derived.map((d) => [d.name, d]));
  const dictionaries = new Map(schema.columns.map((c) => [c.name, c.dictionary]));

  /** Serialises roots that share one table of defines, each define once, referred to by position. */
  const graph = () => {
    const table: unknown[] = [];
    const at = new Map<string, number>();
    const node = (ir: IR): unknown => {
      switch (ir.t) {
        case 'const': return ['k', ir.type, numText(ir.value)];
        case 'col': {
          const d = derived.get(ir.name);
          return d ? ['d', ir.type, derivedForm(d)] : ['c', ir.type, ir.name];
        }
        // a code is an index into this dataset's dictionary: the string is what it means
        case 'code': return ['s', ir.column, dictionaries.get(ir.column)?.[ir.code] ?? ['code', ir.code]];
        case 'ref': return ['r', ir.type, define(ir.name)];
        case 'op': return ['o', Op[ir.op] ?? ir.op, ir.type, ir.args.map(node)];
      }
    };
    const define = (name: string): number => {
      const seen = at.get(name);
      if (seen !== undefined) return seen;
      const d = defines.get(name);
      // validate() only checks documents whose defines all resolve
      if (!d) throw new Error(`subgraph: unknown define '${name}'`);
      const form = node(d.ir);
      table.push(form);
      at.set(name, table.length - 1);
      return table.length - 1;
    };
    return { node, table };
  };

  const axis = (x: CheckedAxis, g: ReturnType<typeof graph>) => ({ ir: g.node(x.ir), bins: x.bins, lo: numText(x.lo), hi: numText(x.hi) });

  const histograms = a.histograms.map((h) => {
    const g = graph();
    const cuts = a.filters.slice(0, h.after + 1).map((f) => g.node(f.ir));
    const body = { cuts, x: axis(h.x, g), y: h.y ? axis(h.y, g) : null, w: h.weight ? g.node(h.weight) : null };
    return stableJson({ v: KEY_VERSION, kind: 'hist', dataset, defines: g.table, ...body });
  });

  const cutflow = a.filters.map((_, k) => {
    const g = graph();
    const cuts = a.filters.slice(0, k + 1).map((f) => g.node(f.ir));
    return stableJson({ v: KEY_VERSION, kind: 'cut', dataset, defines: g.table, cuts });
  });

  return { histograms, cutflow };
}

/** A reduction by what it computes (its element expression has defines written out), not by its name. */
function derivedForm(d: DerivedColumn): unknown {
  return { reduce: d.reduce, index: d.index ?? null, element: d.element ? printExpr(d.element) : null, jagged: d.jagged, scalars: d.scalars };
}

/** JSON has no NaN, ±Infinity or -0. */
function numText(v: number): string | number {
  return Number.isFinite(v) && !Object.is(v, -0) ? v : Object.is(v, -0) ? '-0' : String(v);
}

/** A short key for a canonical text: `sha256:<hex>`. */
export async function digestText(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Every result's cache key (see subgraphTexts). */
export async function subgraphKeys(a: CheckedAnalysis, schema: DatasetSchema, dataset: string): Promise<SubgraphKeys> {
  const t = subgraphTexts(a, schema, dataset);
  return { histograms: await Promise.all(t.histograms.map(digestText)), cutflow: await Promise.all(t.cutflow.map(digestText)) };
}
