import { browser, type Browser } from 'wxt/browser';
import { createFeedThread, FEED_CHANNEL, FEED_PORT, type FeedThread, type ThreadChannel } from '../../lib/sources/feed-thread';

const OFFSCREEN_URL = 'offscreen.html';

let creating: Promise<void> | undefined;

/** Opens the offscreen document that runs the feed worker, unless it is open; false when the browser has no such API. */
async function ensureOffscreen(): Promise<boolean> {
  if (!browser.offscreen?.createDocument || !browser.runtime.getContexts) return false;
  const open = await browser.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT' as Browser.runtime.ContextType] });
  if (open.length > 0) return true;
  creating ??= browser.offscreen
    .createDocument({
      url: OFFSCREEN_URL,
      reasons: ['WORKERS' as Browser.offscreen.Reason],
      justification: 'Fetches and parses tracking feed pages on a worker thread while the service worker stores them.',
    })
    .finally(() => {
      creating = undefined;
    });
  await creating;
  return true;
}

/**
 * A MessageChannel to the feed worker: one end goes to the offscreen document (a client of this worker), which hands
 * it on to its worker (entrypoints/offscreen/main.ts); the other is returned. Undefined when the document is not
 * among the clients (then the BroadcastChannel serves).
 */
async function connectPort(): Promise<ThreadChannel | undefined> {
  // The worker's `clients` (the DOM library's types here have no ServiceWorkerGlobalScope).
  const scope = globalThis as unknown as {
    clients: { matchAll(options: { includeUncontrolled: boolean }): Promise<{ url: string; postMessage(message: unknown, transfer: Transferable[]): void }[]> };
  };
  const url = browser.runtime.getURL(`/${OFFSCREEN_URL}`);
  const doc = (await scope.clients.matchAll({ includeUncontrolled: true })).find((c) => c.url === url);
  if (!doc) return undefined;
  const { port1, port2 } = new MessageChannel();
  doc.postMessage({ kind: FEED_PORT }, [port2]);
  return port1 as unknown as ThreadChannel;
}

/** The feed thread, for the workflow's feed adapter. */
export function createBackgroundFeedThread(): FeedThread {
  return createFeedThread({
    ensure: ensureOffscreen,
    close: () => browser.offscreen.closeDocument(),
    connect: connectPort,
    channel: new BroadcastChannel(FEED_CHANNEL) as unknown as ThreadChannel,
  });
}
