/**
 * Supervisors: groups of actors with a shared failure policy, arranged as a tree.
 *
 * A failing actor's own `supervision.strategy` picks the directive (Pekko: the decider).
 * Under a `one-for-one` group the directive touches only the failed actor; under
 * `all-for-one` `restart` and `stop` apply to every actor of the group (OTP `all_for_one`,
 * Pekko `AllForOneStrategy`). Past an actor's restart intensity (`maxRestarts` within
 * `withinMs`) the actor is stopped and the failure escalates to its group.
 *
 * A group handles an escalation with its `onEscalation` directive: `restart` restarts every
 * actor of its subtree (bounded by the group's own intensity; beyond it the group escalates),
 * `stop` stops its whole subtree, `escalate` (default) passes the failure to its parent as the
 * failure of the whole group. The root never stops itself: an escalation reaching it stops
 * the escalating actor or group subtree only, so one failing service cannot take down the
 * broker or unrelated actors.
 * @packageDocumentation
 */
import { Subject } from 'rxjs';
import type { Actor, ActorParent, MessageMeta } from './actor.js';
import type { Inspector } from './inspect.js';
import { type Directive, RestartIntensity } from './restart-policy.js';

/** A message that could not be delivered. */
export interface DeadLetter {
  /** Path of the actor it was for (or the ref it named). */
  readonly actor: string;
  /** Session id of the sender. */
  readonly session?: string;
  /** Request id within the session. */
  readonly id?: number;
  /** Operation (`get`, `apply`, `require`, ...). */
  readonly op?: string;
  /** Why it was not delivered: `stopped` (the actor was stopped) or `missing` (the session holds no such ref). */
  readonly reason: string;
}

/** Options of a supervisor group. */
export interface SupervisorOptions {
  /**
   * `one-for-one` (default): a directive touches only the failed child. `all-for-one`:
   * `restart` and `stop` apply to every child of the group.
   */
  kind?: 'one-for-one' | 'all-for-one';
  /**
   * What the group does when a child escalates (or exceeds its restart intensity):
   * `restart` its whole subtree, `stop` its whole subtree, or `escalate` (default) to the parent.
   */
  onEscalation?: Exclude<Directive, 'resume'>;
  /** Intensity of `onEscalation: 'restart'`: at most this many group restarts within `withinMs`, then escalate. Default 3. */
  maxRestarts?: number;
  /** Window of the group's restart intensity. Default 5000 ms. */
  withinMs?: number;
}

/** A node of the supervision tree. Create groups with `broker.group(name, options)`. */
export class Supervisor implements ActorParent {
  private readonly children = new Set<Actor>();
  private readonly groups = new Set<Supervisor>();
  /** Bounds `onEscalation: 'restart'` (the same mechanism an actor's own restarts use). */
  private readonly intensity: RestartIntensity;

  constructor(
    /** Path of the group, e.g. `root/editors`. */
    readonly name: string,
    /** The group's policy. */
    readonly options: SupervisorOptions,
    private readonly inspector: Inspector,
    private readonly deadLetters: Subject<DeadLetter>,
    /** The parent group; `undefined` for the root. */
    readonly parent?: Supervisor,
  ) {
    this.intensity = new RestartIntensity(options.maxRestarts ?? 3, options.withinMs ?? 5000, inspector.now);
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

  /** The groups directly under this supervisor (the inspector draws the tree from them). */
  get subgroups(): ReadonlySet<Supervisor> {
    return this.groups;
  }

  /** Report an undeliverable message on `deadLetters$` and `inspect$`. */
  deadLetter(actor: Actor | string, env: MessageMeta, reason: string): void {
    const path = typeof actor === 'string' ? actor : actor.path;
    this.inspector.emit('dead-letter', { actor: path, session: env.session, id: env.id, op: env.op, detail: reason });
    if (this.deadLetters.observed) this.deadLetters.next({ actor: path, session: env.session, id: env.id, op: env.op, reason });
  }

  /** A child's message failed: apply the child's directive. */
  childFailed(child: Actor, error: unknown): void {
    if (child.state !== 'running') return;
    const directive = child.decide(error);
    const allForOne = this.options.kind === 'all-for-one';
    switch (directive) {
      case 'resume':
        return;
      case 'stop':
        if (allForOne) for (const sibling of this.children) sibling.stop(error);
        else child.stop(error);
        return;
      case 'escalate':
        this.childEscalated(child, error);
        return;
      case 'restart':
        if (!child.allowRestart()) {
          this.inspector.emit('failed', { actor: child.path, detail: 'restart intensity exceeded' });
          child.stop(error);
          this.childEscalated(child, error);
          return;
        }
        if (allForOne) {
          for (const sibling of this.children) sibling.restart(error);
        } else {
          child.restart(error);
        }
        return;
    }
  }

  /** A child (actor or group) escalated a failure to this group: apply `onEscalation`. */
  childEscalated(child: Actor | Supervisor, error: unknown): void {
    const path = child instanceof Supervisor ? child.name : child.path;
    this.inspector.emit('escalated', { actor: path, detail: `to ${this.name}` });
    let directive = this.options.onEscalation ?? 'escalate';
    if (directive === 'restart' && !this.intensity.allow()) {
      this.inspector.emit('failed', { actor: this.name, detail: 'group restart intensity exceeded' });
      directive = this.parent ? 'escalate' : 'stop';
      if (this.parent) for (const a of this.all()) a.stop(error);
    }
    if (directive === 'escalate' && this.parent) {
      this.parent.childEscalated(this, error);
      return;
    }
    if (directive === 'restart') {
      for (const a of this.all()) a.revive(error);
      return;
    }
    // `stop` (or escalation reaching the root): a group stops its whole subtree; the root
    // stops only the escalating child's subtree and carries on.
    const victims = this.parent ? this.all() : child instanceof Supervisor ? child.all() : [child];
    for (const a of victims) a.stop(error);
  }

  /** Every actor in this subtree. */
  *all(): Iterable<Actor> {
    yield* this.children;
    for (const g of this.groups) yield* g.all();
  }
}
