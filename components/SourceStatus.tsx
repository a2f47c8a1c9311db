import type { JSX } from 'preact';
import type { SourceRow } from '../lib/db/schema';
import { formatRelative, issueText, t, tn } from '../lib/i18n';
import { isProviderKind, PROVIDER_NAME_KEYS } from '../lib/sources/provider-kinds';

/** A source's name as the user knows it. The sample source's stored label is data; show it translated. */
export function sourceName(source: Pick<SourceRow, 'kind' | 'label'>): string {
  return source.kind === 'sample' ? t('sample_source_label') : source.label;
}

export function sourceKindName(kind: SourceRow['kind'] | undefined): string {
  switch (kind) {
    case 'sample':
      return t('source_kind_sample');
    case 'feed':
      return t('source_kind_feed');
    case 'file':
      return t('source_kind_file');
    default:
      return kind !== undefined && isProviderKind(kind) ? t(PROVIDER_NAME_KEYS[kind]) : t('source_kind_removed');
  }
}

/** The outcome of a source in its latest run, in one line: off, waiting, ok with the events added, or its error. */
export function SourceStatus({ source, now }: { source: SourceRow; now: number }): JSX.Element {
  const last = source.last;
  if (!source.enabled) return <span class="source-status source-status--off">{t('source_status_off')}</span>;
  if (!last) return <span class="source-status source-status--pending">{t('source_status_pending')}</span>;
  if (last.ok) {
    return (
      <span class="source-status source-status--ok">{tn('source_status_ok', last.added, [formatRelative(last.at, now)])}</span>
    );
  }
  return (
    <span class="source-status source-status--error">
      {last.error ? issueText(last.error) : t('source_status_failed')}
    </span>
  );
}

