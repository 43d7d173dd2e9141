/**
 * A deliberately flaky quote service: every incarnation serves three quotes and then crashes
 * ("connection reset"), and one particular request hangs forever. Supervision keeps it usable.
 */

let incarnations = 0;

/** Build a fresh service instance (the broker calls this again on every restart). */
export function createQuoteService() {
  const incarnation = ++incarnations;
  let served = 0;
  return {
    /** A price quote for request `n`; fails on every fourth call of an incarnation. */
    async quote(n: number): Promise<{ n: number; price: number; incarnation: number; served: number }> {
      if (n === 10) return new Promise(() => undefined); // hangs: the actor deadline catches it
      await new Promise((r) => setTimeout(r, 5)); // a little I/O
      served++;
      if (served === 4) throw Object.assign(new Error('upstream connection reset'), { code: 'ECONNRESET' });
      return { n, price: Math.round(100 + 10 * Math.sin(n)), incarnation, served };
    },
    /** Called by the actor before this instance is discarded. */
    close(why: string): void {
      console.log(`  main     | instance #${incarnation} disposed (${why})`);
    },
  };
}

/** The service's type, shared with the renderer. */
export type QuoteService = ReturnType<typeof createQuoteService>;
