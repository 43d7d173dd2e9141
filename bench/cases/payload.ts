/**
 * Payloads: one renderer echoes values of 1 KiB to 16 MiB through main (`await api.echo(v)`),
 * as strings, arrays of small objects and ArrayBuffers, against a raw postMessage of the same
 * value each way. And zero-copy transfer of an ArrayBuffer through a worker MessagePort (raw,
 * the buffer transferred both ways) against copying it.
 *
 * remora takes part both ways: copying (`api.echo(buf)`) and moving the buffer with its
 * marker (`api.echoMoved(transfer(buf, [buf]))`, main returning `transfer(v, [v])`).
 */
import { median } from '../lib/stats.js';
import { type Contender, interleaved } from '../lib/harness.js';
import { startFleet } from '../lib/fleet.js';
import type { BenchContext, CaseResult, Row } from '../lib/types.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const sizeText = (b: number): string => (b >= MiB ? `${b / MiB} MiB` : `${b / KiB} KiB`);
type Kind = 'string' | 'object' | 'arraybuffer';
const KINDS: Record<Kind, string> = { string: 'strings', object: 'objects (arrays of ~64-byte records)', arraybuffer: 'ArrayBuffers' };

/** Echoes per timed run: about 8 MiB of payload each way, at least 2, at most 200. */
const perRun = (size: number, smoke: boolean): number => (smoke ? 2 : Math.max(2, Math.min(200, Math.round((8 * MiB) / size))));

/** Run the payload and transfer cases. */
export async function runPayload(ctx: BenchContext): Promise<CaseResult[]> {
  const sizes = ctx.smoke ? [KiB, 64 * KiB] : [KiB, 64 * KiB, MiB, 16 * MiB];
  // 16 MiB of payload plus framing is over the default 16 MiB frame and reply limits.
  const fleet = await startFleet(ctx.workersDir, 1, { limits: { maxFrameBytes: 64 * MiB, maxReplyBytes: 64 * MiB, maxMessageBytes: 64 * MiB } });
  const w = fleet.workers[0]!;
  const rounds = ctx.smoke ? 1 : 5;
  const out: CaseResult[] = [];
  try {
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const rows: Row[] = [];
      for (const size of sizes) {
        const n = perRun(size, ctx.smoke);
        const unit = size >= MiB ? 'ms' : 'µs';
        const scale = unit === 'ms' ? 1000 : 1;
        ctx.log(`payload: ${kind} ${sizeText(size)} × ${n} echoes, ${rounds} rounds`);
        const mk = (impl: 'raw' | 'remora'): Contender => ({ name: impl, run: async () => (await w.ask<{ us: number }>({ cmd: 'echo', impl, kind, size, n }, 600_000)).us / scale });
        const [raw, remora] = await interleaved([mk('raw'), mk('remora')], rounds, 1, 0);
        const rawName = `raw postMessage, ${sizeText(size)}`;
        const mbps = (v: number): string => `${((2 * size) / MiB / ((v * scale) / 1e6)).toFixed(0)} MiB/s`;
        rows.push({ impl: rawName, value: median(raw!), unit, better: 'lower', baseline: true, samples: raw!, extra: { throughput: mbps(median(raw!)) } });
        rows.push({ impl: `remora, ${sizeText(size)}`, value: median(remora!), unit, better: 'lower', vs: rawName, samples: remora!, extra: { throughput: mbps(median(remora!)) } });
        await w.ask({ cmd: 'drop' });
      }
      out.push({
        id: `payload-${kind}`, title: `Payload round trip: ${KINDS[kind]}`, rows, checks: [],
        notes: [`One renderer sends the value to main and gets it back (await api.echo(v) through remora; raw: postMessage each way, structured clone). Time per round trip; throughput counts both directions. Broker limits maxFrameBytes, maxReplyBytes and maxMessageBytes raised to 64 MiB for the 16 MiB values.`],
      });
    }

    // Zero-copy transfer (raw) against copying.
    const tsizes = ctx.smoke ? [64 * KiB] : [64 * KiB, MiB, 16 * MiB];
    const rows: Row[] = [];
    for (const size of tsizes) {
      const n = perRun(size, ctx.smoke);
      const unit = size >= MiB ? 'ms' : 'µs';
      const scale = unit === 'ms' ? 1000 : 1;
      ctx.log(`transfer: ArrayBuffer ${sizeText(size)} × ${n}, ${rounds} rounds`);
      const mk = (impl: 'raw' | 'remora', transfer: boolean): Contender => ({
        name: `${impl}${transfer ? '-transfer' : ''}`,
        run: async () => (await w.ask<{ us: number }>({ cmd: 'echo', impl, kind: 'arraybuffer', size, n, transfer }, 600_000)).us / scale,
      });
      const [copy, moved, remora, remoraMoved] = await interleaved([mk('raw', false), mk('raw', true), mk('remora', false), mk('remora', true)], rounds, 1, 0);
      const base = `raw postMessage copy, ${sizeText(size)}`;
      rows.push({ impl: base, value: median(copy!), unit, better: 'lower', baseline: true, samples: copy! });
      rows.push({ impl: `raw postMessage transfer (zero copy), ${sizeText(size)}`, value: median(moved!), unit, better: 'lower', vs: base, samples: moved! });
      rows.push({ impl: `remora copy, ${sizeText(size)}`, value: median(remora!), unit, better: 'lower', vs: base, samples: remora! });
      rows.push({ impl: `remora transfer(buf, [buf]) (zero copy), ${sizeText(size)}`, value: median(remoraMoved!), unit, better: 'lower', vs: base, samples: remoraMoved! });
      await w.ask({ cmd: 'drop' });
    }
    out.push({
      id: 'transfer', title: 'Zero-copy ArrayBuffer transfer over a worker MessagePort', rows, checks: [],
      notes: ['The renderer sends an ArrayBuffer to main and gets it back, copied (structured clone) or transferred both ways (raw: transferList; remora: `api.echoMoved(transfer(buf, [buf]))` from remora/renderer, main returning `transfer(v, [v])` from remora/main).'],
    });
    return out;
  } finally {
    await fleet.stop();
  }
}
