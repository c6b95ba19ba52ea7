// The analysis document: the versioned JSON a user edits, validates, caches
// and shares. Share links carry it, so everything here is data, never code.

import type { IR } from '../expr/ir';
import type { DerivedColumn } from '../expr/jagged';

export type DatasetFormat = 'csv' | 'tsv' | 'parquet' | 'arrow' | 'root';
export const DATASET_FORMATS: readonly DatasetFormat[] = ['csv', 'tsv', 'parquet', 'arrow', 'root'];

export type DatasetRef =
  /** Regenerated deterministically from (name, rows, seed). */
  | { kind: 'demo'; name: string; rows: number; seed: number }
  /** Fetched; `tree` names the TTree in a ROOT file with several. */
  | { kind: 'url'; url: string; format?: DatasetFormat; tree?: string }
  /** A local file the recipient must open; size and fingerprint are checked. */
  | { kind: 'file'; name: string; size: number; fingerprint?: string; format?: DatasetFormat; tree?: string };

export interface Axis {
  expr: string;
  bins: number;
  lo: number;
  hi: number;
}

export interface NamedExpr {
  name: string;
  expr: string;
}

export interface Histogram {
  name: string;
  x: Axis;
  /** Present for a 2D histogram. */
  y?: Axis;
  /** An expression; each row counts with this weight. */
  weight?: string;
  /** The filter after which it fills; absent: all rows, before any filter. */
  after?: string;
}

/** A document as written: the lists may be left out. */
export interface AnalysisInput {
  version: 1;
  dataset: DatasetRef;
  defines?: NamedExpr[];
  filters?: NamedExpr[];
  histograms?: Histogram[];
}

/** A document with its defaults filled in. */
export interface AnalysisDoc {
  version: 1;
  dataset: DatasetRef;
  defines: NamedExpr[];
  /** An ordered cut-flow: filter k applies to the rows that passed filters 0..k-1. */
  filters: NamedExpr[];
  histograms: Histogram[];
}

export type ColumnType = 'f64' | 'f32' | 'i32' | 'u32' | 'i64' | 'u64' | 'bool' | 'dict' | 'u8' | 'u16';

/** The columns of the open dataset. */
export interface DatasetSchema {
  columns: readonly { name: string; type: ColumnType; dictionary?: readonly string[] }[];
  /** Columns that hold a list per row (ROOT's `Jet_pt[nJet]`); expressions read them only through reductions. */
  jagged?: readonly { name: string; elementType: ColumnType; dictionary?: readonly string[] }[];
}

export interface CheckedAxis {
  ir: IR;
  bins: number;
  lo: number;
  hi: number;
}

export interface CheckedAnalysis {
  doc: AnalysisDoc;
  /** Topologically sorted: every define comes after the defines it uses (`deps`, read from the folded IR). */
  defines: { name: string; ir: IR; deps: string[] }[];
  /** Each IR is boolean: a numeric filter is wrapped in TRUTH (non-zero passes). */
  filters: { name: string; ir: IR }[];
  histograms: {
    name: string;
    x: CheckedAxis;
    y?: CheckedAxis;
    weight?: IR;
    /** Index of the last filter applied; -1: all rows. */
    after: number;
  }[];
  /**
   * The reductions of list columns that the IR above reads as columns
   * (`{ t: 'col', name: 'sum(Jet_pt)' }`), each once: the engine computes them
   * (evalDerived) and registers them in the dataset before compiling.
   */
  derived: DerivedColumn[];
}

export const LIMITS = {
  /** Per axis. */
  maxBins: 1_000_000,
  /** x bins × y bins of a 2D histogram. */
  maxCells2D: 10_000_000,
  maxNameLength: 100,
} as const;
