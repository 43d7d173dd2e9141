/**
 * A Session driven directly, without a broker: a minimal SessionHost (limits, inspector,
 * supervisor, a name-to-actor table) and the renderer end of a memory pair speaking raw
 * frames, so the unit specs read what main sends frame by frame.
 */
import { Subject } from 'rxjs';
import type { Actor } from '../../src/actor/actor.js';
import { type InspectEvent, Inspector } from '../../src/actor/inspect.js';
import { spawn } from '../../src/actor/spec.js';
import { type DeadLetter, Supervisor } from '../../src/actor/supervisor.js';
import { RemoraError } from '../../src/errors.js';
import { defaultLimits, type Limits } from '../../src/main/limits.js';
import { Session, type SessionHost } from '../../src/main/session.js';
import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import { createMemoryPair } from '../../src/transports/memory.js';

/** A session over a memory pair, its host's records, and a raw renderer end. */
export function openSession(modules: Record<string, () => unknown> = {}, limits: Partial<Limits> = {}) {
  const inspector = new Inspector();
  const events: InspectEvent[] = [];
  inspector.events$.subscribe((e) => events.push(e));
  const supervisor = new Supervisor('root', { kind: 'one-for-one', onEscalation: 'stop' }, inspector, new Subject<DeadLetter>());
  const actors = new Map<string, Actor>();
  for (const [name, factory] of Object.entries(modules)) actors.set(name, spawn({ kind: 'module', name, factory, lazy: true, options: {} }, supervisor, inspector));
  const ended: Session[] = [];
  let ids = 0;
  const host: SessionHost = {
    limits: { ...defaultLimits, ...limits },
    inspector,
    supervisor,
    nextSessionId: () => `t${++ids}`,
    lookup: (_s, kind, name) => {
      const a = kind === 'require' ? actors.get(name) : undefined;
      if (!a) throw new RemoraError('E_DENIED', `Denied: ${name} is not exposed.`);
      return a;
    },
    sessionEnded: (s) => void ended.push(s),
  };
  const { main, renderer } = createMemoryPair();
  const session = new Session(host, main);
  /** Every message main sent, in order (a batch stays one message). */
  const messages: any[] = [];
  const waiters: (() => void)[] = [];
  renderer.messages$.subscribe((m) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  /** The frames of every message so far, batches unpacked. */
  const frames = (): any[] => messages.flatMap((m) => (m?.t === 'batch' ? m.f : [m]));
  /** Let a few ticks pass: what main sends in answer has arrived, and nothing more is coming. */
  const settle = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, 5));
  };
  const send = (frame: unknown): void => renderer.send(frame);
  const hello = async (): Promise<void> => {
    send({ t: 'hello', v: PROTOCOL_VERSION, gen: 1 });
    await settle();
  };
  /** The frame answering request `id`, once it arrived. */
  const reply = async (id: number): Promise<any> => {
    for (let i = 0; i < 100; i++) {
      const f = frames().find((x) => (x.t === 'ok' || x.t === 'fail') && x.id === id);
      if (f) return f;
      await settle();
    }
    throw new Error(`no reply to ${id}`);
  };
  return { session, host, events, ended, messages, frames, settle, send, hello, reply, renderer, actors, supervisor, inspector };
}
