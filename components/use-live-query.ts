import Dexie, { liveQuery } from 'dexie';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

export type LiveQueryResult<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: unknown };

/**
 * Shortest time between two runs of one live query. A big workflow run commits a page every ~200 ms, and Dexie re-runs
 * every live query whose tables a commit touched at once: with the deliveries list open (the page a new user gets on
 * install), that was ~50 re-reads of 50 deliveries' totals and as many renders during a 1 M-event ingest, about half a
 * second of the extension renderer's main thread and IndexedDB reads competing with the worker's writes. Spaced out,
 * such a view still follows the run about once a second; a change after a quiet second shows at once.
 */
export const LIVE_QUERY_MIN_INTERVAL_MS = 1000;

/**
 * `query` for {@link liveQuery}, run at most once per `minMs`: a run asked for sooner (a change to what the last run
 * read) waits for the rest of the interval, and a run superseded while it waits (liveQuery aborts it and ignores its
 * result) does no work. `Dexie.waitFor` keeps the live query's observation context across the wait, so the reads
 * after it are still watched.
 */
export function spacedQuery<T>(query: () => Promise<T>, minMs: number, now: () => number = Date.now): () => Promise<T> {
  let lastStart = Number.NEGATIVE_INFINITY;
  let latest = 0;
  return async () => {
    const mine = ++latest;
    const wait = lastStart + minMs - now();
    if (wait > 0) {
      await Dexie.waitFor(new Promise((resolve) => setTimeout(resolve, wait)));
      // Aborted by liveQuery for a newer run: its result is never used.
      if (mine !== latest) return undefined as T;
    }
    lastStart = now();
    return query();
  };
}

/**
 * Runs `query` (Dexie calls only: it runs inside liveQuery) and re-runs it whenever the tables it read change, in this
 * page or any other context (the service worker's writes included, via Dexie's storagemutated), at most once per
 * {@link LIVE_QUERY_MIN_INTERVAL_MS}. Unsubscribes on unmount and when `deps` change; a change of `deps` shows
 * 'loading' again rather than the previous key's data.
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: readonly unknown[], initial?: { value: T }): LiveQueryResult<T> {
  // `initial`: the query's answer read just before (the popup's first render, ../entrypoints/popup/main.tsx), shown
  // until the live query answers; it keeps showing while the first subscription starts.
  const first = useRef(initial);
  const [result, setResult] = useState<LiveQueryResult<T>>(() => (initial ? { status: 'ready', value: initial.value } : { status: 'loading' }));
  // Without an answer to show, subscribed before the first paint, not after it: the first read starts while the
  // browser paints the loading state (a view's data came a frame later, ~10–16 ms, with `useEffect`). With one, after
  // the paint: what is on screen is already the answer, and the popup's first paint should not wait for a read.
  const subscribeEffect = useRef(initial ? useEffect : useLayoutEffect).current;
  subscribeEffect(() => {
    if (first.current) first.current = undefined;
    else setResult({ status: 'loading' });
    const subscription = liveQuery(spacedQuery(query, LIVE_QUERY_MIN_INTERVAL_MS)).subscribe({
      next: (value) => setResult({ status: 'ready', value }),
      error: (error: unknown) => {
        console.error('Tracking Logs: a store query failed', error);
        setResult({ status: 'error', error });
      },
    });
    return () => subscription.unsubscribe();
  }, deps);
  return result;
}
