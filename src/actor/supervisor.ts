/**
 * Supervisors: groups of actors with a shared failure policy, arranged as a tree.
 *
 * A failing actor's own `supervision.strategy` picks the directive. `restart` under a
 * `one-for-one` group restarts only that actor; under `all-for-one` it restarts every child of
 * the group. Past the restart intensity (`maxRestarts` within `withinMs`) the actor is
 * stopped and the failure escalates to the group, which applies its own directive to the
 * whole group, and so on up to the root, where escalation stops the actor and reports it.
 * @packageDocumentation
 */
import { Subject } from 'rxjs';
import type { Actor, Directive, Envelope } from './actor.js';
import type { Inspector } from './inspect.js';

/** A message that could not be delivered. */
export interface DeadLetter {
  /** Path of the actor it was for (or the ref it named). */
  readonly actor: string;
  readonly session?: string;
  readonly id?: number;
  readonly op?: string;
  /** Why it was not delivered: `stopped`, `missing`, `closed`. */
  readonly reason: string;
}

/** Options of a supervisor group. */
export interface SupervisorOptions {
  /** `one-for-one` (default): a restart touches only the failed child. `all-for-one`: every child restarts. */
  kind?: 'one-for-one' | 'all-for-one';
  /** What the group does when a child escalates. Default `escalate` (pass it up). */
  onEscalation?: Exclude<Directive, 'resume'>;
}

/** A node of the supervision tree. */
export class Supervisor {
  private readonly children = new Set<Actor>();
  private readonly groups = new Set<Supervisor>();

  constructor(
    readonly name: string,
    readonly options: SupervisorOptions,
    private readonly inspector: Inspector,
    private readonly deadLetters: Subject<DeadLetter>,
    readonly parent?: Supervisor,
  ) {
    parent?.groups.add(this);
  }

  /** A child group of this supervisor. */
  group(name: string, options: SupervisorOptions = {}): Supervisor {
    return new Supervisor(`${this.name}/${name}`, options, this.inspector, this.deadLetters, this);
  }

  /** Register an actor as a child (called by the Actor constructor). */
  adopt(actor: Actor): void {
    this.children.add(actor);
  }

  /** Forget a child (when its exposure is withdrawn). */
  release(actor: Actor): void {
    this.children.delete(actor);
  }

  /** The actors directly under this supervisor. */
  get actors(): ReadonlySet<Actor> {
    return this.children;
  }

  /** Report an undeliverable message. */
  deadLetter(actor: Actor | string, env: Pick<Envelope, 'session' | 'id' | 'op'>, reason: string): void {
    const path = typeof actor === 'string' ? actor : actor.path;
    this.inspector.emit('dead-letter', { actor: path, session: env.session, id: env.id, op: env.op, detail: reason });
    if (this.deadLetters.observed) this.deadLetters.next({ actor: path, session: env.session, id: env.id, op: env.op, reason });
  }

  /** A child's message failed: apply the child's directive. */
  childFailed(child: Actor, error: unknown): void {
    if (child.state === 'stopped') return;
    const directive = child.decide(error);
    switch (directive) {
      case 'resume':
        return;
      case 'stop':
        child.stop(error);
        return;
      case 'escalate':
        this.childEscalated(child, error);
        return;
      case 'restart':
        if (!child.allowRestart()) {
          child.stop(error);
          this.childEscalated(child, error);
          return;
        }
        if (this.options.kind === 'all-for-one') {
          for (const sibling of this.children) if (sibling.state !== 'stopped') sibling.restart(error);
        } else {
          child.restart(error);
        }
        return;
    }
  }

  /** A child (actor or group) escalated: apply this group's escalation directive. */
  childEscalated(child: Actor | Supervisor, error: unknown): void {
    const path = 'path' in child ? child.path : child.name;
    this.inspector.emit('escalated', { actor: path, detail: `to ${this.name}` });
    const directive = this.options.onEscalation ?? 'escalate';
    if (directive === 'escalate' && this.parent) {
      this.parent.childEscalated(this, error);
      return;
    }
    if (directive === 'restart') {
      for (const a of this.all()) if (a.state !== 'stopped' || a === child) this.revive(a, error);
      return;
    }
    // 'stop', or escalation reaching the root: stop the escalating child (and, for a group, all of it).
    if ('path' in child) child.stop(error);
    else for (const a of child.all()) a.stop(error);
  }

  private revive(a: Actor, error: unknown): void {
    if (a.state === 'stopped') {
      a.state = 'restarting';
    }
    a.restart(error);
  }

  /** Every actor in this subtree. */
  *all(): Iterable<Actor> {
    yield* this.children;
    for (const g of this.groups) yield* g.all();
  }
}
