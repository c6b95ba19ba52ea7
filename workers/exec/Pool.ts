import { transfer } from 'comlink';
import type { DecodeSpanTask, DecodeTask, Fault, KernelWorkerApi, RangeScanTask } from '../protocol';
import type { DecodeContext } from '../sources/source';
import { KernelHost } from './KernelHost';
import { EngineError, revived } from '../engine/errors';

/** One kernel worker as the engine sees it (comlink remote or in-thread host). */
export interface WorkerHandle {
  api: KernelWorkerApi;
  terminate(): void;
  /** settles with the reason once the worker has stopped by itself (crashed, exited); never for an in-thread host */
  died?: Promise<Error>;
}

/** How a platform (browser, Node) makes kernel workers. */
export interface Platform {
  /** compiled kernels: the shared-memory build when `shared`, else the unshared one */
  module: WebAssembly.Module;
  /** workers available and memory shareable (cross-origin isolated in browsers) */
  shared: boolean;
  /** default worker count (hardware concurrency) */
  concurrency: number;
  createWorker(): WorkerHandle;
}

/**
 * The kernel workers of an engine. With shared memory, N real workers all
 * instantiate the kernels over the one memory. Without it, a single in-thread
 * host runs the same loops, yielding so the thread stays responsive.
 */
export class Pool {
  /** workers that stopped by themselves, replaced by `heal` */
  private readonly dead = new Set<WorkerHandle>();

  private constructor(
    readonly workers: WorkerHandle[],
    readonly shared: boolean,
    private readonly platform: Platform,
    private readonly memory: WebAssembly.Memory,
  ) {
    for (const w of workers) this.watch(w);
  }

  static async create(platform: Platform, memory: WebAssembly.Memory, size: number): Promise<Pool> {
    if (!platform.shared) {
      const host = new KernelHost(16);
      await host.init(platform.module, memory);
      return new Pool([{ api: host, terminate() {} }], false, platform, memory);
    }
    const workers = Array.from({ length: Math.max(1, size) }, () => platform.createWorker());
    try {
      await Promise.all(workers.map((w) => w.api.init(platform.module, memory)));
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    return new Pool(workers, true, platform, memory);
  }

  private watch(w: WorkerHandle): void {
    void w.died?.then(() => { if (this.workers.includes(w)) this.dead.add(w); });
  }

  /**
   * Worker `slot`'s answer to `call`, or a WorkerFailed error if the worker
   * stops first: a dead worker never answers, and a run waiting on it would
   * wait forever.
   */
  task<T>(slot: number, call: (api: KernelWorkerApi) => Promise<T>): Promise<T> {
    const w = this.workers[slot]!;
    const answer = call(w.api);
    if (!w.died) return answer;
    const death = w.died.then((reason): never => {
      throw new EngineError('WorkerFailed', `a kernel worker stopped (${reason.message}); the work it held was lost — run again (the worker is replaced)`);
    });
    return Promise.race([answer, death]);
  }

  /** Replaces the workers that have died with fresh ones over the same memory; the next run uses all of them. */
  async heal(): Promise<void> {
    for (const w of [...this.dead]) {
      this.dead.delete(w);
      const slot = this.workers.indexOf(w);
      w.terminate();
      if (slot < 0) continue;
      const fresh = this.platform.createWorker();
      try {
        await fresh.api.init(this.platform.module, this.memory);
      } catch (e) {
        fresh.terminate();
        this.dead.add(w);
        throw new EngineError('WorkerFailed', `a kernel worker stopped and its replacement could not start (${(e as Error).message})`);
      }
      this.workers[slot] = fresh;
      this.watch(fresh);
    }
  }

  /** Test-only: makes worker `slot` fail in its next run (see KernelHost.fault). */
  injectFault(slot: number, fault: Fault | null): Promise<void> {
    const w = this.workers[slot];
    if (!w) throw new EngineError('BadOption', `no kernel worker ${slot} (there are ${this.workers.length})`);
    return w.api.fault(fault);
  }

  /**
   * Decode tasks go to idle workers, one each, queued when all are busy (a
   * run's chunk loop keeps a worker busy until the run ends). Raw bytes are
   * transferred, not copied.
   */
  decodeContext(scratch?: ScratchAllocator): DecodeContext {
    const idle = this.workers.map((_, slot) => slot);
    const waiting: ((slot: number) => void)[] = [];
    // scratch only in a shared memory: growing an unshared one would detach the views the caller holds
    const lend = async <T extends { scratchBytes?: number; scratch?: { ptr: number; bytes: number } }, R>(task: T, call: (t: T) => Promise<R>): Promise<R> => {
      const bytes = task.scratchBytes ?? 0;
      const ptr = this.shared && scratch && bytes > 0 ? scratch.alloc(bytes) : 0;
      try {
        return await call(ptr ? { ...task, scratch: { ptr, bytes } } : task);
      } finally {
        if (ptr) scratch!.release(ptr);
      }
    };
    const onIdle = async <T>(call: (api: KernelWorkerApi) => Promise<T>): Promise<T> => {
      const slot = idle.pop() ?? (await new Promise<number>((resolve) => waiting.push(resolve)));
      try {
        return await this.task(slot, call);
      } catch (e) {
        throw revived(e);
      } finally {
        const next = waiting.shift();
        if (next) next(slot);
        else idle.push(slot);
      }
    };
    return {
      parallelism: this.workers.length,
      decode: (task: DecodeTask) => onIdle((api) => lend(task, (t) => api.decode(this.shared ? movable(t) : t))),
      decodeSpan: (task: DecodeSpanTask) => onIdle((api) => lend(task, (t) => api.decodeSpan(t))),
      scanRange: (task: RangeScanTask) => onIdle((api) => lend(task, (t) => api.scanRange(t))),
    };
  }

  get size(): number {
    return this.workers.length;
  }

  close(): void {
    for (const w of this.workers) w.terminate();
    this.workers.length = 0;
  }
}

/** Where decode and range-scan tasks get scratch in the shared memory; `alloc` answers 0 when there is no room (the task then goes without). */
export interface ScratchAllocator {
  alloc(bytes: number): number;
  release(ptr: number): void;
}

/** Marks a task's bytes for transfer; a view into a larger buffer is cut out first (cloning would copy all of it). */
function movable(task: DecodeTask): DecodeTask {
  if (!task.bytes) return task;
  let bytes = task.bytes;
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || !(bytes.buffer instanceof ArrayBuffer)) bytes = bytes.slice();
  return transfer({ ...task, bytes }, [bytes.buffer as ArrayBuffer]);
}
