import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { fetchFeedPage } from '../lib/sources/feed';
import { FEED_CHANNEL, serveFeedThread, type ThreadChannel } from '../lib/sources/feed-thread';

/**
 * The feed thread (lib/sources/feed-thread.ts): a dedicated worker the offscreen document starts, which fetches and
 * parses feed pages for the service worker. Only the extension's origin can reach its channel.
 */
export default defineUnlistedScript(() => {
  serveFeedThread(new BroadcastChannel(FEED_CHANNEL) as unknown as ThreadChannel, fetchFeedPage);
});
