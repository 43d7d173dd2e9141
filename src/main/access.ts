/**
 * Property access rules: what a renderer may read, write and call on an object it holds.
 *
 * A renderer never reaches `constructor`, `__proto__`, `prototype` or the other escape
 * hatches; never reaches anything inherited from `Object.prototype`, `Function.prototype` or
 * `Array.prototype` (so no `toString.constructor`, no `call`/`bind` games); and never receives
 * the `Function` constructor, `eval`, `globalThis`, `process` and friends, even when an
 * exposed object hands them out. CommonJS's `require` and `module` are local to each module,
 * so they are recognised by what they are (a function whose `cache` is the loader's cache, an
 * instance of node:module's `Module`), with the loader's own functions and tables.
 *
 * An EventEmitter's listener functions belong to whoever registered them (another renderer, or
 * main): `listeners`, `rawListeners` and `removeAllListeners` are refused on emitters, and so
 * are the underscore-prefixed internals (`_events`, `_eventsCount`, ...) of such built-in
 * classes, so one renderer cannot call, inject into or remove another's listeners.
 *
 * The method-list memo of {@link methodsOf} is module-level on purpose: it is a pure function
 * of the object it is keyed by (weakly), shared by every broker, and holds no session state.
 * @packageDocumentation
 */
import { EventEmitter } from 'node:events';
import Module, { createRequire } from 'node:module';
import * as errors from '../errors/factories.js';
import type { RemoraError } from '../errors.js';

/** Keys no renderer may read, write or call, on any object. */
export const BLOCKED_KEYS: ReadonlySet<string> = new Set([
  '__proto__', 'constructor', 'prototype', 'caller', 'callee', 'arguments',
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

const STOP_PROTOS: ReadonlySet<unknown> = new Set([Object.prototype, Function.prototype, Array.prototype]);

/* eslint-disable @typescript-eslint/no-empty-function */
const AsyncFunction = (async () => {}).constructor;
const GeneratorFunction = function* () {}.constructor;
const AsyncGeneratorFunction = async function* () {}.constructor;

const g = globalThis as Record<string, unknown>;

/** node:module's internals (not in its typings): the loader functions and tables behind `require`. */
const loader = Module as unknown as Record<string, unknown> & { prototype: Record<string, unknown> };

/** Values that are never handed to a renderer, whoever returns them. */
export const FORBIDDEN_VALUES: ReadonlySet<unknown> = new Set(
  [
    Function, AsyncFunction, GeneratorFunction, AsyncGeneratorFunction, eval, globalThis, Object, Reflect, Proxy, g.process, g.require, g.module,
    // The CommonJS loader: whoever holds one of these can load (and run) any module.
    Module, createRequire, loader.createRequire, loader.prototype.require, loader.prototype._compile, loader._load, loader._cache,
    loader._extensions, loader._resolveFilename, loader.wrap, loader.runMain,
  ].filter((v) => v !== undefined && v !== null),
);

/** A CommonJS `require` (of any module, or from `createRequire`): its `cache` is the loader's. */
function isRequireFunction(v: object): boolean {
  try {
    return Object.getOwnPropertyDescriptor(v, 'cache')?.value === loader._cache;
  } catch {
    return true; // a function that will not say what it is (a Proxy whose traps throw) is refused
  }
}

/** `module` (a CommonJS module object, `require.main`, `module.parent`, ...). */
function isModuleObject(v: object): boolean {
  try {
    return v instanceof Module;
  } catch {
    return true;
  }
}

/** True for a value renderers may never hold: a forbidden built-in, a `require` or a module object. */
export function isForbidden(v: unknown): boolean {
  if (typeof v === 'function') return FORBIDDEN_VALUES.has(v) || isRequireFunction(v);
  if (typeof v === 'object' && v !== null) return FORBIDDEN_VALUES.has(v) || isModuleObject(v);
  return false;
}

function denied(what: string): RemoraError {
  return errors.denied({ what, advice: 'Renderers reach only what main exposes (see docs/security.md).' });
}

/** Throw `E_DENIED` if `v` is a value renderers may never hold. */
export function checkValue(v: unknown, where: string): void {
  if (isForbidden(v)) throw denied(`${where} is a built-in that could escape the sandbox`);
}

/** Methods of an emitter that hand out, or remove, listeners other parties registered. */
const LISTENER_KEYS: ReadonlySet<string> = new Set(['listeners', 'rawListeners', 'removeAllListeners']);

/** True for an EventEmitter (Node's, or a class built on it: streams, sockets, Electron's windows). */
function isEmitter(obj: object): boolean {
  try {
    return obj instanceof EventEmitter || obj === EventEmitter.prototype;
  } catch {
    return false;
  }
}

/** Why `key` of `obj` is refused because `obj` is an emitter, or undefined. */
function emitterRefusal(obj: object, key: string, emitter = isEmitter(obj)): string | undefined {
  if (!emitter) return undefined;
  if (key.startsWith('_')) return `property "${key}" is an internal of a built-in class`;
  if (LISTENER_KEYS.has(key)) return `"${key}" of an event emitter reaches listeners other parties registered; remove your own with off(event, listener)`;
  return undefined;
}

/** Find where `key` lives on `obj`'s prototype chain, refusing built-in prototypes. */
function ownerOf(obj: object, key: string): object | null {
  let o: object | null = obj;
  while (o !== null) {
    if (STOP_PROTOS.has(o)) return null;
    if (Object.prototype.hasOwnProperty.call(o, key)) return o;
    o = Object.getPrototypeOf(o) as object | null;
  }
  return null;
}

/** Read `obj[key]` under the rules. Missing properties read as `undefined`. */
export function readProperty(obj: unknown, key: string): unknown {
  if (BLOCKED_KEYS.has(key)) throw denied(`property "${key}" is never reachable`);
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
    if (typeof obj === 'string' && key === 'length') return obj.length;
    throw denied(`property "${key}" of a ${obj === null ? 'null' : typeof obj} value`);
  }
  const refusal = emitterRefusal(obj, key);
  if (refusal) throw denied(refusal);
  const owner = ownerOf(obj, key);
  if (owner === null) {
    // A function's source, as Electron's remote gave it: a closure over Function.prototype.toString, never the built-in.
    if (key === 'toString' && typeof obj === 'function') return () => Function.prototype.toString.call(obj);
    if (key in obj) throw denied(`property "${key}" is inherited from a built-in prototype`);
    return undefined;
  }
  const v = Reflect.get(obj, key);
  checkValue(v, `property "${key}"`);
  return v;
}

/** Assign `obj[key] = value` under the rules: only existing own data properties or setters. */
export function writeProperty(obj: unknown, key: string, value: unknown): void {
  if (BLOCKED_KEYS.has(key)) throw denied(`property "${key}" is never writable`);
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) throw denied(`cannot set "${key}" on a ${typeof obj} value`);
  const refusal = emitterRefusal(obj, key);
  if (refusal) throw denied(refusal);
  const owner = ownerOf(obj, key);
  if (owner === null) throw denied(`property "${key}" does not exist; renderers may not add properties`);
  const desc = Object.getOwnPropertyDescriptor(owner, key)!;
  if (owner !== obj && !desc.set) throw denied(`property "${key}" is inherited and has no setter`);
  if (typeof desc.value === 'function') throw denied(`property "${key}" is a method; renderers may not replace methods`);
  if (!Reflect.set(obj, key, value)) throw denied(`property "${key}" is read-only`);
}

/** Walk `path` from `root` under the rules. */
export function walk(root: unknown, path: readonly string[], upTo = path.length): unknown {
  let v = root;
  for (let i = 0; i < upTo; i++) v = readProperty(v, path[i]!);
  return v;
}

const shapeCache = new WeakMap<object, string[]>();

/** Classes are not listed as methods: a sync handle fetches them as handles (for `new` and statics). */
function isClass(fn: unknown): boolean {
  try {
    return /^class[\s{]/.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

/**
 * Names of the methods a renderer may call on `obj` (own and inherited, below the built-in
 * prototypes). Sent with a ref so synchronous handles can call a method in one round trip.
 */
export function methodsOf(obj: object): string[] {
  const cached = shapeCache.get(obj);
  if (cached) return cached;
  // Fast path: an instance without own methods has exactly its prototype's list (cached once
  // per class), so sending many instances of one class by reference walks the class once.
  const proto = Object.getPrototypeOf(obj) as object | null;
  if (typeof obj === 'object' && proto !== null && !STOP_PROTOS.has(proto) && !hasOwnMethod(obj)) return methodsOf(proto);
  const names = new Set<string>();
  const emitter = isEmitter(obj);
  let o: object | null = obj;
  while (o !== null && !STOP_PROTOS.has(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (BLOCKED_KEYS.has(k) || names.has(k) || emitterRefusal(obj, k, emitter)) continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (d && typeof d.value === 'function' && !isForbidden(d.value) && !isClass(d.value)) names.add(k);
    }
    o = Object.getPrototypeOf(o) as object | null;
  }
  const out = [...names];
  shapeCache.set(obj, out);
  return out;
}

function hasOwnMethod(obj: object): boolean {
  for (const k of Object.getOwnPropertyNames(obj)) {
    const d = Object.getOwnPropertyDescriptor(obj, k);
    if (d && typeof d.value === 'function') return true;
  }
  return false;
}

const levelsCache = new WeakMap<object, string[][]>();
/** At most this many own member names travel with a ref. */
const MAX_LISTED_KEYS = 256;

/**
 * What a ref carries for reflection (`['r', id, kind, methods, ownKeys, protoLevels]`): its
 * own enumerable member names, and the method names of each prototype level below the
 * built-in ones. Empty when there is nothing to list (the tag then ends at `methods`).
 */
export function shapeOf(obj: object): [] | [string[], string[][]] {
  const own = Object.keys(obj).filter((k) => !BLOCKED_KEYS.has(k)).slice(0, MAX_LISTED_KEYS);
  const proto = Object.getPrototypeOf(obj) as object | null;
  const levels = proto === null || STOP_PROTOS.has(proto) ? [] : protoLevelsOf(proto);
  // Nothing to add when there are no own members and the methods all live on the first prototype (the renderer assumes so).
  if (own.length === 0 && (levels.length === 0 || (levels.length === 1 && sameNames(levels[0]!, methodsOf(obj))))) return [];
  return [own, levels];
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function protoLevelsOf(proto: object): string[][] {
  let levels = levelsCache.get(proto);
  if (levels) return levels;
  levels = [];
  for (let o: object | null = proto; o !== null && !STOP_PROTOS.has(o); o = Object.getPrototypeOf(o) as object | null) {
    levels.push(Object.getOwnPropertyNames(o).filter((k) => {
      if (BLOCKED_KEYS.has(k)) return false;
      const d = Object.getOwnPropertyDescriptor(o!, k);
      return d !== undefined && typeof d.value === 'function' && !FORBIDDEN_VALUES.has(d.value) && !isClass(d.value);
    }));
  }
  levelsCache.set(proto, levels);
  return levels;
}
