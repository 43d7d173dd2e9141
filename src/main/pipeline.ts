/**
 * The pipeline: what a request's target is. A target is either a ref the session holds
 * (`ref`), or the result of an earlier request in the same message (`on`), which lets a
 * renderer chain `a.b().c()` in one round trip.
 *
 * A request that others depend on opens a pipe announcing how many dependents will follow
 * (`k`). Dependents wait on the pipe's result; when it settles they continue in the next
 * microtasks, and the session's flush waits for them so a whole chain's replies leave as one
 * message. A pipe still waiting at the end of its message never gets its dependents, so it is
 * dropped: a renderer cannot pile pipes up.
 * @packageDocumentation
 */
import type { Actor } from '../actor/actor.js';
import type { Supervisor } from '../actor/supervisor.js';
import * as errors from '../errors/factories.js';
import { isErrorCode } from '../errors.js';
import { readThrown, safeGet } from '../protocol/thrown.js';
import type { RefTable } from './ref-table.js';

/** What a request's target resolved to. */
export interface Resolved {
  readonly actor: Actor;
  /** The object, unless `root`. */
  readonly value: unknown;
  /** The actor's current instance is the target. */
  readonly root: boolean;
}

/** A pending result that dependents in the same message wait on. */
export interface Pipe {
  /** Settle the pipe with the request's outcome. */
  resolve(r: Resolved): void;
  reject(e: unknown): void;
}

interface OpenPipe extends Pipe {
  remaining: number;
  readonly result: Promise<Resolved>;
  /** Dependents waiting on `result`. */
  attached: number;
  settled: boolean;
}

/** Where a frame says its target is. */
export interface TargetOf {
  readonly id: number;
  readonly t: string;
  readonly ref?: number;
  readonly on?: number;
}

/** What the pipeline asks of its session. */
export interface PipelineHost {
  readonly id: string;
  readonly closed: boolean;
  readonly refs: RefTable;
  readonly supervisor: Supervisor;
}

/** The pipes and ref resolution of one session. */
export class Pipeline {
  private readonly pipes = new Map<number, OpenPipe>();
  /** Dependents whose base settled and whose continuation has not run yet. */
  private reactions = 0;

  constructor(private readonly host: PipelineHost) {}

  /** Pipes open now. */
  get size(): number {
    return this.pipes.size;
  }

  /** True while dependents of a settled pipe are still to run in this tick (the flush waits). */
  get settling(): boolean {
    return this.reactions > 0;
  }

  /** The target held under ref `id`; throws `E_NO_OBJECT` or `E_STALE_REF`. */
  held(id: number, op: string, requestId: number): Resolved {
    const e = this.host.refs.get(id);
    if (!e) {
      this.host.supervisor.deadLetter(`ref/${id}`, { session: this.host.id, id: requestId, op }, 'missing');
      throw errors.noObject(id);
    }
    if (!e.root && e.incarnation !== e.actor.incarnation) {
      throw errors.staleRef({ ref: id, actor: e.actor.path });
    }
    return e;
  }

  /**
   * Resolve `f`'s target and `go` on with it: now for a held ref, later for a pipelined base.
   * A later failure (of `go`, or of the base) goes to `fail`; a failure now is thrown.
   */
  target(f: TargetOf, go: (t: Resolved) => void, fail: (e: unknown) => void): void {
    if (f.ref !== undefined) {
      go(this.held(f.ref, f.t, f.id));
      return;
    }
    const pipe = this.pipes.get(f.on!);
    if (!pipe) throw errors.protocol({ what: `request ${f.id} is pipelined on ${f.on}, which has no pending result in this batch` });
    if (--pipe.remaining <= 0) this.pipes.delete(f.on!);
    pipe.attached++;
    if (pipe.settled) this.reactions++;
    pipe.result.then(
      (t) => {
        this.reactions--;
        if (this.host.closed) return;
        try {
          go(t);
        } catch (e) {
          fail(e);
        }
      },
      (e) => {
        this.reactions--;
        if (this.host.closed) return;
        // Total: the base may have failed with any value (a revoked Proxy, { toString: 0 }).
        const code = safeGet(e, 'remoraCode');
        fail(errors.dependencyFailed({ code: isErrorCode(code) ? code : undefined, why: readThrown(e).message }));
      },
    );
  }

  /** Open a pipe for request `id`, which `dependents` requests later in its message will wait on. */
  open(id: number, dependents: number): Pipe {
    let resolve!: (r: Resolved) => void;
    let reject!: (e: unknown) => void;
    const result = new Promise<Resolved>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    result.catch(() => undefined);
    const settle = (): void => {
      if (pipe.settled) return;
      pipe.settled = true;
      this.reactions += pipe.attached;
    };
    const pipe: OpenPipe = {
      remaining: dependents,
      result,
      attached: 0,
      settled: false,
      resolve: (r) => {
        settle();
        resolve(r);
      },
      reject: (e) => {
        settle();
        reject(e);
      },
    };
    this.pipes.set(id, pipe);
    return pipe;
  }

  /** The message ended: pipes still waiting for announced dependents never get them. */
  messageEnded(): void {
    if (this.pipes.size) this.pipes.clear();
  }

  /** Session end: fail every open pipe with `reason`. */
  rejectAll(reason: unknown): void {
    for (const p of this.pipes.values()) p.reject(reason);
    this.pipes.clear();
  }
}
