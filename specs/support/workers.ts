/**
 * Spawning renderer fixtures in real worker threads. Fixtures live in
 * `specs/fixtures/NAME.renderer.ts`; the global setup bundles them to plain ESM.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../../node_modules/.remora-fixtures', import.meta.url));

/** Start `specs/fixtures/<name>.renderer.ts` in a new worker thread. */
export function startRenderer(name: string, workerData?: unknown): Worker {
  return new Worker(join(out, `${name}.renderer.mjs`), { workerData });
}

/** Next message from a worker matching `pred` (the fixtures report results by postMessage). */
export function nextMessage<T = any>(w: Worker, pred: (m: any) => boolean = () => true, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no matching message from worker within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMsg = (m: any): void => {
      if (m && typeof m === 'object' && '__remora_connect__' in m) return;
      if (!pred(m)) return;
      cleanup();
      resolve(m);
    };
    const onErr = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      w.off('message', onMsg);
      w.off('error', onErr);
    };
    w.on('message', onMsg);
    w.on('error', onErr);
  });
}

/** Wait until `cond()` holds (polling), or fail after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Force full garbage collections (vitest runs with --expose-gc) and let finalizers run. */
export async function collectGarbage(rounds = 3): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}
