import { describe, expect, it } from 'vitest';
import {
  batchFrame, framesOf, issue, messageOf, parseMainFrame, parseRendererFrame, PROTOCOL_VERSION, toMain, toRenderer,
  type MainFrame, type RendererFrame,
} from '../../src/protocol/frames.js';

describe('frame builders', () => {
  const onRef = { ref: 1, path: ['a', 'b'] };
  const onCall = { on: 2, path: [] as string[] };

  const renderer: Array<[string, RendererFrame]> = [
    ['hello', toMain.hello(0)],
    ['hello with a name', toMain.hello(3, 'win-1')],
    ['get on a ref', issue(toMain.get(onRef), 10)],
    ['get pipelined on a call', issue(toMain.get(onCall), 11)],
    ['blocking get', issue(toMain.get(onRef), 12, { s: 1 })],
    ['set', issue(toMain.set(onRef, ['u']), 13)],
    ['apply with pipelined dependents', issue(toMain.apply(onRef, [1, 'x']), 14, { k: 2 })],
    ['new', issue(toMain.new(onRef, []), 15)],
    ['require', issue(toMain.require('fs'), 16)],
    ['global', issue(toMain.global('config'), 17)],
    ['current', issue(toMain.current('window'), 18)],
    ['sub on an Observable', issue(toMain.sub(onRef), 19)],
    ['sub to an event', issue(toMain.sub(onRef, { event: 'change' }), 20)],
    ['sub with args', issue(toMain.sub(onRef, { args: [] }), 21)],
    ['unsub', toMain.unsub(19)],
    ['ack', toMain.ack(19, 4)],
    ['cancel', toMain.cancel(14)],
    ['release', toMain.release([1, 2, 3, 1])],
  ];

  it.each(renderer)('builds a %s frame that parseRendererFrame accepts unchanged', (_name, frame) => {
    const carried = structuredClone(frame);
    expect(parseRendererFrame(carried)).toEqual(frame);
  });

  it('builds the handshake with the current protocol version', () => {
    expect(toMain.hello(0)).toEqual({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 });
    expect(toRenderer.welcome('s1', 2)).toEqual({ t: 'welcome', v: PROTOCOL_VERSION, session: 's1', gen: 2 });
  });

  it('gives a draft its id, blocking flag and pipeline count when issued', () => {
    expect(issue(toMain.apply({ ref: 5, path: ['f'] }, []), 7, { s: 1, k: 3 })).toEqual({ t: 'apply', ref: 5, path: ['f'], args: [], id: 7, s: 1, k: 3 });
  });

  const main: Array<[string, MainFrame]> = [
    ['welcome', toRenderer.welcome('abc', 0)],
    ['ok', toRenderer.ok(1, ['o', 'a', 1])],
    ['ok of a detached promise', toRenderer.ok(-3, null)],
    ['fail', toRenderer.fail(2, ['e', 'Error', 'boom', '', null, null])],
    ['cb', toRenderer.cb(4, [1])],
    ['cbfree', toRenderer.cbfree([4, 1, 5, 2])],
    ['next', toRenderer.next(6, [1, 2, 3])],
    ['error', toRenderer.error(6, ['e', 'Error', 'x', '', null, null])],
    ['complete', toRenderer.complete(6)],
    ['bye', toRenderer.bye('shutting down')],
    ['bye with a code', toRenderer.bye('gone', 'E_CLOSED')],
    ['version mismatch', toRenderer.versionMismatch(1)],
  ];

  it.each(main)('builds a %s frame that parseMainFrame accepts unchanged', (_name, frame) => {
    expect(parseMainFrame(structuredClone(frame))).toEqual(frame);
  });

  it('sends one frame as itself and several as a batch, and splits them back', () => {
    const one = [toMain.cancel(1)];
    const two = [toMain.cancel(1), toMain.unsub(2)];
    expect(messageOf(one)).toBe(one[0]);
    expect(messageOf(two)).toEqual({ t: 'batch', f: two });
    expect(framesOf(messageOf(two))).toEqual(two);
    expect(framesOf(messageOf(one))).toEqual(one);
    expect(batchFrame(two).f).toBe(two);
  });
});
