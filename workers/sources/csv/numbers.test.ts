import { describe, expect, test } from 'vitest';
import { Class, classified, classify, LEADING_ZERO, NOT_INT, num, numValue, parseNumber, SLOW } from './numbers';
import { seededRandom } from '../../expr/random';

const enc = new TextEncoder();

/** What the reader makes of a whole field: the fast parser, or Number() when it says SLOW. */
function parsed(text: string): number {
  const u8 = enc.encode(text);
  parseNumber(u8, 0, u8.length);
  expect(num.end, `${text} parsed to its end`).toBe(u8.length);
  return (num.flags & SLOW) !== 0 ? Number(text) : numValue[0]!;
}

const same = (a: number, b: number) => Object.is(a, b);

describe('parseNumber', () => {
  test('plain forms', () => {
    for (const t of ['0', '-0', '+0', '1', '-1', '42', '007', '1.5', '-.5', '.5', '5.', '1e5', '1E5', '1e+5', '1e-5', '-1.25e-3',
      '0.1', '0.30000000000000004', '123456789', '2147483647', '-2147483648', '2147483648', '1e22', '1e23', '1.7976931348623157e308',
      '5e-324', '2.2250738585072014e-308', '1e400', '1e-400', '00.5', '0e999', '123456789012345678901234567890']) {
      expect(same(parsed(t), Number(t)), t).toBe(true);
    }
  });

  test('flags', () => {
    const flags = (t: string) => { const u = enc.encode(t); parseNumber(u, 0, u.length); return num.flags & ~SLOW; };
    expect(flags('12')).toBe(0);
    expect(flags('1.0')).toBe(NOT_INT);
    expect(flags('1e3')).toBe(NOT_INT);
    expect(flags('007')).toBe(LEADING_ZERO);
    expect(flags('0')).toBe(0);
    expect(flags('0.5')).toBe(NOT_INT);
  });

  test('stops where the number stops', () => {
    const at = (t: string) => { const u = enc.encode(t); parseNumber(u, 0, u.length); return [num.end, num.digits]; };
    expect(at('12,3')).toEqual([2, 2]);
    expect(at('1e')).toEqual([1, 1]);
    expect(at('1e+x')).toEqual([1, 1]);
    expect(at('-')).toEqual([1, 0]);
    expect(at('.')).toEqual([1, 0]);
    expect(at('abc')).toEqual([0, 0]);
    expect(at('1.2.3')).toEqual([3, 2]);
  });

  test('16 to 19 significant digits round like Number(), ties to even included', () => {
    const cases = [
      '9007199254740993', '9007199254740995', '18014398509481986', '18014398509481990', '4503599627370496.5', '4503599627370497.5',
      '9223372036854775807', '9223372036854775808', '1844674407370955161', '0.1000000000000000055511151231257827',
      '1.0000000000000002', '1.00000000000000011', '0.30000000000000004441', '123456789012345.67', '99999999999999999',
      '9007199254740991.5', '4503599627370495.75', '4503599627370495.5', '0.99999999999999994', '0.999999999999999944', '2.0000000000000002220',
      '8.988465674311579e307', '4.450147717014403e-308', '1.2345678901234567e-250', '1.2345678901234567e260',
    ];
    for (const t of cases) expect(same(parsed(t), Number(t)), t).toBe(true);
  });

  test('a million random long decimals agree with Number() bit for bit', () => {
    const rnd = seededRandom(7);
    const digit = () => String(Math.floor(rnd() * 10));
    let fallback = 0;
    const wrong: string[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const n = 1 + Math.floor(rnd() * 19);
      let d = String(1 + Math.floor(rnd() * 9));
      for (let k = 1; k < n; k++) d += digit();
      const dot = Math.floor(rnd() * (n + 3));
      let t = dot >= n ? d : `${d.slice(0, dot)}.${d.slice(dot)}`;
      if (dot === 0) t = `0${t}`;
      const r = rnd();
      if (r < 0.3) t += `e${Math.floor(rnd() * 40) - 20}`;
      else if (r < 0.4) t += `e${Math.floor(rnd() * 640) - 320}`;
      if (rnd() < 0.5) t = `-${t}`;
      const u8 = enc.encode(t);
      parseNumber(u8, 0, u8.length);
      if ((num.flags & SLOW) !== 0) { fallback++; continue; }
      if (!same(numValue[0]!, Number(t))) wrong.push(t);
    }
    expect(wrong).toEqual([]);
    // the double-double path takes the long ones; Number() only the rare rest
    expect(fallback).toBeLessThan(150_000);
    console.log(`random decimals: ${fallback} of 1e6 fell back to Number()`);
  });

  test('doubles printed by JS read back exactly, nearly all without Number()', () => {
    const rnd = seededRandom(11);
    const wrong: string[] = [];
    let fallback = 0;
    for (let i = 0; i < 300_000; i++) {
      const x = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 15);
      for (const v of [x, Math.fround(x)]) {
        const t = String(v);
        const u8 = enc.encode(t);
        parseNumber(u8, 0, u8.length);
        if ((num.flags & SLOW) !== 0) fallback++;
        else if (!same(numValue[0]!, v)) wrong.push(t);
      }
    }
    expect(wrong).toEqual([]);
    // exponents beyond ±22 after scaling (1e-7 and smaller, printed with 17 digits) fall back
    expect(fallback).toBeLessThan(200_000);
    console.log(`JS-printed doubles: ${fallback} of 6e5 fell back to Number()`);
  });
});

describe('classify', () => {
  const cls = (t: string) => { const u = enc.encode(t); return [classify(u, 0, u.length), classified[0]]; };
  test('classes and values', () => {
    expect(cls('12')).toEqual([Class.INT, 12]);
    expect(cls(' 12 ')).toEqual([Class.INT, 12]);
    expect(cls('2147483648')).toEqual([Class.FLOAT, 2147483648]);
    expect(cls('2.5')).toEqual([Class.FLOAT, 2.5]);
    expect(cls('1e3')).toEqual([Class.FLOAT, 1000]);
    expect(cls('007')).toEqual([Class.LEADING_ZERO, 7]);
    expect(cls('')).toEqual([Class.NULL, NaN]);
    expect(cls('   ')).toEqual([Class.NULL, NaN]);
    for (const t of ['NA', 'N/A', '#N/A', 'NULL', 'null', 'None']) expect(cls(t)).toEqual([Class.NULL, NaN]);
    for (const t of ['inf', 'Inf', '+inf', 'INF', 'infinity', 'Infinity']) expect(cls(t)).toEqual([Class.FLOAT, Infinity]);
    for (const t of ['-inf', '-Infinity']) expect(cls(t)).toEqual([Class.FLOAT, -Infinity]);
    for (const t of ['nan', 'NaN', 'NAN', '-nan']) expect(cls(t)[0]).toBe(Class.FLOAT);
    for (const t of ['abc', '1,5', '0x1F', '1 2', '12abc', '-', '.', 'e5', 'na', 'none']) expect(cls(t)[0], t).toBe(Class.STRING);
  });
});
