import { Hist, Run as R, Scratch, Worker as W } from '../../kernels/layout';
import { INSTR_WORDS } from '../../kernels/opcodes';
import { Ctl, type RunListener, type RunProgress, type RunResult, type RunTask, type TaskReport } from '../protocol';
import type { Plan } from '../plan/compile';
import type { Allocator, Dataset } from '../store';
import type { Pool } from '../exec/Pool';
import { mergeCutflow, mergeHistograms } from './merge';
import { Regions } from './regions';

export const PARTIAL_MS = 100;

/** Rows/s and ETA from rows done since t0. */
export function progressAt(gen: number, rowsDone: number, rowsTotal: number, t0: number): RunProgress {
  const elapsedMs = performance.now() - t0;
  const rowsPerSec = elapsedMs > 0 ? (rowsDone / elapsedMs) * 1000 : 0;
  return {
    gen, rowsDone, rowsTotal, elapsedMs, rowsPerSec,
    etaMs: rowsPerSec > 0 ? ((rowsTotal - rowsDone) / rowsPerSec) * 1000 : Infinity,
  };
}

/** Where a run sits in a longer pass: windows of a streamed dataset add up. */
export interface RunWindow {
  /** accumulators of the windows before (summed over workers) */
  prior?: Float64Array | null;
  rowsBefore?: number;
  /** rows of the whole pass */
  rowsTotal?: number;
  /** start of the whole pass */
  t0?: number;
}

/**
 * One run of a compiled plan over a dataset: lays the descriptors out in the
 * shared memory, hands every worker one task, publishes progress and
 * consistent partial results every PARTIAL_MS, and frees everything once all
 * workers have returned (never earlier: a cancelled worker may still be
 * finishing its chunk).
 */
export class RunState {
  readonly result: Promise<RunResult>;
  private readonly base: number;
  private readonly ptr: (name: string) => number;
  private readonly t0: number;
  /** accumulators summed over workers (and prior windows), once the run has finished */
  totals: Float64Array | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private cached: (Float64Array | null)[];
  private requested: number[];

  constructor(
    readonly gen: number,
    private readonly plan: Plan,
    private readonly ds: Dataset,
    private readonly pool: Pool,
    private readonly alloc: Allocator,
    private readonly vecLen: number,
    private readonly listener: RunListener,
    private readonly window: RunWindow = {},
  ) {
    this.t0 = window.t0 ?? performance.now();
    const nw = pool.size;
    const { program } = plan;
    const nCols = program.nCols;
    const nChunks = ds.chunkRows.length;
    const regions = new Regions()
      .add('run', R.WORDS * 4)
      .add('body', program.body.byteLength)
      .add('pro', program.prologue.byteLength)
      .add('consts', program.consts.byteLength)
      .add('colShift', nCols * 4)
      .add('chunks', nChunks * (1 + nCols) * 4)
      .add('hists', plan.histograms.length * Hist.WORDS * 8)
      .add('ctl', Ctl.words(nw) * 4);
    for (let w = 0; w < nw; w++) {
      regions
        .add(`wd${w}`, W.WORDS * 4)
        .add(`slots${w}`, (program.nRegs + nCols) * 4)
        .add(`regs${w}`, program.nRegs * vecLen * 8)
        .add(`idx${w}`, vecLen * Scratch.LANE_BYTES + Scratch.EXTRA)
        .add(`acc${w}`, plan.accBytes)
        .add(`snap${w}`, plan.accBytes);
    }
    this.base = alloc.alloc(regions.bytes);
    this.ptr = regions.place(this.base);
    this.bytes = regions.bytes;
    this.writeDescriptors(nChunks);
    this.cached = new Array(nw).fill(null);
    this.requested = new Array(nw).fill(0);
    this.result = this.start(nChunks);
  }

  readonly bytes: number;

  /** Stops the workers at their next chunk boundary; `result` then settles as cancelled. */
  cancel(): void {
    Atomics.store(this.ctl(), Ctl.CANCEL, 1);
  }

  private ctl(): Int32Array {
    return new Int32Array(this.alloc.memory.buffer, this.ptr('ctl'), Ctl.words(this.pool.size));
  }

  private writeDescriptors(nChunks: number): void {
    const { program, histograms, columns, accBytes } = this.plan;
    const buf = this.alloc.memory.buffer;
    const p = this.ptr;
    new Uint8Array(buf, this.base, this.bytes).fill(0);
    new Int32Array(buf, p('body'), program.body.length).set(program.body);
    new Int32Array(buf, p('pro'), program.prologue.length).set(program.prologue);
    new Float64Array(buf, p('consts'), program.consts.length).set(program.consts);
    const nCols = columns.length;
    const shift = new Int32Array(buf, p('colShift'), nCols);
    columns.forEach((c, i) => { shift[i] = Math.log2(c.elementBytes); });
    const chunks = new Uint32Array(buf, p('chunks'), nChunks * (1 + nCols));
    for (let k = 0; k < nChunks; k++) {
      chunks[k * (1 + nCols)] = this.ds.chunkRows[k]!;
      columns.forEach((c, i) => {
        // a page that isn't resident would have kernels read address 0: never silently
        if (c.chunks[k] === 0 && this.ds.chunkRows[k]! > 0) throw new Error(`internal: page ${k} of ${c.info.name} is not loaded`);
        chunks[k * (1 + nCols) + 1 + i] = c.chunks[k]!;
      });
    }
    const hd = new Float64Array(buf, p('hists'), histograms.length * Hist.WORDS);
    histograms.forEach((h, i) => {
      const o = i * Hist.WORDS;
      hd[o + Hist.XLO] = h.x.lo;
      hd[o + Hist.XHI] = h.x.hi;
      hd[o + Hist.XINV] = h.x.bins / (h.x.hi - h.x.lo);
      hd[o + Hist.NX] = h.x.bins;
      if (h.y) {
        hd[o + Hist.YLO] = h.y.lo;
        hd[o + Hist.YHI] = h.y.hi;
        hd[o + Hist.YINV] = h.y.bins / (h.y.hi - h.y.lo);
        hd[o + Hist.NY] = h.y.bins;
      }
      hd[o + Hist.ACC_OFFSET] = h.accOffset;
      hd[o + Hist.STRIDE] = h.stride;
      hd[o + Hist.COPIES] = h.copies;
      hd[o + Hist.N_SLOTS] = h.nSlots;
    });
    const run = new Int32Array(buf, p('run'), R.WORDS);
    run[R.N_BODY] = program.body.length / INSTR_WORDS;
    run[R.BODY] = p('body');
    run[R.N_PRO] = program.prologue.length / INSTR_WORDS;
    run[R.PRO] = p('pro');
    run[R.CONSTS] = p('consts');
    run[R.N_REGS] = program.nRegs;
    run[R.VEC_LEN] = this.vecLen;
    run[R.N_COLS] = nCols;
    run[R.COL_SHIFT] = p('colShift');
    run[R.CHUNKS] = p('chunks');
    run[R.N_CHUNKS] = nChunks;
    run[R.HISTS] = p('hists');
    run[R.N_HISTS] = histograms.length;
    run[R.N_COUNTERS] = this.plan.filters.length + 1;
    run[R.ACC_BYTES] = accBytes;
    for (let w = 0; w < this.pool.size; w++) {
      const wd = new Int32Array(buf, p(`wd${w}`), W.WORDS);
      wd[W.SLOTS] = p(`slots${w}`);
      wd[W.REGS] = p(`regs${w}`);
      wd[W.IDX] = p(`idx${w}`);
      wd[W.ACC] = p(`acc${w}`);
    }
    new Int32Array(buf, p('ctl'), Ctl.words(this.pool.size))[Ctl.GEN] = this.gen;
  }

  private async start(nChunks: number): Promise<RunResult> {
    const p = this.ptr;
    const tasks = this.pool.workers.map((_, i) => {
      const task: RunTask = {
        gen: this.gen, run: p('run'), ctl: p('ctl'), slot: i, wd: p(`wd${i}`),
        snap: p(`snap${i}`), acc: p(`acc${i}`), accBytes: this.plan.accBytes, nChunks,
      };
      return this.pool.task(i, (api) => api.run(task));
    });
    this.timer = setInterval(() => this.tick(), PARTIAL_MS);
    let reports: TaskReport[];
    try {
      reports = await Promise.all(tasks);
    } catch (e) {
      this.cancel();
      await Promise.allSettled(tasks);
      this.finish();
      throw e;
    }
    clearInterval(this.timer);
    const accs = this.pool.workers.map((_, i) => this.view(`acc${i}`));
    // a cancel that lands after the last chunk was processed cancelled nothing: the run is done
    const cancelled = reports.some((r) => r.cancelled) && Atomics.load(this.ctl(), Ctl.CHUNKS_DONE) < nChunks;
    const result = this.assemble(accs, cancelled ? 'cancelled' : 'done');
    this.totals = sum(this.window.prior ? [this.window.prior, ...accs] : accs);
    this.finish();
    return result;
  }

  private finish(): void {
    clearInterval(this.timer);
    this.alloc.release(this.base);
  }

  private view(name: string): Float64Array {
    return new Float64Array(this.alloc.memory.buffer, this.ptr(name), this.plan.accBytes / 8);
  }

  private rowsDone(): number {
    return (this.window.rowsBefore ?? 0) + Number(new BigInt64Array(this.alloc.memory.buffer, this.ptr('ctl'), 4)[Ctl.ROWS64]);
  }

  private get rowsTotal(): number {
    return this.window.rowsTotal ?? this.ds.rows;
  }

  private assemble(accs: Float64Array[], status: RunResult['status']): RunResult {
    if (this.window.prior) accs = [this.window.prior, ...accs];
    let rowsDone = 0;
    for (const a of accs) rowsDone += a[0]!;
    return {
      gen: this.gen,
      status,
      rows: this.rowsTotal,
      rowsDone,
      cutflow: mergeCutflow(this.plan, accs),
      histograms: mergeHistograms(this.plan, accs),
      elapsedMs: performance.now() - this.t0,
      workers: this.pool.size,
    };
  }

  /** Progress, then a partial from the snapshots that have answered; then ask again. */
  private tick(): void {
    const ctl = this.ctl();
    this.listener.onProgress?.(progressAt(this.gen, this.rowsDone(), this.rowsTotal, this.t0));
    let fresh = false;
    for (let w = 0; w < this.pool.size; w++) {
      if (Atomics.load(ctl, Ctl.FINISHED(w)) === 1) {
        this.cached[w] = this.view(`acc${w}`).slice();
        fresh = true;
      } else if (Atomics.load(ctl, Ctl.ACK(w)) === this.requested[w] && this.requested[w]! > 0) {
        this.cached[w] = this.view(`snap${w}`).slice();
        fresh = true;
      }
      if (Atomics.load(ctl, Ctl.ACK(w)) === this.requested[w]) {
        this.requested[w]! += 1;
        Atomics.store(ctl, Ctl.REQ(w), this.requested[w]!);
      }
    }
    const ready = this.cached.filter((a): a is Float64Array => a !== null);
    if (fresh && ready.length > 0 && this.listener.onPartial) {
      this.listener.onPartial(this.assemble(ready, 'partial'));
    }
  }
}

function sum(accs: Float64Array[]): Float64Array {
  const out = new Float64Array(accs[0]!.length);
  for (const a of accs) for (let i = 0; i < out.length; i++) out[i]! += a[i]!;
  return out;
}
