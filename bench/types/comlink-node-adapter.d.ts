/** Types for Comlink's worker_threads adapter (the package ships no `.d.mts` for it). */
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  /** Adapt a Node MessagePort (or Worker / parentPort) to Comlink's Endpoint. */
  export default function nodeEndpoint(nep: unknown): Endpoint;
}
