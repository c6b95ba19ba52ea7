// One fuzz case through the engine's real open + run path, as a user meets it,
// and the invariant it must keep: a valid result, or an EngineError whose
// message names the file — never another exception, never a hang.
import { writeFileSync, rmSync } from 'node:fs';
import type { Engine } from '../../engine/Engine';
import { EngineError } from '../../engine/errors';
import { memoryReader } from '../../sources/bytes';
import { quoteName } from '../../expr/names';
import type { DatasetInfo } from '../../protocol';
import type { Diagnostic } from '../../expr/diagnostic';

export type Verdict = 'ok' | 'error' | 'crash' | 'hang';

export interface Outcome {
  verdict: Verdict;
  /** the error's name and message, or what was wrong with the result */
  detail: string;
  ms: number;
}

/** Errors a damaged file may end in; each must name the file. */
const FILE_ERRORS = new Set(['BadFile', 'BadDataset', 'OutOfMemory', 'Unsupported', 'ReadFailed']);

export const DEFAULT_CASE_MS = 10_000;

/** Rejects with a hang marker when `work` takes longer than `ms`. */
async function timeBox<T>(work: Promise<T>, ms: number): Promise<T | typeof HANG> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof HANG>((resolve) => { timer = setTimeout(() => resolve(HANG), ms); });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
const HANG = Symbol('hang');

/**
 * An analysis that reads every column the file offers (up to a dozen): a
 * histogram of each numeric column, a string comparison for each dictionary
 * column, sizes and sums of list columns.
 */
export function docFor(info: DatasetInfo): object {
  const histograms: object[] = [];
  const filters: object[] = [];
  const axis = (expr: string) => ({ expr, bins: 16, lo: -1000, hi: 1000 });
  for (const c of info.columns.slice(0, 12)) {
    const q = quoteName(c.name);
    if (c.type === 'dict') filters.push({ name: `f${filters.length}`, expr: `${q} != "fuzz" || ${q} == ""` });
    else histograms.push({ name: `h${histograms.length}`, x: axis(q) });
  }
  for (const j of info.jagged.slice(0, 4)) {
    if (j.elementType === 'dict') continue;
    const q = quoteName(j.name);
    histograms.push({ name: `h${histograms.length}`, x: axis(`size(${q})`) }, { name: `h${histograms.length + 1}`, x: axis(`sum(${q})`) });
  }
  if (histograms.length === 0) histograms.push({ name: 'one', x: axis('1') });
  return {
    version: 1, dataset: { kind: 'file', name: info.name, size: info.fileBytes }, defines: [], filters,
    histograms: histograms.map((h, i) => (i === 0 && filters.length > 0 ? { ...h, after: `f${filters.length - 1}` } : h)),
  };
}

/** What a finished run must satisfy whatever the bytes were. */
function resultProblem(info: DatasetInfo, r: Awaited<ReturnType<Engine['run']>>): string | null {
  if (r.status !== 'done') return `run ended ${r.status}`;
  if (r.rowsDone !== info.rows) return `run processed ${r.rowsDone} of ${info.rows} rows`;
  for (const h of r.histograms) {
    const inBins = h.bins.reduce((a, b) => a + b, 0);
    if (inBins + h.underflow + h.overflow + h.nan > info.rows) return `histogram ${h.name} counts more rows than the file has`;
  }
  return null;
}

/** Classifies a thrown value: an EngineError naming the file is a clean failure; anything else crashed. */
export function classify(e: unknown, fileName: string): Pick<Outcome, 'verdict' | 'detail'> {
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : `thrown ${String(e)}`;
  if (!(e instanceof EngineError)) return { verdict: 'crash', detail: `not an EngineError: ${detail}${e instanceof Error && e.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}` };
  if (!FILE_ERRORS.has(e.name)) return { verdict: 'crash', detail: `unexpected error kind: ${detail}` };
  if (!e.message.includes(fileName)) return { verdict: 'crash', detail: `message does not name the file: ${detail}` };
  return { verdict: 'error', detail };
}

/** Opens `bytes` as the file `name` and runs an analysis of everything in it. */
export async function fileCase(engine: Engine, bytes: Uint8Array, name: string, ms = DEFAULT_CASE_MS): Promise<Outcome> {
  const t0 = performance.now();
  const work = (async (): Promise<Pick<Outcome, 'verdict' | 'detail'>> => {
    try {
      const info = await engine.openReader(memoryReader(bytes, name));
      const problem = resultProblem(info, await engine.run(docFor(info)));
      return problem ? { verdict: 'crash', detail: problem } : { verdict: 'ok', detail: `${info.rows} rows, ${info.columns.length} columns` };
    } catch (e) {
      return classify(e, name);
    }
  })();
  const out = await timeBox(work, ms);
  const elapsed = performance.now() - t0;
  if (out === HANG) return { verdict: 'hang', detail: `no result or error within ${ms / 1000} s`, ms: elapsed };
  return { ...out, ms: elapsed };
}

/** Diagnostics must be values with a message and, when positioned, a span inside the expression. */
function diagnosticProblem(ds: Diagnostic[], exprs: Map<string, string>): string | null {
  for (const d of ds) {
    if (typeof d.message !== 'string' || d.message.length === 0) return `a diagnostic without a message at ${d.path}`;
    if (d.start === undefined) continue;
    const src = d.path ? exprs.get(d.path) : undefined;
    if (src === undefined) continue;
    const end = d.end ?? d.start;
    if (!(d.start >= 0 && d.start <= end && end <= src.length)) return `diagnostic span [${d.start}, ${end}) outside '${src}' (${src.length}): ${d.message}`;
  }
  return null;
}

/** The documents an expression can appear in: as a value (define, axis, weight) and as a cut. */
function exprDocs(expr: string): { doc: object; exprs: Map<string, string> }[] {
  const base = { version: 1, dataset: { kind: 'file', name: 't', size: 0 } };
  return [
    {
      doc: {
        ...base, defines: [{ name: 'd', expr }], filters: [],
        histograms: [
          { name: 'h', x: { expr, bins: 8, lo: -10, hi: 10 }, weight: expr },
          { name: 'g', x: { expr: 'x', bins: 8, lo: -10, hi: 10 }, y: { expr: 'd', bins: 4, lo: -1, hi: 1 } },
        ],
      },
      exprs: new Map([['defines[0].expr', expr], ['histograms[0].x.expr', expr], ['histograms[0].weight', expr]]),
    },
    {
      doc: { ...base, defines: [], filters: [{ name: 'f', expr }], histograms: [{ name: 'h', x: { expr: 'x', bins: 8, lo: -10, hi: 10 }, after: 'f' }] },
      exprs: new Map([['filters[0].expr', expr]]),
    },
  ];
}

/**
 * An expression in every place a document holds one: checked (never throws;
 * diagnostics positioned inside the text), then run when valid (must finish).
 */
export async function exprCase(engine: Engine, expr: string, ms = DEFAULT_CASE_MS): Promise<Outcome> {
  const t0 = performance.now();
  const work = (async (): Promise<Pick<Outcome, 'verdict' | 'detail'>> => {
    let ran = 0;
    let firstError = '';
    for (const { doc, exprs } of exprDocs(expr)) {
      let ds: Diagnostic[];
      try {
        ds = engine.check(doc);
      } catch (e) {
        return { verdict: 'crash', detail: `check threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 6).join('\n')}` : String(e)}` };
      }
      const bad = diagnosticProblem(ds, exprs);
      if (bad) return { verdict: 'crash', detail: bad };
      if (ds.length > 0) {
        firstError ||= ds[0]!.message;
        continue;
      }
      try {
        const r = await engine.run(doc);
        if (r.status !== 'done') return { verdict: 'crash', detail: `a valid expression's run ended ${r.status}` };
        ran++;
      } catch (e) {
        // a document that checks clean must run
        return { verdict: 'crash', detail: `run of a valid document threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
      }
    }
    return ran > 0 ? { verdict: 'ok', detail: `ran in ${ran} places` } : { verdict: 'error', detail: firstError };
  })();
  const out = await timeBox(work, ms);
  const elapsed = performance.now() - t0;
  if (out === HANG) return { verdict: 'hang', detail: `no result or error within ${ms / 1000} s`, ms: elapsed };
  return { ...out, ms: elapsed };
}

/**
 * Any async decoder that must answer with a value (never throw, never hang):
 * for decoders outside the engine, such as share links.
 * The share-link decoder is fuzzed this way (app/share/link.fuzz.test.ts):
 * payload text, deflate bytes and the JSON inside mutated, each answer an
 * error or a document that survives a round trip, within the time box.
 */
export async function valueCase<T>(decode: () => Promise<T>, accept: (value: T) => string | null, ms = DEFAULT_CASE_MS): Promise<Outcome> {
  const t0 = performance.now();
  const work = (async (): Promise<Pick<Outcome, 'verdict' | 'detail'>> => {
    try {
      const problem = accept(await decode());
      return problem ? { verdict: 'crash', detail: problem } : { verdict: 'ok', detail: 'decoded' };
    } catch (e) {
      return { verdict: 'crash', detail: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
    }
  })();
  const out = await timeBox(work, ms);
  const elapsed = performance.now() - t0;
  if (out === HANG) return { verdict: 'hang', detail: `no answer within ${ms / 1000} s`, ms: elapsed };
  return { ...out, ms: elapsed };
}

/**
 * For long runs under scripts/fuzz.mjs: the input of the case in flight sits
 * in a file, so a watchdog outside this process can keep it when a case hangs
 * the thread itself (a synchronous loop no timer can interrupt).
 */
export function inFlight(path: string | undefined, bytes: Uint8Array | null): void {
  if (!path) return;
  if (bytes) writeFileSync(path, bytes);
  else rmSync(path, { force: true });
}
