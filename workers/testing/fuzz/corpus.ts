// Valid inputs the mutations start from: real files where the repository has
// them (public/data/root, vega-datasets), small ones generated here where the
// real ones are too large to mutate quickly (a slice of flights-3m.parquet and
// flights-200k.arrow written again with the same libraries users' files come from).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

export type Target = 'csv' | 'expr' | 'parquet' | 'arrow' | 'root';
export const TARGETS: Target[] = ['csv', 'expr', 'parquet', 'arrow', 'root'];

const repo = new URL('../../../', import.meta.url);
const file = (path: string) => new Uint8Array(readFileSync(new URL(path, repo)));
const vega = (name: string) => file(`node_modules/vega-datasets/data/${name}`);

function generatedCsv(): string {
  const lines = ['x,k,cat,"quoted, name",when,flag'];
  for (let i = 0; i < 600; i++) {
    const x = i % 37 === 0 ? '' : i % 53 === 0 ? 'NaN' : ((i * 7919) % 1000 / 37 - 13).toFixed(3);
    const cat = ['alpha', 'beta', '"ga,mma"', '', 'δέλτα'][i % 5];
    lines.push(`${x},${i % 11 - 5},${cat},${i * 2.5e-3},2024-01-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00Z,${i % 3 === 0 ? 'true' : 'false'}`);
  }
  return lines.join('\r\n') + '\r\n';
}

export function csvSeeds(): Seed[] {
  const enc = new TextEncoder();
  return [
    { name: 'generated.csv', bytes: enc.encode(generatedCsv()) },
    { name: 'semicolons.csv', bytes: enc.encode('a;b;c\n1,5;2;x\n3;4;"y;z"\n;;\n5;6;w\n') },
    { name: 'seattle-weather.csv', bytes: vega('seattle-weather.csv').subarray(0, 8000) },
    { name: 'github.csv', bytes: vega('github.csv') },
    { name: 'unemployment.tsv', bytes: vega('unemployment.tsv').subarray(0, 6000) },
  ];
}

export function rootSeeds(): Seed[] {
  return ['uproot-simple.root', 'uproot-leaflist.root', 'uproot-small-flat-tree.root', 'uproot-small-dy-nooffsets.root', 'uproot-Zmumu-zlib.root', 'uproot-HZZ-zstd.root', 'uproot-Zmumu-lz4.root']
    .map((name) => ({ name, bytes: file(`public/data/root/${name}`) }));
}

export function arrowSeeds(): Seed[] {
  const flights = tableFromIPC(vega('flights-200k.arrow')).slice(0, 1500);
  const n = 700;
  const mixed = tableFromArrays({
    x: Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? NaN : i / 7 - 40)),
    k: Int32Array.from({ length: n }, (_, i) => i % 13 - 6),
    big: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1_000_000_007n),
    cat: Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : ['alpha', 'beta', 'gamma'][i % 3]!)),
  });
  return [
    { name: 'flights.arrow', bytes: tableToIPC(flights, 'file') },
    { name: 'mixed.arrow', bytes: tableToIPC(mixed, 'file') },
    { name: 'mixed-stream.arrows', bytes: tableToIPC(mixed, 'stream') },
  ];
}

export async function parquetSeeds(): Promise<Seed[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const dir = mkdtempSync(join(tmpdir(), 'sift-fuzz-'));
  try {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const out = (name: string) => join(dir, name);
    await db.run(`COPY (select * from read_parquet('${new URL('node_modules/vega-datasets/data/flights-3m.parquet', repo).pathname}') limit 1500)
      TO '${out('flights.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 500)`);
    const mixed = `select i::INTEGER a, (i / 3.0)::DOUBLE x, case when i % 7 = 0 then null else 'v' || (i % 9) end s,
      i::BIGINT * 1000000007 big, (i % 2 = 0) b, timestamp '2024-01-01' + to_seconds(i) t from range(1200) r(i)`;
    await db.run(`COPY (${mixed}) TO '${out('mixed-zstd.parquet')}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 400)`);
    await db.run(`COPY (${mixed}) TO '${out('mixed-plain.parquet')}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 1000)`);
    await db.run(`COPY (${mixed}) TO '${out('mixed-gzip.parquet')}' (FORMAT parquet, COMPRESSION gzip)`);
    return ['flights.parquet', 'mixed-zstd.parquet', 'mixed-plain.parquet', 'mixed-gzip.parquet']
      .map((name) => ({ name, bytes: new Uint8Array(readFileSync(out(name))) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function seedsOf(target: Exclude<Target, 'expr'>): Promise<Seed[]> {
  switch (target) {
    case 'csv': return csvSeeds();
    case 'root': return rootSeeds();
    case 'arrow': return arrowSeeds();
    case 'parquet': return parquetSeeds();
  }
}
