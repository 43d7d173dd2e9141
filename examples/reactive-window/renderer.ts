/**
 * The reactive-window renderer (a worker thread standing in for a page): a status line that
 * shows the window's size and focus, built from the window's events with RxJS operators.
 * Nothing here unsubscribes on "reload": main removes the listeners when the session ends.
 */
import { parentPort } from 'node:worker_threads';
import { combineLatest, debounceTime, distinctUntilChanged, map, merge, startWith } from 'rxjs';
import { connect, fromRemoteEvent } from 'remora/renderer';
import { connectToMain } from 'remora/transports/worker';
import type { FakeWindow } from './window.js';

const client = connect(await connectToMain(), { name: 'reactive-window' });
const win = await client.getGlobal<FakeWindow>('window');
const [width, height] = await win.getSize();
const focusedNow = await win.isFocused();

// Size: every resize, debounced so a drag redraws once it pauses.
const size$ = fromRemoteEvent<[number, number]>(win, 'resize').pipe(
  startWith([width, height] as [number, number]),
  debounceTime(50),
  map(([w, h]) => `${w}×${h}`),
  distinctUntilChanged(),
);

// Focus: two events folded into one boolean stream.
const focused$ = merge(
  fromRemoteEvent(win, 'focus').pipe(map(() => true)),
  fromRemoteEvent(win, 'blur').pipe(map(() => false)),
).pipe(startWith(focusedNow), distinctUntilChanged());

// The view: one status line per change of either.
combineLatest([size$, focused$])
  .pipe(map(([size, focused]) => `${size}  ${focused ? '● focused' : '○ blurred'}`))
  .subscribe((line) => parentPort!.postMessage({ view: line }));

// A callback main's own code keeps (see main.ts): it is let go of when this renderer goes away.
const theme = await client.require<{ onChange(cb: (theme: string) => void): void }>('theme');
await theme.onChange((name) => parentPort!.postMessage({ theme: name }));

parentPort!.postMessage({ ready: true });
