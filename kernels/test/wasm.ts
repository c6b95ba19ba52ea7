// Test harness: one instance of the release kernels over a fresh shared memory,
// with a bump allocator above the reserved first 64 KiB.
import { readFileSync } from 'node:fs';

const wasmUrl = new URL('../../build/kernels/sift.wasm', import.meta.url);
let module: WebAssembly.Module | undefined;

export interface Kernels {
  memory: WebAssembly.Memory;
  exports: Record<string, (...args: number[]) => number>;
  /** 64-byte aligned bump allocation; memory grows as needed. */
  alloc(bytes: number): number;
  f64(ptr: number, n: number): Float64Array;
  f32(ptr: number, n: number): Float32Array;
  i32(ptr: number, n: number): Int32Array;
  u32(ptr: number, n: number): Uint32Array;
  u8(ptr: number, n: number): Uint8Array;
  u16(ptr: number, n: number): Uint16Array;
}

export function loadKernels(): Kernels {
  module ??= new WebAssembly.Module(readFileSync(wasmUrl));
  const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
  const instance = new WebAssembly.Instance(module, {
    env: { memory, abort: () => { throw new Error('abort'); } },
  });
  let top = 65536;
  const view = <T>(C: new (b: ArrayBufferLike, o: number, n: number) => T) =>
    (ptr: number, n: number) => new C(memory.buffer, ptr, n);
  return {
    memory,
    exports: instance.exports as unknown as Kernels['exports'],
    alloc(bytes: number) {
      const ptr = top;
      top = (top + bytes + 64 + 63) & ~63;
      const need = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
      if (need > 0) memory.grow(need);
      return ptr;
    },
    f64: view(Float64Array),
    f32: view(Float32Array),
    i32: view(Int32Array),
    u32: view(Uint32Array),
    u8: view(Uint8Array),
    u16: view(Uint16Array),
  };
}
