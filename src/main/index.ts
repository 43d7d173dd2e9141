/**
 * Main's side without its actor kinds: the broker and what main-side code needs around it.
 * The package's `remora/main` is `src/entries/main.ts`, which re-exports all of this and adds
 * `createBroker` wired with the default kinds of `actors/`.
 * @packageDocumentation
 */
export { Broker, type AccessRequest, type BrokerOptions, type BrokerStats, type ExposeOptions, type ModuleExposeOptions, type SessionScopedModule } from './broker.js';
export type { BrokerKinds, GlobalKindOptions } from './kinds.js';
export { defaultBudget, type Budget } from './budget.js';
export type { ErrorStacks } from '../protocol/thrown.js';
export { Session, type SessionStats } from './session.js';
export { callContext, type CallContext } from './call-context.js';
export { transfer } from '../protocol/transfer.js';
export { defaultLimits, type Limits, type OverflowPolicy } from './limits.js';
export { BLOCKED_KEYS } from './access.js';
export { Actor, type ActorFailure, type ActorOptions, type ActorState, type BackoffOptions, type Directive, type MailboxOptions, type SupervisionOptions } from '../actor/actor.js';
export type { ActorParent, Envelope, MessageMeta } from '../actor/actor.js';
export type { ActorKindName, ActorSpec } from '../actor/spec.js';
export { Supervisor, type DeadLetter, type SupervisorOptions } from '../actor/supervisor.js';
export type { InspectEvent, InspectKind } from '../actor/inspect.js';
export { defineApi, type DefinedApi } from './schema-api.js';
export type { ObjectKindSchemas, ValidationOptions } from './validation.js';
export type { ValidationIssue } from './schema-run.js';
export type { ApiOf, ApiSchemaShape, ImplementationOf, MethodSchemas, RemoteApiOf, SchemaInput, SchemaIssue, SchemaOutput, SchemaResult, StandardSchema, TypedApi } from '../contracts/schema.js';
export type { CallArgs, ImplArgs } from '../contracts/schema.js';
// Helpers and internals that public signatures mention, exported only so the API reference can
// leave them out (@internal).
export type { AsList, ResultFor } from '../contracts/schema.js';
export type { SessionHost } from './session.js';
export type { Inspector } from '../actor/inspect.js';
