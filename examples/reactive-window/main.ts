/**
 * The reactive-window example (`npx tsx examples/reactive-window/main.ts`): main owns a fake
 * window that emits `resize`, `focus` and `blur`; a renderer in a worker thread shows a live
 * status line built from those events with RxJS operators (see docs/streams.md). Then the
 * renderer "reloads" (its worker is terminated) and main shows its listeners are gone, including
 * a theme watcher that main-side code stored itself and let go of in `callContext().onSessionEnd`.
 */
import { callContext, createBroker } from 'remora/main';
import { workerTransport } from 'remora/transports/worker';
import { startWorkerRenderer } from '../support/worker-renderer.js';
import { FakeWindow } from './window.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const waitFor = async (cond: () => boolean, what: string, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
};

const win = new FakeWindow();
const broker = createBroker();
broker.exposeGlobal('window', win);

// A service whose own code keeps renderer callbacks (remora cannot see that): it lets go of
// each one when the renderer that gave it goes away, through callContext().onSessionEnd.
const themeWatchers = new Set<(theme: string) => void>();
const theme = {
  onChange(cb: (theme: string) => void): void {
    themeWatchers.add(cb);
    callContext()!.onSessionEnd(() => themeWatchers.delete(cb));
  },
  set(name: string): void {
    for (const cb of themeWatchers) cb(name);
  },
};
broker.exposeModule('theme', () => theme);
const listeners = (): string => (['resize', 'focus', 'blur'] as const).map((e) => `${e}=${win.listenerCount(e)}`).join(' ');

const worker = await startWorkerRenderer(new URL('./renderer.ts', import.meta.url));
const views: string[] = [];
const themes: string[] = [];
worker.on('message', (m: { view?: string; theme?: string }) => {
  if (m.theme !== undefined) {
    themes.push(m.theme);
    console.log(`  renderer | theme is now ${m.theme}`);
  }
  if (m.view === undefined) return;
  views.push(m.view);
  console.log(`  renderer | ${m.view}`);
});
broker.connect(workerTransport(worker));
await waitFor(() => views.length > 0 && win.listenerCount('resize') === 1 && win.listenerCount('blur') === 1 && themeWatchers.size === 1, 'the renderer');
console.log(`  main     | the renderer subscribed; listeners in main: ${listeners()}; theme watchers: ${themeWatchers.size}`);
theme.set('dark');
await waitFor(() => themes.length === 1, 'the theme change');

const shown = async (line: string): Promise<void> => waitFor(() => views.at(-1) === line, `"${line}"`);

console.log('  main     | dragging the window edge: 40 resize events, 2 ms apart');
for (let i = 1; i <= 40; i++) {
  win.setSize(1024 + i * 8, 768 + i * 4);
  await sleep(2);
}
await shown('1344×928  ● focused');
const redraws = views.length - 1;
console.log('  main     | blur, then focus');
win.setFocused(false);
await shown('1344×928  ○ blurred');
win.setFocused(true);
await shown('1344×928  ● focused');

console.log('  main     | reloading the renderer (terminating its worker)...');
await worker.terminate();
await waitFor(() => broker.stats().sessions === 0, 'session end');
win.setSize(800, 600); // nobody listens any more: no error, no delivery
win.setFocused(false);
const s = broker.stats();
theme.set('light'); // the watcher the renderer left was dropped: nothing to call
console.log(`  main     | after reload: listeners ${listeners()}; theme watchers ${themeWatchers.size}; broker tables: subscriptions=${s.subscriptions} listeners=${s.listeners} refs=${s.refs}`);
if (win.listenerCount('resize') + win.listenerCount('focus') + win.listenerCount('blur') + themeWatchers.size !== 0 || s.subscriptions + s.listeners + s.refs !== 0) {
  console.error('unexpected: something was left behind');
  process.exitCode = 1;
} else {
  console.log(`\ndone: 40 resizes became ${redraws} redraw${redraws === 1 ? '' : 's'}, focus changes showed at once, and the reload left nothing behind.`);
}
