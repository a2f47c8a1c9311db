import { useEffect, useMemo, useState } from 'preact/hooks';
import { db } from '../lib/db/instance';
import { lastSuccessfulRun, latestRuns, listSources } from '../lib/db/queries';
import type { RunRow, SourceRow } from '../lib/db/schema';
import { effectiveTimeZone, type Settings } from '../lib/settings';
import { loadSettings } from '../lib/settings-store';
import { computeHealth, type Health } from '../lib/workflow/health';
import { isRunLocked } from '../lib/workflow/lock';
import { nextScheduledRun } from '../lib/workflow/schedule';
import { useLiveQuery } from './use-live-query';
import { useNow } from './use-now';
import { useSettings } from './use-settings';

export type HealthView =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; health: Health; sources: SourceRow[]; runs: RunRow[]; timeZone: string; now: number };

interface HealthStore {
  runs: RunRow[];
  sources: SourceRow[];
  lastSuccess: RunRow | undefined;
}

/** What the health is computed from in the store: the latest few runs and the sources. */
async function readHealthStore(): Promise<HealthStore> {
  const [runs, sources] = await Promise.all([latestRuns(db, 5), listSources(db)]);
  // Only look further back when none of the latest runs succeeded (to tell "failing since when").
  const lastSuccess = runs.some((r) => r.status === 'ok' || r.status === 'warning')
    ? undefined
    : await lastSuccessfulRun(db);
  return { runs, sources, lastSuccess };
}

export interface PreloadedHealth {
  store: HealthStore;
  settings: Settings;
  nextRunAt: number | undefined;
}

/**
 * Reads what the health needs, for a page that wants its first render to show it (the popup: "health visible within
 * 100 ms"): started before the page renders anything, rather than from an effect after its first paint and a live
 * query's first turn, which took ~10 ms of that budget here.
 */
export async function preloadHealth(): Promise<PreloadedHealth> {
  const [store, settings, nextRunAt] = await Promise.all([readHealthStore(), loadSettings(), nextScheduledRun()]);
  return { store, settings, nextRunAt };
}

/**
 * The workflow's health, straight from IndexedDB (no round trip to the service worker, which may be asleep): the
 * latest few runs and the sources, re-read whenever the workflow writes. Kept small so the popup paints at once.
 */
export function useHealth(preloaded?: PreloadedHealth): HealthView {
  const store = useLiveQuery(readHealthStore, [], preloaded && { value: preloaded.store });
  const settings = useSettings(preloaded?.settings);
  const running = store.status === 'ready' && store.value.runs.some((r) => r.status === 'running');
  // A running run is watched more closely: its heartbeat going quiet turns it into a dead run.
  const now = useNow(running ? 5_000 : 15_000);

  const [nextRunAt, setNextRunAt] = useState<number | undefined>(preloaded?.nextRunAt);
  const runsKey = store.status === 'ready' ? store.value.runs : undefined;
  useEffect(() => {
    let alive = true;
    void nextScheduledRun().then((at) => alive && setNextRunAt(at));
    return () => {
      alive = false;
    };
    // The alarm moves when a run starts and when the period is changed.
  }, [runsKey, settings?.periodMinutes]);

  // Extension pages share the worker's Web Locks: a 'running' row whose run lock nobody holds was left by a
  // worker Chrome stopped, so it is shown as stopped at once rather than after the heartbeat timeout.
  const [runLockHeld, setRunLockHeld] = useState<boolean>();
  useEffect(() => {
    if (!running) return setRunLockHeld(undefined);
    let alive = true;
    void isRunLocked().then((held) => alive && setRunLockHeld(held));
    return () => {
      alive = false;
    };
  }, [running, runsKey, now]);

  return useMemo((): HealthView => {
    if (store.status === 'error') return { status: 'error', error: store.error };
    if (store.status === 'loading' || !settings) return { status: 'loading' };
    const { runs, sources, lastSuccess } = store.value;
    const health = computeHealth({
      runs,
      sources,
      lastSuccess,
      periodMinutes: settings.periodMinutes,
      now,
      nextRunAt,
      runLockHeld,
    });
    return { status: 'ready', health, sources, runs, timeZone: effectiveTimeZone(settings), now };
  }, [store, settings, now, nextRunAt, runLockHeld]);
}
