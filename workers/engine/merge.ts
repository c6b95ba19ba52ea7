import type { CutflowRow, HistogramResult } from '../protocol';
import type { HistPlan, Plan } from '../plan/compile';

/**
 * Merges per-worker accumulator blocks (Float64Array views of ACC or of a
 * snapshot) into results. Counts are sums of integers held exactly in f64, so
 * they are identical for any number of workers; sums of weights may differ in
 * the last bits with the summation order.
 */
export function mergeCutflow(plan: Plan, accs: Float64Array[]): CutflowRow[] {
  // counter 0 counts the rows seen, counter k + 1 the rows passing filter k
  let total = 0;
  for (const a of accs) total += a[0]!;
  return plan.filters.map((name, k) => {
    let pass = 0;
    for (const a of accs) pass += a[k + 1]!;
    const row = { name, pass, total };
    total = pass;
    return row;
  });
}

export function mergeHistograms(plan: Plan, accs: Float64Array[]): HistogramResult[] {
  return plan.histograms.map((h) => mergeHistogram(h, accs));
}

function mergeHistogram(h: HistPlan, accs: Float64Array[]): HistogramResult {
  const { nSlots, stride, copies } = h;
  const count = new Float64Array(nSlots);
  const sumw = stride === 3 ? new Float64Array(nSlots) : count;
  const sumw2 = stride === 3 ? new Float64Array(nSlots) : count;
  const stats = new Float64Array(5);
  const base = h.accOffset / 8;
  for (const a of accs) {
    for (let i = 0; i < 5; i++) stats[i]! += a[base + i]!;
    for (let c = 0; c < copies; c++) {
      const o = base + 8 + c * nSlots * stride;
      for (let s = 0; s < nSlots; s++) {
        const p = o + s * stride;
        count[s]! += a[p]!;
        if (stride === 3) { sumw[s]! += a[p + 1]!; sumw2[s]! += a[p + 2]!; }
      }
    }
  }
  const nx = h.x.bins;
  const ny = h.y?.bins ?? 0;
  const rowLen = nx + 2;
  const cells = ny > 0 ? nx * ny : nx;
  const out = { bins: new Array<number>(cells), sumw: new Array<number>(cells), sumw2: new Array<number>(cells) };
  let under = 0, over = 0, entries = 0, sumwIn = 0;
  const yRows = ny > 0 ? ny + 2 : 1;
  for (let sy = 0; sy < yRows; sy++) {
    for (let sx = 0; sx < rowLen; sx++) {
      const s = 1 + sy * rowLen + sx;
      const n = count[s]!;
      entries += n;
      const xin = sx >= 1 && sx <= nx;
      const yin = ny === 0 || (sy >= 1 && sy <= ny);
      if (xin && yin) {
        const i = ny > 0 ? (sx - 1) * ny + (sy - 1) : sx - 1;
        out.bins[i] = n;
        out.sumw[i] = sumw[s]!;
        out.sumw2[i] = sumw2[s]!;
        sumwIn += sumw[s]!;
      } else if (sx === 0 || (ny > 0 && sy === 0)) under += n;
      else over += n;
    }
  }
  const mean = sumwIn !== 0 ? stats[0]! / sumwIn : 0;
  const std = sumwIn !== 0 ? Math.sqrt(Math.max(0, stats[1]! / sumwIn - mean * mean)) : 0;
  const result: HistogramResult = {
    name: h.name,
    x: { ...h.x },
    weighted: h.weighted,
    ...out,
    underflow: under,
    overflow: over,
    nan: count[0]!,
    entries,
    mean,
    std,
  };
  if (h.y) {
    const meanY = sumwIn !== 0 ? stats[2]! / sumwIn : 0;
    result.y = { ...h.y };
    result.meanY = meanY;
    result.stdY = sumwIn !== 0 ? Math.sqrt(Math.max(0, stats[3]! / sumwIn - meanY * meanY)) : 0;
  }
  return result;
}
