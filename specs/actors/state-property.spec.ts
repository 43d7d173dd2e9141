/**
 * Property: whatever three renderers dispatch, interleaved, with random resyncs and fresh
 * replicas, every replica ends equal to main's state at main's version, and every update
 * keeps the identity of the subtrees main kept.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ActionsOf } from '../../actors/state-actor.js';
import { isDeepFrozen } from '../fixtures/state-frozen.js';
import { createBroker } from '../../src/entries/main.js';
import { connect, connectState, replica, type RemoraClient, type Replica } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { createListActor, LISTS, type ListActor, type ListState } from '../fixtures/state-list.js';
import { until } from '../support/workers.js';

type ListReplica = Replica<ListState, ActionsOf<ListActor>>;
type Action = { name: string; args: unknown[]; fails?: string };
type Command =
  | { t: 'dispatch'; r: number; action: Action }
  | { t: 'main'; action: Action }
  | { t: 'resync'; r: number }
  | { t: 'replace'; r: number }
  | { t: 'tick' };

const list = fc.constantFrom(...LISTS);
const index = fc.integer({ min: 0, max: 4 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(list, fc.string({ maxLength: 6 })).map(([l, s]): Action => ({ name: 'add', args: [l, s] })) },
  { weight: 3, arbitrary: fc.tuple(list, index).map(([l, i]): Action => ({ name: 'toggle', args: [l, i] })) },
  { weight: 2, arbitrary: fc.tuple(list, index).map(([l, i]): Action => ({ name: 'remove', args: [l, i] })) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }).map((s): Action => ({ name: 'rename', args: [s] })) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 3 }).map((n): Action => ({ name: 'bump', args: [n] })) },
  { weight: 1, arbitrary: fc.constant<Action>({ name: 'boom', args: ['no'], fails: 'E_TARGET_THREW' }) },
  { weight: 1, arbitrary: fc.constant<Action>({ name: 'teleport', args: [], fails: 'E_UNKNOWN_ACTION' }) },
  { weight: 1, arbitrary: fc.constant<Action>({ name: 'add', args: ['z', 1], fails: 'E_INVALID_ARGS' }) },
);
const renderer = fc.integer({ min: 0, max: 2 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(renderer, action).map(([r, a]) => ({ t: 'dispatch' as const, r, action: a })) },
  { weight: 2, arbitrary: action.map((a) => ({ t: 'main' as const, action: a })) },
  { weight: 1, arbitrary: renderer.map((r) => ({ t: 'resync' as const, r })) },
  { weight: 1, arbitrary: renderer.map((r) => ({ t: 'replace' as const, r })) },
  { weight: 2, arbitrary: fc.constant({ t: 'tick' as const }) },
);

const at = (o: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), o);

/** The subtrees whose identity the property checks. */
function paths(s: ListState): (string | number)[][] {
  const out: (string | number)[][] = [['lists'], ['meta']];
  for (const l of LISTS) {
    out.push(['lists', l]);
    for (let i = 0; i < s.lists[l].length; i++) out.push(['lists', l, i]);
  }
  return out;
}

async function run(commands: Command[]): Promise<void> {
  const broker = createBroker();
  const store = createListActor();
  store.expose(broker, 'list');
  const history = new Map<number, ListState>([[0, store.state]]);
  store.changes$.subscribe((c) => history.set(c.version, c.state));
  const violations: string[] = [];

  const watch = (r: ListReplica, who: string): ListReplica => {
    r.changes$.subscribe({ error: () => undefined, next: (c) => {
      if (c.kind !== 'patch' || !c.previous) return;
      const mainPrev = history.get(c.previous.version);
      const mainNext = history.get(c.version);
      if (!mainPrev || !mainNext) {
        violations.push(`${who}: version ${c.previous.version}->${c.version} unknown to main`);
        return;
      }
      for (const p of paths(mainPrev)) {
        const kept = at(mainPrev, p);
        if (kept === undefined || kept !== at(mainNext, p)) continue;
        if (at(c.previous.state, p) !== at(c.state, p)) violations.push(`${who}: ${p.join('.')} lost its identity in ${c.previous.version}->${c.version}`);
      }
    } });
    return r;
  };

  const clients: RemoraClient[] = [];
  const handles: unknown[] = [];
  const replicas: ListReplica[] = [];
  for (let i = 0; i < 3; i++) {
    const { main, renderer: end } = createMemoryPair();
    broker.connect(main);
    const client = connect(end, { name: `r${i}` });
    clients.push(client);
    handles.push(await client.getGlobal('list'));
    replicas.push(watch(await connectState<ListActor>(client, 'list'), `r${i}`));
  }

  const outcomes: Promise<void>[] = [];
  const expectOutcome = (p: Promise<number>, a: Action, who: string, r?: ListReplica): void => {
    outcomes.push(
      p.then(
        (v) => {
          if (a.fails) violations.push(`${who}: ${a.name} should have failed with ${a.fails}`);
          if (r && !r.closed && r.version < v) violations.push(`${who}: dispatch settled at v${v} but the replica is at v${r.version}`);
        },
        (e: { remoraCode?: string; code?: string }) => {
          // Main-side callers get a throwing recipe's own error; renderers get it as E_TARGET_THREW.
          const got = e.remoraCode ?? (e.code === 'EBOOM' ? 'E_TARGET_THREW' : e.code);
          if (got !== a.fails) violations.push(`${who}: ${a.name} failed with ${got}, expected ${a.fails ?? 'success'}`);
        },
      ),
    );
  };

  for (const c of commands) {
    switch (c.t) {
      case 'dispatch': {
        const r = replicas[c.r]!;
        const dispatch = r.dispatch as (name: string, ...args: unknown[]) => Promise<number>;
        expectOutcome(dispatch(c.action.name, ...c.action.args), c.action, `r${c.r}`, r);
        break;
      }
      case 'main': {
        const dispatch = store.dispatch as (name: string, ...args: unknown[]) => Promise<number>;
        expectOutcome(dispatch(c.action.name, ...c.action.args), c.action, 'main');
        break;
      }
      case 'resync':
        replicas[c.r]!.resync();
        break;
      case 'replace':
        replicas[c.r]!.close();
        replicas[c.r] = watch(replica<ListActor>(handles[c.r]), `r${c.r}'`);
        break;
      case 'tick':
        await new Promise((res) => setImmediate(res));
        break;
    }
  }
  await Promise.all(outcomes);
  await until(() => replicas.every((r) => r.version === store.version), 5000, 'replicas to converge');
  for (const [i, r] of replicas.entries()) {
    expect(r.version, `r${i} version`).toBe(store.version);
    expect(r.state, `r${i} state`).toEqual(store.state);
    expect(isDeepFrozen(r.state), `r${i} state frozen`).toBe(true);
  }
  expect(isDeepFrozen(store.state), 'main state frozen').toBe(true);
  expect(violations).toEqual([]);
  await until(() => store.subscriberCount === 3, 2000, 'closed replicas to unsubscribe');
  for (const client of clients) client.close();
  await until(() => store.subscriberCount === 0, 2000, 'sessions to end');
}

describe('state actor replicas (property)', () => {
  it('converge on main\'s state and version, keeping untouched subtrees, under random interleavings', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), run), { numRuns: 60 });
  });
});
