import type { HistogramResult } from '../../workers/protocol';
import { fmtInt, fmtNum } from '../format';

/** The stats box, ROOT-style: what was counted and where it fell. */
export function statsRows(h: HistogramResult): [string, string][] {
  return [
    ['entries', fmtInt(h.entries)],
    ...(h.y
      ? [['mean x', fmtNum(h.mean)], ['mean y', fmtNum(h.meanY ?? NaN)], ['std x', fmtNum(h.std)], ['std y', fmtNum(h.stdY ?? NaN)]] as [string, string][]
      : [['mean', fmtNum(h.mean)], ['std', fmtNum(h.std)]] as [string, string][]),
    ['underflow', fmtInt(h.underflow)],
    ['overflow', fmtInt(h.overflow)],
    ['NaN', fmtInt(h.nan)],
  ];
}
