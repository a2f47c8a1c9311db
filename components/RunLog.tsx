import type { JSX } from 'preact';
import type { RunRow } from '../lib/db/schema';
import { formatDateTimeLong, issueText, t, type MessageKey } from '../lib/i18n';
import type { RunIssue } from '../lib/workflow/issues';

const LEVELS: Record<RunIssue['level'], MessageKey> = {
  error: 'log_level_error',
  warning: 'log_level_warning',
  info: 'log_level_info',
};

/** Source labels by id, as the run recorded them (a source removed since still has a name here). */
export function sourceLabelsOf(run: Pick<RunRow, 'sources'>): Map<string, string> {
  return new Map(run.sources.map((s) => [s.sourceId, s.kind === 'sample' ? t('sample_source_label') : s.label]));
}

/**
 * Run-log entries, translated. Everything from a source (labels, parameters) is rendered as text nodes only: Preact
 * escapes them, and nothing here uses innerHTML.
 */
export function IssueList({
  issues,
  sourceLabels,
  timeZone,
}: {
  issues: readonly RunIssue[];
  sourceLabels: ReadonlyMap<string, string>;
  timeZone: string;
}): JSX.Element {
  return (
    <ul class="issue-list">
      {issues.map((issue, i) => (
        <li key={i} class={`issue issue--${issue.level}`}>
          <span class="issue__level">{t(LEVELS[issue.level])}</span>
          <time class="issue__time" dateTime={new Date(issue.at).toISOString()}>
            {formatDateTimeLong(issue.at, timeZone)}
          </time>
          {issue.sourceId !== undefined && (
            <span class="issue__source">{sourceLabels.get(issue.sourceId) ?? t('source_kind_removed')}</span>
          )}
          <span class="issue__text">{issueText(issue)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Records the run quarantined, with the reason and an excerpt, shown verbatim as text. */
export function RejectedSamples({
  samples,
  sourceLabels,
}: {
  samples: RunRow['rejectedSamples'];
  sourceLabels: ReadonlyMap<string, string>;
}): JSX.Element {
  return (
    <ul class="rejected-list">
      {samples.map((s, i) => (
        <li key={i} class="rejected">
          <div class="rejected__meta">
            <span class="rejected__source">{sourceLabels.get(s.sourceId) ?? t('source_kind_removed')}</span>
            <span class="rejected__reason">{t('rejected_reason', s.reason)}</span>
          </div>
          <pre class="rejected__sample">
            <code>{s.sample}</code>
          </pre>
        </li>
      ))}
    </ul>
  );
}

/** A run's whole log: its errors, warnings and notes, then the rejected samples with their reasons. */
export function RunLog({ run, timeZone }: { run: RunRow; timeZone: string }): JSX.Element {
  const labels = sourceLabelsOf(run);
  return (
    <div class="run-log">
      <section aria-labelledby="run-log-entries">
        <h2 id="run-log-entries">{t('run_log_title')}</h2>
        {run.log.length === 0 ? (
          <p class="muted">{t('run_log_empty')}</p>
        ) : (
          <IssueList issues={run.log} sourceLabels={labels} timeZone={timeZone} />
        )}
      </section>
      <section aria-labelledby="run-log-rejected">
        <h2 id="run-log-rejected">{t('rejected_title')}</h2>
        {run.rejectedSamples.length === 0 ? (
          <p class="muted">{t('rejected_none')}</p>
        ) : (
          <>
            <p class="muted">{t('rejected_intro')}</p>
            <RejectedSamples samples={run.rejectedSamples} sourceLabels={labels} />
          </>
        )}
      </section>
    </div>
  );
}
