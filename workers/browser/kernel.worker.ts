// A kernel worker in the browser: instantiates the kernels over the shared memory.
import { expose } from 'comlink';
import { KernelHost } from '../exec/KernelHost';

expose(new KernelHost());
