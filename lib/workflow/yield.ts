/**
 * Gives the event loop a turn without a timer's clamping (a MessageChannel message is a task of its own).
 *
 * Why: the next page's body streams into the worker only when its thread is free. Measured in the worker, a
 * 12 MB page took ~0.1–0.25 s to arrive, and it stalled for as long as a page was being prepared in one piece, so
 * transfer and work took turns instead of overlapping. Yielding every few thousand events lets them overlap.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Events handled between two yields. */
export const YIELD_EVERY = 4096;
