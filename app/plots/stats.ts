import type { HistogramResult } from '../../workers/protocol';
import { fmtInt, fmtNum } from '../format';
import { fmtDuration, fmtTime, type TimeKind } from '../time';

const mean = (v: number, t?: TimeKind) => (t ? fmtTime(v, 'timestamp') : fmtNum(v));
const spread = (v: number, t?: TimeKind) => (t ? fmtDuration(v) : fmtNum(v));

/** The stats box, ROOT-style: what was counted and where it fell. Times: mean as a date, std as a duration. */
export function statsRows(h: HistogramResult, xTime?: TimeKind, yTime?: TimeKind): [string, string][] {
  return [
    ['entries', fmtInt(h.entries)],
    ...(h.y
      ? [['mean x', mean(h.mean, xTime)], ['mean y', mean(h.meanY ?? NaN, yTime)], ['std x', spread(h.std, xTime)], ['std y', spread(h.stdY ?? NaN, yTime)]] as [string, string][]
      : [['mean', mean(h.mean, xTime)], ['std', spread(h.std, xTime)]] as [string, string][]),
    ['underflow', fmtInt(h.underflow)],
    ['overflow', fmtInt(h.overflow)],
    ['NaN', fmtInt(h.nan)],
  ];
}
