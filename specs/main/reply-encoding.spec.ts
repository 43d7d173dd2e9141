/** Reply encoding on its own: refs are owned by the actor passed in, and an encoding that fails gives its refs back. */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Inspector } from '../../src/actor/inspect.js';
import { spawn } from '../../src/actor/spec.js';
import { type DeadLetter, Supervisor } from '../../src/actor/supervisor.js';
import { RefTable } from '../../src/main/ref-table.js';
import { ReplyEncoder } from '../../src/main/reply-encoding.js';

class Thing {
  ping(): string {
    return 'pong';
  }
}

function setup() {
  const inspector = new Inspector();
  const supervisor = new Supervisor('root', {}, inspector, new Subject<DeadLetter>());
  const a = spawn({ kind: 'module', name: 'a', factory: () => new Thing(), lazy: false, options: {} }, supervisor, inspector);
  const b = spawn({ kind: 'module', name: 'b', factory: () => ({ b: true }), lazy: false, options: {} }, supervisor, inspector);
  const refs = new RefTable(100);
  const sent: any[] = [];
  const encoder = new ReplyEncoder(refs, { closed: false, send: (f) => void sent.push(f) }, 'clone');
  return { a, b, refs, encoder, sent };
}

describe('reply encoding', () => {
  it('enters each by-reference object under the actor passed with that encoding, not under the last one', () => {
    const { a, b, refs, encoder } = setup();
    const wa = encoder.value(new Thing(), a) as unknown[];
    const wb = encoder.value(new Thing(), b) as unknown[];
    expect(refs.get(wa[1] as number)!.actor).toBe(a);
    expect(refs.get(wb[1] as number)!.actor).toBe(b);
    expect(wa.slice(2)).toEqual(['o', ['ping']]);
  });

  it('gives back every ref an encoding added when it fails part-way', () => {
    const { a, refs, encoder } = setup();
    expect(() => encoder.value([new Thing(), new Thing(), Symbol('no')], a)).toThrow(/symbol/);
    expect(refs.size).toBe(0);
  });

  it('gives back the refs of an argument list that cannot travel', () => {
    const { a, refs, encoder } = setup();
    expect(() => encoder.values([new Thing(), Symbol('no')], a)).toThrow();
    expect(refs.size).toBe(0);
  });

  it('sends the owner\'s own instance as a root ref, which survives restarts', () => {
    const { a, refs, encoder } = setup();
    const w = encoder.value(a.instance, a) as unknown[];
    expect(refs.get(w[1] as number)!.root).toBe(true);
    expect(encoder.root(a)[1]).toBe(w[1]);
    expect(refs.get(w[1] as number)!.count).toBe(2);
  });

  it('refuses to send an object by reference when no actor owns the encoding', () => {
    const { refs, encoder } = setup();
    expect(() => encoder.value(new Thing(), undefined)).toThrow(/outside a call/);
    expect(refs.size).toBe(0);
  });

  it('sends a promise as a marker and settles it later in an ok frame, with refs owned by the same actor', async () => {
    const { a, refs, encoder, sent } = setup();
    const w = encoder.value({ later: Promise.resolve(new Thing()) }, a) as unknown[];
    expect(w).toEqual(['o', 'later', ['p', -1]]);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([{ t: 'ok', id: -1, v: ['r', 1, 'o', ['ping']] }]);
    expect(refs.get(1)!.actor).toBe(a);
  });

  it('gives back the refs of a value discarded before it was sent', () => {
    const { a, refs, encoder } = setup();
    const w = encoder.value({ x: new Thing(), list: [new Thing()] }, a);
    expect(refs.size).toBe(2);
    encoder.discard(w);
    expect(refs.size).toBe(0);
  });
});
