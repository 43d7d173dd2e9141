/**
 * How an app tests its own remora code (see docs/testing.md): main-side and renderer-side
 * code against each other in one thread over the memory transport, then the renderer side in
 * a real worker thread over the worker transport. `npm test` runs this file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { firstValueFrom, take, toArray } from 'rxjs';
import { isRemoraError } from 'remora';
import { createBroker, type Broker } from 'remora/main';
import { connect, type RemoraClient } from 'remora/renderer';
import { createMemoryPair } from 'remora/transports/memory';
import { workerTransport } from 'remora/transports/worker';
import { createSettings, exposeApp } from './settings.js';
import { themeClass, toggleTheme } from './theme.js';

let broker: Broker;
let client: RemoraClient | undefined;

/** A broker with the app's services, and a renderer client connected to it in memory. */
function connectInMemory(settings = createSettings()) {
  broker = createBroker();
  exposeApp(broker, settings);
  const { main, renderer } = createMemoryPair();
  broker.connect(main);
  client = connect(renderer);
  return { settings, client };
}

afterEach(() => {
  client?.close();
  client = undefined;
  broker?.close();
});

describe('the app over the memory transport', () => {
  it('toggles the theme in main from renderer code', async () => {
    const { settings, client } = connectInMemory(createSettings('light'));
    expect(await toggleTheme(client)).toBe('dark');
    expect(settings.theme()).toBe('dark');
  });

  it('streams the theme class now and after main changes it', async () => {
    const { settings, client } = connectInMemory(createSettings('dark'));
    const seen = firstValueFrom((await themeClass(client)).pipe(take(2), toArray()));
    await new Promise((r) => setTimeout(r, 10)); // let the subscription reach main
    settings.setTheme('light');
    expect(await seen).toEqual(['theme-dark', 'theme-light']);
  });

  it('rejects with the main-side error when main refuses a value', async () => {
    const { client } = connectInMemory();
    const settings = await client.require<ReturnType<typeof createSettings>>('settings');
    const error = await settings.setTheme('blue' as 'dark').then(() => undefined, (e: unknown) => e);
    expect(isRemoraError(error, 'E_TARGET_THREW')).toBe(true); // main's own exception...
    expect(error).toMatchObject({ name: 'RangeError', message: 'Unknown theme: blue' }); // ...as main threw it
  });

  it('releases what the renderer held when it closes', async () => {
    const { client } = connectInMemory();
    await toggleTheme(client);
    client.close();
    await new Promise((r) => setTimeout(r, 10));
    expect(broker.stats().sessions).toBe(0);
  });
});

describe('the app across a real worker thread', () => {
  it('runs the renderer code in a worker against main over the worker transport', async () => {
    // An app bundles its worker (or page) entry as it would ship it; esbuild takes ~50 ms.
    const outfile = fileURLToPath(new URL('../../node_modules/.remora-examples/testing-theme.worker.mjs', import.meta.url));
    await build({ entryPoints: [fileURLToPath(new URL('./theme.worker.ts', import.meta.url))], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });

    const settings = createSettings('light');
    broker = createBroker();
    exposeApp(broker, settings);
    const worker = new Worker(outfile);
    try {
      broker.connect(workerTransport(worker));
      const report = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(report).toEqual({ toggled: 'dark', classes: ['theme-light', 'theme-dark'] });
      expect(settings.theme()).toBe('dark');
    } finally {
      await worker.terminate();
    }
  });
});
