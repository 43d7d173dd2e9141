/**
 * A workload page of the inspector demo: a remora renderer that listens to main's ticker,
 * subscribes to prices and keeps calling the catalogue and payments, so the inspector has
 * something to show.
 */
import { connect } from 'remora/renderer';
import { connectToMain } from 'remora/transports/websocket-page';
import type { Catalogue, Legacy, Payments } from './api.js';

const client = connect(await connectToMain(), { name: `shop-${location.hash.includes('b') ? 'b' : 'a'}` });
const shop = await client.require<Catalogue>('catalogue');
const pay = await client.require<Payments>('payments');
// legacy is stopped for good after its first failure: a page loaded later cannot get it.
const legacy = await client.require<Legacy>('legacy').catch(() => undefined);
let ticks = 0;
let price = 0;
const ticker = await shop.ticker.on('tick', () => {
  ticks++;
});
(await shop.prices()).subscribe((p) => {
  price = p;
});
const held = await Promise.all([0, 1, 2].map((i) => shop.item(i)));
const status = document.getElementById('status')!;
const loop = async (): Promise<void> => {
  for (let i = 0; ; i++) {
    await shop.count();
    await shop.search('a');
    if (i % 3 === 0) await pay.charge(10 + i).catch(() => undefined);
    if (i === 20) await legacy?.ping(true).catch(() => undefined);
    if (i > 20 && i % 10 === 0) await legacy?.ping(false).catch(() => undefined);
    status.textContent = `calls ${i} · ticks ${ticks} · price ${price} · holding ${held.length} · ${ticker ? 'listening' : ''}`;
    await new Promise((r) => setTimeout(r, 15 + Math.random() * 30));
  }
};
document.body.dataset.ready = '1';
void loop();
