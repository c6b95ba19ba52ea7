// The ROOT reader against the scikit-hep test files (public/data/root/README.md),
// checked against jsroot's own TTree reading (treeProcess: its TBasket streamer
// and member readers, a path independent of our basket decoding).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openFile, type RootTree } from 'jsroot/io';
import { TSelector, treeProcess } from 'jsroot/tree';
import { memoryReader } from '../bytes';
import type { PageRequest, Source } from '../source';
import { readJaggedBranch, rootFormat } from './index';
import { destFor } from '../../testing/read-pages';

const dataDir = new URL('../../../public/data/root/', import.meta.url);
const bytesOf = async (file: string) => new Uint8Array(await readFile(new URL(file, dataDir)));

async function open(file: string, opts: { tree?: string; chunkRows?: number } = {}): Promise<Source> {
  return rootFormat.open(memoryReader(await bytesOf(file), file), opts);
}

type Values = (number | string)[];

/** Every column, every chunk, concatenated. */
async function readAll(source: Source): Promise<Map<string, Values>> {
  const { columns, chunkRows } = source.schema;
  const out = new Map<string, Values>(columns.map((c) => [c.name, []]));
  for (let chunk = 0; chunk < chunkRows.length; chunk++) {
    const n = chunkRows[chunk]!;
    const pages: PageRequest[] = columns.map((c, column) => ({ column, dest: destFor(c.type, n) }));
    const results = await source.read(chunk, pages);
    results.forEach((r, i) => {
      const values = out.get(columns[i]!.name)!;
      if (r.kind === 'dict') values.push(...Array.from(r.codes, (c) => r.dictionary[c]!));
      else values.push(...Array.from(pages[i]!.dest!));
    });
  }
  return out;
}

/** Per-entry values of the given branches, as jsroot's treeProcess reads them. */
async function jsrootEntries(file: string, treeName: string, branches: string[]): Promise<Map<string, unknown[]>> {
  const bytes = await bytesOf(file);
  const f = await openFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const tree = (await f.readObject(treeName)) as RootTree;
  const out = new Map<string, unknown[]>(branches.map((b) => [b, []]));
  const selector = new TSelector();
  branches.forEach((b, i) => selector.addBranch(b, `b${i}`));
  selector.Process = function () {
    branches.forEach((b, i) => {
      const v = this.tgtobj[`b${i}`];
      out.get(b)!.push(ArrayBuffer.isView(v) || Array.isArray(v) ? Array.from(v as ArrayLike<unknown>) : typeof v === 'object' && v ? { ...v } : v);
    });
  };
  await treeProcess(tree, selector);
  return out;
}

const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : Number(v as number | bigint));

/** Our columns for a branch, per entry, in the shape jsroot gives (scalar, array, record). */
function expectBranchMatches(ours: Map<string, Values>, branch: string, reference: unknown[], shape: 'scalar' | 'string' | { array: number } | { record: string[] }) {
  reference.forEach((ref, e) => {
    if (shape === 'scalar') expect(ours.get(branch)![e], `${branch}[${e}]`).toEqual(num(ref));
    else if (shape === 'string') expect(ours.get(branch)![e], `${branch}[${e}]`).toEqual(ref);
    else if ('array' in shape && typeof ref === 'string') {
      // jsroot reads `x[3]/B` as a C string: bytes up to the first NUL
      const bytes = Array.from(ref, (c) => (c.charCodeAt(0) << 24) >> 24);
      for (let j = 0; j <= Math.min(bytes.length, shape.array - 1); j++) expect(ours.get(`${branch}[${j}]`)![e]).toEqual(j < bytes.length ? bytes[j] : 0);
    } else if ('array' in shape) {
      for (let j = 0; j < shape.array; j++) expect(ours.get(`${branch}[${j}]`)![e]).toEqual(num((ref as unknown[])[j]));
    } else {
      for (const leaf of shape.record) expect(ours.get(`${branch}.${leaf}`)![e]).toEqual(num((ref as Record<string, unknown>)[leaf]));
    }
  });
}

async function expectJaggedMatches(source: Source, file: string, treeName: string, branch: string) {
  const rows = source.schema.rows;
  const ours = await readJaggedBranch(source, branch, 0, rows);
  const reference = (await jsrootEntries(file, treeName, [branch])).get(branch)! as unknown[][];
  expect(reference.length).toBe(rows);
  expect(ours.offsets.length).toBe(rows + 1);
  const flat = reference.flat().map(num);
  expect(Array.from(ours.values)).toEqual(flat);
  expect(Array.from(ours.offsets.subarray(1), (o, i) => o - ours.offsets[i]!)).toEqual(reference.map((r) => r.length));
}

describe('uproot-Zmumu: every compression gives the same columns', () => {
  const files = ['uproot-Zmumu.root', 'uproot-Zmumu-zlib.root', 'uproot-Zmumu-lzma.root', 'uproot-Zmumu-lz4.root', 'uproot-Zmumu-zstd.root', 'uproot-Zmumu-uncompressed.root'];

  it('reads identical schemas and values under zlib, lzma, lz4, zstd and none', async () => {
    const all = [];
    for (const f of files) {
      const s = await open(f);
      expect(s.schema.rows).toBe(2304);
      expect(s.schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
        'Type:dict', 'Run:i32', 'Event:i32', 'E1:f64', 'px1:f64', 'py1:f64', 'pz1:f64', 'pt1:f64', 'eta1:f64', 'phi1:f64', 'Q1:i32',
        'E2:f64', 'px2:f64', 'py2:f64', 'pz2:f64', 'pt2:f64', 'eta2:f64', 'phi2:f64', 'Q2:i32', 'M:f64',
      ]);
      expect(s.schema.unsupported).toEqual([]);
      all.push(await readAll(s));
    }
    for (const other of all.slice(1)) expect(other).toEqual(all[0]);
    expect(all[0]!.get('Type')!.slice(0, 4)).toEqual(['GT', 'TT', 'GT', 'GG']);
    expect(all[0]!.get('M')![0]).toBeCloseTo(82.4626915551, 9);
  });

  it('equals jsroot reading the same branches', async () => {
    for (const f of ['uproot-Zmumu.root', 'uproot-Zmumu-zstd.root']) {
      const ours = await readAll(await open(f));
      const names = [...ours.keys()];
      const reference = await jsrootEntries(f, 'events', names);
      for (const n of names) expectBranchMatches(ours, n, reference.get(n)!, n === 'Type' ? 'string' : 'scalar');
    }
  });
});

describe('uproot-HZZ', () => {
  for (const f of ['uproot-HZZ.root', 'uproot-HZZ-zstd.root']) {
    it(`${f}: flat columns equal jsroot; jagged branches are listed and read as jsroot reads them`, async () => {
      const s = await open(f);
      expect(s.schema.rows).toBe(2421);
      const types = Object.fromEntries(s.schema.columns.map((c) => [c.name, c.type]));
      expect(types).toMatchObject({ NJet: 'i32', MET_px: 'f32', EventWeight: 'f32', triggerIsoMu24: 'bool', NPrimaryVertices: 'i32' });
      expect(s.schema.jagged).toContainEqual({ name: 'Jet_Px', elementType: 'f32', counter: 'NJet' });
      expect(s.schema.jagged).toContainEqual({ name: 'Muon_Charge', elementType: 'i32', counter: 'NMuon' });
      expect(s.schema.jagged).toContainEqual({ name: 'Jet_ID', elementType: 'bool', counter: 'NJet' });
      // the leaf is Photons_E; the column takes the branch name
      expect(s.schema.jagged.map((j) => j.name)).toContain('Photon_E');
      expect(s.schema.columns.length + s.schema.jagged.length).toBe(51);
      expect(s.schema.unsupported).toEqual([]);

      const ours = await readAll(s);
      const names = [...ours.keys()];
      const reference = await jsrootEntries(f, 'events', names);
      for (const n of names) expectBranchMatches(ours, n, reference.get(n)!, 'scalar');

      for (const j of ['Jet_Px', 'Muon_Charge', 'Jet_ID', 'Photon_E']) await expectJaggedMatches(s, f, 'events', j);
      const muons = await readJaggedBranch(s, 'Muon_Px', 0, s.schema.rows);
      expect(Array.from(muons.offsets.subarray(1), (o, i) => o - muons.offsets[i]!)).toEqual(ours.get('NMuon'));
    });
  }

  it('reads a jagged branch in any entry range', async () => {
    const s = await open('uproot-HZZ.root');
    const whole = await readJaggedBranch(s, 'Jet_Px', 0, s.schema.rows);
    const part = await readJaggedBranch(s, 'Jet_Px', 1000, 17);
    const lo = whole.offsets[1000]!;
    expect(Array.from(part.offsets)).toEqual(Array.from(whole.offsets.subarray(1000, 1018), (o) => o - lo));
    expect(Array.from(part.values)).toEqual(Array.from(whole.values.subarray(lo, whole.offsets[1017]!)));
    await expect(readJaggedBranch(s, 'NJet', 0, 1)).rejects.toThrow(/no jagged branch NJet/);
  });

  it('readList gives a chunk of a jagged branch (the engine\'s list columns)', async () => {
    const s = await open('uproot-HZZ.root', { chunkRows: 500 });
    const whole = await readJaggedBranch(s, 'Muon_Px', 0, s.schema.rows);
    let at = 0;
    for (let chunk = 0; chunk < s.schema.chunkRows.length; chunk++) {
      const n = s.schema.chunkRows[chunk]!;
      const list = await s.readList!(chunk, 'Muon_Px');
      const lo = whole.offsets[at]!;
      expect(Array.from(list.offsets)).toEqual(Array.from(whole.offsets.subarray(at, at + n + 1), (o) => o - lo));
      expect(Array.from(list.values)).toEqual(Array.from(whole.values.subarray(lo, whole.offsets[at + n]!)));
      at += n;
    }
    expect(at).toBe(2421);
  });
});

describe('uproot-small-flat-tree: 64-bit integers, fixed arrays, strings, slices', () => {
  it('maps every branch and matches jsroot', async () => {
    const f = 'uproot-small-flat-tree.root';
    const s = await open(f);
    const types = Object.fromEntries(s.schema.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ Int32: 'i32', Int64: 'i64', UInt32: 'u32', UInt64: 'u64', Float32: 'f32', Float64: 'f64', Str: 'dict', N: 'i32' });
    for (const a of ['ArrayInt32', 'ArrayInt64', 'ArrayUInt32', 'ArrayUInt64', 'ArrayFloat32', 'ArrayFloat64']) {
      expect(s.schema.columns.filter((c) => c.name.startsWith(`${a}[`)).map((c) => c.name)).toEqual(Array.from({ length: 10 }, (_, i) => `${a}[${i}]`));
    }
    expect(s.schema.jagged.map((j) => `${j.name}:${j.elementType}:${j.counter}`)).toEqual([
      'SliceInt32:i32:N', 'SliceInt64:i64:N', 'SliceUInt32:u32:N', 'SliceUInt64:u64:N', 'SliceFloat32:f32:N', 'SliceFloat64:f64:N',
    ]);
    const ours = await readAll(s);
    expect(ours.get('Str')!.slice(0, 3)).toEqual(['evt-000', 'evt-001', 'evt-002']);
    const scalars = ['Int32', 'Int64', 'UInt32', 'UInt64', 'Float32', 'Float64', 'N'];
    const arrays = ['ArrayInt32', 'ArrayInt64', 'ArrayUInt32', 'ArrayUInt64', 'ArrayFloat32', 'ArrayFloat64'];
    const reference = await jsrootEntries(f, 'tree', [...scalars, 'Str', ...arrays]);
    for (const n of scalars) expectBranchMatches(ours, n, reference.get(n)!, 'scalar');
    expectBranchMatches(ours, 'Str', reference.get('Str')!, 'string');
    for (const a of arrays) expectBranchMatches(ours, a, reference.get(a)!, { array: 10 });
    for (const j of s.schema.jagged) await expectJaggedMatches(s, f, 'tree', j.name);
  });
});

describe('uproot-sample-6.20.04: every basic type as scalar, [3] and [n], and a string', () => {
  it('maps the leaf codes to storage types', async () => {
    const s = await open('uproot-sample-6.20.04-zlib.root');
    const types = Object.fromEntries(s.schema.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual(expect.objectContaining({
      n: 'i32', b: 'bool', i1: 'i32', u1: 'u32', i2: 'i32', u2: 'u32', i4: 'i32', u4: 'u32',
      i8: 'i64', u8: 'u64', f4: 'f32', f8: 'f64', str: 'dict', 'ab[2]': 'bool', 'ai8[0]': 'i64', 'af8[1]': 'f64',
    }));
    expect(Object.fromEntries(s.schema.jagged.map((j) => [j.name, j.elementType]))).toEqual({
      Ab: 'bool', Ai1: 'i32', Au1: 'u32', Ai2: 'i32', Au2: 'u32', Ai4: 'i32', Au4: 'u32', Ai8: 'i64', Au8: 'u64', Af4: 'f32', Af8: 'f64',
    });
    expect(s.schema.jagged.every((j) => j.counter === 'n')).toBe(true);
  });

  it('matches jsroot for every branch', async () => {
    const f = 'uproot-sample-6.20.04-zlib.root';
    const s = await open(f);
    const ours = await readAll(s);
    const scalars = ['n', 'b', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'f4', 'f8'];
    const arrays = ['ab', 'ai1', 'au1', 'ai2', 'au2', 'ai4', 'au4', 'ai8', 'au8', 'af4', 'af8'];
    const reference = await jsrootEntries(f, 'sample', [...scalars, ...arrays, 'str']);
    for (const n of scalars) expectBranchMatches(ours, n, reference.get(n)!, 'scalar');
    for (const a of arrays) expectBranchMatches(ours, a, reference.get(a)!, { array: 3 });
    expectBranchMatches(ours, 'str', reference.get('str')!, 'string');
    for (const j of s.schema.jagged) await expectJaggedMatches(s, f, 'sample', j.name);
  });
});

describe('tiny edge cases', () => {
  it('uproot-simple: one/I two/F three/C', async () => {
    const ours = await readAll(await open('uproot-simple.root'));
    expect(ours.get('one')).toEqual([1, 2, 3, 4]);
    expect(ours.get('two')).toEqual([1.1, 2.2, 3.3, 4.4].map(Math.fround));
    expect(ours.get('three')).toEqual(['uno', 'dos', 'tres', 'quatro']);
  });

  it('uproot-leaflist: x/D:y/I:z/B become leaflist.x, leaflist.y, leaflist.z', async () => {
    const s = await open('uproot-leaflist.root');
    expect(s.schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['leaflist.x:f64', 'leaflist.y:i32', 'leaflist.z:i32']);
    const ours = await readAll(s);
    expect(ours.get('leaflist.x')).toEqual([1.1, 2.2, 3.3, 4, 5.5]);
    expect(ours.get('leaflist.y')).toEqual([1, 2, 3, 4, 5]);
    expect(ours.get('leaflist.z')).toEqual([97, 98, 99, 100, 101]);
    const reference = await jsrootEntries('uproot-leaflist.root', 'tree', ['leaflist']);
    expectBranchMatches(ours, 'leaflist', reference.get('leaflist')!, { record: ['x', 'y', 'z'] });
  });

  it('uproot-small-dy-nooffsets: baskets without entry offsets take element counts from the counter', async () => {
    // jsroot's own TBasket streamer misreads these baskets (flag 80), so the checks are internal
    const s = await open('uproot-small-dy-nooffsets.root');
    expect(s.schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['nJet:u32', 'nMuon:u32', 'MET_pt:f32', 'event:u64']);
    expect(s.schema.jagged.map((j) => `${j.name}:${j.elementType}:${j.counter}`)).toEqual([
      'Jet_jetId:i32:nJet', 'Jet_pt:f32:nJet', 'Muon_charge:i32:nMuon', 'Muon_pt:f32:nMuon',
    ]);
    const ours = await readAll(s);
    const jets = await readJaggedBranch(s, 'Jet_pt', 0, 501);
    expect(Array.from(jets.offsets.subarray(1), (o, i) => o - jets.offsets[i]!)).toEqual(ours.get('nJet'));
    expect(jets.values.every((pt) => pt > 0 && pt < 1e4)).toBe(true);
    const charges = await readJaggedBranch(s, 'Muon_charge', 0, 501);
    expect(charges.values.every((q) => q === 1 || q === -1)).toBe(true);
    // a range that starts inside a basket (baskets hold entries 0–200, 200–397, …)
    const part = await readJaggedBranch(s, 'Jet_pt', 250, 200);
    expect(Array.from(part.values)).toEqual(Array.from(jets.values.subarray(jets.offsets[250]!, jets.offsets[450]!)));
    expect(ours.get('event')!.slice(0, 3)).toEqual([41602225, 41602206, 41602208]);
  });
});

describe('uproot-hepdata-example: a TNtuple next to histograms', () => {
  it('reads the ntuple and names the objects that are not trees', async () => {
    const s = await open('uproot-hepdata-example.root');
    expect(s.schema.rows).toBe(75000);
    expect(s.schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['px:f32', 'py:f32', 'pz:f32', 'random:f32', 'i:f32']);
    expect(s.schema.notes.join('\n')).toMatch(/TH1F hpx/);
    const ours = await readAll(s);
    expect(ours.get('i')!.slice(0, 3)).toEqual([0, 1, 2]);
    expect(ours.get('i')![74999]).toBe(74999);
    const reference = await jsrootEntries('uproot-hepdata-example.root', 'ntuple', ['px', 'random']);
    expectBranchMatches(ours, 'px', reference.get('px')!, 'scalar');
    expectBranchMatches(ours, 'random', reference.get('random')!, 'scalar');
  });

  it('asking for the histogram as a tree says what it is', async () => {
    await expect(open('uproot-hepdata-example.root', { tree: 'hpx' })).rejects.toMatchObject({ name: 'BadDataset', message: expect.stringMatching(/hpx is a TH1F, not a tree; trees in the file: ntuple/) });
    await expect(open('uproot-hepdata-example.root', { tree: 'nope' })).rejects.toMatchObject({ name: 'BadDataset', message: expect.stringMatching(/no tree nope/) });
  });
});

describe('nanoAOD_2015_CMS_Open_Data_ttbar: a wide schema', () => {
  it('opens ~950 branches, with baskets stored inside the tree', async () => {
    const t0 = performance.now();
    const s = await open('nanoAOD_2015_CMS_Open_Data_ttbar.root');
    const openMs = performance.now() - t0;
    console.log(`nanoAOD open: ${openMs.toFixed(0)} ms for ${s.schema.columns.length} columns + ${s.schema.jagged.length} jagged`);
    expect(s.schema.rows).toBe(200);
    expect(s.schema.columns.length).toBe(603);
    expect(s.schema.jagged.length).toBe(344);
    expect(s.schema.unsupported).toEqual([]);
    expect(s.schema.columns.find((c) => c.name === 'HLT_IsoTrackHE')).toMatchObject({ type: 'bool', description: 'Trigger/flag bit (process: HLT)' });
    expect(s.schema.jagged).toContainEqual({ name: 'Jet_pt', elementType: 'f32', counter: 'nJet' });

    const t1 = performance.now();
    const ours = await readAll(s);
    console.log(`nanoAOD read all ${s.schema.columns.length} flat columns: ${(performance.now() - t1).toFixed(0)} ms`);
    const names = ['run', 'event', 'MET_pt', 'nJet', 'PV_npvs', 'HLT_IsoMu24', 'Jet_jetId'];
    const flat = names.filter((n) => ours.has(n));
    expect(flat.length).toBeGreaterThanOrEqual(5);
    const reference = await jsrootEntries('nanoAOD_2015_CMS_Open_Data_ttbar.root', 'Events', flat);
    for (const n of flat) expectBranchMatches(ours, n, reference.get(n)!, 'scalar');
    await expectJaggedMatches(s, 'nanoAOD_2015_CMS_Open_Data_ttbar.root', 'Events', 'Jet_pt');
  });
});

describe('chunks', () => {
  const cases: [string, number][] = [
    ['uproot-HZZ.root', 100], ['uproot-sample-6.20.04-zlib.root', 7], ['uproot-small-flat-tree.root', 9],
    ['uproot-small-dy-nooffsets.root', 64], ['uproot-hepdata-example.root', 10_000], ['uproot-Zmumu-lz4.root', 333],
  ];
  for (const [f, rows] of cases) {
    it(`${f}: chunks of ~${rows} rows read the same as one chunk`, async () => {
      const small = await open(f, { chunkRows: rows });
      const whole = await open(f, { chunkRows: 1e9 });
      expect(whole.schema.chunkRows).toEqual([whole.schema.rows]);
      expect(small.schema.chunkRows.reduce((a, b) => a + b, 0)).toBe(small.schema.rows);
      expect(small.schema.chunkRows.length).toBeGreaterThan(1);
      expect(Math.max(...small.schema.chunkRows)).toBeLessThan(2 * rows);
      expect(await readAll(small)).toEqual(await readAll(whole));
    });
  }

  it('chunks may be read concurrently and out of order', async () => {
    const s = await open('uproot-hepdata-example.root', { chunkRows: 5000 });
    const whole = await readAll(await open('uproot-hepdata-example.root'));
    const n = s.schema.chunkRows.length;
    const order = Array.from({ length: n }, (_, i) => (i * 7) % n);
    const pages = order.map((c) => [{ column: 0, dest: new Float32Array(s.schema.chunkRows[c]!) }]);
    await Promise.all(order.map((c, i) => s.read(c, pages[i]!)));
    const starts = [0];
    for (const r of s.schema.chunkRows) starts.push(starts[starts.length - 1]! + r);
    order.forEach((c, i) => expect(Array.from(pages[i]![0]!.dest)).toEqual(whole.get('px')!.slice(starts[c], starts[c + 1])));
  });

  it('reads 75000 rows × 5 columns at a measurable speed', async () => {
    const s = await open('uproot-hepdata-example.root');
    const pass = async () => {
      const t0 = performance.now();
      for (let chunk = 0; chunk < s.schema.chunkRows.length; chunk++) {
        await s.read(chunk, s.schema.columns.map((_, column) => ({ column, dest: new Float32Array(s.schema.chunkRows[chunk]!) })));
      }
      return performance.now() - t0;
    };
    const cold = await pass();
    const warm = await pass();
    const rate = (ms: number) => `${ms.toFixed(0)} ms = ${(375000 / ms / 1000).toFixed(1)} M values/s`;
    console.log(`hepdata ntuple, 375000 f32 values: inflating and decoding ${rate(cold)}; decoding cached baskets ${rate(warm)}`);
  });
});

describe('format', () => {
  it('sniffs the magic and claims .root', async () => {
    expect(rootFormat.extensions).toEqual(['root']);
    expect(rootFormat.sniff((await bytesOf('uproot-simple.root')).subarray(0, 16))).toBe(true);
    expect(rootFormat.sniff(new TextEncoder().encode('PAR1'))).toBe(false);
  });
});
