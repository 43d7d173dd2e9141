/**
 * The app's main-side code under test: a settings service, and the one function that exposes
 * it to renderers. Kept apart from the process's startup (creating windows or workers) so a
 * test can hand it a broker of its own.
 */
import { EventEmitter } from 'node:events';
import type { Broker } from 'remora/main';

/** What the settings service announces. */
export type SettingsEvents = { theme: [theme: Theme] };
/** The themes the app knows. */
export type Theme = 'light' | 'dark';

/** The app's settings: the current theme, and an emitter renderers watch for changes. */
export function createSettings(initial: Theme = 'light') {
  let theme: Theme = initial;
  const events = new EventEmitter<SettingsEvents>();
  return {
    events,
    theme: (): Theme => theme,
    setTheme(next: Theme): Theme {
      if (next !== 'light' && next !== 'dark') throw new RangeError(`Unknown theme: ${String(next)}`);
      theme = next;
      events.emit('theme', next);
      return theme;
    },
  };
}

/** The settings service's type, as renderers see it through `client.require<Settings>`. */
export type Settings = ReturnType<typeof createSettings>;

/** Expose the app's services on `broker` (what the app's main process calls at startup). */
export function exposeApp(broker: Broker, settings: Settings = createSettings()): void {
  broker.exposeModule('settings', () => settings);
}
