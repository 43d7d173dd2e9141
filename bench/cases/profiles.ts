/**
 * `npm run bench -- --profile=rtt|state` (not part of a measuring run): profile one scenario with
 * `node:inspector` on both sides, around exactly the calls studied, and print the top self-time
 * frames and allocation hot spots by source file and function, per call.
 *
 * - `rtt`: sequential `await api.add(i, 1)` from a remora renderer worker; main and renderer.
 * - `rtt-raw`, `rtt-birpc`: the same through the raw MessagePort echo and birpc, to compare.
 * - `burst`, `burst-raw`: waves of 1000 concurrent calls (the throughput case), remora and raw.
 * - `pipeline`: the 5-call pipelined chain `await api.link(0).next().next().next().value()`
 *   (one op = one chain), to read beside `rtt` (one op = one call).
 * - `state`: awaited `toggle` dispatches on a 100 000-item state actor from a replica; main
 *   (where the O(state) work would be) and renderer.
 *
 * The raw profiles go to `BENCH_CPU_PROF` (or `bench/.tmp/prof/`) as `.cpuprofile` and
 * `.heapprofile` files, for Chrome DevTools or speedscope.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, type Started } from '../lib/servers.js';
import { InspectorProfiler, type CpuProfile, type HeapProfile } from '../lib/inspector-profile.js';
import { frameLines, topAllocations, topSelfTime, topTotalTime } from '../lib/profile-summary.js';
import { makeTodos } from '../state-api.js';
import type { BenchContext } from '../lib/types.js';

interface Scenario {
  readonly ops: number;
  readonly what: string;
  setup(ctx: BenchContext): Promise<Started>;
  warm(s: Started): Promise<void>;
  run(s: Started): Promise<void>;
}

const STATE_ITEMS = 100_000;

/** The same sequential round trip through another contender (the raw echo, birpc), to read remora's profile against. */
function rttOf(kind: 'raw' | 'birpc'): Scenario {
  return {
    ops: 20_000,
    what: `sequential awaited add(i, 1), ${kind} (for comparison with rtt)`,
    setup: (ctx) => start(ctx.workersDir, kind),
    async warm(s) {
      for (let i = 0; i < 5; i++) await s.worker.ask({ cmd: 'seq', n: 2000 });
    },
    async run(s) {
      await s.worker.ask({ cmd: 'seq', n: 20_000 });
    },
  };
}

/** 1000 calls in flight (Promise.all waves), as the throughput case runs them. */
function burstOf(kind: 'remora' | 'raw'): Scenario {
  return {
    ops: 40_000,
    what: `waves of 1000 concurrent add(i, 1), ${kind}`,
    setup: (ctx) => start(ctx.workersDir, kind),
    async warm(s) {
      for (let i = 0; i < 5; i++) await s.worker.ask({ cmd: 'burst', inflight: 1000, reps: 4 });
    },
    async run(s) {
      await s.worker.ask({ cmd: 'burst', inflight: 1000, reps: 40 });
    },
  };
}

const SCENARIOS: Record<string, Scenario> = {
  burst: burstOf('remora'),
  'burst-raw': burstOf('raw'),
  'rtt-raw': rttOf('raw'),
  'rtt-birpc': rttOf('birpc'),
  rtt: {
    ops: 20_000,
    what: 'sequential awaited api.add(i, 1), remora renderer worker → broker',
    setup: (ctx) => start(ctx.workersDir, 'remora'),
    async warm(s) {
      for (let i = 0; i < 5; i++) await s.worker.ask({ cmd: 'seq', n: 2000 });
    },
    async run(s) {
      await s.worker.ask({ cmd: 'seq', n: 20_000 });
    },
  },
  pipeline: {
    ops: 5000,
    what: 'the 5-call pipelined chain await api.link(0).next().next().next().value(), remora',
    setup: (ctx) => start(ctx.workersDir, 'remora'),
    async warm(s) {
      for (let i = 0; i < 5; i++) await s.worker.ask({ cmd: 'pipe', mode: 'chain', n: 500 });
    },
    async run(s) {
      await s.worker.ask({ cmd: 'pipe', mode: 'chain', n: 5000 });
    },
  },
  state: {
    ops: 20,
    what: `awaited dispatch('toggle') on a ${STATE_ITEMS}-item state actor from a renderer replica`,
    setup: (ctx) => {
      const todos = makeTodos(STATE_ITEMS);
      return start(ctx.workersDir, 'remora', undefined, (b) => todos.expose(b, 'todos-100k'));
    },
    async warm(s) {
      await s.worker.ask({ cmd: 'state', n: 10, inflight: 1, name: 'todos-100k', items: STATE_ITEMS }, 120_000);
    },
    async run(s) {
      await s.worker.ask({ cmd: 'state', n: 20, inflight: 1, name: 'todos-100k', items: STATE_ITEMS }, 120_000);
    },
  },
};

function report(side: string, ops: number, p: { profile: CpuProfile; heap?: HeapProfile }, dir: string, tag: string): void {
  writeFileSync(join(dir, `${tag}-${side}.cpuprofile`), JSON.stringify(p.profile));
  const { frames, busyUs } = topSelfTime(p.profile, 18);
  const wallUs = p.profile.endTime - p.profile.startTime;
  console.log(`\n-- ${side}: busy ${(busyUs / ops).toFixed(2)} µs CPU per op (${(busyUs / 1000).toFixed(0)} ms busy of ${(wallUs / 1000).toFixed(0)} ms), top self time:`);
  console.log(frameLines(frames, ops, 'µs').join('\n'));
  console.log(`-- ${side}: remora's own frames by total time (self + callees, libraries included):`);
  console.log(frameLines(topTotalTime(p.profile, 14, (f) => /^(src|actors)\//.test(f)), ops, 'µs').join('\n'));
  if (p.heap) {
    writeFileSync(join(dir, `${tag}-${side}.heapprofile`), JSON.stringify(p.heap));
    const a = topAllocations(p.heap, 12);
    console.log(`-- ${side}: ~${(a.bytes / ops).toFixed(0)} B allocated per op (sampled), top allocating frames:`);
    console.log(frameLines(a.frames, ops, 'B').join('\n'));
  }
}

/** Run one profiling scenario (`name`: rtt, rtt-raw, rtt-birpc, pipeline or state) and print its summary. */
export async function runProfile(ctx: BenchContext, name: string): Promise<void> {
  const sc = SCENARIOS[name];
  if (!sc) throw new Error(`unknown profile "${name}"; profiles: ${Object.keys(SCENARIOS).join(', ')}`);
  const dir = process.env.BENCH_CPU_PROF || join(ctx.workersDir, 'prof');
  mkdirSync(dir, { recursive: true });
  const s = await sc.setup(ctx);
  try {
    ctx.log(`profile ${name}: ${sc.what}; warming up`);
    await sc.warm(s);
    const main = new InspectorProfiler();
    await s.worker.ask({ cmd: 'profStart', heap: true });
    await main.start(true);
    await sc.run(s);
    const mainProfile = await main.stop();
    const workerProfile = await s.worker.ask<{ profile: CpuProfile; heap?: HeapProfile }>({ cmd: 'profStop' }, 120_000);
    console.log(`\n== profile ${name}: ${sc.ops} ops (${sc.what})`);
    report('main', sc.ops, mainProfile, dir, name);
    report('renderer', sc.ops, workerProfile, dir, name);
    console.log(`\nprofiles written to ${dir}`);
  } finally {
    await s.stop();
  }
}
