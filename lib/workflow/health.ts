import type { RunRow, SourceRow } from '../db/schema';
import type { RunIssue } from './issues';

/**
 * Health of the tracking workflow, as the popup and the tracking view show it. Pure: the caller reads the runs,
 * sources, settings and the alarm, and passes a clock.
 */
export type HealthState = 'never' | 'running' | 'healthy' | 'warning' | 'failing' | 'stale';

/** A run whose heartbeat is older than this is dead (the service worker was stopped mid-run), not running. */
export const HEARTBEAT_TIMEOUT_MS = 2 * 60_000;
/** Data is stale when the last successful run is older than this many periods. */
export const STALE_PERIODS = 2;

export interface HealthInput {
  /** The latest runs, newest first; a few are enough. */
  runs: readonly RunRow[];
  sources: readonly SourceRow[];
  periodMinutes: number;
  now: number;
  /**
   * The latest run that ended ok or with warnings, when it may be older than `runs` reaches
   * (lib/db/queries.ts `lastSuccessfulRun`).
   */
  lastSuccess?: RunRow | undefined;
  /** When the alarm fires next (browser.alarms), read by the caller. */
  nextRunAt?: number | undefined;
  /**
   * Whether a worker holds the run lock (lib/workflow/lock.ts `isRunLocked`), when the caller could tell. A
   * 'running' row without the lock belongs to a worker Chrome stopped: dead at once, not after the heartbeat
   * timeout, so "Run now" is offered again right away.
   */
  runLockHeld?: boolean | undefined;
}

export interface RunProgress {
  runId: number | undefined;
  startedAt: number;
  /** Events stored so far by this run. */
  events: number;
  /** Label of the source being fetched, when known. */
  currentSource?: string | undefined;
  sourcesDone: number;
  sourcesTotal: number;
}

export interface Health {
  state: HealthState;
  /** No source is configured at all: the popup shows its empty state. */
  empty: boolean;
  enabledSources: number;
  /** The live run, when `state` is 'running'. */
  progress?: RunProgress | undefined;
  /** The latest run that has finished (ok, warning, error or interrupted). */
  lastRun?: RunRow | undefined;
  /** When the last run that ended ok or with warnings ended. */
  lastSuccessAt?: number | undefined;
  nextRunAt?: number | undefined;
  /** True when the alarm's time has passed by more than a period: the schedule is not keeping up. */
  overdue: boolean;
  /** Duration of `lastRun`, ms. */
  lastRunDurationMs?: number | undefined;
  /** Events stored by `lastRun`. */
  lastRunAdded?: number | undefined;
  /** Errors and warnings of `lastRun`'s log, newest first (at most 5). */
  lastIssues: RunIssue[];
  /** Enabled sources whose latest outcome failed. */
  failingSources: SourceRow[];
}

const isSuccess = (run: RunRow): boolean => run.status === 'ok' || run.status === 'warning';
const endOf = (run: RunRow): number => run.endedAt ?? run.heartbeat ?? run.startedAt;

export function isLive(run: RunRow, now: number, runLockHeld?: boolean): boolean {
  if (runLockHeld === false) return false;
  return run.status === 'running' && now - run.heartbeat < HEARTBEAT_TIMEOUT_MS;
}

export function storedBy(run: RunRow): number {
  let n = 0;
  for (const s of run.sources) n += s.stored;
  return n;
}

export function computeHealth(input: HealthInput): Health {
  const { runs, sources, periodMinutes, now } = input;
  const periodMs = Math.max(1, periodMinutes) * 60_000;
  // File sources are filled by imports, never fetched by the workflow, and an import's run (trigger 'import') says
  // nothing about the workflow's health: a cancelled import or a file with bad rows is not a failing workflow.
  // A live import still shows as running (it holds the run lock, so no workflow run can start meanwhile).
  const enabled = sources.filter((s) => s.enabled && s.kind !== 'file');
  const workflowRuns = runs.filter((r) => r.trigger !== 'import');

  const live = runs.find((r) => isLive(r, now, input.runLockHeld));
  // A 'running' row with a dead heartbeat never finished; it is neither live nor a result.
  const lastRun = workflowRuns.find((r) => r.status !== 'running');

  let lastSuccess = workflowRuns.find(isSuccess);
  if (input.lastSuccess && input.lastSuccess.trigger !== 'import' && (!lastSuccess || endOf(input.lastSuccess) > endOf(lastSuccess))) {
    lastSuccess = input.lastSuccess;
  }
  const lastSuccessAt = lastSuccess ? endOf(lastSuccess) : undefined;

  const nextRunAt = input.nextRunAt;
  const health: Health = {
    state: 'healthy',
    empty: sources.length === 0,
    enabledSources: enabled.length,
    lastRun,
    lastSuccessAt,
    nextRunAt,
    overdue: nextRunAt !== undefined && now - nextRunAt > periodMs,
    lastRunDurationMs: lastRun?.endedAt !== undefined ? Math.max(0, lastRun.endedAt - lastRun.startedAt) : undefined,
    lastRunAdded: lastRun ? storedBy(lastRun) : undefined,
    lastIssues: lastRun
      ? lastRun.log
          .filter((i) => i.level !== 'info')
          .slice(-5)
          .reverse()
      : [],
    failingSources: enabled.filter((s) => s.last !== undefined && !s.last.ok),
  };

  if (live) {
    const current = live.sources.find((s) => !s.done);
    health.state = 'running';
    health.progress = {
      runId: live.id,
      startedAt: live.startedAt,
      events: storedBy(live),
      currentSource: current?.label,
      sourcesDone: live.sources.filter((s) => s.done).length,
      sourcesTotal: Math.max(live.sources.length, enabled.length),
    };
    return health;
  }

  if (health.empty || !lastRun) {
    health.state = 'never';
    return health;
  }
  if (lastRun.status === 'error') {
    health.state = 'failing';
    return health;
  }
  // Nothing has succeeded for two periods (or ever, since a run that long ago): the data is not being refreshed.
  const staleSince = lastSuccessAt ?? lastRun.startedAt;
  if (now - staleSince > STALE_PERIODS * periodMs) {
    health.state = 'stale';
    return health;
  }
  // An interrupted run resumes on the next one, but the user should know data may be incomplete for now.
  if (lastRun.status === 'warning' || lastRun.status === 'interrupted') {
    health.state = 'warning';
    return health;
  }
  health.state = 'healthy';
  return health;
}

export interface Badge {
  text: string;
  color: string;
}

/** The toolbar badge for a health state: only states that need the user's attention get one. */
export function badgeFor(health: Pick<Health, 'state'>): Badge | null {
  switch (health.state) {
    case 'failing':
      return { text: '!', color: '#c5221f' };
    case 'stale':
      return { text: '…', color: '#b26a00' };
    default:
      return null;
  }
}
