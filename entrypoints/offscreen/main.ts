/**
 * The offscreen document (reason WORKERS) the service worker opens to parse feed pages off its own thread
 * (lib/sources/feed-thread.ts): all it does is start the worker, which talks to the service worker directly.
 */
new Worker('/feed-worker.js');
