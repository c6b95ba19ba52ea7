import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistogramResult } from '../workers/protocol';

/** uPlot wants [xs, ys]: bin edges, and counts with the last repeated for the closing step. */
function columns(h: HistogramResult): uPlot.AlignedData {
  const n = h.x.bins;
  const w = (h.x.hi - h.x.lo) / n;
  const xs = new Float64Array(n + 1);
  const ys = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    xs[i] = h.x.lo + i * w;
    ys[i] = h.sumw[Math.min(i, n - 1)]!;
  }
  return [xs, ys];
}

/** A live 1D histogram: the x range is fixed by the binning, so axes stay still while it fills. */
export function HistogramPlot({ hist, title }: { hist: HistogramResult; title: string }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current!;
    const opts: uPlot.Options = {
      title,
      width: Math.max(320, el.clientWidth),
      height: 320,
      scales: { x: { time: false, range: [hist.x.lo, hist.x.hi] } },
      axes: [{ label: hist.name }, { label: hist.weighted ? 'Σ weights' : 'entries', size: 70 }],
      legend: { show: false },
      series: [
        {},
        { label: hist.name, stroke: '#3b6fd8', fill: 'rgba(59,111,216,0.15)', paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
      ],
    };
    plot.current = new uPlot(opts, columns(hist), el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(320, el.clientWidth), height: 320 }));
    resize.observe(el);
    return () => { resize.disconnect(); plot.current?.destroy(); plot.current = null; };
    // the plot is built once per histogram identity; data updates go through setData
  }, [hist.name, hist.x.bins, hist.x.lo, hist.x.hi]);

  useEffect(() => {
    plot.current?.setData(columns(hist), true);
  }, [hist]);

  return <div ref={host} className="plot" data-testid="histogram" data-entries={hist.entries} />;
}
