import { Ctl, type DecodeReport, type Fault, type DecodeTask, type DecodeSpanTask, type GenTask, type RangeScanTask, type KernelWorkerApi, type RunTask, type ScanReport, type ScanTask, type TaskReport } from '../protocol';
import { Run } from '../../kernels/layout';
import { decoders, rangeScanners, spanDecoders } from '../sources/decoders';

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
  private pendingFault: Fault | null = null;

  /** `die` stops this worker as a crash would (the platform's entry passes it; inline hosts have none) */
  constructor(private readonly yieldMs = 0, private readonly die?: () => void) {}

  async fault(fault: Fault | null): Promise<void> {
    this.pendingFault = fault;
  }

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
    const buf = this.memory.buffer;
    const ctl = new Int32Array(buf, task.ctl, Ctl.words(task.slot + 1));
    const desc = new Int32Array(buf, task.run, Run.WORDS);
    const nCols = desc[Run.N_COLS]!;
    const chunks = new Uint32Array(buf, desc[Run.CHUNKS]!, task.nChunks * (1 + nCols));
    const bytes = new Uint8Array(buf);
    const { vm_init, vm_chunk } = this.exports;
    vm_init!(task.run, task.wd);
    let lastAck = Atomics.load(ctl, Ctl.ACK(task.slot));
    return this.claim(task, task.nChunks, {
      faultable: true,
      stale: () => Atomics.load(ctl, Ctl.GEN) !== task.gen,
      between: () => {
        const req = Atomics.load(ctl, Ctl.REQ(task.slot));
        if (req === lastAck) return;
        bytes.copyWithin(task.snap, task.acc, task.acc + task.accBytes);
        Atomics.store(ctl, Ctl.ACK(task.slot), req);
        lastAck = req;
      },
      chunk: (c) => {
        vm_chunk!(task.run, task.wd, c);
        return chunks[c * (1 + nCols)]!;
      },
    });
  }

  async generate(task: GenTask): Promise<TaskReport> {
    const buf = this.memory.buffer;
    const rowStart = new Float64Array(buf, task.rowStart, task.nChunks);
    const rows = new Uint32Array(buf, task.chunkRows, task.nChunks);
    const kernel = this.exports[task.kernel];
    if (!kernel) throw new Error(`no kernel named ${task.kernel}`);
    return this.claim(task, task.nChunks, {
      chunk: (c) => {
        kernel(task.seed, rowStart[c]!, rows[c]!, task.table + c * task.nColumns * 4);
        return rows[c]!;
      },
    });
  }

  async scan(task: ScanTask): Promise<ScanReport> {
    const table = new Uint32Array(this.memory.buffer, task.table, task.nChunks * task.nColumns * 2);
    const sums = new Array<number>(task.nColumns).fill(0);
    const scan = this.exports.scan_bytes!;
    const report = await this.claim({ ...task, gen: 0 }, task.nChunks, {
      chunk: (c) => {
        for (let i = 0; i < task.nColumns; i++) {
          const o = (c * task.nColumns + i) * 2;
          sums[i] += scan(table[o]!, table[o + 1]!);
        }
        return 0;
      },
    });
    return { chunks: report.chunks, sums };
  }

  async decode(task: DecodeTask): Promise<DecodeReport> {
    const decoder = decoders[task.decoder];
    if (!decoder) throw new Error(`no decoder named ${task.decoder}`);
    return decoder(task, this.memory, this.exports);
  }

  async decodeSpan(task: DecodeSpanTask): Promise<DecodeReport[]> {
    const decoder = spanDecoders[task.decoder];
    if (!decoder) throw new Error(`no span decoder named ${task.decoder}`);
    return decoder(task, this.memory, this.exports);
  }

  async scanRange(task: RangeScanTask): Promise<unknown> {
    const scanner = rangeScanners[task.scanner];
    if (!scanner) throw new Error(`no range scanner named ${task.scanner}`);
    return scanner(task, this.memory, this.exports);
  }

  /**
   * The one chunk-claiming loop: until the chunks run out or the run is
   * cancelled, claim the next chunk through the control block, process it and
   * count its rows; `between` runs at every chunk boundary (snapshots).
   */
  private async claim(
    task: { gen: number; ctl: number; slot: number },
    nChunks: number,
    work: { chunk(c: number): number; between?(): void; stale?(): boolean; faultable?: boolean },
  ): Promise<TaskReport> {
    const t0 = performance.now();
    const ctl = new Int32Array(this.memory.buffer, task.ctl, Ctl.words(task.slot + 1));
    const ctl64 = new BigInt64Array(this.memory.buffer, task.ctl, 4);
    let done = 0;
    let lastYield = t0;
    let cancelled = false;
    for (;;) {
      if (Atomics.load(ctl, Ctl.CANCEL) !== 0 || work.stale?.()) { cancelled = true; break; }
      work.between?.();
      const c = Atomics.add(ctl, Ctl.NEXT, 1);
      if (c >= nChunks) break;
      const fault = work.faultable ? this.pendingFault : null;
      // the chunk just claimed is never processed, as when a worker crashes
      if (fault && fault.afterChunks <= 0) await this.fail(fault);
      if (fault) this.pendingFault = { ...fault, afterChunks: fault.afterChunks - 1 };
      const rows = work.chunk(c);
      done++;
      Atomics.add(ctl64, Ctl.ROWS64, BigInt(rows));
      Atomics.add(ctl, Ctl.CHUNKS_DONE, 1);
      if (this.yieldMs > 0 && performance.now() - lastYield > this.yieldMs) {
        await turn();
        lastYield = performance.now();
      }
    }
    // the other workers may have taken every chunk: a fault still fails this run, before it reports
    if (work.faultable && this.pendingFault && !cancelled) await this.fail(this.pendingFault);
    Atomics.store(ctl, Ctl.FINISHED(task.slot), 1);
    return { gen: task.gen, chunks: done, cancelled, ms: performance.now() - t0 };
  }

  private async fail(fault: Fault): Promise<never> {
    this.pendingFault = null;
    if (fault.how === 'throw' || !this.die) throw new Error('injected fault: the kernel worker failed');
    this.die();
    return new Promise<never>(() => {});
  }
}

/** A macrotask turn, so timers and messages get to run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
