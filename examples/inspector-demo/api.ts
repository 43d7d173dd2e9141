/**
 * What the inspector demo's main exposes: a catalogue with calls of varied latency, a ticker
 * the pages listen to, a price Observable, a payment service that fails now and then (and is
 * restarted by its supervisor), and a legacy service that is stopped on its first failure (so
 * later calls become dead letters). The pages import only the types.
 */
import { EventEmitter } from 'node:events';
import { interval, map, type Observable } from 'rxjs';

/** The catalogue: quick lookups and a slower search. */
export function createCatalogue(ticker: EventEmitter) {
  const items = ['apple', 'pear', 'plum', 'fig', 'kiwi', 'lime', 'date', 'quince'];
  return {
    ticker,
    count: () => items.length,
    item: (i: number) => items[i % items.length],
    search: async (q: string): Promise<string[]> => {
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 18));
      return items.filter((x) => x.includes(q));
    },
    prices: (): Observable<number> => interval(200).pipe(map(() => Math.round(100 + Math.random() * 20))),
  };
}

/** Payments: every seventh charge throws (the supervisor restarts the service with a backoff). */
export function createPayments() {
  let n = 0;
  return {
    charge: (amount: number): number => {
      if (++n % 7 === 0) throw Object.assign(new Error(`card declined for ${amount}`), { code: 'EDECLINED' });
      return amount;
    },
  };
}

/** A legacy service whose first failure stops it for good. */
export function createLegacy() {
  return {
    ping: (fail: boolean): string => {
      if (fail) throw Object.assign(new Error('legacy backend gone'), { code: 'EGONE' });
      return 'pong';
    },
  };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
export type Payments = ReturnType<typeof createPayments>;
export type Legacy = ReturnType<typeof createLegacy>;
