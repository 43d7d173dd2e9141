/**
 * The inspector page: a remora renderer. It connects to the inspector's dedicated broker over
 * the WebSocket page transport (token from the URL fragment), subscribes to the `snapshots()`
 * Observable and draws each picture. Bundled for the browser by `page-bundle.ts`.
 * @packageDocumentation
 */
import { connect } from '../../renderer/index.js';
import { connectToMain } from '../../transports/websocket-page.js';
import type { InspectorApi, InspectorSnapshot } from '../snapshot.js';
import { chartView } from './chart.js';
import { Timeline, type TimelineFilter } from './timeline.js';
import { actorsView, deadView, esc, methodsView, sessionsView, totalsView } from './views.js';

const $ = (id: string): HTMLElement => document.getElementById(id)!;
const timeline = new Timeline();
const filter: TimelineFilter = { session: '', actor: '', kind: '' };
let lastSeq = 0;

/** Keep a filter's options in step with what has been seen, without disturbing the choice. */
function syncOptions(select: HTMLSelectElement, values: Set<string>, all: string): void {
  if (select.options.length === values.size + 1 && [...values].every((v) => [...select.options].some((o) => o.value === v))) return;
  const chosen = select.value;
  select.innerHTML = [`<option value="">${all}</option>`, ...[...values].sort().map((v) => `<option value="${esc(v)}">${esc(v)}</option>`)].join('');
  select.value = chosen;
}

function drawTimeline(): void {
  const notes = [];
  if (timeline.paused) notes.push('paused');
  if (timeline.skipped) notes.push(`${timeline.skipped} events not sent (over the per-picture bound)`);
  if (timeline.droppedPictures) notes.push(`${timeline.droppedPictures} pictures dropped by flow control`);
  $('tl-note').textContent = notes.join(' · ');
  if (!timeline.paused) $('timeline').innerHTML = timeline.view(filter);
}

function draw(s: InspectorSnapshot): void {
  if (lastSeq && s.seq > lastSeq + 1) timeline.droppedPictures += s.seq - lastSeq - 1;
  lastSeq = s.seq;
  $('totals').innerHTML = totalsView(s.totals);
  $('sessions').innerHTML = sessionsView(s.sessions);
  $('actors').innerHTML = actorsView(s.tree);
  $('methods').innerHTML = methodsView(s.methods);
  $('window').textContent = `last ${Math.round(s.windowMs / 1000)} s`;
  $('dead').innerHTML = deadView(s.deadLetters);
  $('chart').innerHTML = chartView(s.series);
  timeline.add(s.events, s.eventsSkipped);
  syncOptions($('f-session') as HTMLSelectElement, timeline.sessions, 'all sessions');
  syncOptions($('f-actor') as HTMLSelectElement, timeline.actors, 'all actors');
  syncOptions($('f-kind') as HTMLSelectElement, timeline.kinds, 'all kinds');
  drawTimeline();
  document.body.dataset.seq = String(s.seq);
  document.body.dataset.ready = '1';
}

for (const [id, key] of [['f-session', 'session'], ['f-actor', 'actor'], ['f-kind', 'kind']] as const) {
  $(id).addEventListener('change', (ev) => {
    filter[key] = (ev.target as HTMLSelectElement).value;
    drawTimeline();
  });
}
$('pause').addEventListener('click', () => {
  timeline.paused = !timeline.paused;
  $('pause').textContent = timeline.paused ? 'Resume' : 'Pause';
  drawTimeline();
});

try {
  const client = connect(await connectToMain(), { name: 'remora-inspector' });
  const inspector = await client.require<InspectorApi>('inspector');
  const pictures = await inspector.snapshots();
  $('conn').textContent = 'live';
  $('conn').className = 'ok';
  pictures.subscribe({
    next: draw,
    error: (e: unknown) => {
      $('conn').textContent = `disconnected (${(e as { code?: string }).code ?? String(e)})`;
      $('conn').className = 'bad';
    },
  });
} catch (e) {
  $('conn').textContent = `could not connect: ${String(e)}`;
  $('conn').className = 'bad';
}
