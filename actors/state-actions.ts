/**
 * A state actor's actions: named immer recipes, optionally with an argument validator, and the
 * checks an action's name and arguments pass before its recipe may run. Every refusal is a
 * RemoraError the caller sees (`E_UNKNOWN_ACTION`, `E_INVALID_ARGS`) and leaves the state as
 * it was.
 * @packageDocumentation
 */
import type { Draft } from 'immer';
import { RemoraError } from '../src/errors.js';
import { isPlainObject } from '../src/protocol/codec.js';

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
  readonly recipe: Recipe<S, P>;
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
 * The action called `name` (an own key of `actions` only).
 * @throws RemoraError `E_UNKNOWN_ACTION` naming the actions there are.
 */
export function findAction<S>(actions: ActionMap<S>, name: string): FoundAction<S> {
  const def = typeof name === 'string' && Object.hasOwn(actions, name) ? actions[name] : undefined;
  if (def === undefined) {
    throw new RemoraError('E_UNKNOWN_ACTION', `Unknown action ${JSON.stringify(String(name))}: this state actor has ${Object.keys(actions).map((k) => JSON.stringify(k)).join(', ') || 'no actions'}.`);
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
    throw new RemoraError('E_INVALID_ARGS', `Invalid arguments for action "${name}": ${bad} cannot be part of state; send plain data. The state is unchanged.`);
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
    verdict = e instanceof Error ? e.message : String(e);
  }
  if (verdict !== true) {
    throw new RemoraError('E_INVALID_ARGS', `Invalid arguments for action "${name}"${typeof verdict === 'string' ? `: ${verdict}` : ''}. The state is unchanged.`);
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
  if (!isPlainObject(v)) return `an instance of ${(v as { constructor?: { name?: string } }).constructor?.name || 'a class'}`;
  for (const x of Object.values(v)) {
    const bad = nonData(x, depth + 1, seen);
    if (bad) return bad;
  }
  return undefined;
}
