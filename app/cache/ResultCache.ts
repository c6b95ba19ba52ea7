// The session's view of the result cache: keys from the checked analysis,
// lookups that never fail (a broken cache is an empty one), and stores after
// a finished run. The first storage problem becomes one notice.
import type { AnalysisDoc, CheckedAnalysis, DatasetRef, DatasetSchema } from '../../workers/analysis';
import { subgraphKeys, type SubgraphKeys } from '../../workers/analysis/subgraph';
import { demoFingerprint } from '../../workers/sources/fingerprint';
import type { CutflowRow, HistogramResult, RunResult } from '../../workers/protocol';
import { entryBytes, ResultsDb, storageProblem, type CachedValue, type DatasetSummary, type ResultEntry } from './results-db';

/**
 * What a dataset's results are cached under. URLs are not cached: the bytes
 * behind an address can change without the address changing, and checking
 * would mean reading samples of the file over the network at every open.
 */
export function datasetIdentity(ref: DatasetRef): string | undefined {
  if (ref.kind === 'demo') return demoFingerprint(ref.name, ref.rows, ref.seed);
  if (ref.kind === 'file') return ref.fingerprint;
  return undefined;
}

export interface Lookup {
  keys: SubgraphKeys;
  hists: (HistogramResult | undefined)[];
  cuts: (CutflowRow | undefined)[];
}

export class ResultCache {
  private db?: Promise<ResultsDb | undefined>;
  private problem?: string;

  /** `notify` hears of the first problem: the cache is then off for this page. */
  constructor(private readonly notify: (message: string) => void) {}

  private open(): Promise<ResultsDb | undefined> {
    this.db ??= ResultsDb.open().catch((e: unknown) => { this.fail('Results are not cached', e); return undefined; });
    return this.db;
  }

  private fail(what: string, e: unknown): void {
    if (this.problem) return;
    this.problem = `${what}: ${storageProblem(e)}. Everything still runs; it is just computed each time.`;
    this.db = Promise.resolve(undefined);
    this.notify(this.problem);
  }

  /** Cached results of a checked analysis over the dataset `identity`; misses where the cache can't say. */
  async lookup(a: CheckedAnalysis, schema: DatasetSchema, identity: string): Promise<Lookup> {
    const keys = await subgraphKeys(a, schema, identity);
    const none: Lookup = { keys, hists: keys.histograms.map(() => undefined), cuts: keys.cutflow.map(() => undefined) };
    const db = await this.open();
    if (!db) return none;
    try {
      const found = await db.getMany([...keys.histograms, ...keys.cutflow]);
      const hist = (e: ResultEntry | undefined) => (e?.kind === 'hist' ? e.value : undefined);
      const cut = (e: ResultEntry | undefined) => (e?.kind === 'cut' ? e.value : undefined);
      return { keys, hists: found.slice(0, keys.histograms.length).map(hist), cuts: found.slice(keys.histograms.length).map(cut) };
    } catch (e) {
      this.fail('The result cache could not be read', e);
      return none;
    }
  }

  /** Stores what a finished run computed (only `done` runs: partial and cancelled results are never cached). */
  async store(identity: string, label: string, doc: AnalysisDoc, lookup: Lookup, result: RunResult): Promise<void> {
    if (result.status !== 'done') return;
    const db = await this.open();
    if (!db) return;
    const entries: ResultEntry[] = [];
    const add = (key: string, v: CachedValue) => entries.push({ ...v, key, dataset: identity, label, bytes: entryBytes(v), storedAt: Date.now() } as ResultEntry);
    const byName = new Map(result.histograms.map((h) => [h.name, h]));
    doc.histograms.forEach((h, i) => {
      const r = byName.get(h.name);
      if (!lookup.hists[i] && r) add(lookup.keys.histograms[i]!, { kind: 'hist', value: r });
    });
    doc.filters.forEach((_, k) => {
      const r = result.cutflow[k];
      if (!lookup.cuts[k] && r) add(lookup.keys.cutflow[k]!, { kind: 'cut', value: r });
    });
    try {
      await db.putMany(entries);
    } catch (e) {
      this.fail('Results could not be cached', e);
    }
  }

  async summary(): Promise<DatasetSummary[]> {
    const db = await this.open();
    if (!db) return [];
    try { return await db.summary(); } catch (e) { this.fail('The result cache could not be read', e); return []; }
  }

  async clear(dataset?: string): Promise<void> {
    const db = await this.open();
    if (!db) return;
    try { await db.clear(dataset); } catch (e) { this.fail('The result cache could not be cleared', e); }
  }

  get available(): boolean { return this.problem === undefined; }
}
