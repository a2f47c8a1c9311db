import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { usePageTitle } from '../../../components/use-page-title';
import { db } from '../../../lib/db/instance';
import { EVENT_TYPE_CODES, EventType, type EventTypeCode } from '../../../lib/event-types';
import { formatNumber, t, tn, type MessageKey } from '../../../lib/i18n';
import { CSV_FIELDS, guessColumns, guessType, type CsvField, type CsvMapping, type CsvPreview, type TypeChoice } from '../../../lib/import/csv';
import { IMPORT_FORMATS, type Detection, type ImportFormat } from '../../../lib/import/detect';
import type { ImportProgress, ImportSummary } from '../../../lib/import/run-import';
import { hrefFor } from '../../../lib/routes';
import type { ViewContext } from '../context';
import { cancelImport, chooseFile, resetImport, startImport, useImportSession, type ImportView } from '../import-session';

const FORMAT_NAMES: Record<ImportFormat, MessageKey> = {
  sendgrid: 'import_format_sendgrid',
  ses: 'import_format_ses',
  mailjet: 'import_format_mailjet',
  feed: 'import_format_feed',
  csv: 'import_format_csv',
};

const FIELD_NAMES: Record<CsvField, MessageKey> = {
  time: 'import_csv_field_time',
  recipient: 'import_csv_field_recipient',
  type: 'import_csv_field_type',
  url: 'import_csv_field_url',
  userAgent: 'import_csv_field_user_agent',
  delivery: 'import_csv_field_delivery',
  eventId: 'import_csv_field_event_id',
  ip: 'import_csv_field_ip',
};

const TYPE_NAMES: Record<EventTypeCode, MessageKey> = {
  1: 'import_type_click',
  2: 'import_type_open',
  3: 'import_type_opt_out',
  4: 'import_type_web',
  5: 'import_type_transaction',
  6: 'import_type_mirror',
};

const PROBLEMS: Record<Exclude<Detection, { format: ImportFormat }>['problem'], MessageKey> = {
  empty: 'import_error_empty',
  html: 'import_error_html',
  binary: 'import_error_binary',
  'unknown-json': 'import_error_unknown_json',
  'not-json': 'import_error_unknown',
};

/** "12.3 MB" in the UI language. */
function megabytes(bytes: number): string {
  return t('import_megabytes', formatNumber(Math.round((bytes / 1_000_000) * 10) / 10));
}

function FilePicker({ label, primary = true }: { label: string; primary?: boolean }): JSX.Element {
  return (
    <label class={primary ? 'button button--primary file-picker' : 'button file-picker'}>
      {label}
      <input
        type="file"
        class="visually-hidden"
        accept=".json,.ndjson,.jsonl,.csv,.tsv,.txt,application/json,text/csv,text/plain"
        data-testid="import-file-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = ''; // choosing the same file again still fires change
          if (file) void chooseFile(file);
        }}
      />
    </label>
  );
}

function DropZone(): JSX.Element {
  const [over, setOver] = useState(false);
  return (
    <section
      class={over ? 'drop-zone drop-zone--over' : 'drop-zone'}
      aria-labelledby="drop-zone-title"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={() => setOver(false)}
    >
      <h2 id="drop-zone-title" class="drop-zone__title">
        {t('import_drop_title')}
      </h2>
      <p class="muted">{t('import_drop_or')}</p>
      <FilePicker label={t('import_choose_file')} />
      <p class="field__hint">{t('import_formats_hint')}</p>
    </section>
  );
}

function FileLine({ file }: { file: File }): JSX.Element {
  return (
    <p class="import-file">
      <strong>{file.name}</strong> <span class="muted">({megabytes(file.size)})</span>
    </p>
  );
}

interface MappingState {
  columns: Partial<Record<CsvField, number>>;
  typeValues: Record<string, TypeChoice>;
  fixedType: EventTypeCode;
}

function initialMapping(preview: CsvPreview): MappingState {
  return { columns: guessColumns(preview.header), typeValues: {}, fixedType: EventType.click };
}

function CsvMappingForm({
  preview,
  mapping,
  onChange,
}: {
  preview: CsvPreview;
  mapping: MappingState;
  onChange: (m: MappingState) => void;
}): JSX.Element {
  const typeColumn = mapping.columns.type;
  const typeValues =
    typeColumn === undefined
      ? []
      : [...new Set(preview.rows.map((r) => (r[typeColumn] ?? '').trim()).filter((v) => v !== ''))].slice(0, 20);
  return (
    <section class="card" aria-labelledby="csv-mapping-title">
      <h2 id="csv-mapping-title" class="card__title">
        {t('import_csv_title')}
      </h2>
      <p class="muted">{t('import_csv_intro')}</p>
      <div class="csv-mapping">
        {CSV_FIELDS.map((field) => {
          const required = field === 'time' || field === 'recipient';
          const id = `csv-field-${field}`;
          return (
            <div class="field" key={field}>
              <label for={id}>
                {t(FIELD_NAMES[field])}
                {required && <span class="muted"> {t('import_required')}</span>}
              </label>
              <select
                id={id}
                value={mapping.columns[field] === undefined ? '' : String(mapping.columns[field])}
                aria-invalid={required && mapping.columns[field] === undefined ? true : undefined}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  const columns = { ...mapping.columns };
                  if (v === '') delete columns[field];
                  else columns[field] = Number(v);
                  onChange({ ...mapping, columns });
                }}
              >
                <option value="">{required ? t('import_csv_choose_column') : t('import_csv_not_in_file')}</option>
                {preview.header.map((h, i) => (
                  <option key={i} value={String(i)}>
                    {h || t('import_csv_column_n', i + 1)}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
      </div>
      <p class="field__hint">{t('import_csv_time_hint')}</p>

      {typeColumn === undefined ? (
        <div class="field">
          <label for="csv-fixed-type">{t('import_csv_fixed_type')}</label>
          <select
            id="csv-fixed-type"
            value={String(mapping.fixedType)}
            onChange={(e) => onChange({ ...mapping, fixedType: Number(e.currentTarget.value) as EventTypeCode })}
          >
            {EVENT_TYPE_CODES.map((code) => (
              <option key={code} value={String(code)}>
                {t(TYPE_NAMES[code])}
              </option>
            ))}
          </select>
        </div>
      ) : (
        typeValues.length > 0 && (
          <fieldset class="csv-types">
            <legend>{t('import_csv_type_values')}</legend>
            {typeValues.map((value) => {
              const key = value.toLowerCase();
              const chosen = key in mapping.typeValues ? mapping.typeValues[key] : guessType(value);
              const id = `csv-type-${key.replace(/[^a-z0-9]+/g, '-')}`;
              return (
                <div class="field csv-types__row" key={key}>
                  <label for={id}>
                    <code>{value}</code>
                  </label>
                  <select
                    id={id}
                    value={chosen === undefined ? '' : String(chosen)}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      onChange({
                        ...mapping,
                        typeValues: { ...mapping.typeValues, [key]: v === 'ignore' || v === '' ? 'ignore' : (Number(v) as EventTypeCode) },
                      });
                    }}
                  >
                    {chosen === undefined && <option value="">{t('import_csv_type_unset')}</option>}
                    {EVENT_TYPE_CODES.map((code) => (
                      <option key={code} value={String(code)}>
                        {t(TYPE_NAMES[code])}
                      </option>
                    ))}
                    <option value="ignore">{t('import_csv_type_ignore')}</option>
                  </select>
                </div>
              );
            })}
            <p class="field__hint">{t('import_csv_type_hint')}</p>
          </fieldset>
        )
      )}

      <h3 class="csv-preview__title">{t('import_csv_preview')}</h3>
      <div class="table-wrap">
        <table class="table csv-preview">
          <caption class="visually-hidden">{t('import_csv_preview')}</caption>
          <thead>
            <tr>
              {preview.header.map((h, i) => {
                const field = CSV_FIELDS.find((f) => mapping.columns[f] === i);
                return (
                  <th scope="col" key={i}>
                    {h || t('import_csv_column_n', i + 1)}
                    {field && <div class="cell-sub muted">→ {t(FIELD_NAMES[field])}</div>}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, r) => (
              <tr key={r}>
                {preview.header.map((_, i) => (
                  <td key={i}>{(row[i] ?? '').slice(0, 120)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Ready({ view }: { view: Extract<ImportView, { step: 'ready' }> }): JSX.Element {
  const detected = view.detection.format;
  const [format, setFormat] = useState<ImportFormat | ''>(detected ?? (view.preview ? 'csv' : ''));
  const [mapping, setMapping] = useState<MappingState | undefined>(() => (view.preview ? initialMapping(view.preview) : undefined));
  const [tried, setTried] = useState(false);
  const needsColumns = format === 'csv' && (mapping?.columns.time === undefined || mapping.columns.recipient === undefined);
  const csvUnavailable = format === 'csv' && !view.preview;

  function submit(event: Event): void {
    event.preventDefault();
    setTried(true);
    if (format === '' || needsColumns || csvUnavailable) return;
    if (format === 'csv' && view.preview && mapping) {
      const csv: CsvMapping = { delimiter: view.preview.delimiter, ...mapping };
      void startImport('csv', csv);
    } else {
      void startImport(format);
    }
  }

  return (
    <form class="form form--wide" onSubmit={submit} noValidate>
      <FileLine file={view.file} />
      <p role="status" class={detected ? 'notice' : 'notice notice--warning'}>
        {detected === 'csv'
          ? t('import_detected_csv')
          : detected
            ? t('import_detected', t(FORMAT_NAMES[detected]))
            : t(PROBLEMS[view.detection.format === undefined ? view.detection.problem : 'not-json'])}
      </p>
      <div class="field">
        <label for="import-format">{t('import_format_label')}</label>
        <select
          id="import-format"
          value={format}
          onChange={(e) => setFormat(e.currentTarget.value as ImportFormat | '')}
          aria-describedby="import-format-hint"
        >
          {format === '' && <option value="">{t('import_format_choose')}</option>}
          {IMPORT_FORMATS.map((f) => (
            <option key={f} value={f}>
              {t(FORMAT_NAMES[f])}
            </option>
          ))}
        </select>
        <p id="import-format-hint" class="field__hint">
          {t('import_format_hint')}
        </p>
      </div>
      {format === 'csv' && view.preview && mapping && (
        <CsvMappingForm preview={view.preview} mapping={mapping} onChange={setMapping} />
      )}
      {tried && (format === '' || needsColumns || csvUnavailable) && (
        <p class="field__error" role="alert">
          {format === '' ? t('import_format_required') : csvUnavailable ? t('import_error_not_csv') : t('import_csv_required_missing')}
        </p>
      )}
      <div class="button-row">
        <button type="submit" class="button button--primary">
          {t('import_start')}
        </button>
        <FilePicker label={t('import_other_file')} primary={false} />
      </div>
    </form>
  );
}

function Progress({ file, progress, waiting }: { file: File; progress: ImportProgress; waiting: boolean }): JSX.Element {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const percent = progress.totalBytes ? Math.floor((progress.bytesRead / progress.totalBytes) * 100) : 0;
  return (
    <section class="card import-progress" aria-labelledby="import-progress-title">
      <h2 id="import-progress-title" class="card__title">
        {waiting ? t('import_waiting_title') : t('import_progress_title')}
      </h2>
      <FileLine file={file} />
      {waiting ? (
        <p>{t('import_waiting_body')}</p>
      ) : (
        <>
          <progress max={100} value={percent} aria-labelledby="import-progress-title" aria-valuetext={t('import_percent', percent)} />
          <p class="import-progress__numbers">
            {t('import_progress_bytes', [megabytes(progress.bytesRead), megabytes(progress.totalBytes), percent])}
            {' · '}
            {tn('import_progress_stored', progress.stored)}
            {progress.duplicates > 0 && <> · {tn('import_progress_duplicates', progress.duplicates)}</>}
            {progress.rejected > 0 && <> · {tn('import_progress_rejected', progress.rejected)}</>}
          </p>
        </>
      )}
      <p class="muted">{t('import_keep_open')}</p>
      <button type="button" ref={cancel} class="button" onClick={cancelImport}>
        {t('import_cancel')}
      </button>
    </section>
  );
}

function Summary({ file, summary }: { file: File; summary: ImportSummary }): JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.setAttribute('tabindex', '-1');
    heading.current?.focus();
  }, []);
  const skipped = Object.entries(summary.skipped).sort((a, b) => b[1] - a[1]);
  const skippedTotal = skipped.reduce((n, [, k]) => n + k, 0);
  const title =
    summary.status === 'done' ? 'import_done_title' : summary.status === 'cancelled' ? 'import_cancelled_title' : 'import_failed_title';
  return (
    <section class="card import-summary" aria-labelledby="import-summary-title">
      <h2 id="import-summary-title" ref={heading} class="card__title">
        {t(title)}
      </h2>
      <FileLine file={file} />
      {summary.status === 'failed' && (
        <p class="notice notice--error" role="alert">
          {summary.error === 'not-json'
            ? t('import_error_not_json')
            : summary.error === 'record-too-large'
              ? t('import_error_record_too_large')
              : summary.error === 'read-failed'
                ? t('import_error_read')
                : t('import_error_store')}
        </p>
      )}
      {summary.status === 'cancelled' && <p class="notice notice--warning">{t('import_cancelled_body')}</p>}
      <dl class="import-summary__numbers">
        <div>
          <dt>{t('import_summary_added')}</dt>
          <dd data-testid="import-added">{formatNumber(summary.stored)}</dd>
        </div>
        <div>
          <dt>{t('import_summary_duplicates')}</dt>
          <dd data-testid="import-duplicates">{formatNumber(summary.duplicates)}</dd>
        </div>
        <div>
          <dt>{t('import_summary_rejected')}</dt>
          <dd data-testid="import-rejected">{formatNumber(summary.rejected)}</dd>
        </div>
        <div>
          <dt>{t('import_summary_skipped')}</dt>
          <dd>{formatNumber(skippedTotal)}</dd>
        </div>
        <div>
          <dt>{t('import_summary_deliveries')}</dt>
          <dd>{formatNumber(summary.deliveryIds.length)}</dd>
        </div>
      </dl>
      {summary.stored === 0 && summary.duplicates > 0 && summary.status === 'done' && <p>{t('import_nothing_new')}</p>}
      {skippedTotal > 0 && (
        <p class="muted">
          {t('import_skipped_body', skipped.map(([what, n]) => `${what} (${formatNumber(n)})`).join(', '))}
        </p>
      )}
      {summary.rejectedSamples.length > 0 && (
        <details class="import-rejected" open={summary.stored === 0}>
          <summary>{tn('import_rejected_samples', summary.rejectedSamples.length)}</summary>
          <ul>
            {summary.rejectedSamples.map((r, i) => (
              <li key={i}>
                <strong>{r.reason}</strong>
                <code class="import-rejected__sample">{r.sample}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      {summary.deliveryIds.length > 0 && (
        <>
          <h3>{t('import_summary_deliveries_title')}</h3>
          <ul class="import-deliveries">
            {summary.deliveryIds.slice(0, 10).map((id) => (
              <li key={id}>
                <DeliveryLink id={id} />
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="button-row">
        <a class="button button--primary" href={hrefFor({ name: 'deliveries' })}>
          {t('import_see_deliveries')}
        </a>
        <button type="button" class="button" onClick={resetImport}>
          {t('import_another')}
        </button>
      </div>
    </section>
  );
}

/** A link to a delivery, named by its label (read from the store: the summary only has ids). */
function DeliveryLink({ id }: { id: number }): JSX.Element {
  const [label, setLabel] = useState<string>();
  useEffect(() => {
    let live = true;
    db.deliveries.get(id).then(
      (d) => {
        if (live) setLabel(d?.label);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id]);
  return <a href={hrefFor({ name: 'delivery', id })}>{label ?? t('import_delivery_n', id)}</a>;
}

/** "Import a file": drop or pick a file, confirm its format (and CSV columns), watch it import, see what it added. */
export function ImportRoute(_props: { ctx: ViewContext }): JSX.Element {
  usePageTitle(t('import_title'));
  const view = useImportSession();
  return (
    <>
      <p class="breadcrumb">
        <a href={hrefFor({ name: 'sources' })}>{t('back_to_sources')}</a>
      </p>
      <div class="page-head">
        <h1>{t('import_title')}</h1>
      </div>
      <p class="lead">{t('import_intro')}</p>
      {view.step === 'choose' && <DropZone />}
      {view.step === 'reading' && (
        <p role="status" class="muted">
          {t('import_reading', view.file.name)}
        </p>
      )}
      {view.step === 'ready' && <Ready key={`${view.file.name}:${view.file.size}:${view.file.lastModified}`} view={view} />}
      {(view.step === 'empty' || view.step === 'unreadable') && (
        <>
          <FileLine file={view.file} />
          <p class="notice notice--error" role="alert">
            {view.step === 'empty' ? t('import_error_empty') : t('import_error_read')}
          </p>
          <DropZone />
        </>
      )}
      {(view.step === 'waiting' || view.step === 'importing') && (
        <Progress file={view.file} progress={view.progress} waiting={view.step === 'waiting'} />
      )}
      {view.step === 'summary' && <Summary file={view.file} summary={view.summary} />}
    </>
  );
}
