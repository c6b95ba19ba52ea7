// The pool's DecodeContext lends range scans scratch in the shared memory, as
// it does decode tasks: the CSV indexing pass then runs in the kernel there,
// and the scratch comes back. In-thread hosts stand in for workers.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CsvScan } from '../../kernels/layout';
import type { RangeScanTask } from '../protocol';
import { scanCsvRange, type RangeReport } from '../sources/csv/range-scan';
import { scanScratchBytes } from '../sources/csv/wasm-scan';
import { KernelHost } from './KernelHost';
import { Pool, type Platform } from './Pool';

const module = new WebAssembly.Module(readFileSync(new URL('../../build/kernels/sift.wasm', import.meta.url)));

describe('Pool.decodeContext', () => {
  test('a range scan gets scratch, scans in the kernel there, and gives the scratch back', async () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
    const seen: RangeScanTask[] = [];
    const platform: Platform = {
      module, shared: true, concurrency: 2,
      createWorker() {
        const host = new KernelHost();
        const scanRange = host.scanRange.bind(host);
        host.scanRange = (task) => { seen.push(task); return scanRange(task); };
        return { api: host, terminate() {} };
      },
    };
    const pool = await Pool.create(platform, memory, 2);
    const lent: number[] = [];
    const released: number[] = [];
    const ctx = pool.decodeContext({ alloc: (bytes) => { lent.push(bytes); return 65536; }, release: (ptr) => released.push(ptr) });

    const text = 'a,b\n1,"x\ny"\n\n2,3\r\n\r\n4,5\n6,7\n';
    const blob = new Blob([text.repeat(50)]);
    const task: RangeScanTask = {
      scanner: 'csv-rows', handle: { kind: 'blob', blob, name: 'p.csv' }, offset: 4, length: blob.size - 4,
      args: { chunkRows: 7, parity: 0, atRecord: true }, scratchBytes: scanScratchBytes(),
    };
    const got = (await ctx.scanRange!(task)) as RangeReport;

    expect(lent).toEqual([scanScratchBytes()]);
    expect(released).toEqual([65536]);
    expect(seen[0]!.scratch).toEqual({ ptr: 65536, bytes: scanScratchBytes() });
    // the kernel's state lies in the scratch: its chunk size, and the newlines of the whole range
    const state = new DataView(memory.buffer, 65536, CsvScan.BYTES);
    expect(state.getInt32(CsvScan.CHUNK_ROWS, true)).toBe(7);
    expect(state.getFloat64(CsvScan.LFS, true)).toBe(text.repeat(50).slice(4).split('\n').length - 1);
    // the JS scanner's report (no scratch: QuoteCounter)
    const { scratchBytes: _, ...plain } = task;
    expect(got).toEqual(await scanCsvRange(plain, memory));
    expect(got.starts.length).toBeGreaterThan(10);
    pool.close();
  });
});
