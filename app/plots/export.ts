// A plot's exports: its bin contents (CSV, JSON) and pictures (PNG from the
// live canvas, SVG drawn from the numbers so it scales and edits cleanly).
import type { HistogramResult } from '../../workers/protocol';
import type { HistItem } from '../state/model';
import { fmtNum } from '../format';
import { lutCss, type PlotColors } from './colors';
import { colorIndex } from './Hist2D';
import { decades, extent1D, niceCeil, niceTicks } from './scale';

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const fileStem = (name: string): string => name.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'histogram';

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One line per bin with its edges; under/overflow and NaN counts as comment lines at the top. */
export function toCSV(h: HistogramResult): string {
  const lines = [
    `# histogram ${h.name}: entries ${h.entries}, underflow ${h.underflow}, overflow ${h.overflow}, nan ${h.nan}`,
  ];
  const wx = (h.x.hi - h.x.lo) / h.x.bins;
  const edge = (lo: number, w: number, i: number) => String(Number((lo + i * w).toPrecision(15)));
  if (!h.y) {
    lines.push('bin,x_lo,x_hi,count,sumw,sumw2');
    for (let i = 0; i < h.x.bins; i++) {
      lines.push([i, edge(h.x.lo, wx, i), edge(h.x.lo, wx, i + 1), h.bins[i], h.sumw[i], h.sumw2[i]].join(','));
    }
  } else {
    const ny = h.y.bins;
    const wy = (h.y.hi - h.y.lo) / ny;
    lines.push('ix,iy,x_lo,x_hi,y_lo,y_hi,count,sumw,sumw2');
    for (let ix = 0; ix < h.x.bins; ix++) {
      for (let iy = 0; iy < ny; iy++) {
        const k = ix * ny + iy;
        lines.push([ix, iy, edge(h.x.lo, wx, ix), edge(h.x.lo, wx, ix + 1), edge(h.y.lo, wy, iy), edge(h.y.lo, wy, iy + 1), h.bins[k], h.sumw[k], h.sumw2[k]].join(','));
      }
    }
  }
  return lines.map((l) => (l.startsWith('#') ? l : l.split(',').map(csvField).join(','))).join('\n') + '\n';
}

/** The engine's result as is, with what it was booked as. */
export function toJSON(h: HistogramResult, item?: HistItem): string {
  const definition = item && { x: item.x.expr, ...(item.y ? { y: item.y.expr } : {}), ...(item.weight ? { weight: item.weight } : {}), ...(item.after ? { after: item.after } : {}) };
  return JSON.stringify({ ...h, ...(definition ? { definition } : {}) }, null, 1) + '\n';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface SvgOptions {
  title: string;
  xLabel: string;
  yLabel?: string;
  log: boolean;
  style: 'steps' | 'bars';
  colors: PlotColors;
  stats: [string, string][];
}

/** An SVG of the plot, drawn from the bin contents (not a screenshot). */
export function toSVG(h: HistogramResult, o: SvgOptions): string {
  const W = 720;
  const H = 440;
  const m = { l: 72, r: h.y ? 96 : 24, t: 36, b: 52 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const c = o.colors;
  const out: string[] = [];
  const X = (v: number) => m.l + ((v - h.x.lo) / (h.x.hi - h.x.lo)) * pw;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="${esc(c.bg)}"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600" fill="${esc(c.fg)}">${esc(o.title)}</text>`);

  let Y: (v: number) => number;
  let yTicks: number[];
  if (h.y) {
    const ylo = h.y.lo;
    const yhi = h.y.hi;
    Y = (v) => m.t + ph - ((v - ylo) / (yhi - ylo)) * ph;
    yTicks = niceTicks(ylo, yhi);
    const nx = h.x.bins;
    const ny = h.y.bins;
    let max = 0;
    let minPositive = Infinity;
    for (const v of h.sumw) { if (v > max) max = v; if (v > 0 && v < minPositive) minPositive = v; }
    const z = { gen: 0, max, minPositive };
    const cw = pw / nx;
    const ch = ph / ny;
    for (let ix = 0; ix < nx; ix++) {
      for (let iy = 0; iy < ny; iy++) {
        const k = colorIndex(h.sumw[ix * ny + iy]!, z, o.log);
        if (k < 0) continue;
        out.push(`<rect x="${(m.l + ix * cw).toFixed(2)}" y="${(m.t + ph - (iy + 1) * ch).toFixed(2)}" width="${(cw + 0.3).toFixed(2)}" height="${(ch + 0.3).toFixed(2)}" fill="${lutCss(k)}"/>`);
      }
    }
    const bx = W - m.r + 16;
    for (let i = 0; i < 64; i++) out.push(`<rect x="${bx}" y="${(m.t + ph - ((i + 1) / 64) * ph).toFixed(2)}" width="12" height="${(ph / 64 + 0.3).toFixed(2)}" fill="${lutCss((i / 63) * 255)}"/>`);
    out.push(`<text x="${bx + 16}" y="${m.t + 4}" fill="${esc(c.fg)}">${esc(fmtNum(max, 3))}</text>`);
    out.push(`<text x="${bx + 16}" y="${m.t + ph}" fill="${esc(c.fg)}">${esc(o.log ? fmtNum(minPositive, 3) : '0')}</text>`);
  } else {
    const { max, minPositive } = extent1D(h.sumw, h.sumw2);
    let lo = 0;
    let hi = niceCeil(max * 1.08);
    if (o.log) {
      hi = max > 0 ? 10 ** Math.ceil(Math.log10(max * 2)) : 10;
      lo = Number.isFinite(minPositive) ? 10 ** Math.floor(Math.log10(minPositive * 0.5)) : 0.1;
      Y = (v) => m.t + ph - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * ph;
      yTicks = decades(lo, hi);
    } else {
      Y = (v) => m.t + ph - ((v - lo) / (hi - lo)) * ph;
      yTicks = niceTicks(lo, hi);
    }
    const n = h.x.bins;
    const w = (h.x.hi - h.x.lo) / n;
    const base = o.log ? Y(lo) : Y(0);
    let d = `M${X(h.x.lo).toFixed(2)},${base.toFixed(2)}`;
    for (let i = 0; i < n; i++) {
      const v = h.sumw[i]!;
      const y = o.log && v <= 0 ? base : Y(v);
      d += `V${y.toFixed(2)}H${X(h.x.lo + (i + 1) * w).toFixed(2)}`;
    }
    d += `V${base.toFixed(2)}Z`;
    out.push(`<path d="${d}" fill="${esc(c.fill)}" stroke="${esc(c.line)}" stroke-width="1.5"/>`);
    if (o.style === 'bars') {
      for (let i = 1; i < n; i++) out.push(`<line x1="${X(h.x.lo + i * w).toFixed(2)}" x2="${X(h.x.lo + i * w).toFixed(2)}" y1="${base.toFixed(2)}" y2="${Y(Math.min(h.sumw[i - 1]!, h.sumw[i]!)).toFixed(2)}" stroke="${esc(c.bg)}"/>`);
    }
    const err: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = h.sumw[i]!;
      const e = Math.sqrt(h.sumw2[i]!);
      if (e === 0 || (o.log && v <= 0)) continue;
      const x = X(h.x.lo + (i + 0.5) * w).toFixed(2);
      err.push(`M${x},${Y(Math.max(v - e, o.log ? lo : -Infinity)).toFixed(2)}V${Y(v + e).toFixed(2)}`);
    }
    if (err.length) out.push(`<path d="${err.join('')}" stroke="${esc(c.err)}" fill="none"/>`);
  }

  // frame, ticks and labels
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="${esc(c.muted)}"/>`);
  for (const t of niceTicks(h.x.lo, h.x.hi)) {
    const x = X(t).toFixed(2);
    out.push(`<line x1="${x}" x2="${x}" y1="${m.t + ph}" y2="${m.t + ph + 5}" stroke="${esc(c.muted)}"/><text x="${x}" y="${m.t + ph + 18}" text-anchor="middle" fill="${esc(c.fg)}">${esc(fmtNum(t))}</text>`);
  }
  for (const t of yTicks) {
    const y = Y(t);
    if (y < m.t - 0.5 || y > m.t + ph + 0.5) continue;
    out.push(`<line x1="${m.l - 5}" x2="${m.l}" y1="${y.toFixed(2)}" y2="${y.toFixed(2)}" stroke="${esc(c.muted)}"/><text x="${m.l - 8}" y="${(y + 4).toFixed(2)}" text-anchor="end" fill="${esc(c.fg)}">${esc(fmtNum(t))}</text>`);
  }
  out.push(`<text x="${m.l + pw / 2}" y="${H - 12}" text-anchor="middle" fill="${esc(c.fg)}">${esc(o.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" fill="${esc(c.fg)}">${esc(o.yLabel ?? (h.weighted ? 'Σ weights' : 'entries'))}</text>`);
  if (!h.y) {
    const sx = m.l + pw - 8;
    o.stats.forEach(([k, v], i) => out.push(`<text x="${sx}" y="${m.t + 16 + i * 15}" text-anchor="end" fill="${esc(c.fg)}">${esc(`${k} ${v}`)}</text>`));
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** The live canvas (and colour bar) under a title, at device resolution. */
export function toPNG(canvas: HTMLCanvasElement, title: string, colors: PlotColors, stats: [string, string][], bar?: HTMLCanvasElement): Promise<Blob> {
  const dpr = devicePixelRatio || 1;
  const titleH = Math.round(28 * dpr);
  const out = document.createElement('canvas');
  out.width = canvas.width + (bar ? bar.width : 0);
  out.height = canvas.height + titleH;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = colors.bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = colors.fg;
  ctx.font = `600 ${Math.round(14 * dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, 10 * dpr, titleH / 2);
  ctx.drawImage(canvas, 0, titleH);
  if (bar) ctx.drawImage(bar, canvas.width, titleH);
  ctx.font = `${Math.round(11 * dpr)}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  stats.forEach(([k, v], i) => ctx.fillText(`${k} ${v}`, canvas.width - 12 * dpr, titleH + (14 + i * 14) * dpr));
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
}
