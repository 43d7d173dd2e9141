/**
 * Renderer functions passed to main: main holds them by id (`['c', id]`) and invokes them with
 * `cb` frames.
 *
 * A function keeps one id for the life of the connection, however often it is passed. Main
 * counts every send and gives them back in `cbfree` frames (`[id, receipts]` pairs); the
 * function is forgotten only once every send came back, so a send that crossed a `cbfree`
 * keeps the function main now holds again.
 * @packageDocumentation
 */

/** A renderer function main may call. */
export type Callback = (...args: unknown[]) => unknown;

/** The functions of one connection that main may still invoke. */
export class Callbacks {
  private readonly fns = new Map<number, Callback>();
  /** Sends of each callback id main has not given back yet. */
  private readonly sends = new Map<number, number>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;

  /** Callbacks main may still invoke. */
  get size(): number {
    return this.fns.size;
  }

  /** Record one more send of `fn` to main; returns its id (the same id every time). */
  sent(fn: Callback): number {
    let id = this.ids.get(fn);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(fn, id);
    }
    this.fns.set(id, fn);
    this.sends.set(id, (this.sends.get(id) ?? 0) + 1);
    return id;
  }

  /** The function with id `id`, while main may still invoke it. */
  get(id: number): Callback | undefined {
    return this.fns.get(id);
  }

  /** Main gave sends back (`[id, receipts, ...]`): forget each function all of whose sends are back. */
  givenBack(pairs: readonly number[]): void {
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const id = pairs[i]!;
      const left = (this.sends.get(id) ?? 0) - pairs[i + 1]!;
      if (left > 0) this.sends.set(id, left);
      else {
        this.sends.delete(id);
        this.fns.delete(id);
      }
    }
  }

  /** Forget every function (the connection ended: main dropped them all). */
  clear(): void {
    this.fns.clear();
    this.sends.clear();
  }
}

/**
 * Run a callback main invoked. A throwing callback (or one whose promise rejects) must not
 * break the connection: its error is reported the way the host reports uncaught errors.
 */
export function invokeCallback(fn: Callback, args: unknown[]): void {
  try {
    const r = fn(...args);
    if (r && typeof (r as PromiseLike<unknown>).then === 'function') (r as Promise<unknown>).catch(reportCallbackError);
  } catch (e) {
    reportCallbackError(e);
  }
}

function reportCallbackError(e: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === 'function') report(e);
  else console.error('remora: a callback invoked by main threw:', e);
}
