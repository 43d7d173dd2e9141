import { describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { connect } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';

function setup() {
  const broker = createBroker();
  broker.exposeModule('api', () => ({
    fail(): never {
      throw Object.assign(new Error('nope'), { code: 'ENOPE' });
    },
    twice: (n: number) => n * 2,
  }));
  const { main, renderer } = createMemoryPair();
  broker.connect(main);
  return connect(renderer).require<{ fail(): void; twice(n: number): number }>('api');
}

describe('pending values as promises', () => {
  it('catches a failed call with .catch, like a Promise', async () => {
    const api = setup();
    const code = await api.fail().catch((e: { code?: string }) => e.code);
    expect(code).toBe('ENOPE');
  });

  it('runs .finally after a successful call and keeps its value', async () => {
    const api = setup();
    let ran = false;
    const v = await api.twice(21).finally(() => (ran = true));
    expect(v).toBe(42);
    expect(ran).toBe(true);
  });
});
