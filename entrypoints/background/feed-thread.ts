import { browser, type Browser } from 'wxt/browser';
import { createFeedThread, FEED_CHANNEL, type FeedThread, type ThreadChannel } from '../../lib/sources/feed-thread';

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

/** The feed thread, for the workflow's feed adapter. */
export function createBackgroundFeedThread(): FeedThread {
  return createFeedThread({
    ensure: ensureOffscreen,
    close: () => browser.offscreen.closeDocument(),
    channel: new BroadcastChannel(FEED_CHANNEL) as unknown as ThreadChannel,
  });
}
