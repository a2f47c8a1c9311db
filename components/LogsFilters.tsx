import type { JSX } from 'preact';
import { EVENT_TYPE_CODES, type EventTypeCode } from '../lib/event-types';
import { t } from '../lib/i18n';
import { typeLabel } from '../lib/logs/rows';
import { typesParam, type LogsQuery } from '../lib/logs/table';
import type { RouteParams } from '../lib/routes';
import './virtual-table.css';

/** Type checkboxes, time range and text filters; every change goes to the hash. */
export function LogsFilters({
  q,
  setParams,
  showUrl = true,
  showRecipient = true,
  children,
}: {
  q: LogsQuery;
  setParams: (params: RouteParams, replace?: boolean) => void;
  showUrl?: boolean;
  showRecipient?: boolean;
  children?: JSX.Element | undefined;
}): JSX.Element {
  const toggle = (code: EventTypeCode, on: boolean): void => {
    const next = on ? [...q.types, code] : q.types.filter((c) => c !== code);
    setParams({ type: next.length === EVENT_TYPE_CODES.length ? '' : typesParam(next) });
  };
  return (
    <div class="logs-toolbar" role="search" aria-label={t('logs_filters')}>
      <fieldset>
        <legend>{t('logs_filter_type')}</legend>
        {EVENT_TYPE_CODES.map((code) => (
          <label key={code} class="checkbox">
            <input
              type="checkbox"
              checked={q.types.length === 0 || q.types.includes(code)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                // From "all" (no param), unticking one keeps the others.
                if (q.types.length === 0 && !on) setParams({ type: typesParam(EVENT_TYPE_CODES.filter((c) => c !== code)) });
                else toggle(code, on);
              }}
            />
            {typeLabel(code)}
          </label>
        ))}
      </fieldset>
      <label class="filter">
        {t('logs_filter_from')}
        <input type="datetime-local" value={q.from} onChange={(e) => setParams({ from: e.currentTarget.value })} />
      </label>
      <label class="filter">
        {t('logs_filter_to')}
        <input type="datetime-local" value={q.to} onChange={(e) => setParams({ to: e.currentTarget.value })} />
      </label>
      {showRecipient && (
        <label class="filter">
          {t('logs_filter_recipient')}
          <input
            type="search"
            value={q.rcp}
            placeholder={t('logs_filter_recipient_placeholder')}
            onInput={(e) => setParams({ rcp: e.currentTarget.value }, true)}
          />
        </label>
      )}
      {showUrl && (
        <label class="filter">
          {t('logs_filter_url')}
          <input
            type="search"
            value={q.url}
            placeholder={t('logs_filter_url_placeholder')}
            onInput={(e) => setParams({ url: e.currentTarget.value }, true)}
          />
        </label>
      )}
      {children}
    </div>
  );
}
