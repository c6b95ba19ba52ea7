// The Arrow reader against apache-arrow itself: vega-datasets' flights-200k.arrow,
// and files built here (file and stream formats, several batches, every
// supported type, nulls, dictionaries, compressed bodies).
import {
  Binary, Bool, CompressionType, DateDay, Decimal, Dictionary, DurationMicrosecond, Field, Float16, Float32, Float64,
  Int16, Int32, Int64, Int8, LargeUtf8, List, RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter, Schema, Struct,
  Table, TimeMillisecond, TimestampMicrosecond, TimestampNanosecond, Uint16, Uint32, Uint64, Uint8, Utf8,
  compressionRegistry, makeData, tableFromIPC, vectorFromArray, type Data, type DataType,
} from 'apache-arrow';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryReader } from '../bytes';
import type { Source } from '../source';
import { pathReader } from '../../node/bytes';
import { lz4Frames } from './codecs';
import { arrowFormat, ArrowSource, FileBatches, StreamBatches } from './index';
import { readPages } from '../../testing/read-pages';

const FLIGHTS = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'flights-200k.arrow');

// ---- a table of every supported type, built batch by batch ----

type Value = number | string | null;
interface Col { name: string; type: DataType; expect: (r: number) => Value; data: (rows: number[]) => Data; as: string }

const BATCHES = [1000, 2500, 700];
const nth = (r: number, k: number) => r % k === 0;
const dictionary = vectorFromArray(['alpha', 'beta', 'gamma', 'delta'], new Utf8());

function fromValues(type: DataType, f: (r: number) => unknown) {
  return (rows: number[]) => vectorFromArray(rows.map(f), type).data[0]!;
}
function typed<T extends DataType>(type: T, make: (n: number) => ArrayLike<unknown> & { buffer: ArrayBufferLike }, f: (r: number) => unknown, width = 1) {
  return (rows: number[]) => {
    const data = make(rows.length * width) as unknown as { [i: number]: unknown };
    rows.forEach((r, i) => {
      const v = f(r);
      if (Array.isArray(v)) v.forEach((w, j) => (data[i * width + j] = w));
      else data[i] = v;
    });
    return makeData({ type, length: rows.length, data } as never) as Data;
  };
}
function dict(indices: Int8 | Int32, f: (r: number) => number | null) {
  return (rows: number[]) => {
    const idx = indices instanceof Int8 ? new Int8Array(rows.length) : new Int32Array(rows.length);
    const valid = new Uint8Array(Math.ceil(rows.length / 8));
    let nulls = 0;
    rows.forEach((r, i) => {
      const v = f(r);
      if (v === null) nulls++;
      else { idx[i] = v; valid[i >> 3]! |= 1 << (i & 7); }
    });
    return makeData({ type: new Dictionary(new Utf8(), indices, indices instanceof Int8 ? 1 : 0), length: rows.length, nullCount: nulls, nullBitmap: valid, data: idx, dictionary } as never) as Data;
  };
}
const decimalWords = (v: number) => [v >>> 0, v < 0 ? 0xffffffff : 0, v < 0 ? 0xffffffff : 0, v < 0 ? 0xffffffff : 0];
const DAY0 = Date.UTC(2020, 0, 1);

const COLS: Col[] = [
  { name: 'i8', as: 'i32', type: new Int8(), data: fromValues(new Int8(), (r) => ((r * 7) % 256) - 128), expect: (r) => ((r * 7) % 256) - 128 },
  { name: 'i16', as: 'i32', type: new Int16(), data: fromValues(new Int16(), (r) => ((r * 13) % 60000) - 30000), expect: (r) => ((r * 13) % 60000) - 30000 },
  { name: 'i32n', as: 'f64', type: new Int32(), data: fromValues(new Int32(), (r) => (nth(r, 5) ? null : r * 1000 - 7)), expect: (r) => (nth(r, 5) ? null : r * 1000 - 7) },
  { name: 'u8', as: 'i32', type: new Uint8(), data: fromValues(new Uint8(), (r) => r % 256), expect: (r) => r % 256 },
  { name: 'u16', as: 'i32', type: new Uint16(), data: fromValues(new Uint16(), (r) => (r * 31) % 65536), expect: (r) => (r * 31) % 65536 },
  { name: 'u32', as: 'u32', type: new Uint32(), data: fromValues(new Uint32(), (r) => (r * 2654435761) % 4294967296), expect: (r) => (r * 2654435761) % 4294967296 },
  { name: 'i64', as: 'i64', type: new Int64(), data: typed(new Int64(), (n) => new BigInt64Array(n), (r) => BigInt(r) * 3n - 100n), expect: (r) => r * 3 - 100 },
  { name: 'big', as: 'i64', type: new Int64(), data: typed(new Int64(), (n) => new BigInt64Array(n), (r) => 9007199254740993n + BigInt(r)), expect: (r) => Number(9007199254740993n + BigInt(r)) },
  { name: 'u64', as: 'u64', type: new Uint64(), data: typed(new Uint64(), (n) => new BigUint64Array(n), (r) => 2n ** 63n + BigInt(r)), expect: (r) => Number(2n ** 63n + BigInt(r)) },
  { name: 'f16', as: 'f32', type: new Float16(), data: fromValues(new Float16(), (r) => (r % 100) / 4), expect: (r) => (r % 100) / 4 },
  { name: 'f32', as: 'f32', type: new Float32(), data: fromValues(new Float32(), (r) => r / 3), expect: (r) => Math.fround(r / 3) },
  { name: 'f64n', as: 'f64', type: new Float64(), data: fromValues(new Float64(), (r) => (nth(r, 7) ? null : r / 7)), expect: (r) => (nth(r, 7) ? null : r / 7) },
  { name: 'b', as: 'bool', type: new Bool(), data: fromValues(new Bool(), (r) => nth(r, 3)), expect: (r) => (nth(r, 3) ? 1 : 0) },
  { name: 'bn', as: 'f64', type: new Bool(), data: fromValues(new Bool(), (r) => (nth(r, 4) ? null : r % 2 === 0)), expect: (r) => (nth(r, 4) ? null : r % 2 === 0 ? 1 : 0) },
  { name: 's', as: 'dict', type: new Utf8(), data: fromValues(new Utf8(), (r) => (nth(r, 6) ? null : `s${r % 9}`)), expect: (r) => (nth(r, 6) ? null : `s${r % 9}`) },
  { name: 'ls', as: 'dict', type: new LargeUtf8(), data: fromValues(new LargeUtf8(), (r) => `L${r % 4}é`), expect: (r) => `L${r % 4}é` },
  { name: 'd', as: 'dict', type: new Dictionary(new Utf8(), new Int32(), 0), data: dict(new Int32(), (r) => (nth(r, 10) ? null : r % 4)), expect: (r) => (nth(r, 10) ? null : ['alpha', 'beta', 'gamma', 'delta'][r % 4]!) },
  { name: 'd8', as: 'dict', type: new Dictionary(new Utf8(), new Int8(), 1), data: dict(new Int8(), (r) => (r * 3) % 4), expect: (r) => ['alpha', 'beta', 'gamma', 'delta'][(r * 3) % 4]! },
  { name: 'day', as: 'f64', type: new DateDay(), data: typed(new DateDay(), (n) => new Int32Array(n), (r) => DAY0 / 86400000 + (r % 1000)), expect: (r) => DAY0 / 1000 + (r % 1000) * 86400 },
  { name: 'ts_us', as: 'f64', type: new TimestampMicrosecond('UTC'), data: typed(new TimestampMicrosecond('UTC'), (n) => new BigInt64Array(n), (r) => 1700000000123456n + BigInt(r) * 1000003n), expect: (r) => Number(1700000000123456n + BigInt(r) * 1000003n) / 1e6 },
  { name: 'ts_ns', as: 'f64', type: new TimestampNanosecond(), data: typed(new TimestampNanosecond(), (n) => new BigInt64Array(n), (r) => 1600000000000000000n + BigInt(r) * 1001n), expect: (r) => Number(1600000000000000000n + BigInt(r) * 1001n) / 1e9 },
  { name: 'tod', as: 'f64', type: new TimeMillisecond(), data: typed(new TimeMillisecond(), (n) => new Int32Array(n), (r) => (r * 997) % 86400000), expect: (r) => ((r * 997) % 86400000) / 1e3 },
  { name: 'dur', as: 'f64', type: new DurationMicrosecond(), data: typed(new DurationMicrosecond(), (n) => new BigInt64Array(n), (r) => BigInt(r) * 250n), expect: (r) => (r * 250) / 1e6 },
  { name: 'dec', as: 'f64', type: new Decimal(2, 10, 128), data: typed(new Decimal(2, 10, 128), (n) => new Uint32Array(n), (r) => decimalWords(r * 37 - 500), 4), expect: (r) => (r * 37 - 500) / 100 },
];
const UNSUPPORTED: { name: string; type: DataType; data: (rows: number[]) => Data; reason: RegExp }[] = [
  { name: 'list', type: new List(new Field('item', new Int32())), data: fromValues(new List(new Field('item', new Int32())), (r) => [r, r + 1]), reason: /list/ },
  { name: 'st', type: new Struct([new Field('a', new Int32())]), data: fromValues(new Struct([new Field('a', new Int32())]), (r) => ({ a: r })), reason: /struct/ },
  { name: 'bin', type: new Binary(), data: fromValues(new Binary(), (r) => new Uint8Array([r & 255])), reason: /binary/ },
];

function buildTable(): Table {
  const fields = [...COLS, ...UNSUPPORTED].map((c) => new Field(c.name, c.type, true));
  const schema = new Schema(fields);
  let r0 = 0;
  const batches = BATCHES.map((n) => {
    const rows = Array.from({ length: n }, (_, i) => r0 + i);
    r0 += n;
    const children = [...COLS, ...UNSUPPORTED].map((c) => c.data(rows));
    return new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, children }));
  });
  return new Table(batches);
}

function expectColumn(c: Col, got: (number | string)[]) {
  const total = BATCHES.reduce((a, b) => a + b, 0);
  expect(got.length, c.name).toBe(total);
  for (let r = 0; r < total; r++) {
    const want = c.expect(r);
    const g = got[r];
    if (want === null) {
      if (c.as === 'dict' ? g !== '∅' : !Number.isNaN(g)) expect(g, `${c.name}[${r}], want null`).toBe(c.as === 'dict' ? '∅' : NaN);
    } else if (g !== want) expect(g, `${c.name}[${r}]`).toBe(want);
  }
}

async function checkAll(src: Source) {
  const types = Object.fromEntries(src.schema.columns.map((c) => [c.name, c.type]));
  expect(types).toEqual(Object.fromEntries(COLS.map((c) => [c.name, c.as])));
  expect(src.schema.unsupported.map((u) => u.name)).toEqual(UNSUPPORTED.map((u) => u.name));
  for (const u of UNSUPPORTED) expect(src.schema.unsupported.find((x) => x.name === u.name)!.reason).toMatch(u.reason);
  const byName = Object.fromEntries(src.schema.columns.map((c) => [c.name, c]));
  for (const n of ['day', 'ts_us', 'ts_ns', 'tod', 'dur']) expect(byName[n]!.unit, n).toBe('s');
  expect(['day', 'ts_us', 'ts_ns', 'tod', 'dur'].map((n) => byName[n]!.time)).toEqual(['date', 'timestamp', 'timestamp', undefined, undefined]);
  expect(byName.ts_us!.description).toMatch(/zone UTC/);
  const names = COLS.map((c) => c.name);
  const { values, results } = await readPages(src, names);
  for (const c of COLS) expectColumn(c, values[c.name]!);
  const warned = new Set(results.flatMap((r, k) => (r.kind === 'written' && r.warnings?.length ? [names[k % names.length]] : [])));
  expect([...warned].sort()).toEqual(['big', 'u64']);
}

describe('arrow files built with apache-arrow', () => {
  const table = buildTable();

  it('file format: batch by batch through the footer', async () => {
    const bytes = RecordBatchFileWriter.writeAll(table).toUint8Array(true);
    const src = await arrowFormat.open(memoryReader(bytes, 't.arrow'), {});
    expect(src.schema.chunkRows).toEqual(BATCHES);
    expect(src.schema.notes[0]).toMatch(/IPC file, 3 record batches/);
    expect(src.schema.columns.find((c) => c.name === 'd')!.dictionary).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    await checkAll(src);
    // a dictionary column without nulls is handed over as it is: the batch's index array, the file's dictionary
    const d8 = src.schema.columns.findIndex((c) => c.name === 'd8');
    const [a] = await src.read(0, [{ column: d8, dest: null }]);
    const [b] = await src.read(1, [{ column: d8, dest: null }]);
    expect(a!.kind === 'dict' && a.codes instanceof Uint8Array).toBe(true);
    expect(a!.kind === 'dict' && b!.kind === 'dict' && a.dictionary === b.dictionary).toBe(true);
  });

  it('stream format: read whole', async () => {
    const bytes = RecordBatchStreamWriter.writeAll(table).toUint8Array(true);
    expect(arrowFormat.sniff(bytes.subarray(0, 8))).toBe(true);
    const src = await arrowFormat.open(memoryReader(bytes, 't.arrows'), {});
    expect(src.schema.notes[0]).toMatch(/IPC stream, 3 record batches/);
    await checkAll(src);
  });

  it('slices of large batches, file and stream', async () => {
    const file = RecordBatchFileWriter.writeAll(table).toUint8Array(true);
    const stream = RecordBatchStreamWriter.writeAll(table).toUint8Array(true);
    const a = new ArrowSource('t.arrow', await FileBatches.open(memoryReader(file, 't.arrow')), 400);
    const b = new ArrowSource('t.arrows', await StreamBatches.open(memoryReader(stream, 't.arrows')), 400);
    expect(a.schema.chunkRows.length).toBe(3 + 7 + 2);
    expect(a.schema.notes.join(' ')).toMatch(/read in slices/);
    await checkAll(a);
    await checkAll(b);
  });

  it('a stream that replaces its dictionary between batches', async () => {
    const type = new Dictionary(new Utf8(), new Int32(), 7);
    const field = new Field('cat', type, true);
    const schema = new Schema([field]);
    const words = [['red', 'green'], ['blue', 'red', 'cyan'], ['x']];
    const batches = words.map((w, k) => {
      const idx = Int32Array.from({ length: 5 }, (_, i) => (i + k) % w.length);
      const data = makeData({ type, length: 5, data: idx, dictionary: vectorFromArray(w, new Utf8()) } as never) as Data;
      return new RecordBatch(schema, makeData({ type: new Struct([field]), length: 5, children: [data] }));
    });
    const bytes = RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
    const src = await arrowFormat.open(memoryReader(bytes, 'replace.arrows'), {});
    const { values } = await readPages(src, ['cat']);
    const want = words.flatMap((w, k) => Array.from({ length: 5 }, (_, i) => w[(i + k) % w.length]!));
    expect(values.cat).toEqual(want);
  });

  const haveCli = (cmd: string) => {
    try { execFileSync(cmd, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
  };
  const cases: [string, CompressionType, string[]][] = [
    ['lz4', CompressionType.LZ4_FRAME, ['-c', '-q', '-B4']],
    ['zstd', CompressionType.ZSTD, ['-c', '-q']],
  ];
  for (const [cli, type, args] of cases) {
    // the encoder comes from the command-line tool; decoding is Sift's
    it.skipIf(!haveCli(cli))(`compressed bodies: ${cli}`, async () => {
      const decode = compressionRegistry.get(type)!.decode!;
      compressionRegistry.set(type, { encode: (b) => new Uint8Array(execFileSync(cli, args, { input: b })), decode });
      const bytes = RecordBatchFileWriter.writeAll(table, { compressionType: type }).toUint8Array(true);
      const src = await arrowFormat.open(memoryReader(bytes, `c.${cli}.arrow`), {});
      expect(src.schema.notes.join(' ')).toMatch(new RegExp(`compression ${cli}`));
      await checkAll(src);
    });
  }

  it('lz4 frames with dependent blocks and matches across them', () => {
    if (!haveCli('lz4')) return;
    const text = new TextEncoder().encode('abcabcabcabc'.repeat(20000) + 'tail');
    const frame = new Uint8Array(execFileSync('lz4', ['-c', '-q', '-BD', '-B4'], { input: text }));
    expect(lz4Frames(frame)).toEqual(text);
  });
});

describe('flights-200k.arrow', () => {
  it('matches apache-arrow', async () => {
    const src = await arrowFormat.open(pathReader(FLIGHTS), {});
    expect(src.schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['delay:i32', 'distance:i32', 'time:f32']);
    const table = tableFromIPC(readFileSync(FLIGHTS));
    const { values } = await readPages(src, ['delay', 'distance', 'time']);
    for (const n of ['delay', 'distance', 'time']) {
      const want = Array.from(table.getChild(n)!.toArray() as ArrayLike<number>);
      expect(values[n]!.length).toBe(want.length);
      expect(values[n], n).toEqual(want);
    }
  });
});

describe('arrow sniffing', () => {
  it('claims its magic numbers and extensions', () => {
    const enc = new TextEncoder();
    expect(arrowFormat.sniff(enc.encode('ARROW1\0\0'))).toBe(true);
    expect(arrowFormat.sniff(new Uint8Array([0xff, 0xff, 0xff, 0xff, 8, 0, 0, 0]))).toBe(true);
    expect(arrowFormat.sniff(enc.encode('PAR1'))).toBe(false);
    expect(arrowFormat.sniff(enc.encode('a,b\n1,2'))).toBe(false);
    expect(arrowFormat.extensions).toEqual(['arrow', 'feather', 'ipc', 'arrows']);
  });
});
