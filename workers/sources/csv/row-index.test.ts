// The indexing pass against a byte-at-a-time reference of the same rule, on
// random files full of quotes, newlines in quotes, CRLF and blank lines, read
// in slices of every awkward size and at unaligned offsets.
import { describe, expect, test } from 'vitest';
import { memoryReader } from '../bytes';
import { seededRandom } from '../../expr/random';
import { indexRows } from './row-index';
import { firstRecordEnd, randomCsv, reference } from './testing';

describe('indexRows', () => {
  test('matches the byte-at-a-time reference', async () => {
    const rnd = seededRandom(3);
    for (let trial = 0; trial < 60; trial++) {
      const text = randomCsv(rnd, 1 + Math.floor(rnd() * 80));
      // an unaligned view, so the word loop starts and ends mid-word
      const pad = Math.floor(rnd() * 4);
      const backing = new Uint8Array(text.length * 3 + 8);
      const n = new TextEncoder().encodeInto(text, backing.subarray(pad)).written;
      const u8 = backing.subarray(pad, pad + n);
      const start = Math.floor(rnd() * 3) === 0 ? 0 : firstRecordEnd(u8);
      const line = 1 + u8.subarray(0, start).filter((b) => b === 10).length;
      const chunkRows = 1 + Math.floor(rnd() * 9);
      const want = reference(u8, start, chunkRows);
      for (const sliceBytes of [1, 3, 4, 8, 13, 64, 1 << 20]) {
        const got = await indexRows(memoryReader(u8, 'r.csv'), { start, line, chunkRows, sliceBytes, delim: 44, names: [], skipBadRows: false });
        expect({ ...got, skipped: undefined, bad: undefined }, `trial ${trial}, slices of ${sliceBytes}`).toEqual({ ...want, skipped: undefined, bad: undefined });
      }
    }
  });

  test('a big plain file in 4 MB slices, and the same with quotes', async () => {
    const rnd = seededRandom(5);
    const lines: string[] = ['x,y'];
    for (let i = 0; i < 300_000; i++) lines.push(`${rnd().toFixed(6)},${i % 5 === 0 ? '"a\nb"' : i}`);
    const u8 = new TextEncoder().encode(lines.join('\n') + '\n');
    const start = u8.indexOf(10) + 1;
    const got = await indexRows(memoryReader(u8, 'big.csv'), { start, line: 2, chunkRows: 65536, delim: 44, names: [], skipBadRows: false });
    expect({ ...got, skipped: undefined, bad: undefined }).toEqual({ ...reference(u8, start, 65536), skipped: undefined, bad: undefined });
    expect(got.rows).toEqual([65536, 65536, 65536, 65536, 37856]);
  });
});

describe('skipBadRows', () => {
  test('the parsing pass and the chunk decoder skip the same rows, however the file is cut', async () => {
    const { openText, readAll } = await import('./testing');
    const rnd = seededRandom(17);
    for (let trial = 0; trial < 15; trial++) {
      const lines = ['id,v,note'];
      const good: number[] = [];
      for (let i = 0; i < 60; i++) {
        const k = rnd();
        if (k < 0.08) lines.push(`${i},1`); // too few
        else if (k < 0.16) lines.push(`${i},1,2,3`); // too many
        else if (k < 0.22) lines.push(`${i},x"y,z`); // a stray quote
        else if (k < 0.28) lines.push(`${i},"ab"c,z`); // text after a closing quote
        else {
          lines.push(`${i},${i * 10},${rnd() < 0.3 ? '"multi\nline, ""quoted"""' : 'plain'}`);
          good.push(i);
        }
      }
      const text = lines.join(rnd() < 0.5 ? '\n' : '\r\n') + (rnd() < 0.5 ? '\n' : '');
      const whole = await readAll(await openText(text, { skipBadRows: true }));
      expect(whole.columns[0]).toEqual(good);
      expect(whole.columns[1]).toEqual(good.map((i) => i * 10));
      for (const [chunkRows, sliceBytes] of [[1, 1], [3, 5], [7, 16], [64, 3]] as const) {
        const cut = await readAll(await openText(text, { skipBadRows: true, chunkRows, sliceBytes, sampleBytes: 16 }));
        expect(cut.columns, `trial ${trial}: chunks of ${chunkRows}, slices of ${sliceBytes}`).toEqual(whole.columns);
      }
    }
  });
});
