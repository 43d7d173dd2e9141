/**
 * Requests: a session's table of in-flight calls, from the frame that starts one to the reply
 * that settles it. A request is refused when its id is already in flight or the renderer has
 * `maxPending` calls out; `require`/`global`/`current` resolve to an actor and reply with a
 * ref to it; `get`/`set`/`apply`/`new` resolve their target (pipeline), decode their inputs
 * for the target's actor, and go to that actor's mailbox. The reply is encoded for the same
 * actor, and settles the pipe of any dependents in the same message.
 * @packageDocumentation
 */
import type { Actor } from '../actor/actor.js';
import { RemoraError } from '../errors.js';
import type { RequestFrame } from '../protocol/frames.js';
import { Call, type CallOwner } from './call.js';
import { type OperationScope, perform } from './operations.js';
import type { Pipeline, Resolved } from './pipeline.js';
import type { ReplyEncoder } from './reply-encoding.js';
import type { ValueDecoder } from './value-decoding.js';

/** Marker for "reply with a ref to the actor itself". */
const ROOT = Symbol('remora.root');

/** What the request table asks of its session. */
export interface RequestHost extends Omit<CallOwner, 'perform' | 'replyOk' | 'replyFail'> {
  readonly closed: boolean;
  /** Most calls in flight at once (`limits.maxPending`). */
  readonly maxPending: number;
  readonly pipeline: Pipeline;
  readonly decoder: ValueDecoder;
  readonly encoder: ReplyEncoder;
  readonly operations: OperationScope;
  /** Resolve `require`/`global`/`current` to an actor; throws `E_DENIED`. */
  lookup(kind: 'require' | 'global' | 'current', name: string): Actor;
  /** Queue a frame (`sync`: a reply to a synchronous request, sent at once). */
  send(frame: unknown, sync?: boolean): void;
}

/** The in-flight calls of one session. */
export class Requests implements CallOwner {
  private readonly calls = new Map<number, Call>();

  constructor(private readonly host: RequestHost) {}

  /** Calls in flight now. */
  get size(): number {
    return this.calls.size;
  }
  get id(): string {
    return this.host.id;
  }
  get info(): Readonly<Record<string, unknown>> {
    return this.host.info;
  }
  get endSignal(): AbortSignal {
    return this.host.endSignal;
  }
  onEnd(fn: () => void): () => void {
    return this.host.onEnd(fn);
  }

  /** Start the request `f`: refuse it, or resolve its target and hand it to the target's actor. */
  start(f: RequestFrame): void {
    if (this.calls.has(f.id)) {
      const err = new RemoraError('E_PROTOCOL', `Protocol violation: request id ${f.id} is already in flight.`);
      this.host.send({ t: 'fail', id: f.id, e: this.host.encoder.error(err) }, f.s === 1);
      return;
    }
    const call = new Call(this, f);
    if (f.k !== undefined) call.pipe = this.host.pipeline.open(f.id, f.k);
    if (this.calls.size >= this.host.maxPending) {
      this.replyFail(call, new RemoraError('E_TOO_MANY_PENDING', `This renderer already has ${this.host.maxPending} calls in flight; wait for some to settle or raise limits.maxPending.`));
      return;
    }
    this.calls.set(f.id, call);
    try {
      if (f.t === 'require' || f.t === 'global' || f.t === 'current') {
        const actor = this.host.lookup(f.t, f.t === 'current' ? f.what : f.name);
        actor.ensureStarted(call);
        call.target = { actor, value: undefined, root: true };
        this.replyOk(call, ROOT);
      } else if (f.ref !== undefined) {
        // A held ref resolves now (no continuation to allocate); a pipelined one waits for its base.
        this.dispatch(call, this.host.pipeline.held(f.ref, f.t, f.id));
      } else {
        this.host.pipeline.target(f, (t) => this.dispatch(call, t), (e) => this.replyFail(call, e));
      }
    } catch (e) {
      this.replyFail(call, e);
    }
  }

  /** The renderer cancelled call `id`. Returns false when no such call is in flight. */
  cancel(id: number): boolean {
    const call = this.calls.get(id);
    if (!call) return false;
    call.abort(new RemoraError('E_ABORTED', 'The renderer cancelled this call.'));
    return true;
  }

  /** Decode the call's inputs for its target's actor and queue it in that actor's mailbox. */
  private dispatch(call: Call, t: Resolved): void {
    call.target = t;
    const f = call.frame;
    if (f.t === 'apply' || f.t === 'new') call.args = this.host.decoder.args(f.args, t.actor);
    else if (f.t === 'set') call.value = this.host.decoder.value(f.value, t.actor);
    t.actor.tell(call);
  }

  /** @internal CallOwner: run the operation, inside the actor. */
  perform(call: Call, base: unknown): unknown {
    return perform(call, base, this.host.operations);
  }

  /** CallOwner: encode the value for the call's actor and send it; settle dependents. */
  replyOk(call: Call, value: unknown): void {
    this.calls.delete(call.id);
    if (this.host.closed) return;
    const owner = call.target!.actor;
    const isRoot = value === ROOT;
    let wire;
    try {
      wire = isRoot ? this.host.encoder.rootValue(owner) : this.host.encoder.value(value, owner);
    } catch (e) {
      this.replyFail(call, e);
      return;
    }
    this.host.send({ t: 'ok', id: call.id, v: wire }, call.detach);
    if (call.pipe) {
      const root = isRoot || value === owner.instance;
      call.pipe.resolve({ actor: owner, value: root ? undefined : value, root });
    }
  }

  /** CallOwner: send the failure; fail dependents. */
  replyFail(call: Call, error: unknown): void {
    this.calls.delete(call.id);
    call.pipe?.reject(error);
    if (this.host.closed) return;
    this.host.send({ t: 'fail', id: call.id, e: this.host.encoder.error(error, call.target?.actor) }, call.detach);
  }

  /** Session end: abort every call in flight with `reason` and forget them. */
  abortAll(reason: RemoraError): void {
    for (const call of this.calls.values()) call.abort(reason);
    this.calls.clear();
  }
}
