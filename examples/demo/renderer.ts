/**
 * The demo renderer: runs in a worker thread, talks to main through remora, and reports each
 * step to main (which prints it).
 */
import { parentPort } from 'node:worker_threads';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connect } from 'remora/renderer';
import { connectToMain } from 'remora/transports/worker';
import type { DemoApi } from './api.js';

const say = (line: string): void => parentPort!.postMessage({ say: line });
const step = (name: string): Promise<void> =>
  new Promise((resolve) => {
    parentPort!.postMessage({ step: name });
    parentPort!.once('message', () => resolve());
  });

const transport = await connectToMain();
let messagesSent = 0;
const send = transport.send.bind(transport);
transport.send = (m) => {
  messagesSent++;
  send(m);
};
const client = connect(transport, { name: 'demo-renderer' });

// 1. require + a synchronous call, exactly like Electron's remote
const demoSync = client.remote.require<DemoApi>('demo');
say(`sync: remote.require('demo').hostname() -> ${JSON.stringify(demoSync.hostname())} (returned synchronously; the worker blocked, main did not)`);

// 2. an async call, typed from main's API
const demo = await client.require<DemoApi>('demo');
say(`async: await demo.add(2, 40) -> ${await demo.add(2, 40)}`);
say(`async: await demo.slowSquare(12) -> ${await demo.slowSquare(12)} (main awaited its own promise)`);

// 3. new on a remote class constructs in main and returns a handle
const counter = await new demo.Counter(10);
await counter.increment(5);
say(`new: const c = new demo.Counter(10); await c.increment(5) -> value ${await counter.value}`);

// 4. promise pipelining: three dependent calls, one message, one round trip
const before = messagesSent;
const shouted = await demo.openNotebook('ideas').add('remora pipelines').shout();
say(`pipelined: await demo.openNotebook('ideas').add(...).shout() -> ${JSON.stringify(shouted)} in ${messagesSent - before} message(s)`);

// 5. an exception thrown in main arrives as that error
try {
  await demo.readConfig();
} catch (e) {
  const err = e as Error & { code?: string; path?: string };
  say(`error: ${err.name}: ${err.message} (code ${err.code}, path ${err.path})`);
  say(`error stack from main: ${err.stack?.split('\n')[1]?.trim()}`);
}

// 6. handles released after garbage collection
await step('before-gc');
for (let i = 0; i < 1000; i++) await demo.makeCounter(i);
say('lifetime: created 1000 remote counters and dropped every handle');
await step('handles-created');
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
for (let i = 0; i < 3; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 20));
}
say('lifetime: ran gc() in the renderer; FinalizationRegistry queued the releases');
await step('gc-done');
say(`still usable: counter.value -> ${await counter.value} (a live handle stays alive)`);
await step('done');
