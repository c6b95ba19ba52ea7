// What the page shows, as the session's store holds it: the types the
// components read, apart from the session that writes them.
import type { EngineClient } from '../../workers/browser/client';
import type { BrowserEngineInfo } from '../../workers/browser/api';
import type { AnalysisDoc, DatasetRef } from '../../workers/analysis';
import type { ColumnStats, DatasetInfo, MemoryStats, RunProgress, RunResult } from '../../workers/protocol';
import type { FieldDiagnostics, Model } from './model';
import type { Session } from './session';

export type RunPhase = 'starting' | 'idle' | 'waiting' | 'running' | 'ranging' | 'done' | 'cancelled' | 'error' | 'invalid';

export interface RunInfo {
  phase: RunPhase;
  message?: string;
  progress?: RunProgress;
  /** of the last finished, cancelled or running run */
  rowsDone: number;
  rows: number;
  elapsedMs: number;
  gen: number;
  /** histograms of the last run taken from the result cache */
  cached: number;
}

export interface IngestProgress {
  unit: 'B' | 'rows';
  done: number;
  total: number;
  perSec: number;
  etaMs: number;
  elapsedMs: number;
}

export interface OpenState {
  busy: boolean;
  label?: string;
  progress?: IngestProgress;
  error?: string;
}

export interface AppState {
  engine?: BrowserEngineInfo;
  engineError?: string;
  dataset?: DatasetInfo;
  datasetRef?: DatasetRef;
  /** what to call it: the file's name or the URL's last segment (the engine names file datasets by format) */
  datasetLabel?: string;
  open: OpenState;
  stats: Readonly<Record<string, ColumnStats>>;
  statsBusy: boolean;
  statsError?: string;
  model: Model;
  /** every item checked, placed at its field */
  diagnostics: FieldDiagnostics;
  run: RunInfo;
  /** what the plots and the cut-flow show: the newest partial or final result */
  result?: RunResult;
  memory?: MemoryStats;
  notice?: string;
  /** which shown results came from the result cache (by name) */
  cachedResults?: { histograms: readonly string[]; cuts: readonly string[] };
  /** why the caches are off, when they are */
  cacheNotice?: string;
  share?: ShareState;
}

/** A share link that could not be opened, the local file an opened one waits for, or the other site it would read. */
export interface ShareState {
  error?: string;
  file?: { name: string; size: number; fingerprint?: string; mismatch?: string };
  /** a URL dataset on another origin: fetched only when the reader says so (a link must not make the page call a third party) */
  remote?: { url: string; host: string };
}

/** Test and console hook (see e2e/README.md). */
declare global {
  interface Window {
    sift?: { client: EngineClient; result?: RunResult; partials: number; doc?: AnalysisDoc; session: Session };
  }
}

/** The cache panel's rows: per dataset identity, results and parsed columns. */
export interface CacheSummary {
  datasets: { dataset: string; label: string; results: number; resultBytes: number; columnBytes: number }[];
}

export interface StartParams {
  rows?: number;
  workers?: number;
  demo?: string;
  seed?: number;
}
