/**
 * A renderer that main never welcomes (main made the worker's transport but forgot
 * `broker.connect(...)`): across a real worker thread, its handshake and its calls end with a
 * typed `E_TIMEOUT` that names main's welcome, instead of waiting forever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { workerTransport } from '../../src/transports/worker.js';
import { nextMessage, startRenderer } from '../support/workers.js';

let worker: Worker | undefined;
afterEach(async () => {
  await worker?.terminate();
  worker = undefined;
});

describe('the handshake timeout', () => {
  it('fails ready and the calls made meanwhile with E_TIMEOUT naming main\'s welcome when main never connects the transport', async () => {
    worker = startRenderer('no-welcome', { handshakeTimeout: 300 });
    workerTransport(worker); // ...and no broker.connect(transport): nobody answers the hello
    const report = await nextMessage(worker, (m) => m?.report === true);
    for (const outcome of [report.ready, report.call]) {
      expect(outcome.code).toBe('E_TIMEOUT');
      expect(outcome.message).toContain("Main's welcome did not arrive within 300 ms");
      expect(outcome.message).toContain('broker.connect(transport)');
      expect(outcome.ms).toBeGreaterThanOrEqual(250);
    }
    expect(report.closed).toBe(true);
  });
});
