/**
 * The actor-kind contract: an {@link ActorSpec} says what an actor wraps and how it is
 * supervised; {@link spawn} turns a spec into a live {@link Actor} under a supervisor.
 *
 * It lives in the actor system so that both sides of the kinds meet here without pointing
 * upward: the kinds in `actors/` (object, module, window, webContents, state) produce specs,
 * and main's broker spawns the specs it is given, without importing any kind.
 * @packageDocumentation
 */
import { Actor, type ActorOptions } from './actor.js';
import type { Inspector } from './inspect.js';
import type { Supervisor } from './supervisor.js';

/** What kind of thing an actor wraps; also the first segment of its path. */
export type ActorKindName = 'module' | 'global' | 'window' | 'webContents' | 'state' | 'object';

/** A description of an actor, before it is spawned. */
export interface ActorSpec {
  /** What it wraps; the first segment of the actor's path. */
  readonly kind: ActorKindName;
  /** Its name; the rest of the path (`module/fs`, `module/editor@s3`). */
  readonly name: string;
  /** Creates the instance; called again on every restart. */
  readonly factory: () => unknown;
  /** Create the instance on first message instead of at spawn time. */
  readonly lazy: boolean;
  /** Mailbox and supervision options. */
  readonly options: ActorOptions;
}

/** Spawn a spec under `supervisor`. Eager specs create their instance now (and may throw). */
export function spawn(spec: ActorSpec, supervisor: Supervisor, inspector: Inspector): Actor {
  const actor = new Actor(`${spec.kind}/${spec.name}`, spec.factory, spec.options, supervisor, inspector);
  if (!spec.lazy) actor.ensureStarted();
  return actor;
}
