// The toy dataset regenerated outside the engine, on one thread, into plain typed
// arrays: the same kernel (gen_toy) and seed over a private, non-shared memory.
// Row r depends only on (seed, r) (workers/engine/generate.ts), so row r here
// holds exactly the values row r holds in Sift.
import { TOY } from '../workers/demo/datasets';

/** The columns the jobs read, as plain typed arrays. */
export interface ToyTable {
  rows: number;
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  /** dictionary codes into TOY's `cat` dictionary */
  cat: Uint8Array;
}

const CHUNK_ROWS = 65536;
/** bytes per row of each column, in gen_toy's column order */
const LAYOUT: readonly [name: string, bytes: number][] = [['x', 8], ['y', 8], ['z', 8], ['k', 4], ['cat', 1], ['w', 8]];
/** The module's static data lives in the first 64 KiB (MEASURED.md): ours starts after. */
const BASE = 65536;
const PAGE = 65536;

type GenToy = (seed: number, row0: number, n: number, out: number) => void;

/** Runs gen_toy chunk by chunk over `module` (the unshared kernel build) and copies out x, y, z, cat. */
export async function toyTable(module: WebAssembly.Module, rows: number, seed: number): Promise<ToyTable> {
  const names = TOY.columns.map((c) => c.name).join(' ');
  if (names !== LAYOUT.map(([n]) => n).join(' ')) {
    throw new Error(`bench/toy-table.ts expects the toy columns "x y z k cat w", the engine has "${names}"`);
  }
  // column data pointers (u32 each), then one chunk of every column, 16-byte aligned
  const starts: number[] = [];
  let at = BASE + 64;
  for (const [, bytes] of LAYOUT) {
    starts.push(at);
    at += Math.ceil((CHUNK_ROWS * bytes) / 16) * 16;
  }
  const memory = new WebAssembly.Memory({ initial: Math.ceil(at / PAGE), maximum: 65536 });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const genToy = instance.exports.gen_toy as GenToy;
  new Uint32Array(memory.buffer, BASE, LAYOUT.length).set(starts);

  const t: ToyTable = {
    rows,
    x: new Float64Array(rows), y: new Float64Array(rows), z: new Float64Array(rows), cat: new Uint8Array(rows),
  };
  const [px, py, pz, , pcat] = starts as [number, number, number, number, number];
  for (let row0 = 0; row0 < rows; row0 += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - row0);
    genToy(seed, row0, n, BASE);
    const buf = memory.buffer;
    t.x.set(new Float64Array(buf, px, n), row0);
    t.y.set(new Float64Array(buf, py, n), row0);
    t.z.set(new Float64Array(buf, pz, n), row0);
    t.cat.set(new Uint8Array(buf, pcat, n), row0);
  }
  return t;
}
