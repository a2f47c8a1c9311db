import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Dialog } from '../../../components/Dialog';
import { EmptyState } from '../../../components/EmptyState';
import { notifySourcesChanged } from '../../../components/notify';
import { startSampleData } from '../../../components/GetStarted';
import { SourceStatus, sourceKindName, sourceName } from '../../../components/SourceStatus';
import { Spinner } from '../../../components/Spinner';
import { useLiveQuery } from '../../../components/use-live-query';
import { usePageTitle } from '../../../components/use-page-title';
import { db } from '../../../lib/db/instance';
import { countDeliveriesOfSource, listSources } from '../../../lib/db/queries';
import type { SourceRow } from '../../../lib/db/schema';
import { t, tn } from '../../../lib/i18n';
import { hrefFor } from '../../../lib/routes';
import { providerOf } from '../../../lib/sources/providers';
import type { ImportedFile } from '../../../lib/import/run-import';
import { removeSource, setSourceEnabled } from '../../../lib/sources/registry';
import type { ViewContext } from '../context';
import { takeFlash } from '../flash';

/** A second line identifying where a source reads from: the feed URL, or the provider account (never a secret). */
export function sourceDetail(source: Pick<SourceRow, 'kind' | 'config'>): string | undefined {
  if (source.kind === 'feed') return typeof source.config['url'] === 'string' ? source.config['url'] : undefined;
  const provider = providerOf(source.kind);
  if (!provider) return undefined;
  try {
    return provider.summary(source.config);
  } catch {
    return undefined;
  }
}

type Feedback = { kind: 'ok' | 'error'; text: string } | undefined;

function SampleToggle({
  sample,
  now,
  onFeedback,
  onRemove,
}: {
  sample: SourceRow | undefined;
  now: number;
  onFeedback: (f: Feedback) => void;
  onRemove: (sample: SourceRow) => void;
}): JSX.Element {
  const [busy, setBusy] = useState(false);
  const on = sample?.enabled === true;

  async function toggle(next: boolean): Promise<void> {
    setBusy(true);
    onFeedback(undefined);
    try {
      if (next) await startSampleData();
      else if (sample) await setSourceEnabled(db, sample.id, false);
      onFeedback({ kind: 'ok', text: next ? t('sample_on_done') : t('sample_off_done') });
    } catch (error) {
      console.error('Tracking Logs: sample toggle failed', error);
      onFeedback({ kind: 'error', text: t('save_failed') });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card sample-card" aria-labelledby="sample-title">
      <h2 id="sample-title" class="card__title">
        {t('sample_source_label')}
      </h2>
      <label class="switch">
        <input
          type="checkbox"
          role="switch"
          checked={on}
          disabled={busy}
          onChange={(event) => void toggle(event.currentTarget.checked)}
        />
        <span>{t('sample_use')}</span>
      </label>
      <p class="muted">{t('sample_use_hint')}</p>
      {sample && (
        <div class="sample-card__status">
          <SourceStatus source={sample} now={now} />
          <button type="button" class="button button--small button--danger-quiet" onClick={() => onRemove(sample)}>
            {t('sample_remove')}
          </button>
        </div>
      )}
    </section>
  );
}

/** The files imported into a file source: how many, and the latest with when. */
function ImportedFiles({ source }: { source: SourceRow }): JSX.Element | null {
  const files = Array.isArray(source.config['files']) ? (source.config['files'] as ImportedFile[]) : [];
  const latest = files.at(-1);
  if (!latest) return null;
  return <div class="muted cell-sub">{tn('import_source_files', files.length, [latest.name])}</div>;
}

export function SourcesRoute({ ctx }: { ctx: ViewContext }): JSX.Element {
  usePageTitle(t('sources_title'));
  const sources = useLiveQuery(() => listSources(db), []);
  // A message the source form left when it saved and came back here.
  const [feedback, setFeedback] = useState<Feedback>(() => {
    const flash = takeFlash();
    return flash === undefined ? undefined : { kind: 'ok', text: flash };
  });
  const [removing, setRemoving] = useState<{ source: SourceRow; deliveries: number | undefined }>();
  const [removeBusy, setRemoveBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  async function toggleEnabled(source: SourceRow, enabled: boolean): Promise<void> {
    setFeedback(undefined);
    try {
      await setSourceEnabled(db, source.id, enabled);
      if (enabled) void notifySourcesChanged();
    } catch (error) {
      console.error('Tracking Logs: could not change the source', error);
      setFeedback({ kind: 'error', text: t('save_failed') });
    }
  }

  function askRemove(source: SourceRow): void {
    setFeedback(undefined);
    setRemoving({ source, deliveries: undefined });
    countDeliveriesOfSource(db, source.id).then(
      (n) => setRemoving((current) => (current?.source.id === source.id ? { source, deliveries: n } : current)),
      () => undefined,
    );
  }

  async function confirmRemove(withData: boolean): Promise<void> {
    if (!removing) return;
    const name = sourceName(removing.source);
    setRemoveBusy(true);
    try {
      await removeSource(db, removing.source.id, { withData });
      setRemoving(undefined);
      setFeedback({ kind: 'ok', text: withData ? t('source_removed_with_data', name) : t('source_removed', name) });
      // The row (and the button that opened the dialog) is gone: put focus somewhere meaningful.
      heading.current?.setAttribute('tabindex', '-1');
      heading.current?.focus();
    } catch (error) {
      console.error('Tracking Logs: could not remove the source', error);
      setFeedback({ kind: 'error', text: t('remove_failed') });
      setRemoving(undefined);
    } finally {
      setRemoveBusy(false);
    }
  }

  const list = sources.status === 'ready' ? sources.value : [];
  const sample = list.find((s) => s.kind === 'sample');
  const others = list.filter((s) => s.kind !== 'sample');

  return (
    <>
      <div class="page-head">
        <h1 ref={heading}>{t('sources_title')}</h1>
        <div class="button-row">
          <a class="button" href={hrefFor({ name: 'import' })}>
            {t('import_link')}
          </a>
          <a class="button button--primary" href={hrefFor({ name: 'source-new' })}>
            {t('source_add')}
          </a>
        </div>
      </div>
      <p class="lead">{t('sources_intro')}</p>
      <p role="status" class={feedback?.kind === 'error' ? 'feedback text-error' : 'feedback'}>
        {feedback?.text}
      </p>

      {sources.status === 'loading' && <Spinner />}
      {sources.status === 'error' && (
        <p class="notice notice--error" role="alert">
          {t('store_error')}
        </p>
      )}
      {sources.status === 'ready' && (
        <>
          <SampleToggle sample={sample} now={ctx.now} onFeedback={setFeedback} onRemove={askRemove} />
          {others.length === 0 ? (
            <EmptyState
              title={t('sources_empty_title')}
              actions={
                <>
                  <a class="button" href={hrefFor({ name: 'source-new' })}>
                    {t('source_add')}
                  </a>
                  <a class="button" href={hrefFor({ name: 'import' })}>
                    {t('import_link')}
                  </a>
                </>
              }
            >
              <p>{t('sources_empty_body')}</p>
            </EmptyState>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">{t('sources_caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('col_source')}</th>
                    <th scope="col">{t('col_kind')}</th>
                    <th scope="col">{t('col_enabled')}</th>
                    <th scope="col">{t('col_last_outcome')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t('col_actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {others.map((source) => (
                    <tr key={source.id}>
                      <th scope="row" class="cell-label">
                        {sourceName(source)}
                        {sourceDetail(source) && <div class="muted cell-sub">{sourceDetail(source)}</div>}
                        {source.kind === 'file' && <ImportedFiles source={source} />}
                      </th>
                      <td>{sourceKindName(source.kind)}</td>
                      <td>
                        {source.kind === 'file' ? (
                          <span class="muted">{t('import_source_no_schedule')}</span>
                        ) : (
                          <label class="switch">
                            <input
                              type="checkbox"
                              role="switch"
                              checked={source.enabled}
                              onChange={(event) => void toggleEnabled(source, event.currentTarget.checked)}
                            />
                            <span class="visually-hidden">{t('source_enabled_label', sourceName(source))}</span>
                            <span aria-hidden="true">{source.enabled ? t('source_on') : t('source_off')}</span>
                          </label>
                        )}
                      </td>
                      <td>
                        <SourceStatus source={source} now={ctx.now} />
                      </td>
                      <td class="cell-actions">
                        {source.kind !== 'sample' && (
                          <a
                            class="button button--small"
                            href={hrefFor({ name: 'source-edit', id: source.id })}
                            aria-label={t('source_edit_label', sourceName(source))}
                          >
                            {t('edit')}
                          </a>
                        )}
                        <button
                          type="button"
                          class="button button--small button--danger-quiet"
                          onClick={() => askRemove(source)}
                          aria-label={t('source_remove_label', sourceName(source))}
                        >
                          {t('remove')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}

      <Dialog
        open={removing !== undefined}
        title={removing ? t('remove_title', sourceName(removing.source)) : ''}
        onClose={() => !removeBusy && setRemoving(undefined)}
        actions={
          <>
            <button type="button" class="button" disabled={removeBusy} onClick={() => void confirmRemove(false)}>
              {t('remove_keep_data')}
            </button>
            <button
              type="button"
              class="button button--danger"
              disabled={removeBusy}
              onClick={() => void confirmRemove(true)}
            >
              {t('remove_with_data')}
            </button>
            <button type="button" class="button button--quiet" disabled={removeBusy} onClick={() => setRemoving(undefined)}>
              {t('cancel')}
            </button>
          </>
        }
      >
        <p>{t('remove_body')}</p>
        {removing?.deliveries !== undefined && <p>{tn('remove_deliveries', removing.deliveries)}</p>}
      </Dialog>
    </>
  );
}
