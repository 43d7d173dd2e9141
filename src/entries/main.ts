/**
 * `remora/main`: the composition root of main's side. It re-exports everything of
 * `src/main/index.ts` and adds {@link createBroker}, which composes a broker with the default
 * actor kinds of `actors/` (lazy module actors, eager object actors for globals).
 *
 * This is the one place that knows both main and the kinds: main never imports `actors/`,
 * and the kinds import only the actor system.
 * @module remora/main
 */
import { moduleActor } from '../../actors/module-actor.js';
import { objectActor } from '../../actors/object-actor.js';
import { Broker, type BrokerOptions } from '../main/broker.js';
import type { BrokerKinds } from '../main/kinds.js';

export * from '../main/index.js';

/** The kinds {@link createBroker} composes: `exposeModule` makes module actors, `exposeGlobal` object actors. */
export const defaultKinds: BrokerKinds = Object.freeze<BrokerKinds>({
  module: (name, factory, options) => moduleActor(name, factory, options),
  global: (name, value, options) => objectActor(name, value, options),
});

/** Create a broker with the default actor kinds. */
export function createBroker(options?: BrokerOptions): Broker {
  return new Broker(defaultKinds, options);
}
