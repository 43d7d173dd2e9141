/**
 * The restart policy: the directives a supervisor can apply, how many restarts are allowed in
 * a window (restart intensity, used alike by an actor and by a group restarting its subtree),
 * and the backoff between an actor's consecutive restarts.
 * @packageDocumentation
 */
import { type Clock, monotonicClock } from './clock.js';

/**
 * What a supervisor does with a failed actor (OTP/Pekko vocabulary): `resume` (reply with the
 * error, keep state), `restart` (fresh instance from the factory), `stop` (answer nothing more),
 * `escalate` (let the actor's group decide). See `docs/supervision.md`.
 */
export type Directive = 'resume' | 'restart' | 'stop' | 'escalate';

/** Exponential backoff between restarts. */
export interface BackoffOptions {
  /** First delay. */
  minMs: number;
  /** Largest delay. Default `minMs * 32`. */
  maxMs?: number;
  /** Growth per consecutive restart. Default 2. */
  factor?: number;
  /** Random spread, 0..1, applied as ±jitter × delay. Default 0.2. */
  jitter?: number;
}

/**
 * Restart intensity (OTP's `MaxR` in `MaxT`): at most `maxRestarts` restarts within a sliding
 * window of `withinMs`. Past it, whoever asked stops and escalates instead of restarting.
 */
export class RestartIntensity {
  /** Times of the restarts still inside the window. */
  private stamps: number[] = [];

  constructor(
    /** Restarts allowed within the window. Default 3. */
    readonly maxRestarts = 3,
    /** Length of the window in ms. Default 5000. */
    readonly withinMs = 5000,
    private readonly now: Clock = monotonicClock,
  ) {}

  /**
   * Ask for one restart now. Counts it and returns true when the window has room; returns
   * false (and counts nothing) when `maxRestarts` restarts already happened within `withinMs`.
   */
  allow(): boolean {
    const t = this.now();
    this.stamps = this.stamps.filter((r) => t - r < this.withinMs);
    if (this.stamps.length >= this.maxRestarts) return false;
    this.stamps.push(t);
    return true;
  }
}

/**
 * Exponential backoff with jitter over consecutive restarts: the first waits `minMs`, each
 * further one `factor` times longer up to `maxMs`. A success in between starts over.
 */
export class Backoff {
  private consecutive = 0;

  constructor(private readonly options: BackoffOptions | undefined) {}

  /** The delay before the restart about to happen (0 without backoff options); counts that restart. */
  next(): number {
    const delay = this.delay();
    this.consecutive++;
    return delay;
  }

  /** A message succeeded: the next restart waits `minMs` again. */
  reset(): void {
    this.consecutive = 0;
  }

  private delay(): number {
    const b = this.options;
    if (!b) return 0;
    const factor = b.factor ?? 2;
    const max = b.maxMs ?? b.minMs * 32;
    const base = Math.min(max, b.minMs * factor ** this.consecutive);
    const jitter = b.jitter ?? 0.2;
    return Math.max(0, Math.round(base * (1 + (Math.random() * 2 - 1) * jitter)));
  }
}
