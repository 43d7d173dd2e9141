/**
 * What the inspector costs main (issue 21, "Cost"): the same async round trip against three
 * brokers in the same run, interleaved: one with an inspector page attached, one whose
 * inspector is served and had a page that left, one that never had an inspector. The page is
 * a real subscriber of `snapshots()`: a remora renderer over the WebSocket transport (the
 * page transport, on the `ws` package's client) in this process, decoding every picture; a
 * headless Chromium page would measure Chromium more than main. The calls come from a renderer
 * in a worker thread (as in the `rpc` case), so main's event loop turns between calls and the
 * inspector's pictures are built and sent while they run, as they would be in an app.
 */
import { WebSocket as NodeWebSocket } from 'ws';
import { serveInspector, type InspectorApi, type InspectorServer } from '../../src/inspector/index.js';
import { connect, type RemoraClient as Client } from '../../src/renderer/index.js';
import { connectToMain } from '../../src/transports/websocket-page.js';
import { TOKEN_FRAGMENT } from '../../src/transports/websocket.js';
import { interleaved, until } from '../lib/harness.js';
import { start, type Started } from '../lib/servers.js';
import { median } from '../lib/stats.js';
import type { BenchContext, CaseResult, Check, Row } from '../lib/types.js';

/**
 * A page of `inspector` in this process: the page transport on a Node WebSocket that sends the
 * inspector's Origin. The page transport reads the global `WebSocket` (also its `OPEN`) for its
 * whole life: the caller installs {@link NodeWebSocket} there while the case runs.
 */
async function inspectorPage(inspector: InspectorServer): Promise<{ client: Client; snapshots: ReturnType<InspectorApi['snapshots']> }> {
  const origin = inspector.origin;
  const url = new URL(inspector.url);
  const token = new URLSearchParams(url.hash.slice(1)).get(TOKEN_FRAGMENT)!;
  const transport = await connectToMain({ url: `${origin.replace(/^http/, 'ws')}/remora`, token });
  const client = connect(transport, { name: 'inspector-bench' });
  const api = await client.require<InspectorApi>('inspector');
  return { client, snapshots: await api.snapshots() };
}

/** A `WebSocket` global for Node whose connections carry `origin` (the inspector's gate checks it). */
function withOrigin(origin: string): unknown {
  return class extends NodeWebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols, { origin, perMessageDeflate: false });
    }
  };
}

/** Run the inspector cost case. */
export async function runInspector(ctx: BenchContext): Promise<CaseResult[]> {
  const never = await start(ctx.workersDir, 'remora');
  const left = await start(ctx.workersDir, 'remora');
  const watched = await start(ctx.workersDir, 'remora');
  const leftInspector = await serveInspector(left.broker!);
  const watchedInspector = await serveInspector(watched.broker!);
  const pages: Client[] = [];
  const g = globalThis as { WebSocket?: unknown };
  const had = g.WebSocket;
  // Both inspectors listen on 127.0.0.1; the gate accepts its own origin only, so one class per server.
  try {
    // `left`: a page attaches, sees calls, and leaves; its broker is then as good as never inspected.
    g.WebSocket = withOrigin(leftInspector.origin);
    const leftPage = await inspectorPage(leftInspector);
    pages.push(leftPage.client);
    let leftPictures = 0;
    const leftSub = leftPage.snapshots.subscribe({ next: () => void leftPictures++ });
    await until(() => left.broker!.inspector.active && leftPictures > 0, 10_000, 'the left page to attach');
    await left.worker.ask({ cmd: 'seq', n: 200 });
    leftSub.unsubscribe();
    await until(() => leftInspector.attached === 0 && !left.broker!.inspector.active, 10_000, 'the left page to detach');

    // `watched`: a page stays attached for the whole run, receiving up to 10 pictures a second.
    g.WebSocket = withOrigin(watchedInspector.origin);
    const page = await inspectorPage(watchedInspector);
    pages.push(page.client);
    let pictures = 0;
    let methodCalls = 0;
    const sub = page.snapshots.subscribe({
      next: (s) => {
        pictures++;
        methodCalls = s.methods.find((m) => m.method === 'add')?.calls ?? methodCalls;
      },
    });
    await until(() => watched.broker!.inspector.active && pictures > 0, 10_000, 'the inspector page to attach');

    const n = ctx.smoke ? 300 : 600;
    const rounds = ctx.smoke ? ctx.rounds : ctx.rounds * 3;
    const timed = (s: Started) => async (): Promise<number> => (await s.worker.ask<{ us: number }>({ cmd: 'seq', n })).us;
    ctx.log(`inspector: ${n} sequential calls × ${rounds} rounds against 3 brokers (never inspected, page left, page attached)`);
    const picturesBefore = pictures;
    const t0 = performance.now();
    const [s0, s1, s2] = await interleaved([
      { name: 'never', run: timed(never) },
      { name: 'left', run: timed(left) },
      { name: 'attached', run: timed(watched) },
    ], rounds, ctx.warmup);
    const seconds = (performance.now() - t0) / 1000;
    const rate = (pictures - picturesBefore) / seconds;
    sub.unsubscribe();
    if (left.broker!.inspector.active || never.broker!.inspector.active) throw new Error('inspector bench: an unattached broker had an inspect$ subscriber');
    const m0 = median(s0!);
    const m1 = median(s1!);
    const m2 = median(s2!);
    const rows: Row[] = [
      { impl: 'no inspector ever', value: m0, unit: 'µs', better: 'lower', samples: s0!, baseline: true },
      { impl: 'inspector served, its page left', value: m1, unit: 'µs', better: 'lower', samples: s1! },
      { impl: 'inspector page attached', value: m2, unit: 'µs', better: 'lower', samples: s2! },
    ];
    const checks: Check[] = [
      { label: 'page left / never', measured: m1 / m0, unit: 'x', target: '<= 1.05x', pass: m1 / m0 <= 1.05 },
      { label: 'attached / never', measured: m2 / m0, unit: 'x', target: '<= 2x', pass: m2 / m0 <= 2 },
      { label: 'pictures per second while attached', measured: rate, unit: '/s', target: '<= 11', pass: rate <= 11 },
    ];
    return [{
      id: 'inspector-cost', title: 'Round trip with an inspector attached, left, never', rows, checks,
      notes: [
        `${n} sequential awaited add(i, 1) calls per run from a renderer in a worker thread, time per call measured in the worker; the three brokers interleaved round by round.`,
        'The attached page is a remora renderer over the WebSocket transport in the bench process (so its decoding of each picture is charged to this process too, unlike a real page).',
        `While attached: ${pictures} pictures received, the last one counting ${methodCalls} add calls in its window.`,
      ],
    }];
  } finally {
    for (const c of pages) c.close();
    g.WebSocket = had;
    await leftInspector.close();
    await watchedInspector.close();
    for (const b of [never, left, watched]) await b.stop();
  }
}
