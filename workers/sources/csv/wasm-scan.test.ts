// The kernel's indexing pass (kernels/csv-scan.ts through WasmQuoteCounter)
// against the JS one (QuoteCounter, itself checked against the byte-at-a-time
// reference in row-index.test.ts): the same chunks and the same state after
// every slice, on random text full of quotes, newlines in quotes, CRLF and
// blank lines, cut at every awkward place, and with chunks closing at every
// position of the kernel's 64-byte step.
import { describe, expect, test } from 'vitest';
import { loadKernels } from '../../../kernels/test/wasm';
import { seededRandom } from '../../expr/random';
import { RangeScanner, type RangeScanArgs } from './range-scan';
import { QuoteCounter } from './row-index';
import { firstRecordEnd, randomCsv, reference } from './testing';
import { scanScratchBytes, WasmQuoteCounter } from './wasm-scan';

const k = loadKernels();
const enc = new TextEncoder();

/** A counter over fresh scratch whose window is `window` bytes (small windows cut slices into several copies). */
function wasmCounter(window: number, start: number, line: number, chunkRows: number, prev = 0): WasmQuoteCounter {
  const bytes = scanScratchBytes(window);
  const scratch = { ptr: k.alloc(bytes), bytes };
  // stale bytes past the window's end must not matter
  k.u8(scratch.ptr, bytes).fill(10);
  return new WasmQuoteCounter(k.exports, k.memory, scratch, start, line, chunkRows, prev);
}

/** Text where quotes, LF, CR and blank lines come in any order (quotes need not be well formed). */
function soup(rnd: () => number, n: number): Uint8Array {
  const alphabet = ['a', 'b', ',', '"', '""', '\n', '\r\n', '\n\n', '\r\n\r\n', '\r', 'xxxxxxxxxxxxxxxxxxxx', '1.5,2,3'];
  const parts: string[] = [];
  let len = 0;
  while (len < n) {
    const s = alphabet[Math.floor(rnd() * alphabet.length)]!;
    parts.push(s);
    len += s.length;
  }
  return enc.encode(parts.join('')).subarray(0, n);
}

/** Cuts [0, n) into slices of random sizes, now and then empty or a byte long. */
function cuts(rnd: () => number, n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let at = 0; at < n;) {
    const r = rnd();
    const len = r < 0.1 ? 0 : r < 0.2 ? 1 : r < 0.6 ? Math.floor(rnd() * 40) : Math.floor(rnd() * 700);
    const to = Math.min(n, at + len);
    out.push([at, to]);
    at = to;
  }
  return out;
}

function sameScan(u8: Uint8Array, start: number, chunkRows: number, window: number, slices: [number, number][], what: string): void {
  const line = 1 + u8.subarray(0, start).filter((b) => b === 10).length;
  const js = new QuoteCounter(start, line, chunkRows);
  const wasm = wasmCounter(window, start, line, chunkRows);
  for (const [from, to] of slices) {
    if (to <= start) continue;
    const a = Math.max(from, start);
    js.scan(u8.subarray(a, to), a);
    wasm.scan(u8.subarray(a, to), a);
    expect(wasm.state(), `${what}: state after [${a}, ${to})`).toEqual(js.state());
  }
  expect(wasm.index, what).toEqual(js.index);
}

describe('WasmQuoteCounter', () => {
  test('the chunks and state QuoteCounter has, on random CSV cut anywhere', () => {
    const rnd = seededRandom(7);
    for (let trial = 0; trial < 150; trial++) {
      const u8 = enc.encode(randomCsv(rnd, 1 + Math.floor(rnd() * 120)));
      const start = rnd() < 0.3 ? 0 : firstRecordEnd(u8);
      const chunkRows = 1 + Math.floor(rnd() * 12);
      const window = [16, 17, 63, 64, 1000, 1 << 16][Math.floor(rnd() * 6)]!;
      sameScan(u8, start, chunkRows, window, cuts(rnd, u8.length), `trial ${trial} (window ${window}, chunks of ${chunkRows})`);
    }
  });

  test('the same on text where quotes and line ends fall anywhere', () => {
    const rnd = seededRandom(11);
    for (let trial = 0; trial < 150; trial++) {
      const u8 = soup(rnd, Math.floor(rnd() * 3000));
      const start = Math.floor(rnd() * Math.min(40, u8.length + 1));
      const chunkRows = 1 + Math.floor(rnd() * (rnd() < 0.5 ? 5 : 200));
      sameScan(u8, start, chunkRows, 1 << 12, cuts(rnd, u8.length), `soup ${trial} (chunks of ${chunkRows})`);
    }
  });

  test('chunks close at every position of a 64-byte step, in records of every length', () => {
    for (let len = 2; len <= 67; len += len < 19 ? 1 : 16) {
      for (const eol of ['\n', '\r\n']) {
        const rec = 'q'.repeat(Math.max(1, len - eol.length)) + eol;
        const u8 = enc.encode(rec.repeat(200));
        for (const chunkRows of [1, 2, 3, 5, 7, 16, 17]) {
          for (let shift = 0; shift < 64; shift++) {
            // a first slice of `shift` bytes moves where the following steps begin
            sameScan(u8, 0, chunkRows, 1 << 12, [[0, shift], [shift, u8.length]], `records of ${rec.length} bytes, chunks of ${chunkRows}, shift ${shift}`);
          }
        }
      }
    }
  });

  test('blank lines at slice and window edges', () => {
    const texts = ['a\n\nb\n', 'a\r\n\r\nb\r\n', '\n\n\n', '\r\n\r\n', '\r\n', '\n', '\r', 'a\r\r\nb\n', '"a\n\n"\n\nb\n\r\n', 'ab\n\r\n\n\r\n\r\nc'];
    for (const body of texts) {
      for (const pad of [0, 1, 14, 15, 16, 17, 30, 61, 62, 63, 64, 65, 126]) {
        const u8 = enc.encode('x'.repeat(pad) + '\n' + body + body);
        for (let cut = 0; cut <= u8.length; cut++) {
          for (const window of [16, 1024]) {
            sameScan(u8, 0, 1, window, [[0, cut], [cut, u8.length]], `${JSON.stringify(body)} after ${pad}, cut at ${cut}, window ${window}`);
          }
        }
      }
    }
  });

  test('a big plain file and the same with quoted newlines, against the byte-at-a-time reference', () => {
    const rnd = seededRandom(5);
    const lines: string[] = ['x,y'];
    for (let i = 0; i < 200_000; i++) lines.push(`${rnd().toFixed(6)},${i % 5 === 0 ? '"a\nb"' : i}`);
    for (const u8 of [enc.encode(lines.map((l) => l.replace(/"a\nb"/, 'ab')).join('\n') + '\n'), enc.encode(lines.join('\r\n') + '\r\n')]) {
      const start = u8.indexOf(10) + 1;
      const wasm = wasmCounter(1 << 20, start, 2, 65536);
      for (let at = start; at < u8.length; at += 1 << 20) wasm.scan(u8.subarray(at, Math.min(u8.length, at + (1 << 20))), at);
      const want = reference(u8, start, 65536);
      const st = wasm.state();
      // every record ends in a newline: the last chunk is the one still open
      expect(st.inChunk).toBe(want.rows[want.rows.length - 1]);
      expect(wasm.index.starts).toEqual(want.starts);
      expect(wasm.index.lines).toEqual(want.lines);
      expect(wasm.index.ends).toEqual(want.ends.slice(0, -1));
      expect(st.recordStart).toBe(u8.length);
    }
  });

  test('empty input changes nothing', () => {
    const js = new QuoteCounter(5, 3, 4, 13);
    const wasm = wasmCounter(64, 5, 3, 4, 13);
    js.scan(new Uint8Array(0), 5);
    wasm.scan(new Uint8Array(0), 5);
    expect(wasm.state()).toEqual(js.state());
    expect(wasm.index).toEqual(js.index);
  });

  test('positions past 4 GiB stay exact', () => {
    const base = 2 ** 33 + 3;
    const u8 = enc.encode('a\nbb\n\nc\n');
    const js = new QuoteCounter(base, 1e10, 2);
    const wasm = wasmCounter(64, base, 1e10, 2);
    js.scan(u8, base);
    wasm.scan(u8, base);
    expect(wasm.state()).toEqual(js.state());
    expect(wasm.index).toEqual(js.index);
    expect(wasm.index.ends).toEqual([base + 5]);
  });
});

describe('RangeScanner with the kernel', () => {
  test('the reports the JS scanner gives, for ranges starting mid-record with either parity', () => {
    const rnd = seededRandom(19);
    for (let trial = 0; trial < 200; trial++) {
      const u8 = trial % 2 === 0 ? enc.encode(randomCsv(rnd, 1 + Math.floor(rnd() * 80))) : soup(rnd, Math.floor(rnd() * 2000));
      const a = Math.floor(rnd() * (u8.length + 1));
      const b = a + Math.floor(rnd() * (u8.length - a + 1));
      const args: RangeScanArgs = { chunkRows: 1 + Math.floor(rnd() * 9), parity: rnd() < 0.5 ? 0 : 1, atRecord: rnd() < 0.2 };
      const js = new RangeScanner(a, args);
      const window = rnd() < 0.5 ? 16 : 4096;
      const wasm = new RangeScanner(a, args, (start, line, chunkRows, prev) => wasmCounter(window, start, line, chunkRows, prev));
      for (const [from, to] of cuts(rnd, b - a)) {
        js.feed(u8.subarray(a + from, a + to), a + from);
        wasm.feed(u8.subarray(a + from, a + to), a + from);
      }
      expect(wasm.report(), `trial ${trial}: [${a}, ${b}) of ${u8.length}, ${JSON.stringify(args)}`).toEqual(js.report());
    }
  });
});
