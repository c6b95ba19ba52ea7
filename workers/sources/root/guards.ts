// Sanity limits on counts jsroot reads from a file before it allocates for
// them: jsroot trusts them, and a damaged streamer element claiming 1.7
// billion array dimensions had `new Array(ndim).fill(0)` run the process (or
// the tab) out of memory. Installed once, when the ROOT reader loads.
import { TBuffer } from 'jsroot/io';

/** ROOT's TStreamerElement holds at most 5 array dimensions (fMaxIndex[5]). */
const MAX_DIMS = 5;

let installed = false;

export function installGuards(): void {
  if (installed) return;
  installed = true;
  const proto = TBuffer.prototype;
  const readFastArray = proto.readFastArray;
  proto.readFastArray = function (this: TBuffer, n: number, type: number) {
    // every element takes at least one byte of the buffer
    if (!(n >= 0) || n > this.remain()) throw new Error(`an array of ${n} values where ${this.remain()} bytes remain`);
    return readFastArray.call(this, n, type);
  };
  const readNdimArray = proto.readNdimArray;
  proto.readNdimArray = function (this: TBuffer, handle, func) {
    const dims = handle.fArrayDim;
    if (!(dims >= 0 && dims <= MAX_DIMS)) throw new Error(`a streamer element with ${dims} array dimensions (ROOT allows ${MAX_DIMS})`);
    let count = dims < 1 ? Math.max(handle.fArrayLength, 0) : 1;
    for (let d = 0; d < dims; d++) count *= Math.max(handle.fMaxIndex?.[d] ?? 0, 0);
    if (count > this.remain() + 1) throw new Error(`an array of ${count} values where ${this.remain()} bytes remain`);
    return readNdimArray.call(this, handle, func);
  };
}
