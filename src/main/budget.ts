/**
 * The broker-wide budget: per-session limits add up across sessions, so one broker also caps
 * the sessions it serves and the totals it holds for all renderers together (refs,
 * callbacks, calls in flight, stream values buffered beyond their windows). Each total is a
 * {@link Pool} the broker owns and every session's table draws on: a table takes a unit when
 * its entry is made and gives it back when the entry goes, so a check is one comparison and
 * the totals never need summing. Past a pool's `max` the table refuses with `E_OVER_BUDGET`,
 * naming the budget limit; a connection past `maxSessions` is refused with
 * `E_TOO_MANY_SESSIONS` in its `bye`.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';

/** Broker-wide caps (defaults in {@link defaultBudget}; see docs/reliability.md). */
export interface Budget {
  /** Sessions served at once; a connection past it is refused (`E_TOO_MANY_SESSIONS`). Default 1 000. */
  maxSessions: number;
  /** Refs held for all renderers together (`E_OVER_BUDGET`). Default 1 000 000. */
  maxRefs: number;
  /** Renderer callbacks held for all renderers together (`E_OVER_BUDGET`). Default 1 000 000. */
  maxCallbacks: number;
  /** Calls in flight for all renderers together (`E_OVER_BUDGET`). Default 100 000. */
  maxPending: number;
  /**
   * Stream values buffered beyond their windows for all renderers together; past it a stream's
   * overflow policy applies (the `error` policy fails it with `E_OVER_BUDGET`). Default 1 000 000.
   */
  maxBuffered: number;
}

/** The default budget (frozen). */
export const defaultBudget: Readonly<Budget> = Object.freeze({
  maxSessions: 1_000,
  maxRefs: 1_000_000,
  maxCallbacks: 1_000_000,
  maxPending: 100_000,
  maxBuffered: 1_000_000,
});

/** One broker-wide total that sessions' tables draw on. */
export class Pool {
  /** Units held now, over all sessions. */
  used = 0;

  constructor(
    /** Most units at once. */
    readonly max: number,
    /** What a unit is, for the error (`refs`, `callbacks`, ...). */
    readonly what: string,
    /** The budget limit's name (`maxRefs`, ...). */
    readonly limit: string,
  ) {}

  /** True when one more unit fits. */
  get available(): boolean {
    return this.used < this.max;
  }

  /** Take one unit; throws `E_OVER_BUDGET` when none is left. */
  take(): void {
    if (this.used >= this.max) throw this.exhausted();
    this.used++;
  }

  /** Give `n` units back. */
  give(n = 1): void {
    this.used = Math.max(0, this.used - n);
  }

  /** The `E_OVER_BUDGET` error of this pool. */
  exhausted(): Error {
    return errors.overBudget({ what: this.what, max: this.max, limit: this.limit });
  }
}

/** The pools of one broker. */
export interface BudgetPools {
  readonly refs: Pool;
  readonly callbacks: Pool;
  readonly pending: Pool;
  readonly buffered: Pool;
}

/** Pools for `budget`. */
export function budgetPools(budget: Budget): BudgetPools {
  return {
    refs: new Pool(budget.maxRefs, 'refs', 'maxRefs'),
    callbacks: new Pool(budget.maxCallbacks, 'callbacks', 'maxCallbacks'),
    pending: new Pool(budget.maxPending, 'calls in flight', 'maxPending'),
    buffered: new Pool(budget.maxBuffered, 'buffered stream values', 'maxBuffered'),
  };
}

/** Pools that never refuse (a table made outside a broker, e.g. in a unit spec). */
export function unboundedPool(what: string): Pool {
  return new Pool(Number.POSITIVE_INFINITY, what, 'none');
}
