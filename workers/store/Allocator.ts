/**
 * First-fit allocator over one WebAssembly.Memory, owned by the engine thread.
 * Kernels never allocate; every region they touch comes from here and crosses
 * threads as a plain offset. Blocks are 64-byte aligned (cache lines, v128),
 * and every block is followed by PAD spare bytes so SIMD loops may read a few
 * lanes past a column's end without leaving its block.
 */
export const RESERVED = 65536; // kernels' static data lives below this (MEASURED.md)
export const ALIGN = 64;
export const PAD = 64;
const PAGE = 65536;
const MAX_PAGES = 65536;

interface Free { start: number; size: number }

export class OutOfMemoryError extends Error {
  override name = 'OutOfMemoryError';
}

export class Allocator {
  /** free blocks sorted by address, coalesced */
  private free: Free[] = [];
  private top: number;
  private sizes = new Map<number, number>();
  private used = 0;

  constructor(readonly memory: WebAssembly.Memory, private maxBytes = MAX_PAGES * PAGE) {
    this.top = RESERVED;
  }

  /** Bytes currently allocated (including alignment and padding). */
  get allocated(): number { return this.used; }
  /** High-water mark of the address space: the memory never shrinks below it. */
  get extent(): number { return this.top; }

  alloc(bytes: number): number {
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new RangeError(`bad allocation size ${bytes}`);
    const size = roundUp(Math.max(bytes, 1) + PAD, ALIGN);
    let ptr = this.takeFree(size);
    if (ptr < 0) {
      if (this.top + size > this.maxBytes) {
        throw new OutOfMemoryError(
          `out of memory: needed ${fmt(size)} more, ${fmt(this.used)} in use of ${fmt(this.maxBytes)}`,
        );
      }
      ptr = this.top;
      this.top += size;
      this.ensure(this.top);
    }
    this.sizes.set(ptr, size);
    this.used += size;
    return ptr;
  }

  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`release of unknown block ${ptr}`);
    this.sizes.delete(ptr);
    this.used -= size;
    this.insertFree(ptr, size);
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  private takeFree(size: number): number {
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i]!;
      if (f.size < size) continue;
      const ptr = f.start;
      if (f.size === size) this.free.splice(i, 1);
      else { f.start += size; f.size -= size; }
      return ptr;
    }
    return -1;
  }

  private insertFree(start: number, size: number): void {
    const fl = this.free;
    let lo = 0, hi = fl.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (fl[mid]!.start < start) lo = mid + 1; else hi = mid; }
    fl.splice(lo, 0, { start, size });
    // coalesce with the next, then the previous neighbour
    const cur = fl[lo]!;
    const next = fl[lo + 1];
    if (next && cur.start + cur.size === next.start) { cur.size += next.size; fl.splice(lo + 1, 1); }
    const prev = fl[lo - 1];
    if (prev && prev.start + prev.size === cur.start) { prev.size += cur.size; fl.splice(lo, 1); }
    // give the tail back to the bump region so a later large block can reuse it
    const last = fl[fl.length - 1];
    if (last && last.start + last.size === this.top) { this.top = last.start; fl.pop(); }
  }
}

export function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function fmt(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
