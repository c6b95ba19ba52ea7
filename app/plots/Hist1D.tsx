import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { mountPlot } from './mount';
import 'uplot/dist/uPlot.min.css';
import type { HistogramResult } from '../../workers/protocol';
import { fmtNum } from '../format';
import { plotColors } from './colors';
import { extent1D, niceCeil } from './scale';
import type { PlotHandle } from './PlotHandle';
import { fmtValue, utcDate, type TimeKind } from '../time';

export interface Hist1DProps {
  hist: HistogramResult;
  /** a new run may start from empty bins: the y axis may shrink only then */
  gen: number;
  logY: boolean;
  style: 'steps' | 'bars';
  xLabel: string;
  /** the x axis is a date or timestamp column (seconds since the epoch) */
  xTime?: TimeKind;
  theme: string;
  height: number;
  onBrush(lo: number, hi: number): void;
  handle: { current: PlotHandle | null };
}

/** Steps: bin edges with the last content repeated; bars: bin centres. Log scale: empty bins are gaps. */
function columns(h: HistogramResult, style: 'steps' | 'bars', logY: boolean): uPlot.AlignedData {
  const n = h.x.bins;
  const w = (h.x.hi - h.x.lo) / n;
  const m = style === 'steps' ? n + 1 : n;
  const xs = new Float64Array(m);
  const ys: (number | null)[] = new Array(m);
  for (let i = 0; i < m; i++) {
    xs[i] = h.x.lo + (style === 'steps' ? i : i + 0.5) * w;
    const v = h.sumw[Math.min(i, n - 1)]!;
    ys[i] = logY && v <= 0 ? null : v;
  }
  return [xs, ys];
}

/** The y range for the largest content (+ error) and smallest positive content: round numbers, or decades. */
function rangeFor(max: number, minPositive: number, logY: boolean): [number, number] {
  if (logY) {
    const top = max > 0 ? 10 ** Math.ceil(Math.log10(max * 2)) : 10;
    const bottom = Number.isFinite(minPositive) ? 10 ** Math.floor(Math.log10(minPositive * 0.5)) : 0.1;
    return [bottom, Math.max(top, bottom * 10)];
  }
  return [0, niceCeil(max * 1.08)];
}

/**
 * A live 1D histogram on uPlot. The x range is the binning, so it never moves;
 * the y range only grows during a run (in round steps), so the axis doesn't
 * jitter as bins fill. Error bars, hover and brushing are drawn on top.
 */
export function Hist1D({ hist, gen, logY, style, xLabel, xTime, theme, height, onBrush, handle }: Hist1DProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef(hist);
  const yTop = useRef({ gen: -1, max: 0, minPositive: Infinity });
  const brush = useRef(onBrush);
  brush.current = onBrush;
  data.current = hist;

  const { bins, lo, hi } = hist.x;

  useEffect(() => {
    const el = host.current!;
    const c = plotColors(el);
    const w = (hi - lo) / bins;
    const tip = document.createElement('div');
    tip.className = 'plot-tip';
    tip.setAttribute('data-testid', 'plot-tip');
    tip.hidden = true;

    const errorBars = (u: uPlot) => {
      const h = data.current;
      const ctx = u.ctx;
      const { left, top, width, height: bh } = u.bbox;
      const [ymin] = [u.scales.y!.min ?? 0];
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, bh);
      ctx.clip();
      ctx.beginPath();
      ctx.strokeStyle = c.err;
      ctx.lineWidth = Math.max(1, devicePixelRatio * 0.8);
      for (let i = 0; i < h.x.bins; i++) {
        const v = h.sumw[i]!;
        const e = Math.sqrt(h.sumw2[i]!);
        if (e === 0 || (logY && v <= 0)) continue;
        const x = Math.round(u.valToPos(lo + (i + 0.5) * w, 'x', true)) + 0.5;
        const y1 = u.valToPos(logY ? Math.max(v - e, ymin) : v - e, 'y', true);
        const y2 = u.valToPos(v + e, 'y', true);
        ctx.moveTo(x, y1);
        ctx.lineTo(x, y2);
      }
      ctx.stroke();
      ctx.restore();
    };

    const hover = (u: uPlot) => {
      const left = u.cursor.left ?? -1;
      if (left < 0) { tip.hidden = true; return; }
      const x = u.posToVal(left, 'x');
      const i = Math.floor((x - lo) / w);
      const h = data.current;
      if (i < 0 || i >= bins) { tip.hidden = true; return; }
      const v = h.sumw[i]!;
      tip.textContent = `[${fmtValue(lo + i * w, xTime)}, ${fmtValue(lo + (i + 1) * w, xTime)}): ${fmtNum(v, 6)} ± ${fmtNum(Math.sqrt(h.sumw2[i]!), 3)}${h.weighted ? ` (${h.bins[i]} entries)` : ''}`;
      tip.hidden = false;
      const right = left > u.over.clientWidth / 2;
      tip.style.left = right ? '' : `${left + 12}px`;
      tip.style.right = right ? `${u.over.clientWidth - left + 12}px` : '';
    };

    const select = (u: uPlot) => {
      if (u.select.width < 3) return;
      const a = Math.max(0, Math.min(bins, Math.round((u.posToVal(u.select.left, 'x') - lo) / w)));
      let b = Math.max(0, Math.min(bins, Math.round((u.posToVal(u.select.left + u.select.width, 'x') - lo) / w)));
      if (b <= a) b = Math.min(bins, a + 1);
      const edge = (k: number) => Number((lo + k * w).toPrecision(12));
      brush.current(edge(a), edge(b));
    };

    const yRange = (_u: uPlot, _min: number, _max: number): uPlot.Range.MinMax => {
      const h = data.current;
      const t = yTop.current;
      if (t.gen !== gen) { t.gen = gen; t.max = 0; t.minPositive = Infinity; }
      const { max, minPositive } = extent1D(h.sumw, h.sumw2);
      t.max = Math.max(t.max, max);
      t.minPositive = Math.min(t.minPositive, minPositive);
      return rangeFor(t.max, t.minPositive, logY);
    };

    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      pxAlign: 0,
      ...(xTime ? { tzDate: utcDate } : {}),
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false }, y: false },
      scales: {
        x: { time: !!xTime, range: [lo, hi] },
        y: logY ? { distr: 3, log: 10, range: yRange } : { range: yRange },
      },
      axes: [
        { label: xLabel, stroke: c.fg, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, labelSize: 20, size: 36 },
        { label: hist.weighted ? 'Σ weights' : 'entries', stroke: c.fg, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, size: 60, labelSize: 20 },
      ],
      series: [
        {},
        {
          label: hist.name,
          stroke: c.line,
          width: 1.5,
          fill: c.fill,
          paths: style === 'steps' ? uPlot.paths.stepped!({ align: 1 }) : uPlot.paths.bars!({ size: [1, Infinity], align: 0, gap: 1 }),
          points: { show: false },
        },
      ],
      hooks: { draw: [errorBars], setCursor: [hover], setSelect: [select] },
    };
    const u = new uPlot(opts, columns(hist, style, logY), el);
    plot.current = u;
    handle.current = {
      canvas: () => u.ctx.canvas,
      clearSelection: () => u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false),
    };
    return mountPlot(u, el, tip, height, () => {
      plot.current = null;
      handle.current = null;
    });
    // rebuilt only when the binning or the look changes; new contents go through setData
  }, [bins, lo, hi, logY, style, theme, xLabel, xTime, height, hist.weighted]);

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    // Re-ranging makes uPlot re-measure its axes; most partials leave the rounded range as it is.
    const t = yTop.current;
    const { max, minPositive } = extent1D(hist.sumw, hist.sumw2);
    const [lo, hi] = rangeFor(t.gen === gen ? Math.max(t.max, max) : max, t.gen === gen ? Math.min(t.minPositive, minPositive) : minPositive, logY);
    const moved = t.gen !== gen || lo !== u.scales.y!.min || hi !== u.scales.y!.max;
    u.setData(columns(hist, style, logY), moved);
  }, [hist, style, logY, gen]);

  return <div ref={host} className="uplot-host" />;
}
