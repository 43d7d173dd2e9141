/**
 * The renderer's open subscriptions to main-side streams (remote Observables, emitter events,
 * replicas): one sink per subscription id, fed by `next`, `error` and `complete` frames.
 * @packageDocumentation
 */

/** Where the values of one subscription go. */
export interface StreamSink {
  readonly next: (v: unknown) => void;
  readonly error: (e: unknown) => void;
  readonly complete: () => void;
}

/** The open subscriptions of one connection. */
export class Subscriptions {
  private readonly sinks = new Map<number, StreamSink>();

  /** Open subscriptions. */
  get size(): number {
    return this.sinks.size;
  }

  /** The sink of subscription `id`, while it is open. */
  get(id: number): StreamSink | undefined {
    return this.sinks.get(id);
  }

  /** True while subscription `id` is open. */
  has(id: number): boolean {
    return this.sinks.has(id);
  }

  /** Open subscription `id`. */
  add(id: number, sink: StreamSink): void {
    this.sinks.set(id, sink);
  }

  /** Close subscription `id`; returns false when it was not open. */
  delete(id: number): boolean {
    return this.sinks.delete(id);
  }

  /** End every subscription with `e` (the connection ended). */
  failAll(e: unknown): void {
    const sinks = [...this.sinks.values()];
    this.sinks.clear();
    for (const s of sinks) s.error(e);
  }
}
