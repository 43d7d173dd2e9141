/**
 * A state actor's actions: named immer recipes, optionally with an argument validator, and the
 * checks an action's name and arguments pass before its recipe may run. Every refusal is a
 * RemoraError the caller sees (`E_UNKNOWN_ACTION`, `E_INVALID_ARGS`) and leaves the state as
 * it was.
 * @packageDocumentation
 */
import type { Draft } from 'immer';
import * as errors from '../src/errors/factories.js';
import { isPlainObject } from '../src/protocol/codec.js';
import { readThrown, safeGet, safeString } from '../src/protocol/thrown.js';

/**
 * An action's recipe: mutate the draft (or return a replacement state). Must be synchronous.
 * Extra parameters are the action's arguments, sent by the caller of `dispatch`.
 */
export type Recipe<S, P extends unknown[] = any[]> = (draft: Draft<S>, ...args: P) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * An action with an argument validator. `validate` gets the arguments as they arrived and
 * returns `true` to accept them, `false` or a reason string to refuse them (`E_INVALID_ARGS`).
 * @example
 * ```ts
 * { recipe: (d, n: number) => { d.count += n }, validate: (n) => typeof n === 'number' || 'n must be a number' }
 * ```
 */
export interface ActionDefinition<S, P extends unknown[] = any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Changes the state; runs only once `validate` accepted the arguments. */
  readonly recipe: Recipe<S, P>;
  /**
   * Checks the arguments before the recipe runs: only `true` accepts; `false`, a reason string
   * or a throw refuses the dispatch with `E_INVALID_ARGS` (the reason, or what was thrown, in its message).
   */
  readonly validate?: (...args: unknown[]) => boolean | string;
}

/** The actions of a state actor, by name: a recipe, or a recipe with a validator. */
export type ActionMap<S> = Record<string, Recipe<S, any[]> | ActionDefinition<S, any[]>>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An action found by name: its recipe and, when it has one, its validator. */
export interface FoundAction<S> {
  readonly recipe: Recipe<S, unknown[]>;
  readonly validate: ((...args: unknown[]) => boolean | string) | undefined;
}

/**
 * The action called `name` (an own key of `actions` only). Total on `name`: any value that is
 * not a known action's name, even one that cannot become text, is refused the same way.
 * @throws RemoraError `E_UNKNOWN_ACTION` naming the actions there are.
 */
export function findAction<S>(actions: ActionMap<S>, name: string): FoundAction<S> {
  const def = typeof name === 'string' && Object.hasOwn(actions, name) ? actions[name] : undefined;
  if (def === undefined) {
    throw errors.unknownAction({ action: safeString(name, 200), known: Object.keys(actions) });
  }
  return typeof def === 'function' ? { recipe: def, validate: undefined } : { recipe: def.recipe, validate: def.validate };
}

/**
 * Refuse arguments that cannot become part of state (functions, symbols, class instances).
 * @throws RemoraError `E_INVALID_ARGS` describing the first such value.
 */
export function checkPlainArgs(name: string, args: readonly unknown[]): void {
  const bad = nonData(args, 0, new Set());
  if (bad !== undefined) {
    throw errors.invalidArgs({ what: `Invalid arguments for action "${name}": ${bad} cannot be part of state; send plain data`, advice: 'The state is unchanged.' });
  }
}

/**
 * Run the action's validator (a validator that throws refuses with its message).
 * @throws RemoraError `E_INVALID_ARGS` with the validator's reason.
 */
export function checkValidArgs(name: string, validate: (...args: unknown[]) => boolean | string, args: readonly unknown[]): void {
  let verdict: boolean | string;
  try {
    verdict = validate(...args);
  } catch (e) {
    verdict = readThrown(e).message; // total: a validator may throw anything
  }
  if (verdict !== true) {
    throw errors.invalidArgs({ what: `Invalid arguments for action "${name}"${typeof verdict === 'string' ? `: ${verdict}` : ''}`, advice: 'The state is unchanged.' });
  }
}

/** A description of the first value in `v` that is not plain data, or undefined. */
function nonData(v: unknown, depth: number, seen: Set<object>): string | undefined {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (v === null || typeof v !== 'object' || seen.has(v)) return undefined;
  if (depth > 64) return 'a value nested deeper than 64 levels';
  seen.add(v);
  if (v instanceof Date) return undefined;
  if (Array.isArray(v) || v instanceof Set) {
    for (const x of v) {
      const bad = nonData(x, depth + 1, seen);
      if (bad) return bad;
    }
    return undefined;
  }
  if (v instanceof Map) {
    for (const [k, x] of v) {
      const bad = nonData(k, depth + 1, seen) ?? nonData(x, depth + 1, seen);
      if (bad) return bad;
    }
    return undefined;
  }
  if (!isPlainObject(v)) {
    const cls = safeGet(safeGet(v, 'constructor'), 'name');
    return `an instance of ${typeof cls === 'string' && cls ? safeString(cls, 100) : 'a class'}`;
  }
  for (const x of Object.values(v)) {
    const bad = nonData(x, depth + 1, seen);
    if (bad) return bad;
  }
  return undefined;
}
