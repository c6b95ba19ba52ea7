declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  // comlink ships the adapter without a types entry in its package exports
  export default function nodeEndpoint(nep: unknown): Endpoint;
}
