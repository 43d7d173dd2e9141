/**
 * State cost growth: what an awaited dispatch costs as the state grows. The same `toggle` action
 * (one item's flag) on state actors of 1 000, 10 000 and 100 000 items, from one renderer
 * replica, beside a plain call's round trip (`await api.add(i, 1)`) on the same connection in
 * the same run. Per size: time per awaited dispatch (measured in the renderer), main-thread CPU
 * per update, and bytes on the wire per update (both directions, counted in a separate untimed
 * pass). An update whose cost follows the change keeps these flat as the state grows.
 *
 * Two variants at the largest size show where the cost is: the same state with freezing off
 * (`{ freeze: false }`: what the per-tick freeze walk costs) and the same items split into
 * pages of 1 000 (what immer's copy of the one large array costs).
 */
import { median } from '../lib/stats.js';
import { type Contender, interleaved } from '../lib/harness.js';
import { start } from '../lib/servers.js';
import { threadCpuIsPerThread, threadCpuUs } from '../lib/cpu.js';
import { countingTransport, type CountingTransport } from '../lib/wire-bytes.js';
import type { BenchContext, CaseResult, Check, Row } from '../lib/types.js';
import { makePagedTodos, makeTodos, makeUnfrozenTodos } from '../state-api.js';

const label = (n: number): string => (n >= 1000 ? `${n / 1000}k` : String(n));

/** Run the state cost-growth case. */
export async function runStateGrowth(ctx: BenchContext): Promise<CaseResult[]> {
  const sizes = ctx.smoke ? [1000, 10_000] : [1000, 10_000, 100_000];
  // Dispatches per timed run, fewer where each costs more (each copies the one item array).
  const perRun = (n: number): number => (ctx.smoke ? 5 : n >= 100_000 ? 40 : 300);
  const plainN = ctx.smoke ? 100 : 300;
  let counter: CountingTransport | undefined;
  const big = sizes[sizes.length - 1]!;
  const variants = [
    { name: `todos-${big}-unfrozen`, label: `${label(big)} items, freeze off`, make: makeUnfrozenTodos, per: perRun(big) },
    { name: `todos-${big}-paged`, label: `${label(big)} items in pages of 1k`, make: makePagedTodos, per: perRun(1000) },
  ];
  const s = await start(ctx.workersDir, 'remora', undefined, (b) => {
    for (const n of sizes) makeTodos(n).expose(b, `todos-${n}`);
    for (const v of variants) v.make(big).expose(b, v.name);
  }, (t) => (counter = countingTransport(t)).transport);
  try {
    const ask = (n: number, k: number, name = `todos-${n}`): Promise<{ us: number; cpuUs?: number }> => s.worker.ask<{ us: number; cpuUs: number }>({ cmd: 'state', n: k, inflight: 1, name, items: n }, 300_000);
    // Connect every replica (its first snapshot) outside the timed runs.
    for (const n of sizes) await ask(n, 1);
    for (const v of variants) await ask(big, 1, v.name);
    // Bytes per update, both directions, in an untimed pass.
    const bytes = new Map<number, number>();
    for (const n of sizes) {
      const k = 4;
      counter!.begin();
      await ask(n, k);
      const b = counter!.end();
      bytes.set(n, (b.toRenderer + b.toMain) / k);
    }
    counter!.begin();
    await s.worker.ask({ cmd: 'seq', n: 20 });
    const pb = counter!.end();
    const plainBytes = (pb.toRenderer + pb.toMain) / 20;

    const cpu = new Map<string, number[]>();
    const rcpu = new Map<string, number[]>();
    const push = (m: Map<string, number[]>, k: string, v: number): void => {
      const list = m.get(k) ?? [];
      list.push(v);
      m.set(k, list);
    };
    const timed = (name: string, ops: number, f: () => Promise<{ us: number; cpuUs?: number }>): Contender => ({
      name,
      run: async () => {
        const c0 = threadCpuUs();
        const r = await f();
        push(cpu, name, (threadCpuUs() - c0) / ops);
        if (r.cpuUs !== undefined) push(rcpu, name, r.cpuUs);
        return r.us;
      },
    });
    const contenders: Contender[] = [
      timed('plain', plainN, () => s.worker.ask<{ us: number }>({ cmd: 'seq', n: plainN })),
      ...sizes.map((n) => timed(`state-${n}`, perRun(n), () => ask(n, perRun(n)))),
      ...variants.map((v) => timed(v.name, v.per, () => ask(big, v.per, v.name))),
    ];
    const rounds = ctx.smoke ? 2 : Math.min(ctx.rounds, 7);
    ctx.log(`state growth: awaited dispatch at ${sizes.map(label).join(', ')} items vs a plain call, ${rounds} rounds`);
    const samples = await interleaved(contenders, rounds, 1, ctx.smoke ? 100 : 500);
    // CPU figures of the warm-up runs are dropped: keep the last `rounds` of each.
    const cpuOf = (name: string): number => median(cpu.get(name)!.slice(-rounds));
    const rcpuOf = (name: string): string => `${median(rcpu.get(name)!.slice(-rounds)).toFixed(0)} µs`;
    const cpuUnit = threadCpuIsPerThread() ? 'main thread' : 'whole process (no per-thread clock here)';

    const plain = median(samples[0]!);
    const at = (n: number): number => median(samples[1 + sizes.indexOf(n)]!);
    const rows: Row[] = [
      { impl: 'plain call round trip (await api.add)', value: plain, unit: 'µs', better: 'lower', samples: samples[0]!, baseline: true },
      ...sizes.map((n, i): Row => ({ impl: `awaited dispatch, ${label(n)} items`, value: at(n), unit: 'µs', better: 'lower', samples: samples[1 + i]! })),
      ...variants.map((v, i): Row => ({ impl: `awaited dispatch, ${v.label}`, value: median(samples[1 + sizes.length + i]!), unit: 'µs', better: 'lower', samples: samples[1 + sizes.length + i]! })),
      { impl: 'plain call: main CPU per call', value: cpuOf('plain'), unit: 'µs CPU', better: 'lower', baseline: true },
      ...sizes.map((n): Row => ({ impl: `main CPU per update, ${label(n)} items`, value: cpuOf(`state-${n}`), unit: 'µs CPU', better: 'lower', extra: { 'renderer CPU per update': rcpuOf(`state-${n}`) } })),
      ...variants.map((v): Row => ({ impl: `main CPU per update, ${v.label}`, value: cpuOf(v.name), unit: 'µs CPU', better: 'lower', extra: { 'renderer CPU per update': rcpuOf(v.name) } })),
      { impl: 'plain call: bytes per call (both ways)', value: plainBytes, unit: 'B', better: 'lower', baseline: true },
      ...sizes.map((n): Row => ({ impl: `bytes per update, ${label(n)} items (both ways)`, value: bytes.get(n)!, unit: 'B', better: 'lower' })),
    ];
    const checks: Check[] = [];
    if (sizes.includes(10_000)) {
      const r = at(10_000) / plain;
      checks.push({ label: 'awaited dispatch at 10k / plain round trip', measured: r, unit: 'x', target: '<= 3x', pass: r <= 3 });
    }
    if (sizes.includes(100_000)) {
      const g = at(100_000) / at(1000);
      checks.push({ label: 'awaited dispatch at 100k / at 1k (flat), one array', measured: g, unit: 'x', target: '<= 1.5x', pass: g <= 1.5 });
      // The shape docs/state.md advises: the same 100k items in pages of 1k.
      const paged = median(samples[1 + sizes.length + variants.findIndex((v) => v.name.endsWith('-paged'))]!) / at(1000);
      checks.push({ label: 'awaited dispatch at 100k in pages of 1k / at 1k (flat), paged', measured: paged, unit: 'x', target: '<= 1.5x', pass: paged <= 1.5 });
    }
    return [{
      id: 'state-growth', title: 'State cost growth: awaited dispatch at 1k, 10k, 100k items', rows, checks,
      notes: [
        `One replica per state actor over worker_threads; \`toggle\` flips one item's flag; ${sizes.map((n) => `${perRun(n)} awaited dispatches per run at ${label(n)}`).join(', ')} (paged: ${perRun(1000)}); the plain call is ${plainN} awaited api.add(i, 1) on the same connection, interleaved with them.`,
        `Freeze off: main's state actor only (the replica still freezes what it applies). Paged: the same items as { pages: [{ items: [1000] }] }, the same toggle(i).`,
        `CPU: ${cpuUnit} CPU time around each run, per operation; the renderer's (its own thread) beside it. Bytes: JSON size of every message both ways during 4 untimed dispatches (the dispatch call, its reply and the patch update), per dispatch.`,
      ],
    }];
  } finally {
    await s.stop();
  }
}
