import { describe, expect, it } from 'vitest';
import { firstValueFrom, toArray } from 'rxjs';
import { createBroker } from '../../src/entries/main.js';
import { connect, setRemote } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { makeCoreApi, type CoreApi } from '../fixtures/core-api.js';

describe('memory transport', () => {
  it('delivers messages in order, as structured-clone copies', async () => {
    const { main, renderer } = createMemoryPair();
    const got: unknown[] = [];
    main.messages$.subscribe((m) => got.push(m));
    const msg = { n: 1, list: [1, 2] };
    renderer.send(msg);
    msg.list.push(3);
    renderer.send({ n: 2 });
    renderer.send({ n: 3 });
    await Promise.resolve();
    expect(got).toEqual([{ n: 1, list: [1, 2] }, { n: 2 }, { n: 3 }]);
    expect(got[0]).not.toBe(msg);
  });

  it('passes messages as they are with clone: false', async () => {
    const { main, renderer } = createMemoryPair({ clone: false });
    const got: unknown[] = [];
    main.messages$.subscribe((m) => got.push(m));
    const msg = { n: 1 };
    renderer.send(msg);
    await Promise.resolve();
    expect(got[0]).toBe(msg);
  });

  it('closes both ends, delivering what was sent before the close and nothing after', async () => {
    const { main, renderer } = createMemoryPair();
    const mainMessages = firstValueFrom(main.messages$.pipe(toArray()));
    const mainClosed = firstValueFrom(main.closed$);
    const rendererClosed = firstValueFrom(renderer.closed$);
    renderer.send('before');
    renderer.close({ kind: 'reload' });
    renderer.send('after');
    main.send('too late');
    expect(await mainMessages).toEqual(['before']);
    expect(await mainClosed).toEqual({ kind: 'reload' });
    expect(await rendererClosed).toEqual({ kind: 'reload' });
  });

  it('lets a synchronous call made right after connecting arrive after the handshake', () => {
    const broker = createBroker();
    broker.exposeModule('api', () => makeCoreApi());
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const client = connect(renderer);
    // No await anywhere: the hello is still queued when the blocking call goes out.
    const api = client.remote.require<CoreApi>('api');
    expect(api.add(2, 3)).toBe(5);
    expect(api.version).toBe('1.0');
  });

  it('keeps async frames queued before a synchronous call ahead of it', async () => {
    const broker = createBroker();
    broker.exposeModule('api', () => makeCoreApi());
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const client = connect(renderer);
    const api = await client.require<CoreApi>('api');
    const sync = client.remote.require<CoreApi>('api');
    const assigned = setRemote(api, 'version', '2.0'); // queued for the end of the tick
    expect(sync.version).toBe('2.0'); // the blocking read goes out after it
    await assigned;
  });
});
