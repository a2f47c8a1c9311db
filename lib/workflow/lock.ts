/**
 * One tracking run at a time: the alarm, "Run now" and a startup catch-up can collide. The Web Locks API is
 * used where it exists (service worker, extension pages): a lock held by a worker that Chrome stops is released
 * with it, so a killed run never blocks the next one. Elsewhere (unit tests) an in-memory flag does the same job.
 */
export const RUN_LOCK = 'tracking-workflow-run';

let heldInMemory = false;

export type LockResult<T> = { ran: true; value: T } | { ran: false };

/** Runs `fn` if no run holds the lock, else returns `{ ran: false }` at once. */
export async function withRunLock<T>(fn: () => Promise<T>): Promise<LockResult<T>> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) {
    return locks.request(RUN_LOCK, { ifAvailable: true }, async (lock): Promise<LockResult<T>> => {
      if (!lock) return { ran: false };
      return { ran: true, value: await fn() };
    });
  }
  if (heldInMemory) return { ran: false };
  heldInMemory = true;
  try {
    return { ran: true, value: await fn() };
  } finally {
    heldInMemory = false;
  }
}

/** True while a run holds the lock (for answering "is it running?" without a store read). */
export async function isRunLocked(): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) {
    const state = await locks.query();
    return (state.held ?? []).some((l) => l.name === RUN_LOCK);
  }
  return heldInMemory;
}

/**
 * Runs `fn` holding the run lock, waiting first for a run that holds it to end (`onWait` is called then, so a page
 * can say why nothing happens yet). Aborting `signal` while waiting rejects with the signal's reason. Used by the
 * file import, which writes through the same StoreWriter path as a run and so must never overlap one.
 */
export async function withRunLockWaiting<T>(
  fn: () => Promise<T>,
  options: { signal?: AbortSignal | undefined; onWait?: (() => void) | undefined } = {},
): Promise<T> {
  const first = await withRunLock(fn);
  if (first.ran) return first.value;
  options.onWait?.();
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request(RUN_LOCK, options.signal ? { signal: options.signal } : {}, () => fn());
  for (;;) {
    options.signal?.throwIfAborted();
    const next = await withRunLock(fn);
    if (next.ran) return next.value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
