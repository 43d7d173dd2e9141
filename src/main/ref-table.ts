/**
 * A session's ref table: which main objects this renderer holds, under which ids, and how
 * many times each was sent. An object stays alive while its entry exists; the renderer
 * releases `[id, count]` pairs, and the entry goes when every send has been released (so a
 * release racing a new reply never frees an object the renderer is about to receive).
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import { type Pool, unboundedPool } from './budget.js';
import type { Actor } from '../actor/actor.js';

/** One held object. */
export interface RefEntry {
  readonly id: number;
  /** The object, or `undefined` for an actor root (whose current instance is the target). */
  readonly value: unknown;
  /** The actor that owns the object; operations on it go through this actor's mailbox. */
  readonly actor: Actor;
  /** True when the entry stands for the actor itself (ids survive restarts). */
  readonly root: boolean;
  /** The actor incarnation the object came from. */
  readonly incarnation: number;
  /** Sends not yet released by the renderer. */
  count: number;
}

/** The per-session ref table. */
export class RefTable {
  private nextId = 1;
  private readonly byId = new Map<number, RefEntry>();
  private readonly byKey = new Map<unknown, RefEntry>();

  constructor(
    private readonly maxRefs: number,
    /** The broker-wide total of refs this table draws on. */
    private readonly pool: Pool = unboundedPool('refs'),
  ) {}

  /** Number of objects held. */
  get size(): number {
    return this.byId.size;
  }

  /** Look up an id. */
  get(id: number): RefEntry | undefined {
    return this.byId.get(id);
  }

  /**
   * Count one more send of `value` (or of `actor` itself when `root`), creating the entry on
   * first send. Throws `E_TOO_MANY_REFS` past the limit.
   */
  add(value: unknown, actor: Actor, root: boolean): RefEntry {
    const key = root ? actor : value;
    let e = this.byKey.get(key);
    if (e) {
      if (!e.root && e.incarnation !== actor.incarnation && e.actor === actor) {
        // The object outlived a restart and is being sent again: re-home it in the new incarnation.
        this.drop(e);
        e = undefined;
      } else {
        e.count++;
        return e;
      }
    }
    if (this.byId.size >= this.maxRefs) {
      throw errors.tooManyRefs({ max: this.maxRefs });
    }
    this.pool.take();
    e = { id: this.nextId++, value: root ? undefined : value, actor, root, incarnation: actor.incarnation, count: 1 };
    this.byId.set(e.id, e);
    this.byKey.set(key, e);
    return e;
  }

  /** Undo one {@link add} (when a reply could not be sent after all). */
  undoAdd(e: RefEntry): void {
    if (--e.count <= 0) this.drop(e);
  }

  /**
   * The renderer released `count` sends of `id` (the only meaning of "release" on main's
   * side). Returns the entry when it was dropped. Unknown ids are ignored.
   */
  release(id: number, count: number): RefEntry | undefined {
    const e = this.byId.get(id);
    if (!e) return undefined;
    e.count -= count;
    if (e.count > 0) return undefined;
    this.drop(e);
    return e;
  }

  private drop(e: RefEntry): void {
    if (this.byId.delete(e.id)) this.pool.give();
    const key = e.root ? e.actor : e.value;
    if (this.byKey.get(key) === e) this.byKey.delete(key);
  }

  /** Drop every entry at once (session end). */
  clear(): void {
    this.pool.give(this.byId.size);
    this.byId.clear();
    this.byKey.clear();
  }
}
