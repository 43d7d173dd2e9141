/**
 * The app's renderer-side code under test: a theme toggle and a stream of the theme's CSS
 * class, written against a remora client so it runs the same in a page, a worker or a test.
 */
import { map, startWith, type Observable } from 'rxjs';
import { fromRemoteEvent, type RemoraClient } from 'remora/renderer';
import type { Settings, Theme } from './settings.js';

/** Flip the app's theme in main and return the new one. */
export async function toggleTheme(client: RemoraClient): Promise<Theme> {
  const settings = await client.require<Settings>('settings');
  return settings.setTheme((await settings.theme()) === 'light' ? 'dark' : 'light');
}

/** The CSS class for the current theme: now, then on every change main announces. */
export async function themeClass(client: RemoraClient): Promise<Observable<string>> {
  const settings = await client.require<Settings>('settings');
  const now = await settings.theme();
  return fromRemoteEvent(settings.events, 'theme').pipe(
    startWith(now),
    map((theme) => `theme-${theme}`),
  );
}
