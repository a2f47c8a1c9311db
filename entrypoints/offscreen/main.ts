import { FEED_PORT } from '../../lib/sources/feed-port';

/**
 * The offscreen document (reason WORKERS) the service worker opens to parse feed pages off its own thread
 * (lib/sources/feed-thread.ts): it starts the worker, and passes on to it each end of a MessageChannel the service
 * worker sends (FEED_PORT), over which the two then talk directly.
 */
const worker = new Worker('/feed-worker.js');
navigator.serviceWorker.onmessage = ({ data, ports }: MessageEvent<unknown>) => {
  const port = ports[0];
  if ((data as { kind?: unknown } | null)?.kind === FEED_PORT && port) worker.postMessage({ kind: FEED_PORT }, [port]);
};
