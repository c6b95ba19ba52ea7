import { transfer } from 'comlink';
import type { DecodeTask, KernelWorkerApi } from '../protocol';
import type { DecodeContext } from '../sources/source';
import { KernelHost } from './KernelHost';
import { revived } from '../engine/errors';

/** One kernel worker as the engine sees it (comlink remote or in-thread host). */
export interface WorkerHandle {
  api: KernelWorkerApi;
  terminate(): void;
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
  private constructor(readonly workers: WorkerHandle[], readonly shared: boolean) {}

  static async create(platform: Platform, memory: WebAssembly.Memory, size: number): Promise<Pool> {
    if (!platform.shared) {
      const host = new KernelHost(16);
      await host.init(platform.module, memory);
      return new Pool([{ api: host, terminate() {} }], false);
    }
    const workers = Array.from({ length: Math.max(1, size) }, () => platform.createWorker());
    try {
      await Promise.all(workers.map((w) => w.api.init(platform.module, memory)));
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    return new Pool(workers, true);
  }

  /**
   * Decode tasks go to idle workers, one each, queued when all are busy (a
   * run's chunk loop keeps a worker busy until the run ends). Raw bytes are
   * transferred, not copied.
   */
  decodeContext(): DecodeContext {
    const idle = [...this.workers];
    const waiting: ((w: WorkerHandle) => void)[] = [];
    return {
      parallelism: this.workers.length,
      decode: async (task: DecodeTask) => {
        const w = idle.pop() ?? (await new Promise<WorkerHandle>((resolve) => waiting.push(resolve)));
        try {
          return await w.api.decode(this.shared ? movable(task) : task);
        } catch (e) {
          throw revived(e);
        } finally {
          const next = waiting.shift();
          if (next) next(w);
          else idle.push(w);
        }
      },
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

/** Marks a task's bytes for transfer; a view into a larger buffer is cut out first (cloning would copy all of it). */
function movable(task: DecodeTask): DecodeTask {
  if (!task.bytes) return task;
  let bytes = task.bytes;
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || !(bytes.buffer instanceof ArrayBuffer)) bytes = bytes.slice();
  return transfer({ ...task, bytes }, [bytes.buffer as ArrayBuffer]);
}
