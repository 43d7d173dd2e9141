/**
 * The actor kinds a broker composes, as a contract it is given rather than code it imports.
 *
 * The broker turns `exposeModule` and `exposeGlobal` into actors; what those actors are
 * (lazy module factories, eager objects that may be rebuilt on restart) belongs to the kinds
 * in `actors/`. The composition root (`src/entries/main.ts`) hands the default kinds in, so
 * main never imports `actors/` and a host can substitute its own kinds.
 * @packageDocumentation
 */
import type { ActorOptions } from '../actor/actor.js';
import type { ActorSpec } from '../actor/spec.js';

/** Options the global kind receives from {@link Broker.exposeGlobal}. */
export interface GlobalKindOptions extends ActorOptions {
  /** Builds a fresh instance on restart. Without it, restart keeps the original object. */
  factory?: () => unknown;
}

/** How a broker describes the actors it exposes; injected into its constructor. */
export interface BrokerKinds {
  /** The spec of a module actor named `name` whose instance `factory` makes (on first use). */
  module(name: string, factory: () => unknown, options: ActorOptions): ActorSpec;
  /** The spec of a global actor named `name` wrapping `value`. */
  global(name: string, value: unknown, options: GlobalKindOptions): ActorSpec;
}
