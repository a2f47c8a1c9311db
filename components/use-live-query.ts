import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

export type LiveQueryResult<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: unknown };

/**
 * Runs `query` (Dexie calls only: it runs inside liveQuery) and re-runs it whenever the tables it read change, in this
 * page or any other context (the service worker's writes included, via Dexie's storagemutated). Unsubscribes on
 * unmount and when `deps` change; a change of `deps` shows 'loading' again rather than the previous key's data.
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: readonly unknown[]): LiveQueryResult<T> {
  const [result, setResult] = useState<LiveQueryResult<T>>({ status: 'loading' });
  useEffect(() => {
    setResult({ status: 'loading' });
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
