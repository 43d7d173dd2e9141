/**
 * The event map of a Node `EventEmitter<Events>`, read without importing `node:events`, so the
 * renderer's declarations need no Node types and a browser page type-checks without
 * `@types/node`.
 *
 * How: this file adds one optional, symbol-keyed phantom member to Node's global
 * `NodeJS.EventEmitter<T>` interface (which the `EventEmitter` class of `node:events` extends),
 * carrying `T`. Where `@types/node` is loaded, every emitter, a subclass included, exposes its
 * map there and {@link EventMapOf} infers it; where it is not, the declaration only names an
 * empty interface and nothing has the member. The member never exists at run time, cannot be
 * reached by a string key, and does not change which emitters are assignable to which (its
 * type is `undefined` whatever `T` is).
 * @packageDocumentation
 */

/** The phantom member's key (types only: no such symbol exists at run time). */
declare const eventMapKey: unique symbol;

/**
 * Carries an event map `T` for inference only: its one member is `undefined` for every `T`,
 * so carriers of different maps are assignable to each other.
 * @internal
 */
export interface EventMapCarrier<T> {
  /** Never present. */
  readonly [eventMapKey]?: undefined & T;
}

declare global {
  namespace NodeJS { // eslint-disable-line @typescript-eslint/no-namespace
    /** remora's phantom member (see remora/renderer's event-maps): merged into Node's interface. */
    interface EventEmitter<T> {
      /** Never present at run time: lets remora's types read `T` without importing `node:events`. */
      readonly [eventMapKey]?: EventMapCarrier<T>;
    }
  }
}

/**
 * The event map of a Node `EventEmitter<Events>` or of a subclass of one: `Events`, exactly.
 * `never` for an emitter that declares none (Node's `DefaultEventMap`, as for a plain
 * `EventEmitter` or Electron's classes) and for anything else.
 */
export type EventMapOf<E> = E extends {
  /** The phantom member, where `E` is a Node emitter. */
  readonly [eventMapKey]?: EventMapCarrier<infer M>;
}
  ? [never] extends M // Node's DefaultEventMap, alone or in a union
    ? never
    : M
  : never;
