/**
 * What main exposes to the browser page as module "dashboard": live Observables and a couple
 * of plain methods. The page imports only its type.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { BehaviorSubject, interval, map, type Observable, startWith } from 'rxjs';

/** One sample of main's vital signs. */
export interface Vitals {
  at: string;
  load: number;
  cores: number;
  heapMiB: number;
  freeMemPct: number;
}

/** Create the dashboard API; `log` is main's activity feed (the page renders it live). */
export function createDashboard(feed: BehaviorSubject<string[]>) {
  let clicks = 0;
  const clicks$ = new BehaviorSubject(0);
  return {
    /** Wall clock, four times a second. */
    clock: (): Observable<string> => interval(250).pipe(startWith(0), map(() => new Date().toISOString().slice(11, 23))),
    /** Main's load, heap and free memory, twice a second. */
    vitals: (): Observable<Vitals> =>
      interval(500).pipe(
        startWith(0),
        map(() => ({
          at: new Date().toISOString().slice(11, 19),
          load: Math.round(loadavg()[0]! * 100) / 100,
          cores: cpus().length,
          heapMiB: Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10,
          freeMemPct: Math.round((freemem() / totalmem()) * 100),
        })),
      ),
    /** The last lines of main's activity feed. */
    feed: (): Observable<string[]> => feed.asObservable(),
    /** How many times any page pressed the button. */
    clicks: (): Observable<number> => clicks$.asObservable(),
    press(): number {
      clicks$.next(++clicks);
      return clicks;
    },
    add: (a: number, b: number): number => a + b,
  };
}

export type Dashboard = ReturnType<typeof createDashboard>;
