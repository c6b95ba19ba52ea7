// Entry of a kernel worker in Node (worker_threads); bundled to build/node/kernel-worker.mjs.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { KernelHost } from '../exec/KernelHost';
// file paths readable by decoders that read their own byte range
import './bytes';

if (!parentPort) throw new Error('kernel-worker must run in a worker thread');
// an injected fault ends this thread the way a crash would (the engine sees it exit)
expose(new KernelHost(0, () => process.exit(70)), nodeEndpoint(parentPort));
