/**
 * The actor system's one clock. Inspection timestamps, message timings and restart-intensity
 * windows all read it, so a spec (or an embedder) can replace time in one place: pass a clock
 * to the {@link Inspector} and every actor and group under it uses that clock.
 * @packageDocumentation
 */

/** A source of monotonic milliseconds. */
export type Clock = () => number;

/**
 * The default clock: `performance.now()` where it exists, else `Date.now()`. It looks the
 * global up on every call, so faked timers (`vi.useFakeTimers`) apply to it.
 */
export const monotonicClock: Clock = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
