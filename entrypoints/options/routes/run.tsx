import type { JSX } from 'preact';
import { RunLog } from '../../../components/RunLog';
import { Spinner } from '../../../components/Spinner';
import { useLiveQuery } from '../../../components/use-live-query';
import { usePageTitle } from '../../../components/use-page-title';
import { db } from '../../../lib/db/instance';
import { runById } from '../../../lib/db/queries';
import { formatDate, formatDateTimeLong, formatDuration, formatNumber, t } from '../../../lib/i18n';
import { hrefFor } from '../../../lib/routes';
import { storedBy } from '../../../lib/workflow/health';
import type { ViewContext } from '../context';
import { RunStatus, triggerName } from './run-status';

/** One run of the tracking workflow: what each source did, the log, and the records it rejected. */
export function RunRoute({ id, ctx }: { id: number; ctx: ViewContext }): JSX.Element {
  const data = useLiveQuery(() => runById(db, id), [id]);
  const run = data.status === 'ready' ? data.value : undefined;
  const title = run ? t('run_title', formatDate(run.startedAt, ctx.timeZone)) : t('run_title_generic');
  usePageTitle(title);

  const back = (
    <p class="breadcrumb">
      <a href={hrefFor({ name: 'workflow' })}>{t('back_to_workflow')}</a>
    </p>
  );
  if (data.status !== 'ready' || !run) {
    return (
      <>
        {back}
        <h1>{title}</h1>
        {data.status === 'loading' ? (
          <Spinner />
        ) : (
          <p class={data.status === 'error' ? 'notice notice--error' : 'notice'} role="alert">
            {data.status === 'error' ? t('store_error') : t('run_not_found')}
          </p>
        )}
      </>
    );
  }

  const end = run.endedAt ?? (run.status === 'running' ? Math.max(ctx.now, run.heartbeat) : run.heartbeat);
  return (
    <>
      {back}
      <div class="page-head">
        <h1>{title}</h1>
        <RunStatus run={run} now={ctx.now} />
      </div>
      <dl class="facts facts--inline">
        <div>
          <dt>{t('col_trigger')}</dt>
          <dd>{triggerName(run.trigger)}</dd>
        </div>
        <div>
          <dt>{t('col_started')}</dt>
          <dd>{formatDateTimeLong(run.startedAt, ctx.timeZone)}</dd>
        </div>
        {run.endedAt !== undefined && (
          <div>
            <dt>{t('col_ended')}</dt>
            <dd>{formatDateTimeLong(run.endedAt, ctx.timeZone)}</dd>
          </div>
        )}
        <div>
          <dt>{t('run_duration')}</dt>
          <dd>{formatDuration(end - run.startedAt)}</dd>
        </div>
        <div>
          <dt>{t('col_stored')}</dt>
          <dd>{formatNumber(storedBy(run))}</dd>
        </div>
      </dl>

      <section aria-labelledby="run-sources-title">
        <h2 id="run-sources-title">{t('run_sources')}</h2>
        {run.sources.length === 0 ? (
          <p class="muted">{t('run_no_sources')}</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('col_source')}</th>
                  <th scope="col" class="num">
                    {t('col_pages')}
                  </th>
                  <th scope="col" class="num">
                    {t('col_fetched')}
                  </th>
                  <th scope="col" class="num">
                    {t('col_stored')}
                  </th>
                  <th scope="col" class="num">
                    {t('col_duplicates')}
                  </th>
                  <th scope="col" class="num">
                    {t('col_rejected')}
                  </th>
                  <th scope="col">{t('col_status')}</th>
                </tr>
              </thead>
              <tbody>
                {run.sources.map((s) => (
                  <tr key={s.sourceId}>
                    <th scope="row" class="cell-label">
                      {s.kind === 'sample' ? t('sample_source_label') : s.label}
                    </th>
                    <td class="num">{formatNumber(s.pages)}</td>
                    <td class="num">{formatNumber(s.fetched)}</td>
                    <td class="num">{formatNumber(s.stored)}</td>
                    <td class="num">{formatNumber(s.duplicates)}</td>
                    <td class="num">{formatNumber(s.rejected)}</td>
                    <td>
                      {!s.ok ? (
                        <span class="run-status run-status--error">{t('run_source_failed')}</span>
                      ) : s.done ? (
                        <span class="run-status run-status--ok">{t('run_source_done')}</span>
                      ) : run.status === 'running' ? (
                        <span class="run-status run-status--running">{t('run_source_in_progress')}</span>
                      ) : (
                        <span class="run-status run-status--warning">{t('run_source_partial')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <RunLog run={run} timeZone={ctx.timeZone} />
    </>
  );
}
