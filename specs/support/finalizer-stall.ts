/**
 * Reproduce, on purpose, the V8 behaviour that stops FinalizationRegistry callbacks for a
 * whole isolate (seen on Node 20.20, V8 11.3): two registries become dirty in one full GC, the
 * one at the head of V8's dirty list becomes garbage before the engine's cleanup task runs,
 * and from then on no cleanup callback of any registry in the isolate runs again. remora's
 * lifetime code must keep releasing without them (docs/lifetime.md, "When finalizers stop").
 */
const keptRegistries: FinalizationRegistry<number>[] = [];

const turn = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

/** Full GCs with turns of the event loop between them, so finalizers (when they run) run and releases go out. */
export async function collectWithTurns(gc: () => void, rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    gc();
    await turn();
  }
}

/** True when a fresh registration's cleanup callback does not run within a few full GCs. */
export async function finalizersStalled(gc: () => void): Promise<boolean> {
  let ran = false;
  const probe = new FinalizationRegistry<number>(() => {
    ran = true;
  });
  probe.register({}, 0);
  for (let i = 0; i < 5 && !ran; i++) {
    gc();
    await turn();
  }
  probe.unregister(probe); // keeps the probe reachable until here: a dead registry runs no callbacks
  return !ran;
}

/** Stall finalizers in this isolate; returns whether they are stalled now. */
export async function stallFinalizers(gc: () => void): Promise<boolean> {
  const kept = new FinalizationRegistry<number>(() => undefined);
  keptRegistries.push(kept);
  let dying: FinalizationRegistry<number> | undefined = new FinalizationRegistry<number>(() => undefined);
  // Order matters: the registry that dies must be the head of the dirty list.
  dying.register({}, 0);
  kept.register({}, 0);
  gc();
  dying = undefined;
  gc();
  await turn();
  return finalizersStalled(gc);
}
