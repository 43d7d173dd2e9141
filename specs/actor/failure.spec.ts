/**
 * Unit spec of `src/actor/failure.ts` and the actor's total reading of failures: no failure
 * value (see specs/hardening/hostile-values.ts) can make a description, the caller-fault test,
 * a restart or a strategy function throw out of the actor.
 */
import { describe, expect, it } from 'vitest';
import { describeFailure, isCallerFault } from '../../src/actor/failure.js';
import { errors } from '../../src/errors.js';
import { HOSTILE } from '../hardening/hostile-values.js';
import { send, tree } from './support.js';

describe('failure reading', () => {
  it('describes every hostile value as a string, and none of them is a caller fault', () => {
    for (const [name, make] of HOSTILE) {
      const v = make();
      expect(typeof describeFailure(v), name).toBe('string');
      expect(describeFailure(v).length, name).toBeLessThanOrEqual(1100);
      expect(isCallerFault(v), name).toBe(false);
    }
  });

  it('keeps the CODE: message form and reads caller faults from the code table', () => {
    expect(describeFailure(errors.unknownAction({ action: 'x', known: [] }))).toBe('E_UNKNOWN_ACTION: Unknown action "x": this state actor has no actions.');
    expect(describeFailure(new TypeError('t'))).toBe('TypeError: t');
    expect(describeFailure('text')).toBe('text');
    expect(isCallerFault(errors.invalidArgs({ what: 'bad' }))).toBe(true);
    expect(isCallerFault(errors.actorDeadline({ actor: 'a', ms: 1 }))).toBe(false);
  });
});

describe('an actor failing with hostile values', () => {
  it('restarts and runs again for every hostile failure under strategy restart', async () => {
    const { actor, events } = tree();
    const a = actor('module/h', () => ({}), { supervision: { strategy: 'restart', maxRestarts: 1000 } });
    for (const [name, make] of HOSTILE) {
      const m = send(a, () => Promise.reject(make()));
      await m.done;
      expect(m.ok, name).toBe(false);
      expect(a.state, name).toBe('running');
    }
    expect(a.incarnation).toBe(HOSTILE.length);
    expect(events.every((e) => e.detail === undefined || typeof e.detail === 'string')).toBe(true);
  });

  it('resumes, and reports it, when the strategy function throws or answers no directive', async () => {
    const { actor, events } = tree();
    const answers: unknown[] = [() => { throw Object.create(null); }, () => 'explode', () => undefined];
    for (const answer of answers) {
      const a = actor(`module/s${answers.indexOf(answer)}`, () => ({}), { supervision: { strategy: answer as never } });
      const m = send(a, () => { throw new Error('x'); });
      await m.done;
      expect(a.state).toBe('running');
    }
    expect(events.filter((e) => e.kind === 'failed' && /strategy/.test(e.detail ?? ''))).toHaveLength(3);
  });
});
