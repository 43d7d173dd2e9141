import { describe, expect, it } from 'vitest';
import { send, tree } from './support.js';

function counter() {
  let n = 0;
  return { inc: () => ++n, crash: (): never => { throw new Error('boom'); } };
}
const restart = { supervision: { strategy: 'restart' as const } };

describe('Supervisor', () => {
  it('restarts only the failed actor in a one-for-one group', () => {
    const { root, actor } = tree();
    const g = root.group('editors', { kind: 'one-for-one' });
    const a = actor('module/a', counter, restart, g);
    const b = actor('module/b', counter, restart, g);
    send(b, (s) => s.inc());
    send(a, (s) => s.crash());
    expect([a.incarnation, b.incarnation]).toEqual([1, 0]);
    expect(send(b, (s) => s.inc()).value).toBe(2);
  });

  it('restarts every actor of an all-for-one group when one fails', () => {
    const { root, actor, events } = tree();
    const g = root.group('pair', { kind: 'all-for-one' });
    const a = actor('module/a', counter, restart, g);
    const b = actor('module/b', counter, restart, g);
    const outside = actor('module/outside', counter, restart);
    send(b, (s) => s.inc());
    send(outside, (s) => s.inc());
    send(a, (s) => s.crash());
    expect([a.incarnation, b.incarnation, outside.incarnation]).toEqual([1, 1, 0]);
    expect(send(b, (s) => s.inc()).value).toBe(1);
    expect(send(outside, (s) => s.inc()).value).toBe(2);
    expect(events.filter((e) => e.kind === 'restarted').map((e) => e.actor).sort()).toEqual(['module/a', 'module/b']);
  });

  it('stops every actor of an all-for-one group when one fails with stop', () => {
    const { root, actor } = tree();
    const g = root.group('pair', { kind: 'all-for-one' });
    const a = actor('module/a', counter, { supervision: { strategy: 'stop' } }, g);
    const b = actor('module/b', counter, {}, g);
    send(a, (s) => s.crash());
    expect([a.state, b.state]).toEqual(['stopped', 'stopped']);
  });

  it('chooses the directive per error with a strategy function', () => {
    const { actor } = tree();
    const a = actor('module/decider', counter, {
      supervision: { strategy: (e) => ((e as Error).message === 'fatal' ? 'stop' : 'resume') },
    });
    send(a, () => { throw new Error('minor'); });
    expect(a.state).toBe('running');
    send(a, () => { throw new Error('fatal'); });
    expect(a.state).toBe('stopped');
  });

  it('passes an escalation up to the group, which restarts its whole subtree', () => {
    const { root, actor, events } = tree();
    const g = root.group('docs', { onEscalation: 'restart' });
    const inner = g.group('inner');
    const a = actor('module/a', counter, { supervision: { strategy: 'escalate' } }, inner);
    const b = actor('module/b', counter, {}, g);
    send(b, (s) => s.inc());
    send(a, (s) => s.crash());
    expect([a.incarnation, b.incarnation]).toEqual([1, 1]);
    expect(send(b, (s) => s.inc()).value).toBe(1);
    expect(events.filter((e) => e.kind === 'escalated').map((e) => e.detail)).toEqual(['to root/docs/inner', 'to root/docs']);
  });

  it('stops the whole group when the group handles an escalation with stop', () => {
    const { root, actor } = tree();
    const g = root.group('g', { onEscalation: 'stop' });
    const a = actor('module/a', counter, { supervision: { strategy: 'escalate' } }, g);
    const b = actor('module/b', counter, {}, g);
    const other = actor('module/other', counter);
    send(a, (s) => s.crash());
    expect([a.state, b.state, other.state]).toEqual(['stopped', 'stopped', 'running']);
  });

  it('stops only the escalating actor at the root, never its siblings', () => {
    const { actor } = tree();
    const a = actor('module/a', counter, { supervision: { strategy: 'escalate' } });
    const b = actor('module/b', counter);
    send(a, (s) => s.crash());
    expect([a.state, b.state]).toEqual(['stopped', 'running']);
  });

  it('stops an escalating group subtree at the root and leaves the rest running', () => {
    const { root, actor } = tree();
    const g = root.group('g'); // onEscalation defaults to escalate
    const a = actor('module/a', counter, { supervision: { strategy: 'restart', maxRestarts: 1 } }, g);
    const b = actor('module/b', counter, {}, g);
    const other = actor('module/other', counter);
    send(a, (s) => s.crash());
    expect(a.state).toBe('running');
    send(a, (s) => s.crash()); // restart intensity exceeded: stop a, escalate to g, then to root
    expect([a.state, b.state, other.state]).toEqual(['stopped', 'stopped', 'running']);
  });

  it('escalates further when the group exceeds its own restart intensity', () => {
    const { root, actor, events } = tree();
    const g = root.group('g', { onEscalation: 'restart', maxRestarts: 2, withinMs: 60_000 });
    const a = actor('module/a', counter, { supervision: { strategy: 'escalate' } }, g);
    const b = actor('module/b', counter, {}, g);
    send(a, (s) => s.crash());
    send(a, (s) => s.crash());
    expect([a.incarnation, b.incarnation]).toEqual([2, 2]);
    send(a, (s) => s.crash());
    expect([a.state, b.state]).toEqual(['stopped', 'stopped']);
    expect(events.some((e) => e.kind === 'failed' && e.detail === 'group restart intensity exceeded')).toBe(true);
  });

  it('revives an actor stopped by its restart intensity when its group restarts', () => {
    const { root, actor } = tree();
    const g = root.group('g', { onEscalation: 'restart' });
    const a = actor('module/a', counter, { supervision: { strategy: 'restart', maxRestarts: 0 } }, g);
    send(a, (s) => s.crash());
    expect(a.state).toBe('running');
    expect(a.incarnation).toBe(1);
    expect(send(a, (s) => s.inc()).value).toBe(1);
  });
});
