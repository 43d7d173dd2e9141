/**
 * Sender checks and argument validation together (`npm run example:validation`). The policy
 * decides *who* may reach the notes API (here: the page's origin, as an Electron app would check
 * `event.senderFrame.url`; this example runs its pages in worker threads and passes the origin as
 * session info); the schemas decide *what* an admitted page may pass.
 */
import { createBroker } from 'remora/main';
import { workerTransport } from 'remora/transports/worker';
import { startWorkerRenderer } from '../support/worker-renderer.js';
import { notes, received } from './api.js';

const APP_ORIGIN = 'app://notes';
const broker = createBroker({
  // Who: only pages from the app's own origin reach anything.
  policy: (req) => req.session.info.origin === APP_ORIGIN,
});
// What: every call is checked against the schemas; a method without one is refused.
broker.exposeModule('notes', notes.create, notes.options);
broker.inspect$.subscribe((e) => {
  if (e.kind === 'refused') console.log(`main: refused ${e.actor} (${e.detail?.split(':')[0]})`);
});

async function page(origin: string): Promise<Record<string, string>> {
  const worker = await startWorkerRenderer(new URL('./renderer.ts', import.meta.url));
  broker.connect(workerTransport(worker), { origin });
  const report = await new Promise<Record<string, string>>((resolve) => worker.once('message', resolve));
  await worker.terminate();
  return report;
}

const foreign = await page('https://evil.example');
console.log('foreign page:', foreign);
const app = await page(APP_ORIGIN);
console.log('app page:', app);

const denied = foreign.save === 'E_DENIED';
const refused = Object.values(app).filter((v) => v === 'E_BAD_ARGS').length;
const onlyValid = received.every((args) => typeof args[0] === 'string' && /^[a-z0-9-]{1,64}$/.test(args[0]));
if (!denied || refused !== 2 || !onlyValid || received.length !== 2) {
  console.error('main: unexpected outcome', { denied, refused, received });
  process.exit(1);
}
console.log(`done: the foreign page was denied, ${refused} bad calls were refused with E_BAD_ARGS, the implementation saw only valid data.`);
