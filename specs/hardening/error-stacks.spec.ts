/**
 * Errors sent to a page carry main's stack only when the broker allows it (`errorStacks`):
 * under `strip` (the default when NODE_ENV is production) no frame or file path of main
 * reaches the renderer, for thrown errors, non-errors, remora's own errors and stream errors.
 */
import type { Worker } from 'node:worker_threads';
import { throwError } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker, type BrokerOptions } from '../../src/entries/main.js';
import { hostileRenderer, type Outcome } from './support.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const api = () => ({
  boom: () => {
    throw new Error('kaput');
  },
  reject: async () => Promise.reject(new TypeError('late')),
  text: () => {
    throw 'just text'; // eslint-disable-line no-throw-literal
  },
  stream: throwError(() => new RangeError('stream broke')),
});

async function stacksSeen(options: BrokerOptions) {
  const broker = createBroker(options);
  broker.exposeModule('api', api);
  const r = await hostileRenderer(broker, workers);
  const out: Record<string, string | undefined> = {};
  for (const m of ['boom', 'reject', 'text']) out[m] = (await r.run<Outcome>('call', 'api', [m])).error?.stack;
  out.denied = (await r.run<Outcome>('call', 'nothing', ['here'])).error?.stack;
  await r.run('subscribe', 's', 'api', ['stream']);
  let evs: Array<{ value?: Outcome['error'] }> = [];
  const end = Date.now() + 5000;
  while ((evs = await r.run('events')).length === 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
  out.stream = evs[0]?.value?.stack;
  return out;
}

/** A stack line of main's code: a frame naming a file of this repository. */
const mainFrame = /\(?\/[^\s)]*(src|specs)\/[^\s)]*\.ts/;

describe('error stacks sent to renderers', () => {
  it('strips main\'s frames and file paths under errorStacks: strip, keeping name and message', async () => {
    const seen = await stacksSeen({ errorStacks: 'strip' });
    for (const [what, stack] of Object.entries(seen)) {
      expect(stack, what).toBeTypeOf('string');
      expect(stack, what).not.toMatch(mainFrame);
    }
    expect(seen.boom).toMatch(/^Error: kaput/);
    expect(seen.stream).toMatch(/^RangeError: stream broke/);
  });

  it('strips by default when NODE_ENV is production, and keeps stacks otherwise', async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    let prod: Awaited<ReturnType<typeof stacksSeen>>;
    try {
      prod = await stacksSeen({});
    } finally {
      process.env.NODE_ENV = before;
    }
    expect(prod.boom).not.toMatch(mainFrame);
    expect((await stacksSeen({})).boom).toMatch(mainFrame);
    expect((await stacksSeen({ errorStacks: 'full' })).boom).toMatch(mainFrame);
  });
});
