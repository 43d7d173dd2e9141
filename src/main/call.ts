/**
 * One in-flight request: the envelope its actor runs, and the call context its handler
 * reads (`callContext()`). It knows its frame, its resolved target and decoded inputs, and
 * how to be aborted (cancel, session end): a call aborted while it waits in the mailbox never
 * runs, and a concurrent actor stops waiting for one aborted while it runs.
 * @packageDocumentation
 */
import type { Envelope } from '../actor/actor.js';
import * as errors from '../errors/factories.js';
import type { RemoraError } from '../errors.js';
import type { RequestFrame } from '../protocol/frames.js';
import { type CallContext, runInCallContext } from './call-context.js';
import type { OperationInput } from './operations.js';
import { memberOf } from './member.js';
import type { Pipe, Resolved } from './pipeline.js';

const NO_ARGS: unknown[] = Object.freeze([]) as unknown as unknown[];

/** What a call asks of the session it came from. */
export interface CallOwner {
  /** The session id. */
  readonly id: string;
  readonly info: Readonly<Record<string, unknown>>;
  readonly endSignal: AbortSignal;
  onEnd(fn: () => void): () => void;
  /** Run the call's operation on `base`, inside the actor. */
  perform(call: Call, base: unknown): unknown;
  /** The call succeeded with `value`: encode and send the reply. */
  replyOk(call: Call, value: unknown): void;
  /** The call failed: send the failure. */
  replyFail(call: Call, error: unknown): void;
}

/** One in-flight request. */
export class Call implements Envelope, CallContext, OperationInput {
  private controller: AbortController | undefined;
  /** Why the call was aborted (cancel, session end, deadline), once it was. */
  private abortReason: RemoraError | undefined;
  /** The decoded arguments (`apply`/`new`; empty otherwise: a shared array never written). */
  args: unknown[] = NO_ARGS;
  value: unknown;
  /** Set once the target is resolved (for `require`/`global`/`current`, the actor itself). */
  target: Resolved | undefined;
  /** The pipe dependents in the same message wait on, when the frame announced some. */
  pipe: Pipe | undefined;
  /** Sync requests reply at once with a promise marker when the handler returns a promise. */
  readonly detach: boolean;
  /** Optional per Envelope; set by a concurrent actor while it awaits this call's promise. */
  abandon: (() => void) | undefined = undefined;

  constructor(
    private readonly owner: CallOwner,
    readonly frame: RequestFrame,
  ) {
    this.detach = frame.s === 1;
  }

  get session(): string {
    return this.owner.id;
  }
  get id(): number {
    return this.frame.id;
  }
  get op(): string {
    return this.frame.t;
  }
  /** The member the call names (`add`, `a.b.c`), for inspection events; computed on each read. */
  get method(): string | undefined {
    return memberOf(this.frame);
  }
  get info(): Readonly<Record<string, unknown>> {
    return this.owner.info;
  }
  get sessionSignal(): AbortSignal {
    return this.owner.endSignal;
  }
  onSessionEnd(fn: () => void): () => void {
    return this.owner.onEnd(fn);
  }
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.abortReason && !this.controller.signal.aborted) this.controller.abort(this.abortReason);
    return this.controller.signal;
  }

  /** Abort the call with `why`: its signal fires, and an actor waiting on it stops waiting. */
  abort(why: RemoraError): void {
    this.abortReason ??= why;
    this.controller?.abort(why);
    // The caller is gone or cancelled: a concurrent actor stops waiting for this call, so a
    // handler that never settles cannot hold a mailbox slot forever.
    const abandon = this.abandon;
    this.abandon = undefined;
    abandon?.();
  }

  run(instance: unknown): unknown {
    // Cancelled, or its renderer left, while it waited in the mailbox: do not run it at all.
    if (this.abortReason) throw errors.abandoned({ reason: this.abortReason.remoraCode });
    const t = this.target!;
    const base = t.root ? instance : t.value;
    return runInCallContext(this, base, Call.perform);
  }

  /** The operation of a call, on its base (one function for every call: no closure per call). */
  private static perform(this: void, call: Call, base: unknown): unknown {
    return call.owner.perform(call, base);
  }

  reply(value: unknown): void {
    this.owner.replyOk(this, value);
  }

  fail(error: unknown): void {
    this.owner.replyFail(this, error);
  }
}
