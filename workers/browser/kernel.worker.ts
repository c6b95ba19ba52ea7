// A kernel worker in the browser: instantiates the kernels over the shared memory.
import { expose } from 'comlink';
import { KernelHost } from '../exec/KernelHost';

// an injected fault (tests) leaves an uncaught error, which the engine's thread sees as an
// `error` event on this worker, and never answers again, as a crashed worker would
expose(new KernelHost(0, () => { setTimeout(() => { throw new Error('kernel worker crashed (injected fault)'); }); }));
