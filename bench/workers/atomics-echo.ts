/**
 * The other end of the "both sides blocking" sync floor (bench/cases/sync.ts): a thread that
 * never returns to its event loop. It sleeps on a shared counter, reads the request from shared
 * memory, writes the answer there and wakes the renderer. No message crosses a port, so this is
 * the physical limit of a blocking call between two threads, not of remora's architecture
 * (main cannot block; it must be woken by a message on its event loop).
 *
 * Shared Int32 layout: [0] request counter, [1] a, [2] b, [3] reply counter, [4] a + b, [7] quit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { threadId } from './thread-id.js';

const flag = new Int32Array((workerData as { flag: SharedArrayBuffer }).flag);
parentPort!.postMessage({ ready: true, tid: threadId() });
// Let the ready message go out before blocking for good.
setTimeout(() => {
  let seen = Atomics.load(flag, 0);
  for (;;) {
    Atomics.wait(flag, 0, seen);
    seen = Atomics.load(flag, 0);
    if (Atomics.load(flag, 7) === 1) break;
    flag[4] = flag[1]! + flag[2]!;
    Atomics.add(flag, 3, 1);
    Atomics.notify(flag, 3);
  }
  process.exit(0);
}, 10);
