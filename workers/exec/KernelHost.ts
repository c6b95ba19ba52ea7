import { Ctl, type GenTask, type KernelWorkerApi, type RunTask, type ScanReport, type ScanTask, type TaskReport } from '../protocol';
import { Run } from '../../kernels/layout';

type Exports = Record<string, (...args: number[]) => number>;

/**
 * The worker side of the engine: one kernel instance over the shared memory,
 * and the chunk-claiming loops. It runs unchanged in a Web Worker, a Node
 * worker_thread, or inline on the engine's own thread (the non-isolated
 * fallback), where `yieldMs` lets the loop give the event loop a turn so a
 * cancel or a partial-result timer can run.
 */
export class KernelHost implements KernelWorkerApi {
  private exports!: Exports;
  private memory!: WebAssembly.Memory;

  constructor(private readonly yieldMs = 0) {}

  async init(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<void> {
    this.memory = memory;
    const instance = await WebAssembly.instantiate(module, {
      env: {
        memory,
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw new Error(`kernel abort at ${line}:${col}`);
        },
      },
    });
    this.exports = instance.exports as unknown as Exports;
  }

  async run(task: RunTask): Promise<TaskReport> {
    const t0 = performance.now();
    const buf = this.memory.buffer;
    const ctl = new Int32Array(buf, task.ctl, Ctl.words(task.slot + 1));
    const ctl64 = new BigInt64Array(buf, task.ctl, 4);
    const desc = new Int32Array(buf, task.run, Run.WORDS);
    const nCols = desc[Run.N_COLS]!;
    const chunks = new Uint32Array(buf, desc[Run.CHUNKS]!, task.nChunks * (1 + nCols));
    const bytes = new Uint8Array(buf);
    const { vm_init, vm_chunk } = this.exports as Record<string, (...a: number[]) => void>;
    vm_init!(task.run, task.wd);
    let done = 0;
    let lastAck = Atomics.load(ctl, Ctl.ACK(task.slot));
    let lastYield = t0;
    let cancelled = false;
    for (;;) {
      if (Atomics.load(ctl, Ctl.CANCEL) !== 0 || Atomics.load(ctl, Ctl.GEN) !== task.gen) {
        cancelled = true;
        break;
      }
      const req = Atomics.load(ctl, Ctl.REQ(task.slot));
      if (req !== lastAck) {
        bytes.copyWithin(task.snap, task.acc, task.acc + task.accBytes);
        Atomics.store(ctl, Ctl.ACK(task.slot), req);
        lastAck = req;
      }
      const c = Atomics.add(ctl, Ctl.NEXT, 1);
      if (c >= task.nChunks) break;
      vm_chunk!(task.run, task.wd, c);
      done++;
      Atomics.add(ctl64, Ctl.ROWS64, BigInt(chunks[c * (1 + nCols)]!));
      Atomics.add(ctl, Ctl.CHUNKS_DONE, 1);
      if (this.yieldMs > 0 && performance.now() - lastYield > this.yieldMs) {
        await turn();
        lastYield = performance.now();
      }
    }
    Atomics.store(ctl, Ctl.FINISHED(task.slot), 1);
    return { gen: task.gen, chunks: done, cancelled, ms: performance.now() - t0 };
  }

  async scan(task: ScanTask): Promise<ScanReport> {
    return scanChunks(this.exports, this.memory, task);
  }

  async generate(task: GenTask): Promise<TaskReport> {
    const t0 = performance.now();
    const buf = this.memory.buffer;
    const ctl = new Int32Array(buf, task.ctl, Ctl.words(task.slot + 1));
    const ctl64 = new BigInt64Array(buf, task.ctl, 4);
    const rowStart = new Float64Array(buf, task.rowStart, task.nChunks);
    const rows = new Uint32Array(buf, task.chunkRows, task.nChunks);
    const kernel = this.exports[task.kernel];
    if (!kernel) throw new Error(`no kernel named ${task.kernel}`);
    let done = 0;
    let lastYield = t0;
    let cancelled = false;
    for (;;) {
      if (Atomics.load(ctl, Ctl.CANCEL) !== 0) { cancelled = true; break; }
      const c = Atomics.add(ctl, Ctl.NEXT, 1);
      if (c >= task.nChunks) break;
      kernel(task.seed, rowStart[c]!, rows[c]!, task.table + c * task.nColumns * 4);
      done++;
      Atomics.add(ctl64, Ctl.ROWS64, BigInt(rows[c]!));
      Atomics.add(ctl, Ctl.CHUNKS_DONE, 1);
      if (this.yieldMs > 0 && performance.now() - lastYield > this.yieldMs) {
        await turn();
        lastYield = performance.now();
      }
    }
    Atomics.store(ctl, Ctl.FINISHED(task.slot), 1);
    return { gen: task.gen, chunks: done, cancelled, ms: performance.now() - t0 };
  }
}

export function scanChunks(exports: Exports, memory: WebAssembly.Memory, task: ScanTask): ScanReport {
  const buf = memory.buffer;
  const ctl = new Int32Array(buf, task.ctl, Ctl.words(task.slot + 1));
  const table = new Uint32Array(buf, task.table, task.nChunks * task.nColumns * 2);
  const sums = new Array<number>(task.nColumns).fill(0);
  const scan = exports.scan_bytes!;
  let chunks = 0;
  for (;;) {
    const c = Atomics.add(ctl, Ctl.NEXT, 1);
    if (c >= task.nChunks) break;
    for (let i = 0; i < task.nColumns; i++) {
      const o = (c * task.nColumns + i) * 2;
      sums[i] += scan(table[o]!, table[o + 1]!);
    }
    chunks++;
  }
  return { chunks, sums };
}

/** A macrotask turn, so timers and messages get to run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
