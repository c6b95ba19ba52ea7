import { describe, expect, test } from 'vitest';
import { fmtDuration, fmtTime, timeKindOf } from './time';

describe('time axes', () => {
  test('dates and timestamps print in UTC, trimmed', () => {
    expect(fmtTime(Date.UTC(2012, 2, 4) / 1000, 'date')).toBe('2012-03-04');
    expect(fmtTime(Date.UTC(2012, 2, 4, 5, 6) / 1000, 'timestamp')).toBe('2012-03-04 05:06');
    expect(fmtTime(Date.UTC(2012, 2, 4, 5, 6, 7) / 1000, 'timestamp')).toBe('2012-03-04 05:06:07');
    expect(fmtTime(Date.UTC(2012, 2, 4, 5, 6, 7, 250) / 1000, 'timestamp')).toBe('2012-03-04 05:06:07.250');
    // a date axis edge that is not midnight (a bin edge) keeps its time
    expect(fmtTime(Date.UTC(2012, 2, 4, 12) / 1000, 'date')).toBe('2012-03-04 12:00');
    expect(fmtTime(-86400, 'date')).toBe('1969-12-31');
    expect(fmtTime(NaN, 'date')).toBe('NaN');
    expect(fmtTime(1e300, 'date')).toBe('1e+300');
  });

  test('spreads in the largest unit above one', () => {
    expect(fmtDuration(30)).toBe('30 s');
    expect(fmtDuration(5400)).toBe('1.5 h');
    expect(fmtDuration(86400 * 3)).toBe('3 d');
    expect(fmtDuration(86400 * 730.5)).toBe('2 y');
  });

  test('an axis is a time when its expression is a time column or a define that is one', () => {
    const columns = [{ name: 'day', type: 'f64' as const, time: 'date' as const }, { name: 'x', type: 'f64' as const }];
    const defines = [{ name: 'd2', expr: ' day ' }, { name: 'd3', expr: 'd2' }, { name: 'later', expr: 'day + 86400' }, { name: 'loop', expr: 'loop' }];
    expect(timeKindOf('day', columns, defines)).toBe('date');
    expect(timeKindOf('d3', columns, defines)).toBe('date');
    expect(timeKindOf('later', columns, defines)).toBeUndefined();
    expect(timeKindOf('x', columns, defines)).toBeUndefined();
    expect(timeKindOf('loop', columns, defines)).toBeUndefined();
  });
});
