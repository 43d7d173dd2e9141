/**
 * The built-in Promise, read once when remora's renderer loads. Some polyfills and old
 * libraries replace `globalThis.Promise`; remora's own promises (pending calls, handles,
 * streams, replicas) keep using the built-in one (issue 17 item 5).
 * @packageDocumentation
 */

/** The built-in `Promise` constructor, captured at import. @internal */
export const NativePromise: PromiseConstructor = Promise;
