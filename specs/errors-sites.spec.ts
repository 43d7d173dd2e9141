import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/**
 * Files that still construct errors inline. The errors sweep moves each site to a factory of
 * src/errors/factories.ts and deletes its file from this list; the list only ever shrinks.
 */
const NOT_YET_SWEPT = new Set([
  'actors/listener-map.ts',
  'actors/state-actions.ts',
  'actors/state-actor.ts',
  'actors/state-measure.ts',
  'src/actor/actor.ts',
  'src/electron/ipc-renderer-transport.ts',
  'src/electron/main.ts',
  'src/inspector/page-bundle.ts',
  'src/main/access.ts',
  'src/main/broker.ts',
  'src/main/call.ts',
  'src/main/callbacks.ts',
  'src/main/intake.ts',
  'src/main/operations.ts',
  'src/main/pipeline.ts',
  'src/main/ref-table.ts',
  'src/main/reply-encoding.ts',
  'src/main/requests.ts',
  'src/main/session-end.ts',
  'src/main/stream-out.ts',
  'src/main/subscriptions.ts',
  'src/main/value-decoding.ts',
  'src/renderer/connection.ts',
  'src/renderer/handles.ts',
  'src/renderer/value-hosts.ts',
  'src/transports/memory.ts',
  'src/transports/websocket-auth.ts',
  'src/transports/websocket-page.ts',
  'src/transports/websocket.ts',
  'src/transports/worker.ts',
]);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts')) out.push(relative(root, p).split('\\').join('/'));
  }
  return out;
}

const files = [...sources(join(root, 'src')), ...sources(join(root, 'actors'))];
const constructs = (file: string): boolean => /new RemoraError\(/.test(readFileSync(join(root, file), 'utf8'));

describe('where errors are made', () => {
  it('constructs RemoraError only inside the errors module (and the files not swept yet)', () => {
    const offenders = files.filter((f) => !f.startsWith('src/errors/') && !NOT_YET_SWEPT.has(f) && constructs(f));
    expect(offenders).toEqual([]);
  });

  it('keeps no swept file on the not-yet-swept list', () => {
    const stale = [...NOT_YET_SWEPT].filter((f) => !files.includes(f) || !constructs(f));
    expect(stale).toEqual([]);
  });
});
