/**
 * The one clock of remora, in the bottom layer so every side may read it: the actor system
 * (inspection stamps, message timings, restart-intensity windows) and the renderer (call
 * deadlines). Time can be replaced in one place: pass a clock to the `Inspector` and every
 * actor and group under it uses that clock.
 * @packageDocumentation
 */

/** A source of monotonic milliseconds. */
export type Clock = () => number;

/**
 * The default clock: `performance.now()` where it exists, else `Date.now()`. It looks the
 * global up on every call, so faked timers (`vi.useFakeTimers`) apply to it.
 */
export const monotonicClock: Clock = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
