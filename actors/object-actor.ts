/**
 * The object actor: wraps one object main exposes (a global, a service instance). The
 * object exists from the moment it is exposed; a restart runs `factory` when one was given,
 * and otherwise keeps the same object (there is nothing to rebuild it from).
 * @packageDocumentation
 */
import type { ActorOptions } from '../src/actor/actor.js';
import type { ActorKindName, ActorSpec } from '../src/actor/spec.js';

/** Options of an object actor. */
export interface ObjectActorOptions extends ActorOptions {
  /** Builds a fresh instance on restart. Without it, restart keeps the original object. */
  factory?: () => unknown;
}

/** Describe an object actor for `value`. */
export function objectActor(name: string, value: unknown, options: ObjectActorOptions = {}, kind: ActorKindName = 'global'): ActorSpec {
  const { factory, ...rest } = options;
  let first = true;
  return {
    kind,
    name,
    lazy: false,
    options: rest,
    factory: () => {
      if (first || !factory) {
        first = false;
        return value;
      }
      return factory();
    },
  };
}
