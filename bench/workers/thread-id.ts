/**
 * This thread's Linux thread id (for bench/lib/pin.ts), read from /proc/thread-self; undefined
 * elsewhere.
 */
import { readlinkSync } from 'node:fs';

/** The calling thread's id, or undefined when /proc/thread-self is not there. */
export function threadId(): number | undefined {
  try {
    const m = /task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
