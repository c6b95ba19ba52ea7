// The page's one session with the engine: it owns the EngineClient and the
// store, turns edits into validated documents and debounced runs, and keeps
// stale runs, opens and passes from ever writing into the state.
import { EngineClient, EngineFailure } from '../../workers/browser/client';
import { stableJson, validate, type AnalysisDoc, type DatasetFormat, type DatasetRef, type DatasetSchema } from '../../workers/analysis';
import type { Diagnostic } from '../../workers/expr';
import { quoteName } from '../../workers/expr';
import { defaultAnalysis, demoDataset } from '../../workers/demo/datasets';
import type { ColumnStats, DataRef, DatasetInfo, OpenProgress, RunProgress, RunResult } from '../../workers/protocol';
import { Store } from './store';
import {
  buildDoc, emptyModel, freeName, modelFromDoc, newId, NO_DIAGNOSTICS, placeDiagnostics,
  type CutItem, type DefineItem, type FieldDiagnostics, type HistItem, type Model,
} from './model';
import { findRanges, niceBinning } from './ranges';
import * as edits from './edits';
import { timeKindOf } from '../time';
import { fingerprintReader } from '../../workers/sources/fingerprint';
import { blobReader } from '../../workers/sources/bytes';
import { datasetIdentity, ResultCache, type Lookup } from '../cache/ResultCache';
import { mergeRun, planRun } from '../cache/plan';
import { FragmentWriter, readFragment } from '../share/fragment';
import { fmtBytes } from '../format';

export type { AppState, CacheSummary, IngestProgress, OpenState, RunInfo, RunPhase, ShareState, StartParams } from './app-state';
import type { AppState, CacheSummary, IngestProgress, RunInfo, ShareState, StartParams } from './app-state';

const DEBOUNCE_MS = 250;
/** how often partial results redraw the plots while a run goes */
const PARTIAL_EVERY_MS = 200;

const schemaOf = (info: DatasetInfo): DatasetSchema => ({
  columns: info.columns.map((c) => ({ name: c.name, type: c.type, ...(c.dictionary ? { dictionary: c.dictionary } : {}) })),
  jagged: info.jagged.map((j) => ({ name: j.name, elementType: j.elementType })),
});

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const INTEGER_TYPES = new Set(['u8', 'u16', 'i32', 'u32', 'i64', 'u64', 'bool']);

/** The demo's rows when the page can't share memory (the fallback's single in-thread worker). */
const FALLBACK_DEMO_ROWS = 1_000_000;

export class Session {
  readonly store = new Store<AppState>({
    open: { busy: false },
    stats: {},
    statsBusy: false,
    model: emptyModel(),
    diagnostics: NO_DIAGNOSTICS,
    run: { phase: 'starting', rowsDone: 0, rows: 0, elapsedMs: 0, gen: 0, cached: 0 },
  });

  private client?: EngineClient;
  private schema: DatasetSchema = { columns: [] };
  /** bumped to orphan the run in flight: its callbacks and result are then ignored */
  private runSeq = 0;
  private runTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRunKey: string | undefined;
  private openSeq = 0;
  /** what the engine holds, to put back after a cancelled or failed open */
  private opened?: { ref: DataRef; docRef: DatasetRef };
  private passes: Promise<void> = Promise.resolve();
  private pendingFlush: { progress?: RunProgress; result?: RunResult; ingest?: IngestProgress } = {};
  private flushQueued = false;
  private lastResultFlush = 0;
  private memoryTimer: ReturnType<typeof setInterval> | undefined;
  readonly results = new ResultCache((m) => this.store.set({ cacheNotice: m }));
  /**
   * The run status's gen is the engine's plus the runs served wholly from the
   * cache (they never reach the engine), so it grows with every run.
   */
  private genShift = 0;
  private engineGen = 0;
  private fragment = new FragmentWriter();
  /** a file link's analysis (the editor shows it), until the recipient opens a file for it */
  private sharedDoc?: AnalysisDoc;
  /** a file that does not match the link's, kept until the user opens it anyway */
  private held?: { file: File; docRef: DatasetRef };

  get state(): AppState { return this.store.get(); }

  async start(params: StartParams): Promise<void> {
    try {
      this.client = await EngineClient.start(params.workers ? { workers: params.workers } : {});
    } catch (e) {
      this.store.set({ engineError: `The engine did not start: ${message(e)}`, run: { ...this.state.run, phase: 'error', message: message(e) } });
      return;
    }
    window.sift = { client: this.client, partials: 0, session: this };
    this.store.set({ engine: this.client.info });
    this.memoryTimer = setInterval(() => void this.refreshMemory(), 1000);
    window.addEventListener('hashchange', () => void this.openFragment());
    if (await this.openFragment()) return;
    const demo = demoDataset(params.demo ?? 'dimuon') ?? demoDataset('dimuon')!;
    // without shared memory one in-thread worker generates and runs everything: a tenth of it
    const rows = params.rows ?? (this.client.info.shared ? demo.defaultRows : Math.min(demo.defaultRows, FALLBACK_DEMO_ROWS));
    const ref = { kind: 'demo' as const, name: demo.name, rows, seed: params.seed ?? 1 };
    const model = demo.name === 'dimuon' && !this.state.share?.error ? modelFromDoc(defaultAnalysis()) : emptyModel();
    await this.open(ref, ref, `demo “${demo.name}”`, model);
  }

  dispose(): void {
    clearInterval(this.memoryTimer);
    clearTimeout(this.runTimer);
  }

  // ------------------------------------------------------------ share links

  /** Opens the analysis in the page's `#a=` fragment; false when there is none or it is broken (the error is shown). */
  private async openFragment(): Promise<boolean> {
    const link = await readFragment();
    if (!link) return false;
    if (!link.ok) { this.store.set({ share: { error: link.error } }); return false; }
    const doc = link.doc;
    const d = doc.dataset;
    const model = modelFromDoc(doc);
    this.store.set({ share: undefined });
    if (d.kind === 'demo') await this.open(d, d, `demo “${d.name}”`, model);
    else if (d.kind === 'url' && sameOrigin(d.url)) await this.open({ kind: 'url', url: d.url }, d, d.url, model);
    else if (d.kind === 'url') {
      // Another site: opening the link must not contact it (it would learn who read the link, and
      // could serve anything of any size); the reader decides.
      this.holdForLink(doc, model, { remote: { url: d.url, host: new URL(d.url).host } });
    } else {
      this.holdForLink(doc, model, { file: { name: d.name, size: d.size, ...(d.fingerprint ? { fingerprint: d.fingerprint } : {}) } });
    }
    return true;
  }

  /** Nothing runs until the recipient opens the file, or agrees to the fetch: the engine's dataset is not the link's. */
  private holdForLink(doc: AnalysisDoc, model: Model, share: ShareState): void {
    clearTimeout(this.runTimer);
    this.orphanRun();
    void this.client?.cancel();
    this.sharedDoc = doc;
    this.held = undefined;
    this.store.set({
      dataset: undefined, datasetRef: undefined, result: undefined, model, diagnostics: NO_DIAGNOSTICS, share,
      run: { ...this.state.run, phase: 'idle', message: undefined },
    });
  }

  /** The other site's dataset a link names, fetched now that the reader asked for it. */
  openSharedRemote(): Promise<void> {
    const d = this.sharedDoc?.dataset;
    if (d?.kind !== 'url' || !this.state.share?.remote) return Promise.resolve();
    this.store.set({ share: undefined });
    return this.open({ kind: 'url', url: d.url }, d, d.url, this.state.model);
  }

  /** The analysis as a document a link can carry, or why it can't be shared yet. */
  shareable(): { doc: AnalysisDoc } | { error: string } {
    const ref = this.state.datasetRef;
    if (!ref) return { error: 'open a dataset first' };
    const doc = buildDoc(this.state.model, ref, 'run').doc;
    return validate(doc, this.schema).ok ? { doc } : { error: 'fix the problems in the analysis first' };
  }

  /** The mismatched file, opened with the link's analysis all the same. */
  openHeldFile(): Promise<void> {
    const held = this.held;
    if (!held || !this.sharedDoc) return Promise.resolve();
    return this.open({ kind: 'file', file: held.file, name: held.file.name }, held.docRef, held.file.name, this.state.model);
  }

  private syncFragment(): void {
    const s = this.shareable();
    if ('doc' in s) void this.fragment.write(s.doc);
  }

  // ------------------------------------------------------------ datasets

  openDemo(name: string, rows: number, seed = 1): Promise<void> {
    const ref = { kind: 'demo' as const, name, rows, seed };
    return this.open(ref, ref, `demo “${name}”`);
  }

  async openFile(file: File): Promise<void> {
    const format = formatOf(file.name);
    // Share links carry it so a recipient's file can be checked; the caches are keyed by it.
    let fingerprint: string | undefined;
    try { fingerprint = await fingerprintReader(blobReader(file)); } catch { /* unreadable: the open below says why */ }
    const docRef: DatasetRef = { kind: 'file', name: file.name, size: file.size, ...(fingerprint ? { fingerprint } : {}), ...(format ? { format } : {}) };
    const want = this.sharedDoc?.dataset;
    if (want?.kind === 'file') {
      const same = want.fingerprint ? want.fingerprint === fingerprint : want.name === file.name && want.size === file.size;
      if (!same) {
        this.held = { file, docRef };
        const mismatch = `${file.name} (${fmtBytes(file.size)}) is not the file this link was made with: `
          + (want.fingerprint ? 'its content fingerprint differs, so the results may differ too.' : 'its name or size differs.');
        this.store.set({ share: { file: { ...this.state.share?.file!, mismatch } } });
        return;
      }
      return this.open({ kind: 'file', file, name: file.name }, { ...docRef, ...(want.tree ? { tree: want.tree } : {}) }, file.name, this.state.model);
    }
    return this.open({ kind: 'file', file, name: file.name }, docRef, file.name);
  }

  openUrl(url: string): Promise<void> {
    const u = url.trim();
    if (!/^https?:\/\//i.test(u) && !u.startsWith('/')) {
      this.store.set({ open: { busy: false, error: 'Enter an http:// or https:// address (or a path on this site, like /data/file.csv).' } });
      return Promise.resolve();
    }
    const format = formatOf(u.split(/[?#]/)[0]!);
    return this.open({ kind: 'url', url: u }, { kind: 'url', url: u, ...(format ? { format } : {}) }, u);
  }

  /** Stops an open: the engine stops reading the file and keeps the dataset it had. */
  cancelOpen(): void {
    if (!this.state.open.busy) return;
    this.openSeq++;
    void this.client?.cancelOpen();
    this.store.set({ open: { busy: false }, notice: 'Opening was cancelled; the previous dataset stays open.' });
  }

  private async open(ref: DataRef, docRef: DatasetRef, label: string, model?: Model): Promise<void> {
    const client = this.client;
    if (!client) return;
    const token = ++this.openSeq;
    this.orphanRun();
    void client.cancel();
    // any open answers a file link's request, or a link's other site: it no longer waits
    this.sharedDoc = undefined;
    this.held = undefined;
    const waiting = this.state.share?.file || this.state.share?.remote;
    this.store.set({ open: { busy: true, label }, notice: undefined, ...(waiting ? { share: undefined } : {}) });
    const t0 = performance.now();
    const progress = (done: number, total: number, unit: IngestProgress['unit']) => {
      if (token !== this.openSeq) return;
      const elapsedMs = performance.now() - t0;
      const perSec = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
      this.queue({ ingest: { unit, done, total, elapsedMs, perSec, etaMs: perSec > 0 ? ((total - done) / perSec) * 1000 : Infinity } });
    };
    try {
      const info = ref.kind === 'demo'
        ? await client.openDemo(ref, (p: RunProgress) => progress(p.rowsDone, p.rowsTotal, 'rows'))
        : await client.open(ref, (p: OpenProgress) => progress(p.bytesDone, p.bytesTotal, 'B'));
      if (token !== this.openSeq) { await this.restore(); return; }
      this.opened = { ref, docRef };
      this.adopt(info, docRef, model);
    } catch (e) {
      if (token !== this.openSeq) { await this.ensureOpen(); return; }
      this.store.set({ open: { busy: false, error: `Could not open ${label}: ${message(e)}` } });
      await this.ensureOpen();
    }
  }

  private adopt(info: DatasetInfo, docRef: DatasetRef, model?: Model): void {
    this.schema = schemaOf(info);
    let next = model ?? this.state.model;
    let notice: string | undefined;
    if (!model && !validate(buildDoc(next, docRef, 'all').doc, this.schema).ok) {
      const had = next.defines.length + next.cuts.length + next.histograms.length > 0;
      next = emptyModel();
      if (had) notice = 'The analysis did not fit this dataset’s columns, so the editor starts empty.';
    }
    this.lastRunKey = undefined;
    this.store.set({
      dataset: info, datasetRef: docRef, datasetLabel: labelOf(info, docRef), open: { busy: false }, stats: {}, statsError: undefined,
      result: undefined, notice, model: next, diagnostics: this.diagnose(next, docRef),
    });
    void this.refreshMemory();
    this.syncFragment();
    this.requestRun(0);
  }

  /** After a failed open, a file's keeps the engine's dataset, a demo's does not: reopen the previous one if needed. */
  private async ensureOpen(): Promise<void> {
    const diags = await this.client!.check({ version: 1 });
    if (diags.some((d) => d.message === 'no dataset is open')) await this.restore();
  }

  private async restore(): Promise<void> {
    const prev = this.opened;
    if (!prev || !this.client) return;
    const token = ++this.openSeq;
    try {
      const info = prev.ref.kind === 'demo' ? await this.client.openDemo(prev.ref) : await this.client.open(prev.ref);
      if (token !== this.openSeq) return;
      this.schema = schemaOf(info);
      this.lastRunKey = undefined;
      this.store.set({ dataset: info });
      this.requestRun(0);
    } catch (e) {
      if (token === this.openSeq) this.store.set({ open: { busy: false, error: `The previous dataset could not be reopened: ${message(e)}` } });
    }
  }

  async computeStats(): Promise<void> {
    const { dataset } = this.state;
    if (!this.client || !dataset || this.state.statsBusy) return;
    const numeric = dataset.columns.filter((c) => c.type !== 'dict');
    this.store.set({ statsBusy: true, statsError: undefined });
    try {
      const names = numeric.map((c) => c.name);
      // inside a pass of our own: an analysis run starting meanwhile would cancel the engine's stats run
      const stats = await this.exclusive('computing column statistics', (client) => client.columnStats(names));
      if (this.state.dataset !== dataset) return;
      const byName: Record<string, ColumnStats> = {};
      for (const s of stats) byName[s.name] = s;
      this.store.set({ stats: byName, statsBusy: false });
      void this.refreshMemory();
    } catch (e) {
      this.store.set({ statsBusy: false, statsError: `Column statistics failed: ${message(e)}` });
    }
  }

  setBudget(bytes: number): void {
    void this.client?.setBudget(bytes).then(() => this.refreshMemory());
  }

  evict(column: string): void {
    void this.client?.evict(column).then(() => this.refreshMemory());
  }

  private async refreshMemory(): Promise<void> {
    if (!this.client || document.hidden) return;
    try {
      const memory = await this.client.memory();
      const old = this.state.memory;
      if (!old || stableJson(old) !== stableJson(memory)) this.store.set({ memory });
    } catch {
      // no dataset yet, or the engine is busy replacing it: the next poll will tell
    }
  }

  // ------------------------------------------------------------ caches

  /** Per dataset identity (a demo's parameters, a file's fingerprint): cached results and parsed columns. */
  async cacheSummary(): Promise<CacheSummary> {
    const [results, columns] = await Promise.all([this.results.summary(), this.client?.columnCache().catch(() => []) ?? []]);
    const by = new Map<string, CacheSummary['datasets'][number]>();
    const row = (dataset: string, label: string) => {
      let r = by.get(dataset);
      if (!r) { r = { dataset, label, results: 0, resultBytes: 0, columnBytes: 0 }; by.set(dataset, r); }
      return r;
    };
    for (const r of results) Object.assign(row(r.dataset, r.label), { results: r.entries, resultBytes: r.bytes });
    for (const c of columns) row(c.fingerprint || c.id, c.label).columnBytes += c.bytes;
    return { datasets: [...by.values()] };
  }

  /** Clears one dataset's cached results and parsed columns, or everything. */
  async clearCache(dataset?: string): Promise<void> {
    await Promise.all([this.results.clear(dataset), this.client?.clearColumnCache(dataset).catch(() => {})]);
    this.lastRunKey = undefined;
  }

  // ------------------------------------------------------------ editing

  /** Diagnostics of a model (the current one, or one with a draft in it, for the add forms). */
  diagnose(model: Model, ref = this.state.datasetRef): FieldDiagnostics {
    if (!ref) return NO_DIAGNOSTICS;
    const built = buildDoc(model, ref, 'all');
    const v = validate(built.doc, this.schema);
    return v.ok ? NO_DIAGNOSTICS : placeDiagnostics(v.diagnostics, built);
  }

  /** The names an expression may use: columns first, then defines. */
  names(): { columns: string[]; lists: string[]; defines: string[] } {
    return {
      columns: this.schema.columns.map((c) => c.name),
      lists: (this.schema.jagged ?? []).map((j) => j.name),
      defines: this.state.model.defines.map((d) => d.name),
    };
  }

  edit(change: (m: Model) => Model): void {
    const model = change(this.state.model);
    this.store.set({ model, diagnostics: this.diagnose(model) });
    this.syncFragment();
    this.requestRun();
  }

  addDefine(name: string, expr: string): void { this.edit((m) => edits.addDefine(m, name, expr)); }
  updateDefine(id: string, patch: Partial<Omit<DefineItem, 'id'>>): void { this.edit((m) => edits.updateDefine(m, id, patch)); }
  removeDefine(id: string): void { this.edit((m) => edits.removeDefine(m, id)); }
  addCut(name: string, expr: string): void { this.edit((m) => edits.addCut(m, name, expr)); }
  updateCut(id: string, patch: Partial<Omit<CutItem, 'id'>>): void { this.edit((m) => edits.updateCut(m, id, patch)); }
  moveCut(from: number, to: number): void { this.edit((m) => edits.moveCut(m, from, to)); }
  removeCut(id: string): void { this.edit((m) => edits.removeCut(m, id)); }
  removeHistogram(id: string): void { this.edit((m) => edits.removeHistogram(m, id)); }

  /** Books a histogram (or replaces the one with `replace` id); auto axes get their range from passes first. */
  bookHistogram(item: Omit<HistItem, 'id'>, auto: { x: boolean; y: boolean }, replace?: string): void {
    const id = replace ?? newId('h');
    const needsRange = auto.x || (auto.y && item.y);
    const h: HistItem = { ...item, id, ...(needsRange ? { pending: 'finding its range…' } : {}) };
    delete h.note;
    this.edit((m) => edits.putHistogram(m, h, replace));
    if (needsRange) void this.findRange(id, auto);
  }

  /** One click on a column: a histogram of it after the last cut, its range from the column's statistics when known. */
  bookColumn(name: string): void {
    const col = this.state.dataset?.columns.find((c) => c.name === name);
    if (!col || col.type === 'dict') return;
    const model = this.state.model;
    const lastCut = [...model.cuts].reverse().find((c) => c.enabled && c.expr.trim() !== '');
    const integer = INTEGER_TYPES.has(col.type);
    const stats = this.state.stats[name];
    const base = { name: freeName(model, name), x: { expr: quoteName(name), bins: 100, lo: 0, hi: 1 }, ...(lastCut ? { after: lastCut.name } : {}) };
    if (stats && stats.count > 0) {
      this.bookHistogram({ ...base, x: { ...base.x, ...niceBinning(stats.min, stats.max, 100, integer, col.time) } }, { x: false, y: false });
    } else {
      this.bookHistogram(base, { x: true, y: false });
    }
  }

  /** A brushed x-range of a histogram becomes a cut on its x expression. */
  addRangeCut(hist: HistItem, lo: number, hi: number): void {
    const e = /^[A-Za-z_][A-Za-z0-9_]*$|^`[^`]*`$/.test(hist.x.expr.trim()) ? hist.x.expr.trim() : `(${hist.x.expr})`;
    const num = (v: number) => String(Number(v.toPrecision(10)));
    this.addCut(freeName(this.state.model, `${hist.name}_range`), `${e} >= ${num(lo)} && ${e} < ${num(hi)}`);
  }

  private async findRange(id: string, auto: { x: boolean; y: boolean }): Promise<void> {
    const settle = (patch: Partial<HistItem>) => this.edit((m) => edits.settleHistogram(m, id, patch));
    try {
      const hist = this.state.model.histograms.find((h) => h.id === id);
      if (!hist) return;
      const ready: Model = { ...this.state.model, histograms: [{ ...hist, pending: undefined }] };
      const built = buildDoc(ready, this.state.datasetRef!, 'run');
      const v = validate(built.doc, this.schema);
      if (!v.ok) throw new Error(`fix the analysis first (${v.diagnostics[0]!.message})`);
      const after = built.doc.histograms[0]!.after;
      const base = { ...built.doc, histograms: [] };
      const queries = [{ expr: hist.x.expr, after }, ...(auto.y && hist.y ? [{ expr: hist.y.expr, after }] : [])];
      const found = await this.exclusive(`finding the range of ${hist.name}`, (client) => findRanges(client, base, queries));
      const current = this.state.model.histograms.find((h) => h.id === id);
      if (!current) return;
      const empty: string[] = [];
      const axis = (a: HistItem['x'], r: (typeof found)[number], which: string) => {
        if (!r || r.count === 0) { empty.push(which); return a; }
        const integer = Number.isInteger(r.min) && Number.isInteger(r.max);
        const time = timeKindOf(a.expr, this.state.dataset?.columns ?? [], this.state.model.defines);
        return { ...a, ...niceBinning(r.min, r.max, a.bins, integer, time) };
      };
      const x = auto.x ? axis(current.x, found[0], 'x') : current.x;
      const y = current.y && auto.y ? axis(current.y, found[auto.x ? 1 : 0], 'y') : current.y;
      settle({ x, ...(y ? { y } : {}), ...(empty.length ? { note: `no entries to find the ${empty.join(' and ')} range from; set it by hand` } : {}) });
    } catch (e) {
      settle({ note: `auto range failed: ${message(e)}` });
    }
  }

  // ------------------------------------------------------------ runs

  /** Runs after the edits stop for a moment; the run in flight is abandoned at once. */
  requestRun(delay = DEBOUNCE_MS): void {
    clearTimeout(this.runTimer);
    if (this.state.run.phase === 'running') {
      this.orphanRun();
      void this.client?.cancel();
      this.setRun({ phase: 'waiting', message: 'the analysis changed; starting again' });
    }
    this.runTimer = setTimeout(() => void this.runNow(false), delay);
  }

  /** Ctrl/Cmd+Enter: run now, even when nothing changed. */
  async runNow(force = true): Promise<void> {
    clearTimeout(this.runTimer);
    await this.passes;
    const { dataset, datasetRef, open } = this.state;
    if (!this.client || !dataset || !datasetRef || open.busy) return;
    const built = buildDoc(this.state.model, datasetRef, 'run');
    const v = validate(built.doc, this.schema);
    if (!v.ok) {
      this.setRun({ phase: 'invalid', message: `${v.diagnostics.length} problem${v.diagnostics.length > 1 ? 's' : ''} in the analysis; showing the last results` });
      return;
    }
    const key = stableJson(built.doc);
    const phase = this.state.run.phase;
    if (!force && key === this.lastRunKey && (phase === 'done' || phase === 'running')) return;
    this.lastRunKey = key;
    const seq = ++this.runSeq;
    const doc = built.doc;
    window.sift!.doc = doc;
    this.setRun({ phase: 'running', message: undefined, progress: undefined, rowsDone: 0, rows: dataset.rows, elapsedMs: 0, cached: 0 });
    // Cached results show at once; the engine runs only what is missing. Ctrl/Cmd+Enter recomputes everything.
    const identity = datasetIdentity(datasetRef);
    const found = identity ? await this.results.lookup(v.analysis, this.schema, identity) : undefined;
    if (seq !== this.runSeq) return;
    const used: Lookup | undefined = found && force ? { ...found, hists: found.hists.map(() => undefined), cuts: found.cuts.map(() => undefined) } : found;
    const plan = planRun(doc, used?.hists ?? [], used?.cuts ?? []);
    const cachedResults = {
      histograms: doc.histograms.filter((_, i) => plan.hists[i]).map((h) => h.name),
      cuts: doc.filters.filter((_, k) => plan.cuts[k]).map((f) => f.name),
    };
    const shown = (r: RunResult | undefined, gen: number) => mergeRun(doc, plan, r, { gen, rows: dataset.rows, workers: this.client!.info.workers });
    if (!plan.reduced) {
      const gen = this.engineGen + ++this.genShift;
      const res = shown(undefined, gen);
      window.sift!.result = res;
      this.pendingFlush = {};
      this.store.set({
        result: res, cachedResults,
        run: { ...this.state.run, phase: 'done', gen, rowsDone: 0, rows: dataset.rows, elapsedMs: 0, progress: undefined, cached: cachedResults.histograms.length },
      });
      return;
    }
    if (cachedResults.histograms.length + cachedResults.cuts.length > 0) this.store.set({ result: shown(undefined, this.state.result?.gen ?? 0), cachedResults });
    else this.store.set({ cachedResults });
    const reduced = plan.reduced;
    const shift = this.genShift;
    const seen = (gen: number) => { this.engineGen = Math.max(this.engineGen, gen); return gen + shift; };
    // Partials and progress come through their own message port, so one can arrive after
    // the final result: once the run has settled, they are dropped.
    let settled = false;
    const live = () => seq === this.runSeq && !settled;
    try {
      const raw = await this.client.run(reduced, {
        onProgress: (p) => { if (live()) this.queue({ progress: { ...p, gen: seen(p.gen) } }); },
        onPartial: (r) => {
          if (!live()) return;
          window.sift!.partials++;
          this.queue({ result: shown(r, seen(r.gen)) });
        },
      });
      settled = true;
      if (seq !== this.runSeq) return;
      const res = shown(raw, seen(raw.gen));
      this.pendingFlush = {};
      const done = res.status === 'done';
      if (done) window.sift!.result = res;
      else this.lastRunKey = undefined;
      if (done && identity && used) void this.results.store(identity, this.state.datasetLabel ?? identity, doc, used, res);
      this.store.set({
        ...(done || res.histograms.length > 0 ? { result: res } : {}),
        run: {
          ...this.state.run, phase: done ? 'done' : 'cancelled', gen: res.gen, rowsDone: res.rowsDone, rows: res.rows, elapsedMs: res.elapsedMs,
          progress: { gen: res.gen, rowsDone: res.rowsDone, rowsTotal: res.rows, elapsedMs: res.elapsedMs, rowsPerSec: (res.rowsDone / Math.max(res.elapsedMs, 1e-3)) * 1000, etaMs: 0 },
          cached: cachedResults.histograms.length,
        },
      });
      void this.refreshMemory();
    } catch (e) {
      settled = true;
      if (seq !== this.runSeq) return;
      this.pendingFlush = {};
      this.lastRunKey = undefined;
      // the engine ran the reduced document: its histogram paths point into that one
      const at = doc.histograms.map((h, i) => [h, i] as const).filter(([h]) => reduced.histograms.includes(h)).map(([, i]) => i);
      const remap = (d: Diagnostic) => ({ ...d, ...(d.path ? { path: d.path.replace(/^histograms\[(\d+)\]/, (_, j: string) => `histograms[${at[Number(j)] ?? j}]`) } : {}) });
      const diagnostics = e instanceof EngineFailure && e.diagnostics.length > 0 ? placeDiagnostics(e.diagnostics.map(remap), buildDoc(this.state.model, datasetRef, 'run')) : undefined;
      this.store.set({
        run: { ...this.state.run, phase: 'error', message: message(e) },
        ...(diagnostics ? { diagnostics } : {}),
      });
    }
  }

  cancelRun(): void {
    clearTimeout(this.runTimer);
    if (this.state.run.phase === 'running') void this.client?.cancel();
    else if (this.state.run.phase === 'waiting') this.setRun({ phase: 'cancelled', message: undefined });
  }

  private orphanRun(): void {
    this.runSeq++;
    this.pendingFlush.progress = undefined;
    this.pendingFlush.result = undefined;
  }

  /** Runs passes of our own one at a time; the analysis run waits for them and then starts again. */
  private async exclusive<T>(label: string, body: (client: EngineClient) => Promise<T>): Promise<T> {
    const prev = this.passes;
    let release!: () => void;
    this.passes = new Promise<void>((r) => { release = r; });
    await prev;
    clearTimeout(this.runTimer);
    this.orphanRun();
    this.setRun({ phase: 'ranging', message: label });
    try {
      return await body(this.client!);
    } finally {
      release();
      this.lastRunKey = undefined;
      this.runTimer = setTimeout(() => void this.runNow(false), 0);
    }
  }

  private setRun(patch: Partial<RunInfo>): void {
    this.store.set({ run: { ...this.state.run, ...patch } });
  }

  /**
   * Progress arrives faster than a screen refreshes: the newest is applied once per frame.
   * Partial results redraw every plot, so they are applied a few times a second.
   */
  private queue(p: typeof this.pendingFlush): void {
    Object.assign(this.pendingFlush, p);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    const flush = () => {
      this.flushQueued = false;
      const { progress, result, ingest } = this.pendingFlush;
      this.pendingFlush = {};
      const patch: Partial<AppState> = {};
      if (result) {
        const wait = this.lastResultFlush + PARTIAL_EVERY_MS - performance.now();
        if (wait <= 0) {
          patch.result = result;
          this.lastResultFlush = performance.now();
        } else {
          this.pendingFlush.result = result;
          setTimeout(() => this.scheduleFlush(), wait);
        }
      }
      if (progress) patch.run = { ...this.state.run, progress, rowsDone: progress.rowsDone, rows: progress.rowsTotal, elapsedMs: progress.elapsedMs, gen: progress.gen };
      if (ingest && this.state.open.busy) patch.open = { ...this.state.open, progress: ingest };
      if (Object.keys(patch).length > 0) this.store.set(patch);
    };
    if (document.hidden) setTimeout(flush, 100);
    else requestAnimationFrame(flush);
  }
}

function labelOf(info: DatasetInfo, ref: DatasetRef): string {
  if (ref.kind === 'file') return ref.name;
  if (ref.kind === 'url') return decodeURIComponent(ref.url.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? ref.url);
  return info.name;
}

function formatOf(name: string): DatasetFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)(?:\.(?:gz|zst))?$/.exec(name)?.[1]?.toLowerCase();
  const map: Record<string, DatasetFormat> = {
    csv: 'csv', tsv: 'tsv', tab: 'tsv', parquet: 'parquet', pq: 'parquet', arrow: 'arrow', feather: 'arrow', ipc: 'arrow', root: 'root',
  };
  return ext ? map[ext] : undefined;
}

export type { Diagnostic };

/** Whether a link's URL is on this page's own origin (a path like /data/x.csv is). */
function sameOrigin(url: string): boolean {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}
