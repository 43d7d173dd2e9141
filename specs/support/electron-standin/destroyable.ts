/**
 * Electron's rule for native objects after destroy, as the stand-in applies it: every native
 * member of a destroyed `webContents` or `BrowserWindow` throws "Object has been destroyed",
 * `isDestroyed()` excepted; JS-side members (the EventEmitter methods) keep working. Electron
 * gets there through gin_helper's destroyable wrappers (shell/common/gin_helper/
 * trackable_object.h, `CleanedUpAtExit`/`Destroyable`: a call on a wrapper whose native object
 * is gone throws), and the native object is cleared *before* `destroyed` is emitted
 * (shell/browser/api/electron_api_web_contents.cc, `WebContentsDestroyed`; electron#50249), so
 * a `destroyed` listener that reads `wc.id` throws too.
 */

/** The error Electron throws. */
export const DESTROYED = 'Object has been destroyed';

/**
 * `target` behind a guard: reading a member in `native` throws once `isDestroyed()` is true.
 * Methods run with the guarded object as `this`, so a stand-in method that reads a native
 * member after destroy throws as Electron would.
 */
export function destroyable<T extends object>(target: T, native: ReadonlySet<PropertyKey>, isDestroyed: () => boolean): T {
  return new Proxy(target, {
    get(t, key) {
      if (native.has(key) && isDestroyed()) throw new Error(DESTROYED);
      return Reflect.get(t, key, t);
    },
  });
}
