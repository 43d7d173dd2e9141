/**
 * The example's page script: compatibility mode (synchronous, like Electron's `remote`) for
 * calls, and typed Observables for window events. Reloading the page (Ctrl+R) releases
 * everything it held in main: watch main's console.
 */
import { debounceTime } from 'rxjs';
import { remote, windowEvent } from 'remora/electron/renderer';
import type { Notes } from './notes.js';

const notes = remote.require<Notes>('notes');
const config = remote.getGlobal<{ appName: string; maxLength: number }>('config');
const win = remote.getCurrentWindow();

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function render(): void {
  const list = notes.list();
  $('count').textContent = String(list.length);
  $<HTMLUListElement>('notes').replaceChildren(
    ...list.map((n) => {
      const li = document.createElement('li');
      li.textContent = `${n.text} (${new Date(n.at).toLocaleTimeString()})`;
      return li;
    }),
  );
}

document.title = config.appName;
$('platform').textContent = `${remote.process.platform} / Electron ${remote.process.versions.electron ?? '?'}`;
$<HTMLInputElement>('text').maxLength = config.maxLength;

$<HTMLFormElement>('form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>('text');
  if (!input.value.trim()) return;
  notes.add(input.value); // synchronous, like remote
  input.value = '';
  win.setTitle(`${config.appName} (${notes.count()})`);
  render();
});

// A listener in main that remora removes when this page reloads (Electron's remote leaked it).
notes.on('changed', () => render());

// Window events as typed Observables; unsubscribed automatically on reload.
windowEvent(win, 'resize')
  .pipe(debounceTime(100))
  .subscribe(({ width, height }) => ($('size').textContent = `${width} × ${height}`));
windowEvent(win, 'focus').subscribe(() => document.body.classList.remove('blurred'));
windowEvent(win, 'blur').subscribe(() => document.body.classList.add('blurred'));

const [w, h] = win.getSize();
$('size').textContent = `${w} × ${h}`;
render();
