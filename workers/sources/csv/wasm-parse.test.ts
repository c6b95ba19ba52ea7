// The WASM fast path against decodeChunk, the reference: on every chunk the
// kernel takes, pages, dictionaries, codes and info are the same (floats bit
// for bit); every chunk it must not take, it declines (null).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../../kernels/test/wasm';
import { KernelHost } from '../../exec/KernelHost';
import type { DecodeReport, DecodeTask } from '../../protocol';
import { decodeChunk, type CsvDecodeArgs, type PageType } from './decode';
import { num, parseNumber, SLOW } from './numbers';
import { numberedAs, PageDictionary } from './PageDictionary';
import { csvScratchBytes, decodeChunkWasm } from './wasm-parse';

const k = loadKernels();
const SCRATCH = 24 << 20;
const scratch = { ptr: k.alloc(SCRATCH), bytes: SCRATCH };
const enc = new TextEncoder();
// destinations come from one arena, reused: each dests() call starts it over
const ARENA = 16 << 20;
const arena = k.alloc(ARENA);
let arenaTop = arena;
function shared<T>(C: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number }, n: number): T {
  const ptr = arenaTop;
  arenaTop += (n * C.BYTES_PER_ELEMENT + 63) & ~63;
  if (arenaTop > arena + ARENA) throw new Error('test arena exhausted');
  return new C(k.memory.buffer, ptr, n);
}

type Dest = Float64Array | Float32Array | Int32Array | null;
type Page = { column: number; type: PageType };

function argsFor(names: string[], rows: number, pages: Page[], delim = 44): CsvDecodeArgs {
  return { file: 't.csv', names, delim, skipBadRows: false, rows, line: 2, pages };
}

/** Destinations: in the kernels' shared memory for the WASM path, plain arrays for the reference. */
function dests(args: CsvDecodeArgs, inMemory: boolean): Dest[] {
  arenaTop = arena;
  return args.pages.map((p) => {
    if (p.type === 'dict') return null;
    const n = args.rows;
    const C = p.type === 'f32' ? Float32Array : p.type === 'i32' ? Int32Array : Float64Array;
    if (!inMemory) return new C(n).fill(7); // a value nothing writes by accident
    const d = shared<Float64Array | Float32Array | Int32Array>(C, n);
    d.fill(7);
    return d;
  });
}

const byteView = (d: Exclude<Dest, null>) => new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

function sameBytes(a: Exclude<Dest, null>, b: Exclude<Dest, null>): number {
  const x = byteView(a);
  const y = byteView(b);
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / a.BYTES_PER_ELEMENT);
  return -1;
}

/** Both paths over the same bytes; the WASM report (null when declined) after checking it equals the reference. */
function both(bytes: Uint8Array, args: CsvDecodeArgs): DecodeReport | null {
  const dw = dests(args, true);
  const wasm = decodeChunkWasm(k.exports, k.memory, scratch, bytes, args, dw);
  if (!wasm) return null;
  const dj = dests(args, false);
  const ref = decodeChunk(bytes, args, dj);
  expect(wasm.info).toEqual(ref.info);
  expect(wasm.pages.length).toBe(ref.pages.length);
  wasm.pages.forEach((p, i) => {
    const r = ref.pages[i]!;
    expect(p.kind).toBe(r.kind);
    if (p.kind === 'dict' && r.kind === 'dict') {
      expect(p.dictionary).toEqual(r.dictionary);
      expect(p.codes.constructor).toBe(r.codes.constructor);
      expect(Array.from(p.codes)).toEqual(Array.from(r.codes));
    } else if (dw[i]) {
      const at = sameBytes(dw[i]!, dj[i]!);
      if (at >= 0) expect({ page: i, row: at, wasm: dw[i]![at] }).toEqual({ page: i, row: at, wasm: dj[i]![at] });
    }
  });
  return wasm;
}

const text = (rows: string[], eol = '\n') => enc.encode(rows.join(eol) + eol);

// ---- random data
let seed = 2024;
const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

/** A double as people and programs print them. */
function float(): string {
  const x = normal() * 10 ** Math.floor(rand() * 12 - 6);
  switch (Math.floor(rand() * 8)) {
    case 0: return String(x);
    case 1: return x.toFixed(Math.floor(rand() * 10));
    case 2: return x.toPrecision(1 + Math.floor(rand() * 17));
    case 3: return x.toExponential(Math.floor(rand() * 16));
    case 4: return x.toExponential(Math.floor(rand() * 10)).replace('e+', 'E');
    case 5: return String(Math.round(x * 1000));
    case 6: return pick(['0', '-0', '0.0', '-0.000', '.5', '-.25', '5.', '+1.5', '1e5', '1E-5', '007.5', '0.000000000000000000000001234', '123456789012345678', '1.5e-30', '']);
    default: return x.toFixed(6);
  }
}

function int(): string {
  switch (Math.floor(rand() * 5)) {
    case 0: return pick(['2147483647', '-2147483648', '0', '-0', '+7', '0042', '-1']);
    case 1: return String(Math.floor(rand() * 10));
    case 2: return String(Math.floor((rand() - 0.5) * 2 ** 32) | 0);
    default: return String(Math.floor((rand() - 0.5) * 2000));
  }
}

const WORDS = ['alpha', 'beta', 'gamma', 'δέλτα', '日本語', 'x y', '', 'NA', 'null', 'inf', '1.5', 'a-b_c', 'long text with many words in it to cross sixteen bytes', '😀'];

function field(t: PageType | 'skip'): string {
  if (t === 'i32') return int();
  if (t === 'dict' || t === 'skip') return rand() < 0.7 ? pick(WORDS) : float();
  return float();
}

interface Shape { names: string[]; types: (PageType | 'skip')[]; delim: number }

function randomShape(): Shape {
  const n = 1 + Math.floor(rand() * 6);
  const types = Array.from({ length: n }, () => pick<PageType | 'skip'>(['f64', 'f64', 'f32', 'i32', 'dict', 'skip']));
  const delim = n === 1 ? pick([0, 44]) : pick([44, 9, 59, 124]);
  return { names: types.map((_, i) => `c${i}`), types, delim };
}

function randomChunk(shape: Shape, rows: number): { bytes: Uint8Array; args: CsvDecodeArgs } {
  const d = shape.delim === 0 ? '' : String.fromCharCode(shape.delim);
  const eol = rand() < 0.3 ? '\r\n' : '\n';
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.03) lines.push('');
    let line = shape.types.map(field).join(d);
    // a blank record is not a record: in one-column files an empty value is written ""
    if (line === '') line = shape.types[0] === 'dict' || shape.types[0] === 'skip' ? 'x' : '0';
    lines.push(line);
  }
  const body = lines.join(eol) + (rand() < 0.8 ? eol : '');
  const pages = shape.types.flatMap((t, column) => (t === 'skip' ? [] : [{ column, type: t }]));
  return { bytes: enc.encode(body), args: argsFor(shape.names, rows, pages, shape.delim) };
}

describe('decodeChunkWasm equals decodeChunk', () => {
  it('on 300 random chunks of every shape (floats as printed, ints, UTF-8 text, CRLF, blank lines, delimiters)', () => {
    let taken = 0;
    let declined = 0;
    for (let i = 0; i < 300; i++) {
      const shape = randomShape();
      const { bytes, args } = randomChunk(shape, 1 + Math.floor(rand() * 400));
      // a dictionary column that met a number is still text; a number column met no text: every chunk must be taken
      if (both(bytes, args)) taken++;
      else declined++;
    }
    // the generator writes nothing the kernel declines: no quotes, no lone CRs, no spellings, no exponents past ±264
    expect({ taken, declined }).toEqual({ taken: 300, declined: 0 });
  });

  it('on the benchmark shape, 65536 rows', () => {
    const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const rows = Array.from({ length: 65536 }, () =>
      `${normal().toFixed(6)},${normal().toFixed(6)},${(-Math.log(1 - rand())).toFixed(6)},${Math.floor(rand() * 10)},${pick(cats)}`);
    const args = argsFor(['x', 'y', 'z', 'k', 'cat'], rows.length,
      [{ column: 0, type: 'f64' }, { column: 1, type: 'f64' }, { column: 2, type: 'f64' }, { column: 3, type: 'i32' }, { column: 4, type: 'dict' }]);
    const r = both(text(rows), args);
    expect(r).not.toBeNull();
    const page = r!.pages[4]!;
    expect(page.kind === 'dict' && page.dictionary.length).toBe(5);
  });

  it('on full-precision doubles (String(x)), f64 and f32 pages', () => {
    const rows = Array.from({ length: 20000 }, () => `${normal() * 10 ** Math.floor(rand() * 26 - 15)},${String(normal())}`);
    const args = argsFor(['a', 'b'], rows.length, [{ column: 0, type: 'f64' }, { column: 1, type: 'f32' }]);
    expect(both(text(rows), args)).not.toBeNull();
  });

  it('on an empty chunk, and on one of blank lines only', () => {
    const args = argsFor(['a', 'b'], 0, [{ column: 0, type: 'f64' }, { column: 1, type: 'dict' }]);
    expect(both(new Uint8Array(0), args)).not.toBeNull();
    expect(both(enc.encode('\n\r\n\n'), args)).not.toBeNull();
  });

  it('a chunk with more line ends than plain rows give is taken: its index covers a slice at a time, cut at a line end', () => {
    const args = argsFor(['a', 'b'], 10, [{ column: 0, type: 'f64' }, { column: 1, type: 'dict' }]);
    const rows = Array.from({ length: 10 }, (_, i) => `${i},x`);
    // 10 rows of 2 fields: an index of 10 * 4 + 64 + 32 entries; 200 blank lines take several slices
    expect(both(enc.encode(`${rows.join('\n')}${'\n'.repeat(30)}`), args)).not.toBeNull();
    expect(both(enc.encode(`${rows.join('\n')}${'\n'.repeat(200)}`), args)).not.toBeNull();
    expect(both(enc.encode(`${'\n'.repeat(150)}${rows.join('\r\n\r\n')}${'\r\n'.repeat(150)}`), args)).not.toBeNull();
  });

  it('the genome matrix: 34 columns of rows cut into slices anywhere (CRLF, blank lines), 32 text columns in one table', () => {
    const names = ['chrom', 'pos', ...Array.from({ length: 32 }, (_, i) => `s${i + 1}`)];
    const pages: Page[] = names.map((_, column) => ({ column, type: column < 2 ? 'i32' : 'dict' }));
    for (const eol of ['\n', '\r\n']) {
      const lines: string[] = [];
      let records = 0;
      while (records < 3000) {
        // blank lines and a few long values move where each slice of the index ends
        if (rand() < 0.02) { lines.push(''); continue; }
        const letters = Array.from({ length: 32 }, (_, j) => (j === 7 && rand() < 0.1 ? 'N'.repeat(1 + Math.floor(rand() * 40)) : 'ACGT'[Math.floor(rand() * 4)]));
        lines.push([1 + Math.floor(rand() * 22), 10_000_000 + records * 17, ...letters].join('\t'));
        records++;
      }
      const bytes = text(lines, eol);
      const structural = bytes.reduce((n, b) => n + (b === 9 || b === 10 || b === 13 ? 1 : 0), 0);
      expect(structural).toBeGreaterThan(5 * 16384);
      const r = both(bytes, argsFor(names, records, pages, 9));
      expect(r).not.toBeNull();
      const s8 = r!.pages[9]!;
      expect(s8.kind === 'dict' && s8.dictionary.length).toBeGreaterThan(20);
    }
  });

  it('empty and one-byte text fields (looked up by byte, not hashed) next to longer ones, in two columns', () => {
    const ones = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((ch) => !',"'.includes(ch));
    const values = [...ones, '', 'AA', 'A ', ' A', 'x'.repeat(20)];
    const lines: Uint8Array[] = [];
    for (let i = 0; i < 5000; i++) {
      const a = values[(i * 3) % values.length]!;
      const b = values[(i * 13 + 5) % values.length]!;
      lines.push(enc.encode(`${i},${a},${b}\n`));
      // a lone byte that is not UTF-8, as a one-byte field
      if (i % 1000 === 999) lines.push(Uint8Array.from([...enc.encode(`${i},`), 0xff, ...enc.encode(',A\n')]));
    }
    const bytes = new Uint8Array(lines.reduce((n, l) => n + l.length, 0));
    lines.reduce((at, l) => { bytes.set(l, at); return at + l.length; }, 0);
    const args = argsFor(['n', 'a', 'b'], 5005, [{ column: 0, type: 'i32' }, { column: 1, type: 'dict' }, { column: 2, type: 'dict' }]);
    const r = both(bytes, args)!;
    expect(r).not.toBeNull();
    const a = r.pages[1]!;
    expect(a.kind === 'dict' && a.dictionary.length).toBe(values.length + 1);
    expect(r.info).toMatchObject({ invalidUtf8: [{ column: 1, count: 1 }] });
  });

  it('a chunk of text columns with more distinct values than their one table holds (16384, and 1024 more a further column) declines', () => {
    const rowsOf = (n: number, a: number, b: number) => Array.from({ length: n }, (_, i) => `v${i % a},w${i % b}`);
    const args = argsFor(['a', 'b'], 20000, [{ column: 0, type: 'dict' }, { column: 1, type: 'dict' }]);
    expect(both(text(rowsOf(20000, 16384, 1024)), args)).not.toBeNull();
    expect(both(text(rowsOf(20000, 8704, 8704)), args)).not.toBeNull();
    expect(both(text(rowsOf(20000, 16384, 1025)), args)).toBeNull();
    expect(both(text(rowsOf(20000, 8705, 8704)), args)).toBeNull();
  });

  it('scratch for the genome matrix\'s chunk: its bytes, u16 codes per text column, and under 3 MB besides', () => {
    const names = ['chrom', 'pos', ...Array.from({ length: 32 }, (_, i) => `s${i + 1}`)];
    const pages: Page[] = names.map((_, column) => ({ column, type: column < 2 ? 'i32' : 'dict' }));
    const chunk = 65536 * 76;
    const bytes = csvScratchBytes(chunk, 65536, argsFor(names, 65536, pages, 9));
    expect(bytes - chunk - 32 * 65536 * 2).toBeGreaterThan(0);
    expect(bytes - chunk - 32 * 65536 * 2).toBeLessThan(3 << 20);
  });

  it('on a one-column file (no delimiter), text and numbers', () => {
    expect(both(text(['a', 'b', '', 'a', 'ü']), argsFor(['v'], 4, [{ column: 0, type: 'dict' }], 0))).not.toBeNull();
    expect(both(text(['1.5', '-2', '3e3']), argsFor(['v'], 3, [{ column: 0, type: 'f64' }], 0))).not.toBeNull();
  });

  it('empty fields: NaN in float pages, "" in text pages (one dictionary entry)', () => {
    const args = argsFor(['a', 'b', 'c'], 3, [{ column: 0, type: 'f64' }, { column: 1, type: 'f32' }, { column: 2, type: 'dict' }]);
    const r = both(text([',,', '1,2,', ',,x']), args)!;
    expect(r).not.toBeNull();
    expect(r.pages[2]).toMatchObject({ kind: 'dict', dictionary: ['', 'x'] });
  });

  it('a column asked twice, and columns not asked', () => {
    const args = argsFor(['a', 'b', 'c'], 2, [{ column: 2, type: 'f64' }, { column: 0, type: 'dict' }, { column: 2, type: 'f64' }]);
    const r = both(text(['p,"q",1.5', 'r,s"t,-2']), args);
    // the skipped middle column holds quotes: the kernel declines it; unquoted, it is taken
    expect(r).toBeNull();
    expect(both(text(['p,q,1.5', 'r,st,-2']), args)).not.toBeNull();
  });

  it('invalid UTF-8 in text: the same U+FFFD strings and the same warning line', () => {
    const bytes = new Uint8Array([...enc.encode('1,ok\n2,'), 0xff, 0xfe, ...enc.encode('\n3,ok\n')]);
    const r = both(bytes, argsFor(['n', 's'], 3, [{ column: 0, type: 'i32' }, { column: 1, type: 'dict' }]));
    expect(r?.info).toEqual({ skipped: 0, invalidUtf8: [{ column: 1, line: 3, count: 1 }] });
  });
});

describe('numbers are Number() bit for bit', () => {
  const f64 = new Float64Array(1);
  const bits = new BigUint64Array(f64.buffer);
  const bitsOf = (x: number) => { f64[0] = x; return bits[0]!; };

  /** The strings the kernel declined; every one it took is checked against Number(). */
  function check(strings: string[]): string[] {
    const declined: string[] = [];
    for (let i = 0; i < strings.length; i += 1000) {
      const some = strings.slice(i, i + 1000);
      const args = argsFor(['v'], some.length, [{ column: 0, type: 'f64' }], 0);
      arenaTop = arena;
      const dest = shared(Float64Array, some.length);
      if (decodeChunkWasm(k.exports, k.memory, scratch, text(some), args, [dest])) {
        some.forEach((s, j) => { if (bitsOf(dest[j]!) !== bitsOf(Number(s))) expect([s, dest[j]]).toEqual([s, Number(s)]); });
        continue;
      }
      // one string of these was declined: find each alone
      for (const s of some) {
        arenaTop = arena;
        const one = shared(Float64Array, 1);
        if (!decodeChunkWasm(k.exports, k.memory, scratch, text([s]), argsFor(['v'], 1, [{ column: 0, type: 'f64' }], 0), [one])) {
          declined.push(s);
          continue;
        }
        if (bitsOf(one[0]!) !== bitsOf(Number(s))) expect([s, one[0]]).toEqual([s, Number(s)]);
      }
    }
    return declined;
  }

  /** Whether numbers.ts also leaves the string to Number() (too near a midpoint, too many digits, too large an exponent). */
  const jsSlow = (s: string) => {
    const b = enc.encode(s);
    parseNumber(b, 0, b.length);
    return (num.flags & SLOW) !== 0;
  };

  it('200000 printed doubles of every magnitude (String, toPrecision, toExponential): taken unless numbers.ts too calls Number()', () => {
    const xs: string[] = [];
    for (let i = 0; i < 200000; i++) {
      const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 120 - 60);
      xs.push(i % 3 === 0 ? String(x) : i % 3 === 1 ? x.toPrecision(1 + (i % 17)) : x.toExponential(i % 17));
    }
    const declined = check(xs);
    expect(declined.filter((s) => !jsSlow(s))).toEqual([]);
    expect(declined.length).toBeLessThan(xs.length * 0.005);
  });

  it('random digit strings (1-25 digits, a point anywhere, exponents): every taken one is exact, most are taken', () => {
    const xs: string[] = [];
    for (let i = 0; i < 100000; i++) {
      const n = 1 + Math.floor(rand() * 25);
      let s = '';
      for (let j = 0; j < n; j++) s += rand() < 0.15 ? '0' : String(Math.floor(rand() * 10));
      const dot = Math.floor(rand() * (n + 2)) - 1;
      if (dot >= 0 && dot <= n) s = `${s.slice(0, dot)}.${s.slice(dot)}`;
      if (rand() < 0.3) s += `e${pick(['', '+', '-'])}${Math.floor(rand() * 40)}`;
      if (rand() < 0.3) s = `-${s}`;
      if (s === '.' || s === '-.' || s.startsWith('.e') || s.startsWith('-.e')) s = '0';
      xs.push(s);
    }
    const declined = check(xs);
    expect(declined.length).toBeLessThan(xs.length * 0.25);
    // the kernel declines only what it may: more than 19 significant digits, an exponent beyond ±264, or too near a midpoint
    expect(declined.filter((s) => !jsSlow(s) && !/e[+-]?(2[6-9]|[3-9])\d/.test(s))).toEqual([]);
  });

  it('halfway cases and the edges of the fast path', () => {
    const xs = ['9007199254740993', '9007199254740992.5', '9007199254740993.0000000001', '1e22', '1e23', '123456789012345e22',
      '0.1', '0.2', '0.3', '2.2250738585072014e-308', '4.9406564584124654e-324', '1.7976931348623157e308', '999999999999999',
      '9999999999999999', '99999999999999999999', '1.00000000000000011102230246251565404236316680908203125',
      '0.000000000000000000000000000000000000001', '123.456e-2', '5e-1', '-0.0e0'];
    expect(check(xs).filter((s) => !jsSlow(s))).toEqual([]);
  });
});

describe('declines what it is not sure of', () => {
  const nums = (rows: string[], type: PageType = 'f64') => {
    const args = argsFor(['a', 'b'], rows.length, [{ column: 0, type }, { column: 1, type: 'dict' }]);
    return decodeChunkWasm(k.exports, k.memory, scratch, text(rows), args, dests(args, true));
  };
  // the baseline each case departs from: taken
  it('the baseline is taken', () => {
    expect(nums(['1.5,a', '2,b'])).not.toBeNull();
    expect(nums(['1,a', '2,b'], 'i32')).not.toBeNull();
  });
  it.each([
    ['a quote in a text field', ['1.5,"a"', '2,b']],
    ['a quote inside a text field', ['1.5,a"b', '2,b']],
    ['a quoted number', ['"1.5",a', '2,b']],
    ['too few fields', ['1.5', '2,b']],
    ['too many fields', ['1.5,a,c', '2,b']],
    ['NA', ['NA,a', '2,b']],
    ['null', ['null,a', '2,b']],
    ['inf', ['inf,a', '2,b']],
    ['-Infinity', ['-Infinity,a', '2,b']],
    ['nan', ['nan,a', '2,b']],
    ['a space before', [' 1.5,a', '2,b']],
    ['a space after', ['1.5 ,a', '2,b']],
    ['text', ['abc,a', '2,b']],
    ['hex', ['0x10,a', '2,b']],
    ['an ISO date', ['2020-01-02,a', '2,b']],
    ['a sign alone', ['-,a', '2,b']],
    ['a point alone', ['.,a', '2,b']],
    ['an exponent without digits', ['1e,a', '2,b']],
    ['an exponent sign without digits', ['1e+,a', '2,b']],
    ['two points', ['1.2.3,a', '2,b']],
    ['more than 19 significant digits', ['1.2345678901234567891234,a', '2,b']],
    ['an exponent beyond the double-double range', ['1e300,a', '2,b']],
    ['a lone CR in text', ['1.5,a\rb', '2,b']],
    ['a lone CR after a number', ['1.5\r,a', '2,b']],
    ['a line of a lone CR', ['1.5,a', '\r', '2,b']],
  ])('%s', (_, rows) => {
    expect(nums(rows as string[])).toBeNull();
  });
  it.each([
    ['an empty field', ['', '2']],
    ['a fraction', ['2.5', '2']],
    ['a point', ['5.', '2']],
    ['an exponent', ['1e3', '2']],
    ['2^31', ['2147483648', '2']],
    ['-2^31 - 1', ['-2147483649', '2']],
    ['a big integer', ['12345678901234567890', '2']],
  ])('in an i32 column: %s', (_, vals) => {
    expect(nums((vals as string[]).map((v, i) => `${v},${'ab'[i]}`), 'i32')).toBeNull();
  });

  it('a CR as the chunk\'s last byte', () => {
    const args = argsFor(['a'], 1, [{ column: 0, type: 'f64' }], 0);
    expect(decodeChunkWasm(k.exports, k.memory, scratch, enc.encode('1.5\r'), args, dests(args, true))).toBeNull();
  });

  it('more or fewer records than indexed', () => {
    const bytes = text(['1,a', '2,b', '3,c']);
    for (const rows of [2, 4]) {
      const args = argsFor(['a', 'b'], rows, [{ column: 0, type: 'f64' }, { column: 1, type: 'dict' }]);
      expect(decodeChunkWasm(k.exports, k.memory, scratch, bytes, args, dests(args, true))).toBeNull();
    }
  });

  it('requests it never takes: time pages, skipBadRows, pages outside the memory, too little scratch, odd delimiters', () => {
    const bytes = text(['1,2020-01-01', '2,2020-01-02']);
    const time = argsFor(['a', 'b'], 2, [{ column: 0, type: 'f64' }, { column: 1, type: 'time' }]);
    expect(decodeChunkWasm(k.exports, k.memory, scratch, bytes, time, dests(time, true))).toBeNull();
    const plain = text(['1,2', '3,4']);
    const args = argsFor(['a', 'b'], 2, [{ column: 0, type: 'f64' }, { column: 1, type: 'i32' }]);
    expect(decodeChunkWasm(k.exports, k.memory, scratch, plain, args, dests(args, true))).not.toBeNull();
    expect(decodeChunkWasm(k.exports, k.memory, scratch, plain, { ...args, skipBadRows: true }, dests(args, true))).toBeNull();
    expect(decodeChunkWasm(k.exports, k.memory, scratch, plain, args, dests(args, false))).toBeNull();
    const small = { ptr: scratch.ptr, bytes: csvScratchBytes(plain.length, 2, args) - 1 };
    expect(decodeChunkWasm(k.exports, k.memory, small, plain, args, dests(args, true))).toBeNull();
    expect(decodeChunkWasm(k.exports, k.memory, { ...small, bytes: small.bytes + 1 }, plain, args, dests(args, true))).not.toBeNull();
    const dot = argsFor(['a', 'b'], 2, [{ column: 0, type: 'f64' }, { column: 1, type: 'i32' }], 46);
    expect(decodeChunkWasm(k.exports, k.memory, scratch, enc.encode('1.2\n3.4\n'), dot, dests(dot, true))).toBeNull();
  });

  it('leaves the decoding to decodeChunk, which reports the same errors as ever', () => {
    const args = argsFor(['a', 'b'], 2, [{ column: 0, type: 'i32' }, { column: 1, type: 'dict' }]);
    const bytes = text(['1,a', '2.5,b']);
    expect(decodeChunkWasm(k.exports, k.memory, scratch, bytes, args, dests(args, true))).toBeNull();
    expect(decodeChunk(bytes, args, dests(args, false)).pages[0]).toMatchObject({ kind: 'retype', type: 'f64' });
  });
});

describe('numberedAs (PageRequest.known)', () => {
  const strings = (r: { codes: ArrayLike<number>; dictionary: string[] }) => Array.from(r.codes, (c) => r.dictionary[c]);

  it('keeps the known strings in their places and numbers the page\'s others after them, in their order', () => {
    const r = numberedAs(['T', 'A', 'G'], Uint16Array.from([0, 1, 2, 0, 3]), 5, ['A', 'X', 'T', 'Y']);
    expect(r.dictionary).toEqual(['T', 'A', 'G', 'X', 'Y']);
    expect(Array.from(r.codes)).toEqual([1, 3, 0, 1, 4]);
    expect(r.codes).toBeInstanceOf(Uint8Array);
    expect(numberedAs(undefined, Uint16Array.from([1, 0]), 2, ['a', 'b'])).toEqual({ codes: Uint8Array.from([1, 0]), dictionary: ['a', 'b'] });
  });

  it('widens the codes when the known strings and the page\'s pass 256', () => {
    const known = Array.from({ length: 256 }, (_, i) => `k${i}`);
    const r = numberedAs(known, Uint32Array.from([0, 1, 0]), 3, ['new', 'k255']);
    expect(r.codes).toBeInstanceOf(Uint16Array);
    expect(strings(r)).toEqual(['new', 'k255', 'new']);
  });

  it('both decoders number a chunk after the known strings alike, and every row keeps its string', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${'ACGT'[(i * 7) % 4]},${i % 3 ? 'x' : 'y'}`);
    const plain = argsFor(['n', 'g', 'h'], rows.length, [{ column: 0, type: 'i32' }, { column: 1, type: 'dict' }, { column: 2, type: 'dict' }]);
    const known = { ...plain, pages: [plain.pages[0]!, { ...plain.pages[1]!, known: ['T', 'Q', 'A'] }, plain.pages[2]!] };
    const a = both(text(rows), plain)!;
    const b = both(text(rows), known)!;
    expect(a && b).toBeTruthy();
    const [pa, pb] = [a.pages[1]!, b.pages[1]!];
    if (pa.kind !== 'dict' || pb.kind !== 'dict') throw new Error('not text pages');
    expect(pb.dictionary.slice(0, 3)).toEqual(['T', 'Q', 'A']);
    expect(strings(pb)).toEqual(strings(pa));
    expect(b.pages[2]).toEqual(a.pages[2]);
  });
});

describe('PageDictionary', () => {
  it('finds the empty string again (its FNV-1a hash is an int32 like the others)', () => {
    const d = new PageDictionary(3);
    const u8 = enc.encode('a');
    expect([d.add(u8, 0, 0, 0), d.add(u8, 0, 1, 0), d.add(u8, 0, 0, 0)]).toEqual([0, 1, 0]);
    expect(d.count).toBe(2);
  });
});

describe('the worker path', () => {
  it('KernelHost hands its kernel to decodeCsv: the WASM path with a task.scratch, decodeChunk without', async () => {
    const host = new KernelHost();
    await host.init(new WebAssembly.Module(readFileSync(new URL('../../../build/kernels/sift.wasm', import.meta.url))), k.memory);
    const own = { ptr: k.alloc(4096), bytes: 4096 };
    const area = () => new Uint8Array(k.memory.buffer, own.ptr, 16);
    const bytes = text(['1.5,a', '-2,b']);
    const args = argsFor(['x', 'c'], 2, [{ column: 0, type: 'f64' }, { column: 1, type: 'dict' }]);
    const ref = decodeChunk(bytes, args, [new Float64Array(2), null]);
    arenaTop = arena;
    const x = shared(Float64Array, 2);
    const task = (scratch?: { ptr: number; bytes: number }): DecodeTask => ({ decoder: 'csv', bytes, args, dest: [x.byteOffset, 0], ...(scratch ? { scratch } : {}) });

    area().fill(0);
    x.fill(0);
    expect(await host.decode(task())).toEqual(ref);
    expect(Array.from(x)).toEqual([1.5, -2]);
    expect(area().every((b) => b === 0)).toBe(true);

    x.fill(0);
    expect(await host.decode(task(own))).toEqual({ ...ref, info: { ...(ref.info as object), wasm: true } });
    expect(Array.from(x)).toEqual([1.5, -2]);
    // the kernel read the chunk there, after the sentinel LF the wrapper put at its end
    expect(new TextDecoder().decode(area().subarray(0, bytes.length + 1))).toBe('1.5,a\n-2,b\n\n');

    // a chunk the kernel declines still decodes, through decodeChunk
    const quoted = text(['1.5,"a"', '-2,b']);
    const r = await host.decode({ ...task(own), bytes: quoted });
    expect(r).toEqual(decodeChunk(quoted, args, [new Float64Array(2), null]));
  });
});
