import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { mountPlot } from './mount';
import 'uplot/dist/uPlot.min.css';
import type { HistogramResult } from '../../workers/protocol';
import { fmtNum } from '../format';
import { lutCss, plotColors, VIRIDIS_LUT, type PlotColors } from './colors';
import type { PlotHandle } from './PlotHandle';
import { fmtValue, utcDate, type TimeKind } from '../time';

export interface Hist2DProps {
  hist: HistogramResult;
  gen: number;
  logZ: boolean;
  xLabel: string;
  yLabel: string;
  /** an axis that is a date or timestamp column */
  xTime?: TimeKind;
  yTime?: TimeKind;
  theme: string;
  height: number;
  handle: { current: PlotHandle | null };
}

/** The colour scale's top: it only grows during a run, so colours don't flicker as cells fill. */
interface ZScale { gen: number; max: number; minPositive: number }

/** LUT index of a cell value, or -1 for an empty cell (left transparent). */
export function colorIndex(v: number, z: ZScale, log: boolean): number {
  if (!(v > 0) || !(z.max > 0)) return -1;
  if (log) {
    const lo = Math.log(z.minPositive);
    const span = Math.log(z.max) - lo;
    return span > 0 ? Math.max(0, Math.min(255, Math.round(((Math.log(v) - lo) / span) * 255))) : 255;
  }
  return Math.max(0, Math.min(255, Math.round((v / z.max) * 255)));
}

/** Paints cell values into an nx × ny image, y up; the plot scales it over the plotting area. */
function paint(h: HistogramResult, z: ZScale, log: boolean, img: HTMLCanvasElement): void {
  const nx = h.x.bins;
  const ny = h.y!.bins;
  if (img.width !== nx || img.height !== ny) { img.width = nx; img.height = ny; }
  const ctx = img.getContext('2d')!;
  const data = ctx.createImageData(nx, ny);
  const px = new Uint32Array(data.data.buffer);
  for (let ix = 0; ix < nx; ix++) {
    for (let iy = 0; iy < ny; iy++) {
      const k = colorIndex(h.sumw[ix * ny + iy]!, z, log);
      if (k >= 0) px[(ny - 1 - iy) * nx + ix] = VIRIDIS_LUT[k]!;
    }
  }
  ctx.putImageData(data, 0, 0);
}

/**
 * The colour bar: one gradient fill and three labels. Redrawn only when its
 * labels change; resizing a canvas reallocates it, so its size is set once.
 */
function drawColorBar(bar: HTMLCanvasElement, z: ZScale, log: boolean, fg: string, height: number): void {
  const dpr = devicePixelRatio || 1;
  const w = 64;
  if (bar.width !== w * dpr || bar.height !== height * dpr) {
    bar.width = w * dpr;
    bar.height = height * dpr;
    bar.style.width = `${w}px`;
    bar.style.height = `${height}px`;
  }
  const ctx = bar.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, height);
  const top = 10;
  const bottom = height - 36;
  const gradient = ctx.createLinearGradient(0, bottom, 0, top);
  for (let i = 0; i <= 8; i++) gradient.addColorStop(i / 8, lutCss((i / 8) * 255));
  ctx.fillStyle = gradient;
  ctx.fillRect(4, top, 12, bottom - top);
  ctx.fillStyle = fg;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const label = (v: number, y: number) => ctx.fillText(fmtNum(v, 3), 20, y);
  if (z.max > 0) {
    label(z.max, top);
    if (log && Number.isFinite(z.minPositive)) label(z.minPositive, bottom);
    else { label(z.max / 2, (top + bottom) / 2); label(0, bottom); }
  }
}

/**
 * A 2D histogram as a heatmap: uPlot draws the axes, grid and cursor; the cells
 * are one image (a pixel per cell) stretched over the plotting area, which stays
 * cheap however many cells there are. A colour bar stands beside it.
 */
export function Hist2D({ hist, gen, logZ, xLabel, yLabel, xTime, yTime, theme, height, handle }: Hist2DProps) {
  const host = useRef<HTMLDivElement>(null);
  const barRef = useRef<HTMLCanvasElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef(hist);
  const z = useRef<ZScale>({ gen: -1, max: 0, minPositive: Infinity });
  const img = useRef<HTMLCanvasElement | null>(null);
  const colors = useRef<PlotColors | null>(null);
  const barDrawn = useRef('');
  data.current = hist;

  const ax = hist.x;
  const ay = hist.y!;

  const update = () => {
    const h = data.current;
    const zs = z.current;
    if (zs.gen !== gen) { zs.gen = gen; zs.max = 0; zs.minPositive = Infinity; }
    for (const v of h.sumw) {
      if (v > zs.max) zs.max = v;
      if (v > 0 && v < zs.minPositive) zs.minPositive = v;
    }
    img.current ??= document.createElement('canvas');
    paint(h, zs, logZ, img.current);
    colors.current ??= plotColors(host.current!);
    const key = `${zs.max} ${zs.minPositive} ${logZ} ${height} ${colors.current.fg}`;
    if (barRef.current && key !== barDrawn.current) {
      barDrawn.current = key;
      drawColorBar(barRef.current, zs, logZ, colors.current.fg, height);
    }
  };

  useEffect(() => {
    const el = host.current!;
    const c = plotColors(el);
    colors.current = c;
    barDrawn.current = '';
    const wx = (ax.hi - ax.lo) / ax.bins;
    const wy = (ay.hi - ay.lo) / ay.bins;
    const tip = document.createElement('div');
    tip.className = 'plot-tip';
    tip.setAttribute('data-testid', 'plot-tip');
    tip.hidden = true;

    const cells = (u: uPlot) => {
      if (!img.current) return;
      const ctx = u.ctx;
      const { left, top, width, height: bh } = u.bbox;
      ctx.save();
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(img.current, left, top, width, bh);
      ctx.restore();
    };

    const hover = (u: uPlot) => {
      const left = u.cursor.left ?? -1;
      const top = u.cursor.top ?? -1;
      if (left < 0 || top < 0) { tip.hidden = true; return; }
      const ix = Math.floor((u.posToVal(left, 'x') - ax.lo) / wx);
      const iy = Math.floor((u.posToVal(top, 'y') - ay.lo) / wy);
      if (ix < 0 || ix >= ax.bins || iy < 0 || iy >= ay.bins) { tip.hidden = true; return; }
      const h = data.current;
      const k = ix * ay.bins + iy;
      tip.textContent = `x [${fmtValue(ax.lo + ix * wx, xTime, 5)}, ${fmtValue(ax.lo + (ix + 1) * wx, xTime, 5)}) · y [${fmtValue(ay.lo + iy * wy, yTime, 5)}, ${fmtValue(ay.lo + (iy + 1) * wy, yTime, 5)}): ${fmtNum(h.sumw[k]!, 6)} ± ${fmtNum(Math.sqrt(h.sumw2[k]!), 3)}`;
      tip.hidden = false;
      const right = left > u.over.clientWidth / 2;
      tip.style.left = right ? '' : `${left + 12}px`;
      tip.style.right = right ? `${u.over.clientWidth - left + 12}px` : '';
    };

    const axis = (label: string): uPlot.Axis => ({ label, stroke: c.fg, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, labelSize: 20 });
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      ...(xTime || yTime ? { tzDate: utcDate } : {}),
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: !!xTime, range: [ax.lo, ax.hi] }, y: { time: !!yTime, range: [ay.lo, ay.hi] } },
      axes: [{ ...axis(xLabel), size: 36 }, { ...axis(yLabel), size: yTime ? 84 : 56 }],
      series: [{}, { stroke: 'transparent', points: { show: false }, paths: () => null }],
      hooks: { drawClear: [cells], setCursor: [hover] },
    };
    update();
    const u = new uPlot(opts, [[ax.lo, ax.hi], [ay.lo, ay.hi]], el);
    plot.current = u;
    handle.current = { canvas: () => u.ctx.canvas, colorBar: () => barRef.current!, clearSelection: () => {} };
    return mountPlot(u, el, tip, height, () => {
      plot.current = null;
      handle.current = null;
    });
    // rebuilt only when the binning or the look changes; new contents repaint the image
  }, [ax.bins, ax.lo, ax.hi, ay.bins, ay.lo, ay.hi, logZ, theme, xLabel, yLabel, xTime, yTime, height]);

  useEffect(() => {
    update();
    plot.current?.redraw(false, false);
  }, [hist, logZ]);

  return (
    <div className="heatmap">
      <div ref={host} className="uplot-host" />
      <canvas ref={barRef} className="colorbar" role="img" aria-label={`colour scale${logZ ? ' (log)' : ''}`} />
    </div>
  );
}
