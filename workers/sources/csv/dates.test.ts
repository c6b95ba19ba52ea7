import { describe, expect, test } from 'vitest';
import { DateKind, dateValue, daysFromCivil, parseDateTime } from './dates';
import { seededRandom } from '../../expr/random';

const enc = new TextEncoder();
const parse = (text: string): [number, number] => {
  const b = enc.encode(text);
  const kind = parseDateTime(b, 0, b.length);
  return [kind, kind === DateKind.NONE ? NaN : dateValue[0]!];
};

// The reference: JavaScript's Date, which reads ISO forms with a zone (or date-only forms) as UTC.
const ref = (iso: string) => Date.parse(iso) / 1000;

describe('ISO dates and timestamps', () => {
  test('days from the civil calendar agree with Date.UTC over ±3000 years', () => {
    const rnd = seededRandom(3);
    const wrong: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const y = Math.floor(rnd() * 6000) - 3000, m = 1 + Math.floor(rnd() * 12), d = 1 + Math.floor(rnd() * 28);
      const date = new Date(0);
      date.setUTCFullYear(y, m - 1, d);
      if (daysFromCivil(y, m, d) !== Math.round(date.getTime() / 86400000)) wrong.push(`${y}-${m}-${d}`);
    }
    expect(wrong).toEqual([]);
  });

  test('random timestamps in every accepted spelling agree with Date.parse', () => {
    const rnd = seededRandom(5);
    const wrong: string[] = [];
    const p2 = (n: number) => String(n).padStart(2, '0');
    for (let i = 0; i < 5000; i++) {
      const t = new Date(Math.floor((rnd() - 0.3) * 4e12));
      const y = t.getUTCFullYear();
      if (y < 1000 || y > 9999) continue;
      const date = `${y}-${p2(t.getUTCMonth() + 1)}-${p2(t.getUTCDate())}`;
      const hm = `${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}`;
      const ms = t.getUTCMilliseconds();
      const secs = `${hm}:${p2(t.getUTCSeconds())}`;
      const oh = Math.floor(rnd() * 14), om = [0, 30, 45][i % 3]!, sign = rnd() < 0.5 ? '+' : '-';
      const zone = `${sign}${p2(oh)}:${p2(om)}`;
      const cases: [string, string, number][] = [
        [date, date, DateKind.DATE],
        [date.replaceAll('-', '/'), date, DateKind.DATE],
        [`${date}T${hm}`, `${date}T${hm}Z`, DateKind.TIMESTAMP],
        [`${date} ${secs}`, `${date}T${secs}Z`, DateKind.TIMESTAMP],
        [`${date}T${secs}.${String(ms).padStart(3, '0')}Z`, `${date}T${secs}.${String(ms).padStart(3, '0')}Z`, DateKind.TIMESTAMP],
        [`${date}T${secs}${zone}`, `${date}T${secs}${zone}`, DateKind.TIMESTAMP],
        [`${date}T${secs}${zone.replace(':', '')}`, `${date}T${secs}${zone}`, DateKind.TIMESTAMP],
      ];
      for (const [text, iso, kind] of cases) {
        const [k, v] = parse(text);
        if (k !== kind || !(Math.abs(v - ref(iso)) < 1e-6)) wrong.push(`${text}: ${k} ${v} vs ${ref(iso)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('fractions finer than milliseconds, and a bare hour offset', () => {
    expect(parse('1970-01-01T00:00:00.000001')).toEqual([DateKind.TIMESTAMP, 1e-6]);
    expect(parse('1970-01-01T01:00:00+01')).toEqual([DateKind.TIMESTAMP, 0]);
    expect(parse('1969-12-31 23:59:59.5Z')).toEqual([DateKind.TIMESTAMP, -0.5]);
  });

  test.each([
    '2021-02-29', '2021-13-01', '2021-00-10', '2021-04-31', '20210101', '2021-1-01', '2021-01-01T', '2021-01-01T25:00',
    '2021-01-01T10:60', '2021-01-01T10:00:00.', '2021-01-01T10:00+24:00', '2021-01-01 10:00 UTC', '2021/01-01',
    '01/02/2021', '2021-01-01x', 'Jan 1 2000', '2021-01-01T10:00:00Zz',
  ])('%s is not a date', (text) => {
    expect(parse(text)[0]).toBe(DateKind.NONE);
  });

  test('leap days are dates in leap years only', () => {
    expect(parse('2000-02-29')[0]).toBe(DateKind.DATE);
    expect(parse('2024-02-29')[0]).toBe(DateKind.DATE);
    expect(parse('1900-02-29')[0]).toBe(DateKind.NONE);
  });
});
