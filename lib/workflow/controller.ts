import type { RunTrigger } from '../db/schema';
import { computeHealth, badgeFor, type Health } from './health';
import { withRunLock } from './lock';
import { markInterruptedRuns, runWorkflow, type WorkflowDeps } from './run';
import { ensureTrackingAlarm, isOverdue } from './schedule';
import type { browser } from 'wxt/browser';

export interface ControllerDeps extends WorkflowDeps {
  alarms: Pick<typeof browser.alarms, 'get' | 'create'>;
  periodMinutes: () => Promise<number>;
  setBadge: (badge: { text: string; color: string } | null) => Promise<void>;
  /** Called every ~20 s while a run is going, to keep the MV3 worker awake (an extension API call does). */
  keepAlive?: () => Promise<unknown>;
}

export interface StartResult {
  started: boolean;
}

/**
 * The workflow as the background sees it: start runs (one at a time), keep the alarm, catch up on wake, and keep
 * the toolbar badge in step with the health. Plain TypeScript: the background entrypoint only wires listeners to it.
 */
export function createWorkflowController(deps: ControllerDeps): {
  start: (trigger: RunTrigger) => Promise<StartResult>;
  wake: () => Promise<void>;
  ensureAlarm: () => Promise<void>;
  refreshBadge: () => Promise<Health>;
} {
  /**
   * The wake's marking of runs a stopped worker left behind, which holds the run lock for a moment. The event that
   * woke the worker ("Run now", the alarm) comes right after it: a start waits for the marking instead of being
   * refused by it as if a run were going (a "Run now" after the worker had idled then said "already running" and
   * ran nothing).
   */
  let marking: Promise<unknown> = Promise.resolve();

  /** Resolves once the lock is taken (started) or refused; the run itself goes on after. */
  const start = async (trigger: RunTrigger): Promise<StartResult> => {
    await marking.catch(() => undefined);
    return new Promise<StartResult>((resolve) => {
      let timer: ReturnType<typeof setInterval> | undefined;
      const finished = withRunLock(async () => {
        resolve({ started: true });
        if (deps.keepAlive) timer = setInterval(() => void deps.keepAlive?.(), 20_000);
        try {
          await runWorkflow(deps, trigger);
        } finally {
          if (timer) clearInterval(timer);
        }
      });
      void finished
        .then((result) => {
          if (!result.ran) resolve({ started: false });
        })
        .catch((error: unknown) => {
          console.error('Tracking workflow run failed', error);
          resolve({ started: false });
        })
        .finally(() => void refreshBadge());
    });
  };

  const ensureAlarm = async (): Promise<void> => {
    await ensureTrackingAlarm(deps.alarms, await deps.periodMinutes());
  };

  const refreshBadge = async (): Promise<Health> => {
    const [runs, sources, periodMinutes] = await Promise.all([
      deps.db.runs.orderBy('startedAt').reverse().limit(5).toArray(),
      deps.db.sources.toArray(),
      deps.periodMinutes(),
    ]);
    const health = computeHealth({ runs, sources, periodMinutes, now: deps.now() });
    await deps.setBadge(badgeFor(health));
    return health;
  };

  /** Every worker start: runs left 'running' by a stopped worker become 'interrupted'; an overdue run starts. */
  const wake = async (): Promise<void> => {
    // Asked for before anything is awaited: wake() is called as the worker starts, before any event reaches it.
    marking = withRunLock(() => markInterruptedRuns(deps.db, deps.now()));
    await ensureAlarm();
    await marking;
    const last = await deps.db.runs.orderBy('startedAt').last();
    const interrupted = last?.status === 'interrupted';
    const hasSources = (await deps.db.sources.filter((s) => s.enabled).count()) > 0;
    if (hasSources && (interrupted || isOverdue(last?.startedAt, await deps.periodMinutes(), deps.now()))) {
      await start('startup');
    } else {
      await refreshBadge();
    }
  };

  return { start, wake, ensureAlarm, refreshBadge };
}
