// Canvas-drawn plots can't use CSS variables directly: they read them once per
// plot (and again when the system theme changes, which rebuilds the plot).

export interface PlotColors {
  fg: string;
  muted: string;
  grid: string;
  line: string;
  fill: string;
  err: string;
  bg: string;
}

export function plotColors(el: Element = document.documentElement): PlotColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--fg', '#1b1f24'),
    muted: v('--muted', '#5b6470'),
    grid: v('--grid', 'rgba(0,0,0,0.08)'),
    line: v('--accent', '#3b6fd8'),
    fill: v('--accent-fill', 'rgba(59,111,216,0.15)'),
    err: v('--err-bar', '#1b1f24'),
    bg: v('--panel', '#ffffff'),
  };
}

// Viridis, sampled at 9 stops and interpolated: perceptually uniform, readable in both themes.
// see: https://bids.github.io/colormap/
const VIRIDIS = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
] as const;

/** 256 RGBA entries as one Uint32 each, little-endian (ready for an ImageData view). */
export const VIRIDIS_LUT: Uint32Array = (() => {
  const out = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (VIRIDIS.length - 1);
    const k = Math.min(VIRIDIS.length - 2, Math.floor(t));
    const f = t - k;
    const [r, g, b] = [0, 1, 2].map((c) => Math.round(VIRIDIS[k]![c]! * (1 - f) + VIRIDIS[k + 1]![c]! * f));
    out[i] = (255 << 24) | (b! << 16) | (g! << 8) | r!;
  }
  return out;
})();

export const lutCss = (i: number): string => {
  const v = VIRIDIS_LUT[Math.max(0, Math.min(255, Math.round(i)))]!;
  return `rgb(${v & 255},${(v >> 8) & 255},${(v >> 16) & 255})`;
};
