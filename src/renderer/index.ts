/**
 * `remora/renderer`: connect to main, typed async handles, sync compatibility handles,
 * streams and lifetime helpers.
 * @packageDocumentation
 */
export { connect, clientFor, createRemote, type CompatRemote, type RemoraClient } from './client.js';
export { Connection, DEFAULT_TIMEOUT, type CallOptions, type ConnectOptions } from './connection.js';
export { withOptions, setRemote, release } from './handles.js';
export { toSync, toAsync } from './sync-handles.js';
export { fromRemoteEvent, eachValue, type EmitterEvents, type EventValue, type RemoteEventName, type RemoteEventValue, type RemoteTargetOf } from './streams.js';
export { replica, connectState, type Replica, type ReplicaChange, type ReplicaOptions, type ReplicaStats } from './replica.js';
export type {
  ByRef, PendingArg, Remote, RemoteArg, RemoteArgs, RemoteCall, RemoteFunction, RemoteMembers, RemotePromise, RemoteProperty, Remoted,
  SyncRemote, SyncRemoteFunction, SyncRemoted, EmitterMethod, RemoteEmitterMethod, SyncRemoteEmitterMethod, RendererCallback,
} from './types.js';
export type { ApiOf, RemoteApiOf, StandardSchema } from '../contracts/schema.js';
