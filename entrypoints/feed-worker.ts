import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { fetchFeedPage } from '../lib/sources/feed';
import { FEED_CHANNEL, FEED_PORT, serveFeedThread, type ThreadChannel } from '../lib/sources/feed-thread';

/**
 * The feed thread (lib/sources/feed-thread.ts): a dedicated worker the offscreen document starts, which fetches and
 * parses feed pages for the service worker, over each MessagePort the document hands it (one per service-worker
 * life), or else over the extension's BroadcastChannel. Only the extension's origin can reach either.
 */
export default defineUnlistedScript(() => {
  serveFeedThread(new BroadcastChannel(FEED_CHANNEL) as unknown as ThreadChannel, fetchFeedPage);
  self.addEventListener('message', ({ data, ports }: MessageEvent<unknown>) => {
    const port = ports[0];
    if ((data as { kind?: unknown } | null)?.kind === FEED_PORT && port) serveFeedThread(port as unknown as ThreadChannel, fetchFeedPage);
  });
});
