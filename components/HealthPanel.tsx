import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { formatDuration, formatNumber, t, tn, type MessageKey } from '../lib/i18n';
import type { Health, HealthState } from '../lib/workflow/health';
import { dateWithRelative } from './format';
import { HealthBadge } from './HealthBadge';

const SUMMARIES: Record<HealthState, MessageKey> = {
  never: 'health_summary_never',
  running: 'health_summary_running',
  healthy: 'health_summary_healthy',
  warning: 'health_summary_warning',
  failing: 'health_summary_failing',
  stale: 'health_summary_stale',
};

function summaryOf(health: Health): string {
  // Sources exist but all are off: nothing will be fetched, whatever the last run said.
  if (health.state !== 'running' && !health.empty && health.enabledSources === 0) return t('health_summary_all_off');
  return t(SUMMARIES[health.state]);
}

/** Performance mark set when health is first on screen (the bench reads it: target < 100 ms after opening). */
export const HEALTH_MARK = 'tracking-logs:health-shown';

/**
 * The workflow's health at a glance: state (colour, symbol and words), a sentence saying what it means, progress of
 * a live run, and the facts behind it (last run, duration, events added, next run).
 */
export function HealthPanel({ health, now, timeZone }: { health: Health; now: number; timeZone: string }): JSX.Element {
  const { lastRun, progress } = health;
  useEffect(() => {
    if (performance.getEntriesByName(HEALTH_MARK).length === 0) performance.mark(HEALTH_MARK);
  }, []);
  return (
    <section class={`health-panel health-panel--${health.state}`} aria-labelledby="health-title">
      <div class="health-panel__head">
        <h2 id="health-title" class="visually-hidden">
          {t('health_title')}
        </h2>
        <HealthBadge state={health.state} large />
        <p class="health-panel__summary">{summaryOf(health)}</p>
      </div>

      {progress && (
        <div class="health-panel__progress" aria-live="polite">
          <progress
            max={progress.sourcesTotal || 1}
            value={progress.sourcesDone}
            aria-label={t('progress_label')}
          />
          <p>
            {tn('progress_events', progress.events)}
            {progress.currentSource !== undefined && (
              <>
                {' · '}
                {t('progress_source', [progress.currentSource, progress.sourcesDone + 1, progress.sourcesTotal])}
              </>
            )}
          </p>
        </div>
      )}

      <dl class="facts">
        <div>
          <dt>{t('last_run')}</dt>
          <dd>{lastRun ? dateWithRelative(lastRun.startedAt, now, timeZone) : t('last_run_none')}</dd>
        </div>
        {lastRun && health.lastRunDurationMs !== undefined && (
          <div>
            <dt>{t('run_duration')}</dt>
            <dd>{formatDuration(health.lastRunDurationMs)}</dd>
          </div>
        )}
        {lastRun && health.lastRunAdded !== undefined && (
          <div>
            <dt>{t('events_added')}</dt>
            <dd>{formatNumber(health.lastRunAdded)}</dd>
          </div>
        )}
        {(health.state === 'failing' || health.state === 'stale') && (
          <div>
            <dt>{t('last_success')}</dt>
            <dd>
              {health.lastSuccessAt !== undefined
                ? dateWithRelative(health.lastSuccessAt, now, timeZone)
                : t('last_success_none')}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('next_run')}</dt>
          <dd>
            {health.nextRunAt === undefined
              ? t('next_run_none')
              : health.overdue
                ? t('next_run_overdue')
                : dateWithRelative(health.nextRunAt, now, timeZone)}
          </dd>
        </div>
      </dl>
    </section>
  );
}
