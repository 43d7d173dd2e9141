/** What the smoke's main exposes to its pages (the page imports only the type). */
import { EventEmitter } from 'node:events';

/** A service for the smoke checks. */
export class SmokeApi extends EventEmitter {
  private n = 0;
  /** Add. */
  add(a: number, b: number): number {
    return a + b;
  }
  /** Return what it got. */
  echo<T>(v: T): T {
    return v;
  }
  /** Record a value (async writes before a sync read must land first). */
  push(v: number): void {
    this.n = v;
  }
  /** The last pushed value. */
  last(): number {
    return this.n;
  }
  /** Resolve after `ms` (a 5 s sync call blocks the page that long). */
  async wait(ms: number): Promise<string> {
    await new Promise((r) => setTimeout(r, ms));
    return 'waited';
  }
  /** Throw an error with custom properties. */
  fail(): never {
    throw Object.assign(new RangeError('custom'), { code: 'E_CUSTOM', detail: { n: 1, at: new Date(0) } });
  }
}
