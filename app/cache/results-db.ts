// The result cache in IndexedDB: finished histograms and cut-flow rows under
// the key of the sub-graph they depend on (workers/analysis/subgraph.ts).
// Every failure is a value the session turns into a notice: a browser without
// IndexedDB, or one out of quota, runs everything as if nothing were cached.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CutflowRow, HistogramResult } from '../../workers/protocol';

export type CachedValue = { kind: 'hist'; value: HistogramResult } | { kind: 'cut'; value: CutflowRow };

export type ResultEntry = CachedValue & {
  key: string;
  /** the dataset's identity (fingerprint), to clear one dataset's entries */
  dataset: string;
  /** what the user called the dataset when it was stored */
  label: string;
  bytes: number;
  storedAt: number;
};

export interface DatasetSummary {
  dataset: string;
  label: string;
  entries: number;
  bytes: number;
}

interface Schema extends DBSchema {
  results: { key: string; value: ResultEntry; indexes: { dataset: string } };
}

const DB_NAME = 'sift-results';

/** Roughly what an entry takes: its numbers at 8 bytes, plus its strings. */
export function entryBytes(v: CachedValue): number {
  if (v.kind === 'cut') return 24 + 2 * v.value.name.length;
  const h = v.value;
  return 8 * (h.bins.length + h.sumw.length + h.sumw2.length) + 128 + 2 * h.name.length;
}

/** The user-facing reason behind a storage failure. */
export function storageProblem(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  if (name === 'QuotaExceededError') return 'the browser’s storage quota for this site is full';
  if (name === 'SecurityError' || name === 'InvalidStateError') return 'this browser window does not allow storage (private mode?)';
  return e instanceof Error ? e.message : String(e);
}

export class ResultsDb {
  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  /** Throws when IndexedDB is missing or refuses to open (private modes). */
  static async open(): Promise<ResultsDb> {
    if (typeof indexedDB === 'undefined' || !indexedDB) throw new Error('IndexedDB is not available in this browser window');
    const db = await openDB<Schema>(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore('results', { keyPath: 'key' }).createIndex('dataset', 'dataset');
      },
    });
    return new ResultsDb(db);
  }

  /** The entries under `keys`, in order (undefined where missing), in one transaction. */
  async getMany(keys: readonly string[]): Promise<(ResultEntry | undefined)[]> {
    const tx = this.db.transaction('results', 'readonly');
    const out = await Promise.all(keys.map((k) => tx.store.get(k)));
    await tx.done;
    return out;
  }

  async putMany(entries: readonly ResultEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const tx = this.db.transaction('results', 'readwrite');
    await Promise.all([...entries.map((e) => tx.store.put(e)), tx.done]);
  }

  async summary(): Promise<DatasetSummary[]> {
    const by = new Map<string, DatasetSummary>();
    let cursor = await this.db.transaction('results').store.openCursor();
    while (cursor) {
      const e = cursor.value;
      const s = by.get(e.dataset) ?? { dataset: e.dataset, label: e.label, entries: 0, bytes: 0 };
      s.entries++;
      s.bytes += e.bytes;
      by.set(e.dataset, s);
      cursor = await cursor.continue();
    }
    return [...by.values()];
  }

  /** Clears one dataset's entries, or all. */
  async clear(dataset?: string): Promise<void> {
    const tx = this.db.transaction('results', 'readwrite');
    if (dataset === undefined) {
      await Promise.all([tx.store.clear(), tx.done]);
      return;
    }
    let cursor = await tx.store.index('dataset').openCursor(IDBKeyRange.only(dataset));
    while (cursor) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  }
}
