/**
 * `remora`: core types and errors shared by both sides.
 * @module remora
 */
export * from './errors.js';
export type { Transport, SyncTransport, CloseReason } from './transport.js';
export { isSyncTransport } from './transport.js';
export { PROTOCOL_VERSION } from './protocol/frames.js';
export type * from './protocol/frame-types.js';
export type { Wire, WireTagged } from './protocol/tags.js';
export type { Remote, RemoteCall, Remoted, SyncRemote, SyncRemoted, ByRef } from './renderer/types.js';
