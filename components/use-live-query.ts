import { liveQuery } from 'dexie';
import { useEffect, useRef, useState } from 'preact/hooks';

export type LiveQueryResult<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: unknown };

/**
 * Runs `query` (Dexie calls only: it runs inside liveQuery) and re-runs it whenever the tables it read change, in this
 * page or any other context (the service worker's writes included, via Dexie's storagemutated). Unsubscribes on
 * unmount and when `deps` change; a change of `deps` shows 'loading' again rather than the previous key's data.
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: readonly unknown[], initial?: { value: T }): LiveQueryResult<T> {
  // `initial`: the query's answer read just before (the popup's first render, ../entrypoints/popup/main.tsx), shown
  // until the live query answers; it keeps showing while the first subscription starts.
  const first = useRef(initial);
  const [result, setResult] = useState<LiveQueryResult<T>>(() => (initial ? { status: 'ready', value: initial.value } : { status: 'loading' }));
  useEffect(() => {
    if (first.current) first.current = undefined;
    else setResult({ status: 'loading' });
    const subscription = liveQuery(query).subscribe({
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
