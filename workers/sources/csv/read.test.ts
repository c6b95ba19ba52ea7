// Reading whole files through open() and read(): the grammar, the types, the
// errors. Small inline fixtures, each pinning one behaviour.
import { describe, expect, test } from 'vitest';
import { openText, readAll } from './testing';

const rows = async (text: string | Uint8Array, opts = {}) => {
  const src = await openText(text, opts);
  return { schema: src.schema, ...(await readAll(src)) };
};

describe('grammar', () => {
  test('quoted fields: delimiters, escaped quotes, newlines, spaces around', async () => {
    const t = await rows('id,text\n1,"a,b"\n2,"say ""hi"""\n3,"two\nlines"\n4, "padded" \n5,""\n6,"crlf\r\ninside"\n');
    expect(t.columns[1]).toEqual(['a,b', 'say "hi"', 'two\nlines', 'padded', '', 'crlf\r\ninside']);
    expect(t.columns[0]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('CRLF line ends, blank lines, no newline at the end', async () => {
    const t = await rows('a,b\r\n1,2\r\n\r\n3,4\r\n\n5,6');
    expect(t.columns).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(t.schema.rows).toBe(3);
  });

  test('a lone CR is data, not a line end', async () => {
    const t = await rows('a,b\nx\ry,1\n');
    expect(t.columns[0]).toEqual(['x\ry']);
  });

  test('UTF-8 byte-order mark', async () => {
    const t = await rows('\uFEFFname,v\nä,1\n');
    expect(t.names).toEqual(['name', 'v']);
    expect(t.columns[0]).toEqual(['ä']);
    expect(t.schema.notes).toContain('UTF-8 byte-order mark');
  });

  test('UTF-16 is refused with a clear message', async () => {
    await expect(openText(new Uint8Array([0xff, 0xfe, 0x61, 0]))).rejects.toThrow(/UTF-16/);
  });

  test.each([
    [',', 'csv', '"a"'],
    ['\t', 'tsv', 'tab'],
    [';', 'csv', '";"'],
    ['|', 'csv', '"|"'],
  ])('delimiter %j is sniffed', async (d, format, name) => {
    const text = ['x', 'y', 'label'].join(d) + '\n' + ['1', '2.5', 'p,q'].join(d) + '\n' + ['3', '4', 'r'].join(d) + '\n';
    const quoted = d === ',' ? text.replace('p,q', '"p,q"') : text;
    const t = await rows(quoted);
    expect(t.schema.format).toBe(format);
    expect(t.schema.notes[0]).toBe(`delimiter ${name === '"a"' ? '","' : name}`);
    expect(t.columns).toEqual([[1, 3], [2.5, 4], ['p,q', 'r']]);
  });

  test('an explicit delimiter wins over sniffing', async () => {
    const t = await rows('a;b,c\n1;2,3\n', { delimiter: ',' });
    expect(t.names).toEqual(['a;b', 'c']);
    expect(t.schema.notes[0]).toBe('delimiter "," (given)');
    await expect(openText('a\n', { delimiter: '"' })).rejects.toThrow(/delimiter/);
  });

  test('one column: no delimiter found, commas inside values are data', async () => {
    const t = await rows('v\n1.5\n2\n\n3\n');
    expect(t.names).toEqual(['v']);
    expect(t.columns[0]).toEqual([1.5, 2, 3]);
    expect(t.schema.notes[0]).toBe('delimiter none (one column)');
    const s = await rows('sentence\nhello, world\nbye\n');
    expect(s.columns[0]).toEqual(['hello, world', 'bye']);
  });
});

describe('header', () => {
  test('detected over numbers, absent when the first row is numbers', async () => {
    expect((await rows('x,y\n1,2\n')).names).toEqual(['x', 'y']);
    const t = await rows('1,2\n3,4\n');
    expect(t.names).toEqual(['column1', 'column2']);
    expect(t.columns).toEqual([[1, 3], [2, 4]]);
    expect(t.schema.notes[1]).toMatch(/^no header row/);
  });

  test('all-text files: distinct names make a header; opts.header overrides', async () => {
    expect((await rows('name,city\nann,oslo\n')).names).toEqual(['name', 'city']);
    expect((await rows('ann,ann\nbob,bob\n')).names).toEqual(['column1', 'column2']);
    const t = await rows('name,city\nann,oslo\n', { header: false });
    expect(t.columns[0]).toEqual(['name', 'ann']);
    const u = await rows('1,2\n3,4\n', { header: true });
    expect(u.names).toEqual(['1', '2']);
    expect(u.columns).toEqual([[3], [4]]);
  });

  test('blank, repeated and padded names', async () => {
    expect((await rows(',a, a ,a\n1,2,3,4\n')).names).toEqual(['column1', 'a', 'a_2', 'a_3']);
  });

  test('header-only file: 0 rows, columns f64, said in the notes', async () => {
    const t = await rows('a,b,c\n');
    expect(t.schema.rows).toBe(0);
    expect(t.schema.chunkRows).toEqual([]);
    expect(t.types).toEqual(['f64', 'f64', 'f64']);
    expect(t.schema.notes.join(' ')).toMatch(/no data rows/);
  });

  test('empty files', async () => {
    await expect(openText('')).rejects.toThrow(/test\.csv: the file is empty/);
    await expect(openText('\n\r\n\n')).rejects.toThrow(/empty/);
    await expect(openText('\uFEFF')).rejects.toThrow(/empty/);
  });
});

describe('types', () => {
  test('inferred from the sample', async () => {
    const t = await rows('i,f,e,s,z,n,big\n1,1.5,1e5,a,007,,3000000000\n-2,-.5,-1E-3,b,010,NA,1\n');
    expect(t.types).toEqual(['i32', 'f64', 'f64', 'dict', 'dict', 'f64', 'f64']);
    expect(t.columns).toEqual([[1, -2], [1.5, -0.5], [1e5, -1e-3], ['a', 'b'], ['007', '010'], [NaN, NaN], [3e9, 1]]);
  });

  test('inf and nan spellings in numeric columns', async () => {
    const t = await rows('v\n1\ninf\n-Infinity\nNaN\nnan\n');
    expect(t.types).toEqual(['f64']);
    expect(t.columns[0]).toEqual([1, Infinity, -Infinity, NaN, NaN]);
  });

  test('empty fields: NaN in numbers, "" in strings', async () => {
    const t = await rows('a,b\n1,x\n,\n2.5,y\n');
    expect(t.columns).toEqual([[1, NaN, 2.5], ['x', '', 'y']]);
  });

  // the sample is the first megabyte; here a few hundred bytes, so the change comes after it
  const late = (first: string, later: string) => {
    const lines = ['v,w'];
    for (let i = 0; i < 200; i++) lines.push(`${i},${first}`);
    lines.push(`${later},x`);
    return lines.join('\n') + '\n';
  };

  test('integer column meets a fraction after the sample: retype to f64 naming the line', async () => {
    const t = await rows(late('a', '2.5'), { sampleBytes: 100 });
    expect(t.types[0]).toBe('f64');
    expect(t.retypes[0]).toBe('test.csv, line 202, column 1 (v): "2.5" is not a 32-bit integer');
    expect(t.columns[0]!.at(-1)).toBe(2.5);
  });

  test('integer column meets an empty field: f64 with NaN', async () => {
    const t = await rows(late('a', ''), { sampleBytes: 100 });
    expect(t.retypes[0]).toBe('test.csv, line 202, column 1 (v): an empty field in a column of integers');
    expect(t.columns[0]!.at(-1)).toBeNaN();
  });

  test('number column meets text: straight to dict, even past a fraction first', async () => {
    const text = late('a', '2.5').trimEnd() + '\nabc,y\n';
    const t = await rows(text, { sampleBytes: 100 });
    expect(t.types[0]).toBe('dict');
    expect(t.retypes).toEqual(['test.csv, line 203, column 1 (v): "abc" is not a number']);
    expect(t.columns[0]!.slice(0, 3)).toEqual(['0', '1', '2']);
    expect(t.columns[0]!.at(-1)).toBe('abc');
  });

  test('a retype also widens the schema', async () => {
    const src = await openText(late('a', '2.5'), { sampleBytes: 100 });
    await readAll(src);
    expect(src.schema.columns[0]!.type).toBe('f64');
  });

  test('small non-negative integers are stored in 1 or 2 bytes; a page that holds more widens them quietly', async () => {
    const src = await openText('a,b,c,d\n0,255,256,-1\n7,3,65535,2\n');
    expect(src.schema.columns.map((c) => c.type)).toEqual(['u8', 'u8', 'u16', 'i32']);
    const t = await readAll(src);
    expect(t.columns).toEqual([[0, 7], [255, 3], [256, 65535], [-1, 2]]);
    // after the sample: 300 (fits u16), then -5 and 70000 (need i32)
    for (const [v, type] of [['300', 'u16'], ['70000', 'i32'], ['-5', 'i32']] as const) {
      const text = `v\n${Array.from({ length: 200 }, (_, i) => i % 10).join('\n')}\n${v}\n`;
      const w = await rows(text, { sampleBytes: 100 });
      expect(w.types[0]).toBe(type);
      expect(w.retypes).toEqual(['']);
      expect(w.columns[0]!.at(-1)).toBe(Number(v));
      expect(w.columns[0]!.slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    }
  });

  test('integers beyond int32 found late widen to f64', async () => {
    const t = await rows(late('a', '2147483648'), { sampleBytes: 100 });
    expect(t.types[0]).toBe('f64');
    expect(t.columns[0]!.at(-1)).toBe(2147483648);
  });

  test('ISO dates and timestamps read as seconds since the epoch, missing ones as NaN', async () => {
    const src = await openText('day,at,n\n2012-01-01,2012-01-01T10:30:00Z,1\n,2012-01-01 11:00,2\n2012/01/03,NA,3\n');
    const t = await readAll(src);
    expect(t.types).toEqual(['f64', 'f64', 'u8']);
    expect(src.schema.columns.map((c) => c.time)).toEqual(['date', 'timestamp', undefined]);
    expect(src.schema.columns[0]!.unit).toBe('s');
    expect(t.columns[0]).toEqual([Date.UTC(2012, 0, 1) / 1000, NaN, Date.UTC(2012, 0, 3) / 1000]);
    expect(t.columns[1]).toEqual([Date.UTC(2012, 0, 1, 10, 30) / 1000, Date.UTC(2012, 0, 1, 11) / 1000, NaN]);
  });

  test('dates mixed with numbers or text in the sample are text', async () => {
    const t = await rows('a,b\n2012-01-01,2012-01-01\n5,x\n');
    expect(t.types).toEqual(['dict', 'dict']);
    expect(t.columns).toEqual([['2012-01-01', '5'], ['2012-01-01', 'x']]);
  });

  test('a date column meets text after the sample: text, every value as the file spells it', async () => {
    const t = await rows(late('2020-02-29', '7'), { sampleBytes: 100 });
    expect(t.types).toEqual(['u8', 'dict']);
    expect(t.retypes).toEqual(['test.csv, line 202, column 2 (w): "x" is not a date (YYYY-MM-DD, optionally with a time)']);
    expect(t.columns[1]!.slice(0, 2)).toEqual(['2020-02-29', '2020-02-29']);
    expect(t.columns[1]!.at(-1)).toBe('x');
  });

  test('a number column meets a date after the sample: text', async () => {
    const t = await rows(late('a', '2021-05-06'), { sampleBytes: 100 });
    expect(t.types[0]).toBe('dict');
    expect(t.retypes).toEqual(['test.csv, line 202, column 1 (v): "2021-05-06" is not a number']);
  });

  test('page-local dictionaries, codes as narrow as they can be', async () => {
    const lines = ['k'];
    for (let i = 0; i < 300; i++) lines.push(`s${i % 257}`);
    const src = await openText(lines.join('\n'));
    const [page] = await src.read(0, [{ column: 0, dest: null }]);
    expect(page!.kind).toBe('dict');
    if (page!.kind !== 'dict') return;
    expect(page.dictionary.length).toBe(257);
    expect(page.codes).toBeInstanceOf(Uint16Array);
    const small = await openText('k\na\nb\na\n');
    const [p2] = await small.read(0, [{ column: 0, dest: null }]);
    expect(p2).toEqual({ kind: 'dict', codes: new Uint8Array([0, 1, 0]), dictionary: ['a', 'b'] });
  });

  test('only requested columns are decoded; dest views are written in place', async () => {
    const src = await openText('a,b,c\n1,x,2.5\n2,y,3.5\n');
    const dest = new Float64Array(2);
    const res = await src.read(0, [{ column: 2, dest }]);
    expect(res).toEqual([{ kind: 'written' }]);
    expect([...dest]).toEqual([2.5, 3.5]);
  });

  test('a CSV column decodes to f64, f32, i32, u8, u16 or a dictionary only', async () => {
    const src = await openText('a\n1\n');
    await expect(src.read(0, [{ column: 0, dest: new Uint32Array(1) }])).rejects.toThrow(/not into a Uint32Array/);
    const f = new Float32Array(1);
    await src.read(0, [{ column: 0, dest: f }]);
    expect(f[0]).toBe(1);
  });
});

describe('text', () => {
  test('bytes that are not UTF-8 become U+FFFD and a warning on the column', async () => {
    const head = new TextEncoder().encode('name,v\nok,1\n');
    const bad = new Uint8Array([0x62, 0xe9, 0x62, 0x65, 0x2c, 0x32, 0x0a]); // "b\xe9be,2" in Latin-1
    const src = await openText(new Uint8Array([...head, ...bad]));
    const t = await readAll(src);
    expect(t.columns[0]).toEqual(['ok', 'b\uFFFDbe']);
    expect(src.schema.columns[0]!.warnings).toEqual(['bytes that are not UTF-8 (first on line 3) are shown as \uFFFD']);
    expect(src.schema.notes.at(-1)).toBe('name: bytes that are not UTF-8 (first on line 3) are shown as \uFFFD');
    await readAll(src);
    expect(src.schema.notes.filter((n) => n.includes('UTF-8')).length).toBe(1);
  });

  test('multi-byte UTF-8 intact, whatever the chunking', async () => {
    const words = ['naïve', 'Zürich', '東京', '🙂', 'ñ'];
    const text = 'w,n\n' + Array.from({ length: 50 }, (_, i) => `${words[i % 5]},${i}`).join('\n');
    const t = await rows(text, { chunkRows: 3, sliceBytes: 7 });
    expect(t.columns[0]).toEqual(Array.from({ length: 50 }, (_, i) => words[i % 5]));
  });
});

describe('malformed rows', () => {
  test('ragged rows fail with file, line and column', async () => {
    const good = Array.from({ length: 50 }, (_, i) => `${i},${i},${i}`).join('\n');
    const src = await openText(`a,b,c\n${good}\n4,5\n`, { sampleBytes: 8 });
    await expect(readAll(src)).rejects.toThrow('test.csv, line 52, column 3 (c): expected 3 fields, found 2');
    const more = await openText(`a,b,c\n${good}\n3,4,5,6,7\n`, { sampleBytes: 8 });
    await expect(readAll(more)).rejects.toThrow('test.csv, line 52, column 4: expected 3 fields, found 5');
  });

  test('ragged rows inside the sample fail at open', async () => {
    await expect(openText('a,b\n1,2\n3\n')).rejects.toThrow('test.csv, line 3, column 2 (b): expected 2 fields, found 1');
  });

  test('quote errors', async () => {
    // found by the sample at open, or by the indexing pass past it
    await expect(openText('a,b\n1,"never closed\n2,3\n')).rejects.toThrow('test.csv, line 2, column 2 (b): a quoted field starting here is never closed');
    const good = Array.from({ length: 50 }, (_, i) => `${i},${i}`).join('\n');
    await expect(openText(`a,b\n${good}\n1,"never closed\n2,3\n`, { sampleBytes: 8 })).rejects.toThrow('test.csv, line 52: a quoted field starting on this line is never closed');
    await expect(openText('a,b\n1,x"y\n')).rejects.toThrow(/line 2, column 2 \(b\): a quote inside an unquoted field/);
    await expect(openText('a,b\n1,"x"y\n')).rejects.toThrow(/line 2, column 2 \(b\): text after the closing quote/);
  });

  test('skipBadRows: skipped, counted, listed in the notes, consistent across chunks', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 20; i++) lines.push(i % 4 === 3 ? `${i}` : i % 7 === 6 ? `${i},1,2` : `${i},${i * 2}`);
    const t = await rows(lines.join('\n') + '\n', { skipBadRows: true, chunkRows: 3, sliceBytes: 5 });
    const good = Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 4 !== 3 && i % 7 !== 6);
    expect(t.columns[0]).toEqual(good);
    expect(t.columns[1]).toEqual(good.map((i) => i * 2));
    expect(t.schema.rows).toBe(good.length);
    const note = t.schema.notes.find((n) => n.startsWith('skipped'))!;
    expect(note).toMatch(/^skipped 7 malformed rows \(skipBadRows\): line 5, column 2 \(b\): expected 2 fields, found 1; line 8, column 3: expected 2 fields, found 3;/);
  });

  test('skipBadRows: an unclosed quote costs its line, not the rest of the file', async () => {
    const t = await rows('a,b\n1,2\n3,"oops\n5,6\n7,8\n', { skipBadRows: true });
    expect(t.columns[0]).toEqual([1, 5, 7]);
    expect(t.schema.notes.at(-1)).toMatch(/skipped 1 malformed row .*line 3, column 2 \(b\): a quoted field starting here is never closed/);
  });

  test('skipBadRows: dictionary entries of skipped rows are dropped', async () => {
    const src = await openText('k,v\nkeep,1\nbad\ngone,1,2\nkeep,2\n', { skipBadRows: true });
    const [p] = await src.read(0, [{ column: 0, dest: null }]);
    expect(p).toEqual({ kind: 'dict', codes: new Uint8Array([0, 0]), dictionary: ['keep'] });
  });
});

describe('chunks', () => {
  test('tiny chunks and slices: boundaries inside quoted fields, CRLF split across reads', async () => {
    const lines = ['id,text,x'];
    const texts: string[] = [];
    for (let i = 0; i < 40; i++) {
      const text = i % 3 === 0 ? `line\r\n${i}\nmore, "q"` : i % 3 === 1 ? `p${i}` : '';
      texts.push(text);
      lines.push(`${i},"${text.replaceAll('"', '""')}",${i / 4}`);
    }
    const text = lines.join('\r\n') + '\r\n';
    for (const sliceBytes of [1, 2, 3, 5, 7, 64]) {
      for (const chunkRows of [1, 3, 7, 100]) {
        const t = await rows(text, { chunkRows, sliceBytes });
        expect(t.schema.chunkRows.reduce((a, b) => a + b, 0)).toBe(40);
        expect(t.schema.chunkRows.every((n, i, all) => n === chunkRows || i === all.length - 1)).toBe(true);
        expect(t.columns[0]).toEqual(Array.from({ length: 40 }, (_, i) => i));
        expect(t.columns[1]).toEqual(texts);
        expect(t.columns[2]).toEqual(Array.from({ length: 40 }, (_, i) => i / 4));
      }
    }
  });

  test('progress reaches the file size; abort stops the pass', async () => {
    const text = 'a\n' + Array.from({ length: 1000 }, (_, i) => i).join('\n');
    const seen: number[] = [];
    await openText(text, { sliceBytes: 512, onProgress: (done: number, total: number) => { seen.push(done); expect(total).toBe(text.length); } });
    expect(seen.at(-1)).toBe(text.length);
    expect(seen.length).toBeGreaterThan(5);
    const ac = new AbortController();
    ac.abort();
    await expect(openText(text, { sliceBytes: 512, signal: ac.signal })).rejects.toThrow();
  });

  test('a chunk that no longer matches the index says the file changed', async () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n3,4\n');
    const src = await openText(bytes);
    bytes[9] = 10; // "3,4" → "3\n4": one row more than indexed
    await expect(readAll(src)).rejects.toThrow(/expected 2 fields, found 1/);
    const one = new TextEncoder().encode('a\n1\n2\n3\n');
    const src1 = await openText(one);
    one[3] = 32; // "1\n2" → "1 2": one row fewer
    await expect(readAll(src1)).rejects.toThrow('test.csv, line 2: the 3 rows indexed from here now read as 2; was the file changed after it was opened?');
  });
});

describe('edges', () => {
  test('a CR as the very last byte ends the record', async () => {
    const t = await rows('a,b\n1,x\r');
    expect(t.columns).toEqual([[1], ['x']]);
    const u = await rows('a,b\n1,2.5\r');
    expect(u.columns).toEqual([[1], [2.5]]);
  });

  test('errors inside multi-line records name the line of the field', async () => {
    await expect(openText('a,b,c\n"x\ny",z"q,1\n')).rejects.toThrow('test.csv, line 3, column 2 (b): a quote inside an unquoted field');
    await expect(openText('a,b\n"x\ny","q"r\n')).rejects.toThrow('test.csv, line 3, column 2 (b): text after the closing quote');
  });
});
