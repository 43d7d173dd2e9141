/** The README's usage example, main side (`npx tsx examples/readme/main.ts`). */
import { createBroker } from 'remora/main';
import { workerTransport } from 'remora/transports/worker';
import { startWorkerRenderer } from '../support/worker-renderer.js';
import { api } from './api.js';

const broker = createBroker(); // deny by default
broker.exposeModule('api', () => api, { supervision: { strategy: 'restart' } });
const worker = await startWorkerRenderer(new URL('./renderer.ts', import.meta.url));
broker.connect(workerTransport(worker));
worker.on('message', async (m) => {
  if (m === 'done') {
    await worker.terminate();
    console.log('main: tables after the renderer left:', broker.stats());
  }
});
