import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatNumber, t } from '../lib/i18n';
import { buildExport, ExportCancelled, exportFileName, type ExportFormat, type ExportSpec } from '../lib/logs/export';

/** Hands a finished export to the browser as a download (Blob URL, revoked once the download has started). */
function download(parts: string[], name: string, format: ExportFormat): void {
  const blob = new Blob(parts, { type: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * "Export CSV" / "Export JSON" for the rows a view shows, built in chunks (lib/logs/export.ts) with a progress bar
 * and a Cancel button, so a million rows never freeze the page.
 */
export function ExportControls({ spec, slug, disabled }: { spec: () => ExportSpec; slug: string; disabled?: boolean }): JSX.Element {
  const [state, setState] = useState<{ done: number; total: number } | undefined>();
  const [message, setMessage] = useState('');
  const abort = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => abort.current?.abort(), []);

  const start = async (format: ExportFormat): Promise<void> => {
    const ac = new AbortController();
    abort.current = ac;
    const s = spec();
    setMessage('');
    setState({ done: 0, total: s.header.rows });
    try {
      const parts = await buildExport(format, s, { signal: ac.signal, onProgress: (done, total) => setState({ done, total }) });
      download(parts, exportFileName(slug, format, s.header.generatedAt), format);
      setMessage(t('logs_export_done', formatNumber(s.header.rows)));
    } catch (error) {
      if (error instanceof ExportCancelled) setMessage(t('logs_export_cancelled'));
      else {
        console.error('Tracking Logs: export failed', error);
        setMessage(t('logs_export_failed'));
      }
    } finally {
      setState(undefined);
      abort.current = undefined;
    }
  };

  return (
    <div class="logs-export">
      {state ? (
        <>
          <progress max={Math.max(1, state.total)} value={state.done} aria-label={t('logs_export_progress')} />
          <span class="muted">{t('logs_export_progress_text', [formatNumber(state.done), formatNumber(state.total)])}</span>
          <button type="button" class="button button--small" onClick={() => abort.current?.abort()}>
            {t('logs_export_cancel')}
          </button>
        </>
      ) : (
        <>
          <button type="button" class="button button--small" disabled={disabled} onClick={() => void start('csv')}>
            {t('logs_export_csv')}
          </button>
          <button type="button" class="button button--small" disabled={disabled} onClick={() => void start('json')}>
            {t('logs_export_json')}
          </button>
        </>
      )}
      <span class="muted" role="status">
        {message}
      </span>
    </div>
  );
}
