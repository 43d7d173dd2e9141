/**
 * `remora/renderer`: connect to main, typed async handles, sync compatibility handles,
 * streams and lifetime helpers.
 * @module remora/renderer
 */
export { connect, clientFor, createRemote, type CompatRemote, type RemoraClient } from './client.js';
export { Connection } from './connection.js';
export { DEFAULT_TIMEOUT, type CallOptions, type ConnectOptions } from './connect-options.js';
export { withOptions, setRemote, release } from './handles.js';
export { toSync, toAsync } from './sync-handles.js';
export { fromRemoteEvent, eachValue, type EmitterEvents, type EventValue, type RemoteEventName, type RemoteEventValue, type RemoteTargetOf } from './streams.js';
export { transfer } from '../protocol/transfer.js';
export { replica, connectState, type ReadyReplica, type Replica, type ReplicaChange, type ReplicaOptions, type ReplicaStats } from './replica.js';
export type {
  ByRef, PendingArg, Remote, RemoteArg, RemoteArgs, RemoteCall, RemoteFunction, RemoteMembers, RemotePromise, RemoteProperty, Remoted,
  SyncRemote, SyncRemoteFunction, SyncRemoted, EmitterMethod, RemoteEmitterMethod, SyncRemoteEmitterMethod, RendererCallback,
} from './types.js';
export type { ApiOf, RemoteApiOf, StandardSchema } from '../contracts/schema.js';
export type { EventMapOf } from './event-maps.js';
// Helpers of the handle types, exported only so the API reference can leave them out (@internal).
export type { EventMapCarrier } from './event-maps.js';
export type {
  AnyCtor, AnyFn, AsyncMembers, AsyncSignature, Copied, EventArgs, EventListener, EventName, EventsOf, HasMethods, IsAny,
  RemotedArgs, SyncMembers, SyncSignature,
} from './types.js';
export type { Known, SyncTargetOf } from './streams.js';
export type { Calls, Constructs } from './overloads.js';
