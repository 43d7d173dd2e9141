/**
 * The module actor: what `remote.require(name)` reaches. Its factory runs lazily, on the
 * first message, so exposing many modules costs nothing until a renderer uses one; a restart
 * runs the factory again for a fresh instance.
 * @packageDocumentation
 */
import type { ActorOptions } from '../src/actor/actor.js';
import type { ActorSpec } from '../src/actor/spec.js';

/** Describe a module actor whose instance `factory` creates on first use. */
export function moduleActor(name: string, factory: () => unknown, options: ActorOptions = {}): ActorSpec {
  return { kind: 'module', name, factory, lazy: true, options };
}
