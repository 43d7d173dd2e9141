/**
 * `remora/main`: the broker and what main-side code needs around it.
 * @packageDocumentation
 */
export { Broker, createBroker, type AccessRequest, type BrokerOptions, type BrokerStats, type ExposeOptions, type ModuleExposeOptions, type SessionScopedModule } from './broker.js';
export { Session, type SessionStats } from './session.js';
export { callContext, type CallContext } from './call-context.js';
export { defaultLimits, type Limits, type OverflowPolicy } from './limits.js';
export { BLOCKED_KEYS } from './access.js';
export { Actor, type ActorOptions, type ActorState, type BackoffOptions, type Directive, type MailboxOptions, type SupervisionOptions } from '../actor/actor.js';
export { Supervisor, type DeadLetter, type SupervisorOptions } from '../actor/supervisor.js';
export type { InspectEvent, InspectKind } from '../actor/inspect.js';
