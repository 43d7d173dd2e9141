/**
 * CPU time of the main thread alone. `process.cpuUsage()` counts every thread of the process,
 * and the bench's renderers are worker threads of the same process, so it cannot tell main's
 * share; Linux's `/proc/thread-self/schedstat` can (nanoseconds on CPU for the calling thread).
 * Elsewhere the figure falls back to `process.cpuUsage()` and says so.
 */
import { readFileSync } from 'node:fs';

let perThread: boolean | undefined;

/** True when {@link threadCpuUs} measures this thread only (Linux). */
export function threadCpuIsPerThread(): boolean {
  if (perThread === undefined) {
    try {
      readFileSync('/proc/thread-self/schedstat', 'utf8');
      perThread = true;
    } catch {
      perThread = false;
    }
  }
  return perThread;
}

/** CPU µs used so far by the calling thread (Linux), or by the whole process elsewhere. */
export function threadCpuUs(): number {
  if (threadCpuIsPerThread()) return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** CPU µs of the whole process (every thread), from `process.cpuUsage()`. */
export function processCpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}
