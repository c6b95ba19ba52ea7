// Numbers as people read them in a status line or a table cell.

const int = new Intl.NumberFormat('en');

export const fmtInt = (n: number): string => (Number.isFinite(n) ? int.format(Math.round(n)) : '–');

/** Four significant digits, no trailing zeros; exponent form for very large or small values. */
export function fmtNum(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(digits)));
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];
export function fmtBytes(b: number): string {
  if (!Number.isFinite(b) || b <= 0) return '0 B';
  const i = Math.min(UNITS.length - 1, Math.floor(Math.log(b) / Math.log(1000)));
  const v = b / 1000 ** i;
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[i]}`;
}

export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '…';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function fmtRate(perSec: number, unit: string): string {
  if (!Number.isFinite(perSec) || perSec <= 0) return `– ${unit}/s`;
  if (perSec >= 1e9) return `${(perSec / 1e9).toFixed(2)} G${unit}/s`;
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(1)} M${unit}/s`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)} k${unit}/s`;
  return `${Math.round(perSec)} ${unit}/s`;
}

export const pct = (num: number, den: number): string => (den > 0 ? `${((100 * num) / den).toFixed(2)} %` : '–');
