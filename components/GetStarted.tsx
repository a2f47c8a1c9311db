import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { db } from '../lib/db/instance';
import { t } from '../lib/i18n';
import { addSampleSource } from '../lib/sources/sample-source';
import { EmptyState } from './EmptyState';
import { notifySourcesChanged } from './notify';

/** Turns the sample source on and asks for a run so its data appears right away. */
export async function startSampleData(): Promise<'started' | 'saved'> {
  await addSampleSource(db, Date.now());
  return (await notifySourcesChanged()) ? 'started' : 'saved';
}

/** The first-run empty state: try the product on sample data, or add a real source. */
export function GetStarted({
  onAddSource,
  headingLevel = 2,
}: {
  onAddSource: () => void;
  headingLevel?: 2 | 3;
}): JSX.Element {
  const [state, setState] = useState<'idle' | 'working' | 'saved' | 'failed'>('idle');

  async function trySample(): Promise<void> {
    setState('working');
    try {
      // 'started': the store fills and the view that shows this empty state replaces it by itself.
      setState((await startSampleData()) === 'saved' ? 'saved' : 'working');
    } catch (error) {
      console.error('Tracking Logs: could not add the sample source', error);
      setState('failed');
    }
  }

  return (
    <EmptyState
      title={t('get_started_title')}
      headingLevel={headingLevel}
      actions={
        <>
          <button
            type="button"
            class="button button--primary"
            onClick={() => void trySample()}
            disabled={state === 'working'}
          >
            {state === 'working' ? t('get_started_sample_working') : t('get_started_sample')}
          </button>
          <button type="button" class="button" onClick={onAddSource}>
            {t('get_started_add_source')}
          </button>
        </>
      }
    >
      <p>{t('get_started_body')}</p>
      <p role="status" class="empty-state__status">
        {state === 'saved' && t('get_started_sample_saved')}
        {state === 'failed' && <span class="text-error">{t('get_started_sample_failed')}</span>}
      </p>
    </EmptyState>
  );
}
