/**
 * What crossing contextBridge costs per message for remora's frames, in the stand-in's bridge
 * (which copies as Electron's does: objects deep-copied, strings passed as they are). Not a
 * spec: a measurement for docs/design.md ("Electron: the wire across contextBridge").
 *
 *   npx tsx specs/support/electron-standin/bridge-cost.ts
 *
 * Per frame shape, two ways to cross page -> preload -> IPC -> main:
 * - object: the bridge deep-copies the frame, then IPC structured-clones the copy;
 * - string: the page JSON-stringifies, the bridge passes the string, IPC clones the string,
 *   main JSON-parses it.
 */
import { acrossWorlds } from './context-bridge.js';

const frames: Record<string, unknown> = {
  'apply add(1, 2)': { t: 'apply', id: 17, s: 1, ref: 5, path: ['add'], args: [1, 2] },
  'ok reply, 20-field object': { t: 'ok', id: 17, v: ['o', ...Array.from({ length: 20 }, (_, i) => [`field${i}`, i % 2 ? `value ${i}` : i]).flat()] },
  'ok reply, 500-item list of objects': { t: 'ok', id: 18, v: ['a', ...Array.from({ length: 500 }, (_, i) => ['o', 'id', i, 'text', `note ${i}`, 'at', ['d', 1_700_000_000_000 + i]])] },
  'batch of 50 small frames': { t: 'batch', f: Array.from({ length: 50 }, (_, i) => ({ t: 'apply', id: i, s: 1, ref: 5, path: ['add'], args: [i, 1] })) },
  'ok reply, 64 KiB string': { t: 'ok', id: 19, v: 'x'.repeat(65_536) },
};

/** Median of 5 rounds of µs per call. */
function time(fn: () => void): number {
  const rounds = Array.from({ length: 5 }, () => round(fn)).sort((a, b) => a - b);
  return rounds[2]!;
}

function round(fn: () => void, minMs = 150): number {
  for (let i = 0; i < 50; i++) fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
    t = performance.now();
  }
  return ((t - t0) * 1000) / n;
}

let sink: unknown;
const rows: string[] = ['| frame | object (µs) | JSON string (µs) | string/object |', '|---|---:|---:|---:|'];
for (const [name, frame] of Object.entries(frames)) {
  const viaObject = (): void => {
    sink = structuredClone(acrossWorlds(frame));
  };
  const viaString = (): void => {
    sink = JSON.parse(structuredClone(acrossWorlds(JSON.stringify(frame)) as string));
  };
  // Interleaved, so load on the machine hits both alike.
  let object = Infinity;
  let string = Infinity;
  for (let i = 0; i < 3; i++) {
    object = Math.min(object, time(viaObject));
    string = Math.min(string, time(viaString));
  }
  rows.push(`| ${name} | ${object.toFixed(2)} | ${string.toFixed(2)} | ${(string / object).toFixed(2)} |`);
}
void sink;
console.log(`node ${process.version}, ${new Date().toISOString()}`);
console.log(rows.join('\n'));
