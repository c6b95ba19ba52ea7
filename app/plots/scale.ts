// Axis arithmetic shared by the live plots and the SVG export.

export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const f = v / p;
  return (f <= 1 ? 1 : f <= 1.2 ? 1.2 : f <= 1.5 ? 1.5 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 3 ? 3 : f <= 4 ? 4 : f <= 5 ? 5 : f <= 6 ? 6 : f <= 8 ? 8 : 10) * p;
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Decades covering [lo, hi] for a log axis. */
export function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

/** Sum of weights per bin with its error √(Σw²), and the largest value + error. */
export function extent1D(sumw: readonly number[], sumw2: readonly number[]): { max: number; minPositive: number } {
  let max = 0;
  let minPositive = Infinity;
  for (let i = 0; i < sumw.length; i++) {
    const v = sumw[i]!;
    const top = v + Math.sqrt(sumw2[i]!);
    if (top > max) max = top;
    if (v > 0 && v < minPositive) minPositive = v;
  }
  return { max, minPositive };
}
