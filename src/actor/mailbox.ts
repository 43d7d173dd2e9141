/**
 * A mailbox: the bounded queue in front of one actor, and the count of messages it lets run
 * at once. It knows nothing of instances, failures or supervision; the {@link Actor} decides
 * when to start and finish a message and asks the mailbox whether there is room.
 *
 * The queue is an array with a moving head, so taking the next message costs no shift; the
 * consumed prefix is cut off once it is both large and more than half the array.
 * @packageDocumentation
 */

/** A bounded first-in first-out queue with an in-flight limit. */
export class Mailbox<T> {
  private readonly queue: (T | undefined)[] = [];
  private head = 0;
  private inFlight = 0;

  constructor(
    /** Messages allowed to run at once (1 for a serial actor). At least 1. */
    readonly limit: number,
    /** Messages allowed to wait; one more is refused. At least 0. */
    readonly capacity: number,
  ) {}

  /** Messages waiting (not yet started). */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Messages running now. */
  get running(): number {
    return this.inFlight;
  }

  /** True while fewer than {@link limit} messages run. */
  get hasRoom(): boolean {
    return this.inFlight < this.limit;
  }

  /** True when a new message may start at once: there is room and nothing waits before it. */
  get idle(): boolean {
    return this.inFlight < this.limit && this.head === this.queue.length;
  }

  /** True when {@link capacity} messages already wait. */
  get full(): boolean {
    return this.queued >= this.capacity;
  }

  /** Put a message at the back of the queue (the caller checked {@link full}). */
  enqueue(message: T): void {
    this.queue.push(message);
  }

  /** Take the oldest waiting message, or `undefined` when none waits. */
  take(): T | undefined {
    if (this.head === this.queue.length) return undefined;
    const message = this.queue[this.head];
    this.queue[this.head++] = undefined;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return message;
  }

  /** Take every waiting message at once, oldest first (an actor that stops does this). */
  takeAll(): T[] {
    const waiting = this.queue.slice(this.head) as T[];
    this.queue.length = 0;
    this.head = 0;
    return waiting;
  }

  /** Count a message as running. */
  begin(): void {
    this.inFlight++;
  }

  /** Count a running message as done. */
  end(): void {
    this.inFlight--;
  }
}
