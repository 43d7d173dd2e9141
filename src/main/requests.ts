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
import type { Inspector } from '../actor/inspect.js';
import * as errors from '../errors/factories.js';
import type { RemoraError } from '../errors.js';
import { toRenderer, type MainFrame, type RequestFrame } from '../protocol/frames.js';
import { isThenable } from '../protocol/classify.js';
import { Call, type CallOwner } from './call.js';
import { type OperationScope, perform } from './operations.js';
import type { Pipeline, Resolved } from './pipeline.js';
import type { ReplyEncoder } from './reply-encoding.js';
import type { ValueDecoder } from './value-decoding.js';
import { shapeResult, validates, validateThenTell } from './validation.js';
import type { Pool } from './budget.js';

/** Marker for "reply with a ref to the actor itself". */
const ROOT = Symbol('remora.root');

/** What the request table asks of its session. */
export interface RequestHost extends Omit<CallOwner, 'perform' | 'replyOk' | 'replyFail'> {
  readonly closed: boolean;
  /** Most calls in flight at once (`limits.maxPending`). */
  readonly maxPending: number;
  /** The broker-wide total of calls in flight this table draws on (none: unbounded). */
  readonly pendingPool?: Pool;
  readonly pipeline: Pipeline;
  readonly decoder: ValueDecoder;
  readonly encoder: ReplyEncoder;
  readonly operations: OperationScope;
  /** Where refused calls are reported (`refused` on `inspect$`). */
  readonly inspector: Inspector;
  /** Resolve `require`/`global`/`current` to an actor; throws `E_DENIED`. */
  lookup(kind: 'require' | 'global' | 'current', name: string): Actor;
  /** Queue a frame (`sync`: a reply to a synchronous request, sent at once). */
  send(frame: MainFrame, sync?: boolean): void;
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
      const err = errors.protocol({ what: `request id ${f.id} is already in flight` });
      this.host.send(toRenderer.fail(f.id, this.host.encoder.error(err)), f.s === 1);
      return;
    }
    const call = new Call(this, f);
    if (f.k !== undefined) call.pipe = this.host.pipeline.open(f.id, f.k);
    if (this.calls.size >= this.host.maxPending) {
      this.replyFail(call, errors.tooManyPending({ max: this.host.maxPending }));
      return;
    }
    const pool = this.host.pendingPool;
    if (pool && !pool.available) {
      this.replyFail(call, pool.exhausted());
      return;
    }
    pool?.take();
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
    call.abort(errors.cancelled());
    return true;
  }

  /** Decode the call's inputs for its target's actor and queue it in that actor's mailbox. */
  private dispatch(call: Call, t: Resolved): void {
    call.target = t;
    const f = call.frame;
    if (f.t === 'apply' || f.t === 'new') call.args = this.host.decoder.args(f.args, t.actor);
    else if (f.t === 'set') call.value = this.host.decoder.value(f.value, t.actor);
    if (validates(t.actor)) validateThenTell(call, t, this.host.inspector, this); // schemas: docs/validation.md
    else t.actor.tell(call);
  }

  /** @internal CallOwner: run the operation, inside the actor. */
  perform(call: Call, base: unknown): unknown {
    const result = perform(call, base, this.host.operations);
    return validates(call.target!.actor) ? shapeResult(call, result) : result;
  }

  /**
   * CallOwner: encode the value for the call's actor and send it; settle dependents. A
   * blocking (`s: 1`) call whose handler returned a promise is answered at once with a promise
   * marker, but its handler is still running: it keeps its slot (counted by `maxPending`,
   * aborted at session end) until the promise settles.
   */
  replyOk(call: Call, value: unknown): void {
    if (call.detach && isThenable(value)) this.holdUntilSettled(call, value);
    else this.forget(call);
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
    this.host.send(toRenderer.ok(call.id, wire), call.detach);
    if (call.pipe) {
      const root = isRoot || value === owner.instance;
      call.pipe.resolve({ actor: owner, value: root ? undefined : value, root });
    }
  }

  private holdUntilSettled(call: Call, p: PromiseLike<unknown>): void {
    const done = (): void => this.forget(call);
    try {
      p.then(done, done);
    } catch {
      done();
    }
  }

  /** CallOwner: send the failure; fail dependents. */
  replyFail(call: Call, error: unknown): void {
    this.forget(call);
    call.pipe?.reject(error);
    if (this.host.closed) return;
    this.host.send(toRenderer.fail(call.id, this.host.encoder.error(error, call.target?.actor)), call.detach);
  }

  /** Session end: abort every call in flight with `reason` and forget them. */
  abortAll(reason: RemoraError): void {
    for (const call of this.calls.values()) call.abort(reason);
    this.host.pendingPool?.give(this.calls.size);
    this.calls.clear();
  }

  /** The call left the table (once): its slot, and its unit of the broker's budget, are free. */
  private forget(call: Call): void {
    if (this.calls.get(call.id) !== call) return;
    this.calls.delete(call.id);
    this.host.pendingPool?.give();
  }
}
