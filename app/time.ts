// Columns of dates and timestamps hold f64 seconds since 1970-01-01 UTC (DESIGN.md);
// plots, stats and the column table show them as dates, always in UTC, so a
// figure reads the same wherever it is opened.
import uPlot from 'uplot';
import type { ColumnInfo } from '../workers/store/types';
import { fmtNum } from './format';

export type TimeKind = 'date' | 'timestamp';

/**
 * Whether an axis expression is a time column: the column itself, or a define
 * that is one (followed a few levels). Arithmetic on times is not a time.
 */
export function timeKindOf(expr: string, columns: readonly ColumnInfo[], defines: readonly { name: string; expr: string }[]): TimeKind | undefined {
  let name = expr.trim();
  for (let depth = 0; depth < 8; depth++) {
    const col = columns.find((c) => c.name === name);
    if (col) return col.time;
    const def = defines.find((d) => d.name === name);
    if (!def) return undefined;
    name = def.expr.trim();
  }
  return undefined;
}

/** `2012-03-04` for dates; `2012-03-04 05:06`, with seconds and fractions only when present, for timestamps. */
export function fmtTime(seconds: number, kind: TimeKind): string {
  if (!Number.isFinite(seconds)) return fmtNum(seconds);
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return fmtNum(seconds);
  const iso = d.toISOString();
  if (kind === 'date' && seconds % 86400 === 0) return iso.slice(0, 10);
  return iso.slice(0, 19).replace('T', ' ').replace(/:00$/, '') + (d.getUTCMilliseconds() ? iso.slice(19, 23) : '');
}

/** A spread of times (a standard deviation): in the largest unit that keeps it above 1. */
export function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return fmtNum(seconds);
  const units: [number, string][] = [[86400 * 365.25, 'y'], [86400, 'd'], [3600, 'h'], [60, 'min']];
  for (const [s, u] of units) if (Math.abs(seconds) >= s) return `${fmtNum(seconds / s, 3)} ${u}`;
  return `${fmtNum(seconds, 3)} s`;
}

/** uPlot's clock for time scales, in seconds: UTC, not the viewer's zone. */
export const utcDate = (ts: number): Date => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

/** A value on an axis: a date when the axis is a time, else a number. */
export const fmtValue = (v: number, kind: TimeKind | undefined, digits = 6): string => (kind ? fmtTime(v, kind) : fmtNum(v, digits));
