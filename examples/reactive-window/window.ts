/**
 * A window-like object for the reactive-window example: an EventEmitter with Electron
 * BrowserWindow's shape (size, focus, and the events `resize`, `focus`, `blur`, `close`).
 */
import { EventEmitter } from 'node:events';

/** Events of the window and their listener arguments. */
export interface WindowEvents {
  resize: [width: number, height: number];
  focus: [];
  blur: [];
  close: [];
}

/** A fake BrowserWindow living in main. */
export class FakeWindow extends EventEmitter<WindowEvents> {
  private size: [number, number] = [1024, 768];
  private focused = true;

  /** Current size, as `BrowserWindow.getSize()`. */
  getSize(): [number, number] {
    return [...this.size];
  }

  /** Whether the window has focus, as `BrowserWindow.isFocused()`. */
  isFocused(): boolean {
    return this.focused;
  }

  /** Resize (as the user dragging the window's edge would) and emit `resize`. */
  setSize(width: number, height: number): void {
    this.size = [width, height];
    this.emit('resize', width, height);
  }

  /** Focus or blur and emit `focus`/`blur`. */
  setFocused(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    this.emit(focused ? 'focus' : 'blur');
  }
}
