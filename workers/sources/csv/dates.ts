// ISO 8601 dates and timestamps from bytes, as f64 seconds since 1970-01-01 UTC
// (DESIGN.md: "timestamps and dates become f64 seconds since the epoch (UTC)").
// Accepted: YYYY-MM-DD (or YYYY/MM/DD: year first is never ambiguous), then optionally T or one space, HH:MM, optionally :SS and
// a fraction, then optionally Z, ±HH, ±HHMM or ±HH:MM. A timestamp without a zone
// is a wall clock read as UTC (as DuckDB's TIMESTAMP and Parquet's non-UTC
// timestamps are). Anything else (US or European orders, month names) is text:
// those orders are ambiguous, and guessing wrong would be silent.

export const DateKind = { NONE: 0, DATE: 1, TIMESTAMP: 2 } as const;

/** Set by parseDateTime: the value in seconds; unboxed. */
export const dateValue = new Float64Array(1);

const digit = (b: number) => b - 48;
const isDigit = (b: number | undefined) => b !== undefined && b >= 48 && b <= 57;

function two(u8: Uint8Array, p: number): number {
  return isDigit(u8[p]) && isDigit(u8[p + 1]) ? digit(u8[p]!) * 10 + digit(u8[p + 1]!) : -1;
}

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/**
 * Whether u8[s, e) (spaces already trimmed) is an ISO date or timestamp; its
 * value in seconds goes to dateValue[0].
 */
export function parseDateTime(u8: Uint8Array, s: number, e: number): number {
  const len = e - s;
  const sep = u8[s + 4];
  if (len < 10 || (sep !== 45 && sep !== 47) || u8[s + 7] !== sep) return DateKind.NONE;
  const hi = two(u8, s), lo = two(u8, s + 2), m = two(u8, s + 5), d = two(u8, s + 8);
  if (hi < 0 || lo < 0 || m < 0 || d < 0) return DateKind.NONE;
  const y = hi * 100 + lo;
  if (!validDay(y, m, d)) return DateKind.NONE;
  const day = daysFromCivil(y, m, d) * 86400;
  if (len === 10) { dateValue[0] = day; return DateKind.DATE; }
  let p = s + 10;
  const t = u8[p];
  if (t !== 84 && t !== 116 && t !== 32) return DateKind.NONE; // T t space
  p++;
  const hh = two(u8, p);
  if (hh < 0 || hh > 23 || u8[p + 2] !== 58) return DateKind.NONE;
  const mm = two(u8, p + 3);
  if (mm < 0 || mm > 59) return DateKind.NONE;
  p += 5;
  let secs = 0;
  let frac = 0;
  if (p < e && u8[p] === 58) {
    const ss = two(u8, p + 1);
    if (ss < 0 || ss > 60) return DateKind.NONE; // 60: a leap second, read as the next minute's 0
    secs = ss;
    p += 3;
    if (p < e && (u8[p] === 46 || u8[p] === 44)) {
      p++;
      let digits = 0;
      let scale = 1;
      while (p < e && isDigit(u8[p])) {
        if (digits < 15) { frac = frac * 10 + digit(u8[p]!); scale *= 10; }
        digits++;
        p++;
      }
      if (digits === 0) return DateKind.NONE;
      frac /= scale;
    }
  }
  let offset = 0;
  if (p < e) {
    const z = u8[p];
    if ((z === 90 || z === 122) && p + 1 === e) p++; // Z z
    else if (z === 43 || z === 45) { // + -
      const oh = two(u8, p + 1);
      if (oh < 0 || oh > 23) return DateKind.NONE;
      let om = 0;
      let q = p + 3;
      if (q < e) {
        if (u8[q] === 58) q++;
        om = two(u8, q);
        if (om < 0 || om > 59) return DateKind.NONE;
        q += 2;
      }
      offset = (oh * 60 + om) * 60 * (z === 45 ? -1 : 1);
      p = q;
    }
  }
  if (p !== e) return DateKind.NONE;
  dateValue[0] = day + hh * 3600 + mm * 60 + secs - offset + frac;
  return DateKind.TIMESTAMP;
}
