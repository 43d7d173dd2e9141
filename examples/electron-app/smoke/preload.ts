/**
 * The smoke's preload (sandboxed, context-isolated): remora's bridge, plus one test channel
 * that checks Electron's own `returnValue` rule for a value that cannot be cloned.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeRemora } from 'remora/electron/preload';

exposeRemora({ contextBridge, ipcRenderer });
contextBridge.exposeInMainWorld('smokeIpc', {
  uncloneable: (): unknown => ipcRenderer.sendSync('smoke:uncloneable'),
});
