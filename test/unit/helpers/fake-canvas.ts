import { vi } from 'vitest';

/** A text uPlot wrote on the canvas: a tick, an axis title. */
export interface DrawnText {
  text: string;
  x: number;
  y: number;
  align: string;
}

export interface FakeCanvas {
  /** Every text written since install or the last `clear()`, in order. */
  readonly drawn: DrawnText[];
  clear(): void;
  restore(): void;
}

class FakePath2D {
  moveTo(): void {}
  lineTo(): void {}
  rect(): void {}
  arc(): void {}
  closePath(): void {}
  bezierCurveTo(): void {}
  addPath(): void {}
}

/**
 * happy-dom has no canvas: uPlot gets a 2D context that takes every call and draws nothing, measures text with
 * `measure` (by default 7 px a character), and keeps the text it writes, so a test can read the ticks and titles a
 * user would see.
 */
export function installFakeCanvas(measure: (text: string) => number = (text) => text.length * 7): FakeCanvas {
  const realGetContext = HTMLCanvasElement.prototype.getContext;
  const drawn: DrawnText[] = [];
  const state: Record<string | symbol, unknown> = {};
  const ctx = new Proxy(state, {
    get: (target, key) => {
      if (key === 'fillText') {
        return (text: unknown, x: number, y: number) => drawn.push({ text: String(text), x, y, align: String(target.textAlign) });
      }
      if (key === 'measureText') return (text: unknown) => ({ width: measure(String(text)) });
      return key in target ? target[key] : () => undefined;
    },
    set: (target, key, value) => {
      target[key] = value;
      return true;
    },
  });
  HTMLCanvasElement.prototype.getContext = (() => ctx) as unknown as typeof realGetContext;
  if (typeof globalThis.Path2D === 'undefined') vi.stubGlobal('Path2D', FakePath2D);
  return {
    drawn,
    clear: () => {
      drawn.length = 0;
    },
    restore: () => {
      HTMLCanvasElement.prototype.getContext = realGetContext;
      vi.unstubAllGlobals();
    },
  };
}
