/**
 * Operations: what a request does to its target object, under the access rules. `get`
 * walks a path, `set` writes a property, `apply` calls a function, `new` constructs; every
 * step goes through `access.ts`, which refuses prototypes, `constructor`, built-ins'
 * internals and the other keys a renderer must never reach.
 *
 * An `apply` that registers one of the renderer's callbacks as a listener is noted in the
 * session's listener registry (so the listener goes when the session ends), and refused
 * once main holds `maxCallbacks` listeners of this renderer.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import type { ApplyFrame, GetFrame, NewFrame, RequestFrame, SetFrame } from '../protocol/frames.js';
import { checkValue, readProperty, walk, writeProperty } from './access.js';
import { listenerMethod, type ListenerRegistry } from './listeners.js';

/** A request frame that operates on a target. */
export type OperationFrame = GetFrame | SetFrame | ApplyFrame | NewFrame;

/** The decoded inputs of one operation. */
export interface OperationInput {
  /** The request; only the operation frames (`get`, `set`, `apply`, `new`) perform anything. */
  readonly frame: RequestFrame;
  /** Decoded arguments of `apply` and `new`. */
  readonly args: unknown[];
  /** Decoded value of `set`. */
  readonly value: unknown;
}

/** What an operation may touch of its session. */
export interface OperationScope {
  readonly closed: boolean;
  readonly listeners: ListenerRegistry;
  /** Most listeners main holds for this renderer (`limits.maxCallbacks`). */
  readonly maxListeners: number;
  /** True for this session's callback proxies. */
  ownsCallback(fn: unknown): boolean;
}

/** Perform `input` on `base` (runs inside the target's actor). */
export function perform(input: OperationInput, base: unknown, scope: OperationScope): unknown {
  const f = input.frame;
  switch (f.t) {
    case 'get':
      return walk(base, f.path);
    case 'set': {
      const obj = walk(base, f.path, f.path.length - 1);
      writeProperty(obj, f.path[f.path.length - 1]!, input.value);
      return undefined;
    }
    case 'apply':
      return apply(base, f.path, input.args, scope);
    case 'new': {
      const ctor = walk(base, f.path);
      if (typeof ctor !== 'function') throw errors.notA({ path: f.path, expected: 'a constructor' });
      checkValue(ctor, 'the constructor');
      return Reflect.construct(ctor, input.args);
    }
    default:
      return undefined; // require/global/current reply with their actor and perform nothing
  }
}

/**
 * The receiver of a function called without one (a detached function ref). Never `undefined`:
 * sloppy-mode code would see `globalThis` as `this` and a renderer could write main's globals.
 */
const DETACHED_THIS: object = Object.freeze(Object.create(null) as object);

function apply(base: unknown, path: string[], args: unknown[], scope: OperationScope): unknown {
  let thisArg: unknown;
  let fn: unknown;
  if (path.length === 0) {
    fn = base;
    thisArg = DETACHED_THIS;
  }
  else {
    thisArg = walk(base, path, path.length - 1);
    fn = readProperty(thisArg, path[path.length - 1]!);
  }
  if (typeof fn !== 'function') throw errors.notA({ path, expected: 'a function' });
  checkValue(fn, 'the function');
  const method = path[path.length - 1] ?? '';
  if (scope.listeners.size >= scope.maxListeners && listenerMethod(method)?.adds && args.some((a) => scope.ownsCallback(a))) {
    throw errors.tooManyCallbacks({ max: scope.maxListeners, listeners: true });
  }
  const result = Reflect.apply(fn, thisArg, args);
  if (path.length > 0 && thisArg !== null && typeof thisArg === 'object' && !scope.closed) {
    scope.listeners.observe(thisArg, method, args, (a) => scope.ownsCallback(a));
  }
  return result;
}
