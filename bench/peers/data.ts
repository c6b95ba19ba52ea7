// The peers' dataset: x, y ~ Normal(0,1), z ~ Exp(1), k 0–9, cat one of 5
// strings, rows drawn from a seeded generator. Values are rounded to 6 decimals
// so the CSV stays the size of the (~39 bytes a row) and every reader
// parses the same double: String(v) of such a value is its shortest round-trip
// form. A row whose value sits within EDGE_EPS of a bin edge or of the z cut is
// drawn again, so a last-bit difference between peers can't move a count.
import { TOY } from '../../workers/demo/datasets';
import type { Axis1 } from '../plain';
import type { ToyTable } from '../toy-table';
import { AXES } from './sql';

export const CATS: readonly string[] = TOY.columns.find((c) => c.name === 'cat')!.dictionary!;
export const EDGE_EPS = 1e-9;
/** Bumped whenever the values a (rows, seed) pair produces change: it keys the cached files. */
export const GENERATOR_VERSION = 1;

/** xoshiro128**: a 2^128 period is plenty for 10^8 draws; see: https://prng.di.unimi.it/xoshiro128starstar.c */
export function xoshiro128(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed, b = 0x243f6a88, c = 0xb7e15162, d = Math.imul(seed, 0x85ebca6b);
  const next = () => {
    const r = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)), 9);
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = (d << 11) | (d >>> 21);
    return r >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return () => (next() + 0.5) / 4294967296;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Distance from v to the nearest edge of `a` (in value units), under the engine's bin rule t = (v - lo) * (n / (hi - lo)). */
export function edgeDistance(v: number, a: Axis1): number {
  const t = (v - a.lo) * (a.bins / (a.hi - a.lo));
  if (t < -0.5 || t > a.bins + 0.5) return Infinity;
  return Math.abs(t - Math.round(t)) * ((a.hi - a.lo) / a.bins);
}

/** True when no bin of any job, and no cut, can depend on the last bits of this row's arithmetic. */
export function clearOfEdges(x: number, y: number, z: number): boolean {
  const r = Math.sqrt(x * x + y * y);
  return edgeDistance(x, AXES.x) >= EDGE_EPS && edgeDistance(x, AXES.xy) >= EDGE_EPS &&
    edgeDistance(y, AXES.xy) >= EDGE_EPS && edgeDistance(r, AXES.r) >= EDGE_EPS &&
    Math.abs(z - AXES.zMin) >= EDGE_EPS;
}

export interface PeersRows extends ToyTable {
  k: Uint8Array;
  /** rows drawn again because a value sat on an edge */
  redrawn: number;
}

/** Rows [0, rows) of the dataset for `seed`, as typed arrays (cat: codes into CATS). */
export function generateRows(rows: number, seed: number, onBlock?: (done: number) => void): PeersRows {
  const rnd = xoshiro128(seed);
  const t: PeersRows = {
    rows, x: new Float64Array(rows), y: new Float64Array(rows), z: new Float64Array(rows),
    cat: new Uint8Array(rows), k: new Uint8Array(rows), redrawn: 0,
  };
  for (let i = 0; i < rows; i++) {
    for (;;) {
      // Box–Muller; both normals from one pair of uniforms
      const u = rnd(), v = rnd(), m = Math.sqrt(-2 * Math.log(u));
      const x = round6(m * Math.cos(2 * Math.PI * v)), y = round6(m * Math.sin(2 * Math.PI * v));
      const z = round6(-Math.log(rnd()));
      if (!clearOfEdges(x, y, z)) { t.redrawn++; continue; }
      t.x[i] = x; t.y[i] = y; t.z[i] = z;
      break;
    }
    t.k[i] = Math.floor(rnd() * 10);
    t.cat[i] = Math.floor(rnd() * CATS.length);
    if (onBlock && (i + 1) % 1_000_000 === 0) onBlock(i + 1);
  }
  return t;
}

export const CSV_HEADER = 'x,y,z,k,cat\n';

/** Rows [from, to) as CSV lines; String(v) is the shortest text that reads back as v. */
export function csvLines(t: PeersRows, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += `${t.x[i]},${t.y[i]},${t.z[i]},${t.k[i]},${CATS[t.cat[i]!]}\n`;
  return s;
}

/** The plain-JS peer's file: x, y, z as f64 then cat codes, each column rows long. */
export function columnsBinary(t: PeersRows): Uint8Array {
  const out = new Uint8Array(t.rows * 25);
  const f = new Float64Array(out.buffer, 0, t.rows * 3);
  f.set(t.x, 0); f.set(t.y, t.rows); f.set(t.z, 2 * t.rows);
  out.set(t.cat, t.rows * 24);
  return out;
}

/** Views over columnsBinary's layout (buffer must be 8-byte aligned, as a fetched ArrayBuffer is). */
export function tableFromBinary(buf: ArrayBuffer, rows: number): ToyTable {
  if (buf.byteLength !== rows * 25) throw new Error(`columns file holds ${buf.byteLength} bytes, expected ${rows * 25} for ${rows} rows`);
  return {
    rows,
    x: new Float64Array(buf, 0, rows), y: new Float64Array(buf, rows * 8, rows), z: new Float64Array(buf, rows * 16, rows),
    cat: new Uint8Array(buf, rows * 24, rows),
  };
}

// ---------------------------------------------------------------- genome matrix (seed 002)

export const GENOME_LETTERS = 32;
const BASES = ['A', 'C', 'G', 'T'];

export const genomeHeader = () =>
  `chrom\tpos\t${Array.from({ length: GENOME_LETTERS }, (_, i) => `s${i + 1}`).join('\t')}\n`;

/** Rows [from, to) of the genome-matrix TSV: chromosome 1–22, position, 32 single-letter genotypes. */
export function genomeLines(rnd: () => number, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) {
    s += `${1 + Math.floor(rnd() * 22)}\t${10_000_000 + i * 17}`;
    for (let j = 0; j < GENOME_LETTERS; j++) s += `\t${BASES[Math.floor(rnd() * 4)]}`;
    s += '\n';
  }
  return s;
}

/** Ideal column bytes: two i32 columns and one byte per letter. */
export const genomeIdealBytes = (rows: number) => rows * (2 * 4 + GENOME_LETTERS);
