/** Helpers for unit specs of the actor system: a bare supervision tree and test envelopes. */
import { Subject } from 'rxjs';
import { Actor, type ActorOptions, type Envelope } from '../../src/actor/actor.js';
import { type InspectEvent, Inspector } from '../../src/actor/inspect.js';
import { type DeadLetter, Supervisor, type SupervisorOptions } from '../../src/actor/supervisor.js';

/** A root supervisor (like the broker's) with recorded inspection events and dead letters. */
export function tree(rootOptions: SupervisorOptions = { kind: 'one-for-one', onEscalation: 'stop' }) {
  const inspector = new Inspector();
  const deadLetters = new Subject<DeadLetter>();
  const events: InspectEvent[] = [];
  const dead: DeadLetter[] = [];
  inspector.events$.subscribe((e) => events.push(e));
  deadLetters.subscribe((d) => dead.push(d));
  const root = new Supervisor('root', rootOptions, inspector, deadLetters);
  const actor = <T>(path: string, factory: () => T, options: ActorOptions = {}, sup: Supervisor = root): Actor => {
    const a = new Actor(path, factory, options, sup, inspector);
    a.ensureStarted();
    return a;
  };
  return { inspector, root, events, dead, actor, kinds: () => events.map((e) => e.kind) };
}

/** An envelope running `fn` on the instance, with its outcome as a settled record. */
export function send<R>(actor: Actor, fn: (instance: any) => R, meta: { session?: string; id?: number; op?: string } = {}) {
  const outcome: { settled: boolean; ok?: boolean; value?: unknown; error?: any } = { settled: false };
  const promise = new Promise<void>((resolve) => {
    const env: Envelope = {
      ...meta,
      run: (instance) => fn(instance),
      reply: (value) => {
        Object.assign(outcome, { settled: true, ok: true, value });
        resolve();
      },
      fail: (error) => {
        Object.assign(outcome, { settled: true, ok: false, error });
        resolve();
      },
    };
    actor.tell(env);
  });
  return Object.assign(outcome, { done: promise });
}

/** A promise with its resolver, to hold a handler open. */
export function gate<T = void>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}
