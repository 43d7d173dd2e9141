/**
 * The example's preload (sandboxed, context-isolated): exposes remora's channel as
 * `window.remora` and nothing else. Bundled to CommonJS (`dist/preload.cjs`), since a
 * sandboxed preload cannot be an ES module.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeRemora } from 'remora/electron/preload';

exposeRemora({ contextBridge, ipcRenderer });
