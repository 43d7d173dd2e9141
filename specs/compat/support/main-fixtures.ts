/**
 * Main-side objects for the compat specs: remora's own analogues of the fixture modules
 * @electron/remote's suite requires (a printer of constructor names, functions with properties,
 * classes with accessors, promise helpers, ...). Each factory builds a fresh object, so specs
 * never share state.
 */
import { EventEmitter } from 'node:events';

const typedArrays = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
} as const;

/** The name of the typed array kinds the value specs walk. */
export type TypedArrayName = keyof typeof typedArrays;
/** Every typed array kind, with values that fit it. */
export const typedArrayCases: [TypedArrayName, number[]][] = [
  ['Int8Array', [1, -2, 3, 4]],
  ['Uint8Array', [1, 2, 3, 250]],
  ['Uint8ClampedArray', [1, 2, 3, 255]],
  ['Int16Array', [0x1234, -0x2345, 0x3456, 0x4567]],
  ['Uint16Array', [0x1234, 0x2345, 0x3456, 0xfedc]],
  ['Int32Array', [0x12345678, -0x23456789]],
  ['Uint32Array', [0x12345678, 0xfedcba98]],
  ['Float32Array', [0.5, 1.0, -1.5]],
  ['Float64Array', [0.5, Math.PI, -1.5]],
];

/** Reports how values arrive in main, and sends values back. */
export function makeValues() {
  return {
    /** The constructor name main sees for `v` (`''` for no prototype, `typeof` for primitives without one). */
    kindOf(v: unknown): string {
      if (v === null || v === undefined) return String(v);
      const proto = Object.getPrototypeOf(v);
      if (proto === null) return '';
      return (proto.constructor as { name?: string } | undefined)?.name ?? typeof v;
    },
    /** Whether `v` has no prototype in main. */
    hasNullPrototype: (v: object): boolean => Object.getPrototypeOf(v) === null,
    echo: <T>(v: T): T => v,
    /** A typed array of `type` filled from `values`. */
    typed(type: TypedArrayName, values: ArrayLike<number>) {
      const out = new typedArrays[type](values.length);
      for (let i = 0; i < values.length; i++) out[i] = values[i]!;
      return out;
    },
    nan: (): number => Number.NaN,
    infinity: (): number => Number.POSITIVE_INFINITY,
    /** All its arguments, as one array. */
    returnArgs: (...args: unknown[]): unknown[] => args,
    /** The arity of a function the renderer passed. */
    arityOf: (cb: (...a: unknown[]) => unknown): number => cb.length,
    /** Call a renderer function and return what main got back from it. */
    callBack: (cb: () => unknown): unknown => cb(),
  };
}

/** A function with own properties, some of them functions with properties of their own. */
export function makeFunctionWithProperties() {
  const greet = Object.assign(function greet() { return 'hello'; }, {
    tag: 'baz',
    nested: { prop: 'yes' },
    method1: Object.assign(function method1() { return 'world'; }, { inner: () => 123 }),
  });
  return { greet };
}

/** A module that is itself a function with an own property. */
export function makeCallableModule() {
  return Object.assign(function callableModule() { return 'called'; }, { tag: 'baz' });
}

/** `setup()` returns an object whose method deletes its own properties when called. */
export function makeVanishing() {
  return {
    setup() {
      const box: { run?: (() => boolean) & { extra?: () => number } } = {};
      box.run = Object.assign(() => delete box.run!.extra && delete box.run, { extra: () => 3 });
      return box;
    },
  };
}

/** A class with static members, as a module member. */
export function makeStatics() {
  class Shape {
    static tag = 'baz';
    static make(): number { return 3; }
    area(): number { return 123; }
  }
  return { Shape };
}

/** Data properties, and a function-valued member whose own property main reads back. */
export function makeProperties() {
  const marker = Object.assign(function marker() {}, { label: 'foo' });
  return {
    value: 1127 as unknown,
    marker,
    markerLabel: (): string => `${marker.label}-main`,
  };
}

/** Accessors that throw. */
export function makeFaulty() {
  return new (class Faulty {
    get bad(): never { throw new Error('getting error'); }
    set bad(_v: unknown) { throw new Error('setting error'); }
  })();
}

/** Main-side objects a renderer passes back by reference. */
export class Widget {
  constructor(readonly name: string) {}
  hello(): string { return `widget ${this.name}`; }
}

/** A holder whose setter accepts only a main-side {@link Widget}. */
export function makeHolder() {
  let held: Widget | undefined;
  return {
    make: (name: string): Widget => new Widget(name),
    set widget(v: unknown) {
      if (!(v instanceof Widget)) throw new Error('setting error: not a Widget');
      held = v;
    },
    get widget(): Widget | undefined { return held; },
    heldName: (): string | undefined => held?.name,
  };
}

/** A plain (non-class) constructor function and a member named `constructor`. */
export function makeConstructors() {
  function Maker(this: { test: string }) { this.test = 'test'; }
  return { Maker, constructor: Maker };
}

/** A method the renderer reassigns and deletes. */
export function makeMethods() {
  return { answer(): number { return 1127; } };
}

let classValue = 'old';
/** A base and a derived class instance, with methods and accessors on the prototypes. */
export function makeClasses() {
  classValue = 'old';
  class Base {
    method(): string { return 'method'; }
    get readonly(): string { return 'readonly'; }
    get value(): string { return classValue; }
    set value(v: string) { classValue = v; }
  }
  class Derived extends Base {}
  return { base: new Base(), derived: new Derived() };
}

/** An instance whose prototype has no `constructor`. */
export function makeConstructorless(): object {
  class Bare { bar(): string { return 'bar'; } }
  (Bare.prototype as { constructor?: unknown }).constructor = undefined;
  return new Bare();
}

/** Promise helpers, on both sides of the boundary. */
export function makePromises() {
  return {
    twice: (p: Promise<number>): Promise<number> => Promise.resolve(p).then((v) => v * 2),
    rejectAfter: (p: Promise<unknown>): Promise<never> => Promise.resolve(p).then(() => { throw new Error('rejected'); }),
    rejectNow: (): Promise<never> => Promise.reject(new Error('rejected')),
    later: <T>(v: T, ms = 30): Promise<T> => new Promise((r) => setTimeout(() => r(v), ms)),
  };
}

/** Throws whatever it is given. */
export function makeThrower() {
  return { throwIt(e: unknown): never { throw e; } };
}

/** An emitter renderers subscribe to. */
export function makeEvents() {
  const emitter = new EventEmitter();
  return { emitter, on: (name: string, cb: (...a: unknown[]) => void) => void emitter.on(name, cb), count: (name: string) => emitter.listenerCount(name) };
}
