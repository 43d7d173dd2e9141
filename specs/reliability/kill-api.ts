/** Main-side modules the killed-renderer and hung-handler specs expose. */
import { EventEmitter } from 'node:events';
import { Observable, Subject } from 'rxjs';
import { callContext } from '../../src/main/call-context.js';

/** Shared work module: slow calls, an emitter that ticks, an Observable of ticks. */
export function makeWork(tick$: Subject<number>, counters: { ticks: number }) {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  tick$.subscribe((n) => emitter.emit('tick', n));
  return {
    add: (a: number, b: number) => a + b,
    slow: (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms)),
    emitter,
    ticks: () =>
      new Observable<number>((s) => {
        counters.ticks++;
        const sub = tick$.subscribe(s);
        return () => {
          counters.ticks--;
          sub.unsubscribe();
        };
      }),
  };
}
/** Type of {@link makeWork}. */
export type Work = ReturnType<typeof makeWork>;

/** A module behind a serial mailbox: a slow call holds up everything queued behind it. */
export function makeQueue() {
  return {
    slowSerial: (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms)),
    ping: () => 'pong',
  };
}
/** Type of {@link makeQueue}. */
export type Queue = ReturnType<typeof makeQueue>;

/** Handlers that hang forever or take their time; `aborted` counts calls whose signal fired. */
export function makeHang(counters: { aborted: number } = { aborted: 0 }) {
  return {
    forever(): Promise<never> {
      callContext()?.signal.addEventListener('abort', () => counters.aborted++);
      return new Promise<never>(() => undefined);
    },
    slow: (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms)),
  };
}
/** Type of {@link makeHang}. */
export type Hang = ReturnType<typeof makeHang>;
