// Every peer's counts, in the plain-JS result shape, must equal the reference's
// exactly before any time is printed: bins, under/overflow, NaN and cut-flow.
import type { RunResult } from '../../workers/protocol';
import type { PlainHist, PlainResult } from '../plain';

/** Sift's result in the plain-JS shape (histograms in document order). */
export function fromRun(res: RunResult): PlainResult {
  if (res.status !== 'done') throw new Error(`Sift's run ended "${res.status}"`);
  return {
    histograms: res.histograms.map((h): PlainHist => ({
      bins: Float64Array.from(h.bins), underflow: h.underflow, overflow: h.overflow, nan: h.nan,
    })),
    cutflow: res.cutflow.map((c) => c.pass),
  };
}

/** Where `got` differs from `ref` (empty: identical). */
export function binDifferences(got: PlainResult, ref: PlainResult): string[] {
  const problems: string[] = [];
  if (got.cutflow.join() !== ref.cutflow.join()) problems.push(`cut-flow ${got.cutflow.join('/')} ≠ ${ref.cutflow.join('/')}`);
  if (got.histograms.length !== ref.histograms.length) {
    problems.push(`${got.histograms.length} histograms ≠ ${ref.histograms.length}`);
    return problems;
  }
  ref.histograms.forEach((r, k) => {
    const h = got.histograms[k]!;
    for (const f of ['underflow', 'overflow', 'nan'] as const) {
      if (h[f] !== r[f]) problems.push(`histogram ${k}: ${f} ${h[f]} ≠ ${r[f]}`);
    }
    if (h.bins.length !== r.bins.length) {
      problems.push(`histogram ${k}: ${h.bins.length} bins ≠ ${r.bins.length}`);
      return;
    }
    const diff: number[] = [];
    for (let i = 0; i < r.bins.length; i++) if (h.bins[i] !== r.bins[i]) diff.push(i);
    if (diff.length) {
      const shown = diff.slice(0, 3).map((i) => `[${i}] ${h.bins[i]} ≠ ${r.bins[i]}`).join(', ');
      problems.push(`histogram ${k}: ${diff.length} bins differ: ${shown}${diff.length > 3 ? ', …' : ''}`);
    }
  });
  return problems;
}

/** Checks every peer against the reference; problems keyed "peer job: …". */
export function checkPeers(ref: PlainResult, peers: Record<string, PlainResult>, job: string): string[] {
  return Object.entries(peers).flatMap(([peer, r]) => binDifferences(r, ref).map((p) => `${peer} ${job}: ${p}`));
}

/** A result reduced to plain JSON (typed arrays don't survive page.evaluate or JSON). */
export function toJson(r: PlainResult): PlainResult {
  return {
    histograms: r.histograms.map((h) => ({ ...h, bins: Array.from(h.bins) as unknown as Float64Array })),
    cutflow: [...r.cutflow],
  };
}
