import type { JSX } from 'preact';
import { EmptyState } from '../../../components/EmptyState';
import { GetStarted } from '../../../components/GetStarted';
import { HealthPanel } from '../../../components/HealthPanel';
import { IssueList, sourceLabelsOf } from '../../../components/RunLog';
import { RunNowButton } from '../../../components/RunNowButton';
import { Spinner } from '../../../components/Spinner';
import { useLiveQuery } from '../../../components/use-live-query';
import { usePageTitle } from '../../../components/use-page-title';
import { useSettings } from '../../../components/use-settings';
import type { HealthView } from '../../../components/use-health';
import { db } from '../../../lib/db/instance';
import { latestRuns } from '../../../lib/db/queries';
import type { RunRow } from '../../../lib/db/schema';
import { formatDate, formatDuration, formatNumber, t } from '../../../lib/i18n';
import { hrefFor } from '../../../lib/routes';
import { storedBy } from '../../../lib/workflow/health';
import type { ViewContext } from '../context';
import { RunStatus, triggerName } from './run-status';

const HISTORY_LENGTH = 50;

function sum(run: RunRow, field: 'duplicates' | 'rejected'): number {
  let n = 0;
  for (const s of run.sources) n += s[field];
  return n;
}

function RunHistory({ runs, ctx }: { runs: RunRow[]; ctx: ViewContext }): JSX.Element {
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">{t('workflow_history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col_started')}</th>
            <th scope="col">{t('col_trigger')}</th>
            <th scope="col" class="num">
              {t('run_duration')}
            </th>
            <th scope="col">{t('col_status')}</th>
            <th scope="col" class="num">
              {t('col_stored')}
            </th>
            <th scope="col" class="num">
              {t('col_duplicates')}
            </th>
            <th scope="col" class="num">
              {t('col_rejected')}
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <th scope="row" class="cell-date">
                {run.id !== undefined ? (
                  <a href={hrefFor({ name: 'run', id: run.id })}>{formatDate(run.startedAt, ctx.timeZone)}</a>
                ) : (
                  formatDate(run.startedAt, ctx.timeZone)
                )}
              </th>
              <td>{triggerName(run.trigger)}</td>
              <td class="num">
                {formatDuration((run.endedAt ?? (run.status === 'running' ? Math.max(ctx.now, run.heartbeat) : run.heartbeat)) - run.startedAt)}
              </td>
              <td>
                <RunStatus run={run} now={ctx.now} />
              </td>
              <td class="num">{formatNumber(storedBy(run))}</td>
              <td class="num">{formatNumber(sum(run, 'duplicates'))}</td>
              <td class="num">{formatNumber(sum(run, 'rejected'))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The tracking workflow: its health, its schedule, and the history of its runs. */
export function WorkflowRoute({ ctx, health }: { ctx: ViewContext; health: HealthView }): JSX.Element {
  usePageTitle(t('workflow_title'));
  const runs = useLiveQuery(() => latestRuns(db, HISTORY_LENGTH), []);
  // With no source at all, a run would fetch nothing: say so and offer the way in, rather than "wait for a run".
  const sourceCount = useLiveQuery(() => db.sources.count(), []);
  const noSource = sourceCount.status === 'ready' && sourceCount.value === 0;
  const settings = useSettings();

  return (
    <>
      <div class="page-head">
        <h1>{t('workflow_title')}</h1>
        <RunNowButton running={ctx.running} primary />
      </div>
      <p class="lead">
        {settings ? t('workflow_intro', formatDuration(settings.periodMinutes * 60_000)) : t('workflow_intro_short')}{' '}
        <a href={hrefFor({ name: 'settings' })}>{t('workflow_change_period')}</a>
      </p>

      {health.status === 'ready' && (
        <>
          <HealthPanel health={health.health} now={ctx.now} timeZone={ctx.timeZone} />
          {health.health.lastIssues.length > 0 && health.health.lastRun && (
            <section aria-labelledby="last-issues-title">
              <h2 id="last-issues-title">{t('popup_last_issues')}</h2>
              <IssueList
                issues={health.health.lastIssues}
                sourceLabels={sourceLabelsOf(health.health.lastRun)}
                timeZone={ctx.timeZone}
              />
            </section>
          )}
        </>
      )}

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('workflow_history')}</h2>
        {runs.status === 'loading' && <Spinner />}
        {runs.status === 'error' && (
          <p class="notice notice--error" role="alert">
            {t('store_error')}
          </p>
        )}
        {runs.status === 'ready' && runs.value.length === 0 && noSource && (
          <GetStarted onAddSource={() => ctx.navigate({ name: 'source-new' })} headingLevel={3} />
        )}
        {runs.status === 'ready' && runs.value.length === 0 && !noSource && (
          <EmptyState title={t('workflow_no_runs_title')} headingLevel={3}>
            <p>{t('workflow_no_runs_body')}</p>
          </EmptyState>
        )}
        {runs.status === 'ready' && runs.value.length > 0 && <RunHistory runs={runs.value} ctx={ctx} />}
      </section>
    </>
  );
}
