/**
 * The cost of argument validation: the same async call to the same implementation, exposed once
 * without schemas and once with a small zod object schema (`validate: 'required'`, output
 * schema off), measured in the same run, interleaved. Both run over an in-process memory pair,
 * the worst case for the ratio: no thread hop hides main's share of the work.
 */
import { z } from 'zod';
import { createBroker } from '../../src/entries/main.js';
import { connect } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { interleaved } from '../lib/harness.js';
import { median } from '../lib/stats.js';
import type { BenchContext, CaseResult } from '../lib/types.js';

type Notes = { save(id: string, body: { text: string; n: number }): number };

/** Run the validation case. */
export async function runValidation(ctx: BenchContext): Promise<CaseResult[]> {
  const impl = (): Notes => ({ save: (_id, body) => body.n + 1 });
  const broker = createBroker();
  broker.exposeModule('plain', impl);
  const schema = z.tuple([z.string().max(64), z.object({ text: z.string().max(1000), n: z.number().int() })]);
  broker.exposeModule('checked', impl, { schemas: { save: { args: schema } }, validate: 'required' });
  const pair = createMemoryPair();
  broker.connect(pair.main);
  const client = connect(pair.renderer);
  const plain = await client.require<Notes>('plain');
  const checked = await client.require<Notes>('checked');
  const n = ctx.smoke ? 300 : 2000;
  const rounds = ctx.smoke ? ctx.rounds : ctx.rounds * 3;
  const body = { text: 'hello', n: 3 };
  const timed = (api: typeof plain) => async (): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await api.save('note-1', body);
    return ((performance.now() - t0) * 1000) / n;
  };
  ctx.log(`validation: ${n} sequential calls, with and without a zod schema, ${rounds} rounds`);
  try {
    const [a, b] = await interleaved([{ name: 'plain', run: timed(plain) }, { name: 'checked', run: timed(checked) }], rounds, ctx.warmup);
    const pm = median(a!);
    const cm = median(b!);
    const r = cm / pm;
    return [{
      id: 'validation', title: 'Validated call vs the same call without validation',
      rows: [
        { impl: 'no schema', value: pm, unit: 'µs', better: 'lower', samples: a!, baseline: true },
        { impl: 'zod tuple schema (string, { text, n })', value: cm, unit: 'µs', better: 'lower', samples: b! },
      ],
      checks: [{ label: 'validated / plain', measured: r, unit: 'x', target: '<= 1.1x', pass: r <= 1.1 }],
      notes: [`${n} sequential awaited save(id, { text, n }) calls per run over a memory pair (in-process, no thread hop), time per call.`],
    }];
  } finally {
    client.close();
    broker.close();
  }
}
