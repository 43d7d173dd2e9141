/**
 * Property access rules: what a renderer may read, write and call on an object it holds.
 *
 * A renderer never reaches `constructor`, `__proto__`, `prototype` or the other escape
 * hatches; never reaches anything inherited from `Object.prototype`, `Function.prototype` or
 * `Array.prototype` (so no `toString.constructor`, no `call`/`bind` games); and never receives
 * the `Function` constructor, `eval`, `globalThis`, `process` and friends, even when an
 * exposed object hands them out.
 *
 * The method-list memo of {@link methodsOf} is module-level on purpose: it is a pure function
 * of the object it is keyed by (weakly), shared by every broker, and holds no session state.
 * @packageDocumentation
 */
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

/** Values that are never handed to a renderer, whoever returns them. */
export const FORBIDDEN_VALUES: ReadonlySet<unknown> = new Set(
  [Function, AsyncFunction, GeneratorFunction, AsyncGeneratorFunction, eval, globalThis, Object, Reflect, Proxy, g.process, g.require, g.module]
    .filter((v) => v !== undefined),
);

function denied(what: string): RemoraError {
  return errors.denied({ what, advice: 'Renderers reach only what main exposes (see docs/security.md).' });
}

/** Throw `E_DENIED` if `v` is a value renderers may never hold. */
export function checkValue(v: unknown, where: string): void {
  if ((typeof v === 'function' || typeof v === 'object') && v !== null && FORBIDDEN_VALUES.has(v)) {
    throw denied(`${where} is a built-in that could escape the sandbox`);
  }
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
  const owner = ownerOf(obj, key);
  if (owner === null) {
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
  let o: object | null = obj;
  while (o !== null && !STOP_PROTOS.has(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (BLOCKED_KEYS.has(k) || names.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (d && typeof d.value === 'function' && !FORBIDDEN_VALUES.has(d.value) && !isClass(d.value)) names.add(k);
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
