import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker } from '../../src/entries/main.js';
import { until } from '../support/workers.js';
import { codeOf, renderer } from './renderers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

function editor() {
  let n = 0;
  return {
    inc: () => ++n,
    crash: (): never => {
      throw new Error('editor crashed');
    },
  };
}

describe('session isolation', () => {
  it("leaves other sessions' actors untouched when one session's actor fails and stops", async () => {
    const broker = createBroker();
    const scoped = broker.exposeModule('editor', editor, { scope: 'session', supervision: { strategy: 'stop' } });
    const a = await renderer(broker, workers, 'a');
    const b = await renderer(broker, workers, 'b');
    expect((await a.call('editor', 'inc')).value).toBe(1);
    expect((await b.burst('editor', ['inc'], ['inc'])).map((o) => o.value)).toEqual([1, 2]);
    expect((await a.call('editor', 'crash')).error).toMatchObject({ message: 'editor crashed' });
    expect(codeOf(await a.call('editor', 'inc'))).toBe('E_ACTOR_STOPPED');
    expect((await b.call('editor', 'inc')).value).toBe(3);
    const actorA = scoped.actorFor(a.session)!;
    const actorB = scoped.actorFor(b.session)!;
    expect(actorA.path).toBe(`module/editor@${a.session.id}`);
    expect([actorA.state, actorB.state, actorB.incarnation]).toEqual(['stopped', 'running', 0]);
  });

  it("restarts only the failing session's actor, keeping the other session's state", async () => {
    const broker = createBroker();
    const scoped = broker.exposeModule('editor', editor, { scope: 'session', supervision: { strategy: 'restart' } });
    const a = await renderer(broker, workers, 'a');
    const b = await renderer(broker, workers, 'b');
    await Promise.all([a.burst('editor', ['inc'], ['inc']), b.burst('editor', ['inc'], ['inc'])]);
    const out = await a.burst('editor', ['crash'], ['inc']);
    expect(out[1]!.value).toBe(1);
    expect((await b.call('editor', 'inc')).value).toBe(3);
    expect([scoped.actorFor(a.session)!.incarnation, scoped.actorFor(b.session)!.incarnation]).toEqual([1, 0]);
  });

  it("confines a shared actor's failure to that actor: modules other sessions use keep running", async () => {
    const broker = createBroker();
    const left = broker.exposeModule('left', editor, { supervision: { strategy: 'escalate' } });
    const right = broker.exposeModule('right', editor, { supervision: { strategy: 'restart' } });
    const a = await renderer(broker, workers, 'a');
    const b = await renderer(broker, workers, 'b');
    expect((await b.burst('right', ['inc'], ['inc'])).map((o) => o.value)).toEqual([1, 2]);
    await a.call('left', 'crash');
    expect(left.state).toBe('stopped');
    expect((await b.call('right', 'inc')).value).toBe(3);
    expect(right.incarnation).toBe(0);
  });

  it("stops a session's own actors when that session closes", async () => {
    const broker = createBroker();
    const scoped = broker.exposeModule('editor', editor, { scope: 'session' });
    const a = await renderer(broker, workers, 'a');
    const b = await renderer(broker, workers, 'b');
    await a.call('editor', 'inc');
    await b.call('editor', 'inc');
    const actorA = scoped.actorFor(a.session)!;
    await a.w.terminate();
    await until(() => actorA.state === 'stopped', 5000, 'session actor stop');
    expect(scoped.actorFor(a.session)).toBeUndefined();
    expect(broker.supervisor.actors.has(actorA)).toBe(false);
    expect((await b.call('editor', 'inc')).value).toBe(2);
  });

  it('keeps existing session actors of a withdrawn session-scoped module until their session closes', async () => {
    const broker = createBroker();
    const scoped = broker.exposeModule('editor', editor, { scope: 'session' });
    const a = await renderer(broker, workers, 'a');
    await a.call('editor', 'inc');
    const actorA = scoped.actorFor(a.session)!;
    broker.withdraw('module', 'editor');
    expect((await a.call('editor', 'inc')).value).toBe(2);
    const b = await renderer(broker, workers, 'b');
    expect(codeOf(await b.call('editor', 'inc'))).toBe('E_DENIED');
    await a.w.terminate();
    await until(() => actorA.state === 'stopped', 5000, 'session actor stop');
    expect(broker.supervisor.actors.size).toBe(0);
  });
});
