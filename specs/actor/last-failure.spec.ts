/**
 * An actor keeps its last failure of its own (what the inspector shows for failures that
 * happened before a page attached), names the member a message used on its inspection events,
 * and builds none of that while nobody observes `inspect$`.
 */
import { describe, expect, it } from 'vitest';
import { Actor, type Envelope } from '../../src/actor/actor.js';
import { type InspectEvent, Inspector } from '../../src/actor/inspect.js';
import { Supervisor } from '../../src/actor/supervisor.js';
import { errors } from '../../src/errors.js';
import { Subject } from 'rxjs';

/** A bare tree whose inspector nobody observes (unlike support.ts's `tree()`), on a clock the spec drives. */
function unobserved() {
  let t = 1000;
  const inspector = new Inspector(() => t);
  const root = new Supervisor('root', { kind: 'one-for-one', onEscalation: 'stop' }, inspector, new Subject());
  const actor = (factory: () => unknown, strategy: 'resume' | 'restart' = 'resume') => {
    const a = new Actor('module/m', factory, { supervision: { strategy } }, root, inspector);
    a.ensureStarted();
    return a;
  };
  return { inspector, actor, tick: (ms: number) => (t += ms) };
}

function envelope(run: () => unknown, method?: () => string): Envelope & { reads: number; outcome?: 'ok' | 'fail' } {
  const env = {
    reads: 0,
    outcome: undefined as 'ok' | 'fail' | undefined,
    session: 's1',
    id: 1,
    op: 'apply',
    get method() {
      env.reads++;
      return method?.();
    },
    run,
    reply: () => void (env.outcome = 'ok'),
    fail: () => void (env.outcome = 'fail'),
  };
  return env;
}

describe('Actor.lastFailure', () => {
  it('records a failing message with its description and time though nobody observes inspect$', () => {
    const { inspector, actor, tick } = unobserved();
    const a = actor(() => ({}));
    expect(a.lastFailure).toBeUndefined();
    tick(5);
    a.tell(envelope(() => { throw Object.assign(new Error('kaboom'), { code: 'EBOOM' }); }));
    expect(inspector.active).toBe(false);
    expect(a.lastFailure).toEqual({ detail: 'EBOOM: kaboom', at: 1005 });
  });

  it('describes a hostile thrown value without throwing', () => {
    const { actor } = unobserved();
    const a = actor(() => ({}));
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const env = envelope(() => { throw proxy; });
    a.tell(env);
    expect(env.outcome).toBe('fail');
    expect(typeof a.lastFailure!.detail).toBe('string');
  });

  it('keeps the failure across the restart it caused, and records a failed restart', () => {
    const { actor } = unobserved();
    let made = 0;
    const a = actor(() => {
      if (++made === 3) throw new Error('no more');
      return {};
    }, 'restart');
    a.tell(envelope(() => { throw new Error('first'); }));
    expect(a.incarnation).toBe(1);
    expect(a.lastFailure!.detail).toContain('first');
    a.tell(envelope(() => { throw new Error('second'); }));
    expect(a.state).toBe('stopped');
    expect(a.lastFailure!.detail).toMatch(/^restart failed: .*no more/);
  });

  it("does not record a caller's fault (it is not the actor's failure)", () => {
    const { actor } = unobserved();
    const a = actor(() => ({}));
    a.tell(envelope(() => { throw errors.denied('x'); }));
    expect(a.lastFailure).toBeUndefined();
  });
});

describe('inspection events of a message', () => {
  it('name the member on started, replied and failed, and read it only while observed', () => {
    const { inspector, actor } = unobserved();
    const a = actor(() => ({}));
    const quiet = envelope(() => 1, () => 'add');
    a.tell(quiet);
    expect(quiet.outcome).toBe('ok');
    expect(quiet.reads).toBe(0);

    const events: InspectEvent[] = [];
    const sub = inspector.events$.subscribe((e) => events.push(e));
    a.tell(envelope(() => 1, () => 'add'));
    a.tell(envelope(() => { throw new Error('x'); }, () => 'boom'));
    sub.unsubscribe();
    expect(events.filter((e) => e.actor === 'module/m' && e.session === 's1').map((e) => [e.kind, e.method])).toEqual([
      ['started', 'add'], ['replied', 'add'], ['started', 'boom'], ['failed', 'boom'],
    ]);
  });
});
