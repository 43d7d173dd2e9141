/**
 * Thread placement for the bench: main's thread on CPU 0, every renderer worker's thread on
 * CPU 1 (Linux, `taskset`, 2 or more cores).
 *
 * Why: a round trip between two threads costs ~18 µs when they run on different cores and
 * ~35-55 µs when the scheduler puts both on one core (every message is then a context switch).
 * Left to the scheduler, each contender's worker landed on one core or the other, and stayed
 * there for the run: within one repeat the raw echo measured 32 µs and remora 21 µs, in the
 * next 18 µs and 55 µs, so a ratio said more about placement than about code (the round-trip
 * ratio moved from 0.63x to 3.08x between two repeats of the same build). Pinned, every
 * contender gets the same placement. `BENCH_PIN=0` leaves placement to the scheduler.
 */
import { execFileSync } from 'node:child_process';
import { cpus, platform } from 'node:os';

let enabled: boolean | undefined;

/** True when threads are pinned (Linux, taskset present, at least 2 cores, not `BENCH_PIN=0`). */
export function pinning(): boolean {
  if (enabled !== undefined) return enabled;
  enabled = false;
  if (process.env.BENCH_PIN === '0' || platform() !== 'linux' || cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
    enabled = true;
  } catch {
    enabled = false;
  }
  return enabled;
}

/** Pin thread `tid` to `cpu` (when pinning is on). Returns whether it was pinned. */
export function pinThread(tid: number | undefined, cpu: number): boolean {
  if (tid === undefined || !pinning()) return false;
  try {
    execFileSync('taskset', ['-pc', String(cpu), String(tid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** How the threads were placed, for the results. */
export function pinningText(): string {
  return pinning()
    ? 'main thread pinned to CPU 0, each renderer worker thread to CPU 1, except the scale case\'s fleets (left to the scheduler) (taskset; BENCH_PIN=0 turns it off)'
    : 'threads placed by the OS scheduler (no pinning)';
}
