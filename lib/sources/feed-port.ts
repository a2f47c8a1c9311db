/**
 * The kind of the message that hands one end of the feed thread's MessageChannel on (service worker → offscreen
 * document → worker; lib/sources/feed-thread.ts). A module of its own, importing nothing: the offscreen document
 * needs only this, and importing it from feed-thread.ts made that document load the pages' shared chunk (~250 KB,
 * wxt.config.ts) for the sources' modules feed-thread.ts imports.
 */
export const FEED_PORT = 'tracking-logs:feed-port';
