/**
 * The state actor's own immer instance, shared by the actor and the wire measurements so both
 * produce patches the same way. The application's own immer settings stay its own.
 *
 * Auto-freeze is off because the actor freezes what main code sees, when it looks (see
 * `freezeNow` in state-actor.ts), not after every action; strict iteration (symbol and non-enumerable keys) is off: the codec sends enumerable
 * string keys only. Patches and Map/Set support are immer plugins, enabled once on load.
 * @packageDocumentation
 */
import { enableMapSet, enablePatches, Immer } from 'immer';

enablePatches();
enableMapSet();

/** The immer instance every state recipe runs in. */
export const stateImmer = new Immer({ autoFreeze: false, useStrictIteration: false });
