/** The README's main-side API. */
export class Counter {
  constructor(public value = 0) {}
  increment(by = 1) {
    return (this.value += by);
  }
}
export const api = { add: (a: number, b: number) => a + b, makeCounter: (n: number) => new Counter(n), Counter };
export type Api = typeof api;
