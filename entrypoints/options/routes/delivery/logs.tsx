import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { EmptyState } from '../../../../components/EmptyState';
import { ExportControls } from '../../../../components/ExportControls';
import { LogsFilters } from '../../../../components/LogsFilters';
import { Spinner } from '../../../../components/Spinner';
import { useLiveQuery } from '../../../../components/use-live-query';
import { VirtualTable, type VirtualColumn } from '../../../../components/VirtualTable';
import { db } from '../../../../lib/db/instance';
import { loadLogsData, type LogsData } from '../../../../lib/db/logs-data';
import { EVENT_TYPE_CODES } from '../../../../lib/event-types';
import { formatNumber, t, tn } from '../../../../lib/i18n';
import type { ExportSpec } from '../../../../lib/logs/export';
import { classifyEvents, type MachineRules } from '../../../../lib/indicators/machine';
import { classText, classWhy, deviceText, eventTimeFormat, exportRows, typeLabel, urlText } from '../../../../lib/logs/rows';
import {
  describeFilters,
  filterEvents,
  parseLogsQuery,
  rankByLabel,
  sortIndex,
  typeMask,
  type LogColumn,
  type LogsQuery,
} from '../../../../lib/logs/table';
import { hrefFor, type RouteParams } from '../../../../lib/routes';
import type { DeliveryTabProps } from './tab';

type Col = Exclude<LogColumn, 'delivery'>;

/**
 * The delivery's Tracking logs (the reference's individual tracking entries): every event in a virtualised table,
 * filtered by type, time range, recipient and URL, sortable by any column, exported as CSV or JSON. Filters and
 * sort live in the hash, so a link or a reload reopens the same rows.
 */
export function LogsTab({ item, ctx, params, setParams }: DeliveryTabProps): JSX.Element {
  const deliveryId = item.delivery.id;
  const data = useLiveQuery(() => loadLogsData(db, deliveryId), [deliveryId]);
  if (data.status === 'loading') return <Spinner />;
  if (data.status === 'error') {
    return (
      <p class="notice notice--error" role="alert">
        {t('store_error')}
      </p>
    );
  }
  if (data.value.cols.n === 0) {
    return (
      <EmptyState title={t('logs_empty_title')}>
        <p>{ctx.running ? t('logs_empty_running') : t('logs_empty_body')}</p>
      </EmptyState>
    );
  }
  return (
    <LogsView
      data={data.value}
      label={item.delivery.label || t('delivery_untitled')}
      timeZone={ctx.timeZone}
      rules={ctx.rules}
      params={params}
      setParams={setParams}
    />
  );
}

/** Marks by URL id of the delivery's tracked URLs whose address or label contains `text` (case-insensitive). */
function urlMarks(data: LogsData, text: string): Uint8Array | undefined {
  const q = text.trim().toLowerCase();
  if (!q) return undefined;
  let max = 0;
  for (const id of data.urls.keys()) max = Math.max(max, id);
  const marks = new Uint8Array(max + 1);
  for (const [id, u] of data.urls) {
    if (u.url.toLowerCase().includes(q) || (u.label ?? '').toLowerCase().includes(q)) marks[id] = 1;
  }
  return marks;
}

function maxKey(map: Map<number, unknown>): number {
  let max = 0;
  for (const id of map.keys()) max = Math.max(max, id);
  return max;
}

/** The shown rows: positions in the delivery's columns, filtered then sorted (stable). */
function shownRows(data: LogsData, q: LogsQuery, classes: Uint8Array): Uint32Array {
  const { cols } = data;
  const index = filterEvents(cols, {
    typeMask: typeMask(q.types),
    fromS: q.fromS,
    toS: q.toS,
    rcp: q.rcp.trim() ? data.recipients.prefixIds(q.rcp) : undefined,
    url: urlMarks(data, q.url),
  });
  if (q.sort === 'time') return q.dir === 'asc' ? index : sortIndex(index, cols.t, undefined, 'desc');
  switch (q.sort) {
    case 'type':
      return sortIndex(index, cols.type, rankByLabel(EVENT_TYPE_CODES, typeLabel, 8), q.dir);
    case 'rcp':
      return sortIndex(index, cols.rcp, data.recipients.rank, q.dir);
    case 'url':
      return sortIndex(index, cols.url, rankByLabel(data.urls.keys(), (id) => urlText(data.urls.get(id)), maxKey(data.urls) + 1), q.dir);
    case 'device':
      return sortIndex(index, cols.ua, rankByLabel(data.agents.keys(), (id) => deviceText(data.agents.get(id)), maxKey(data.agents) + 1), q.dir);
    case 'who':
      return sortIndex(index, classes, undefined, q.dir);
    case 'ua':
      return sortIndex(index, cols.ua, rankByLabel(data.agents.keys(), (id) => data.agents.get(id) ?? '', maxKey(data.agents) + 1), q.dir);
    case 'ip':
      return sortIndex(index, cols.ip, rankByLabel(data.ips.keys(), (id) => data.ips.get(id) ?? '', maxKey(data.ips) + 1), q.dir);
    default:
      return index;
  }
}

interface LogsViewProps {
  data: LogsData;
  label: string;
  timeZone: string;
  rules: MachineRules;
  params: RouteParams;
  setParams: (params: RouteParams, replace?: boolean) => void;
}

function LogsView({ data, label, timeZone, rules, params, setParams }: LogsViewProps): JSX.Element {
  const q = useMemo(() => parseLogsQuery(params, timeZone), [params, timeZone]);
  // Machine or human, per event: classified on read (lib/indicators/machine.ts), once per load of the delivery.
  const classes = useMemo(() => classifyEvents(data.cols, (id) => data.agents.get(id), rules), [data, rules]);
  const rows = useMemo(() => shownRows(data, q, classes), [data, classes, q.types.join(), q.fromS, q.toS, q.rcp, q.url, q.sort, q.dir]);
  const { cols } = data;
  const hasIp = useMemo(() => cols.ip.some((x) => x !== 0), [cols]);
  const time = useMemo(() => eventTimeFormat(timeZone), [timeZone]);

  // One array while the columns stay the same: a new one makes every drawn row rebuild its cells.
  const columns = useMemo(() => {
    const columns: VirtualColumn<Col>[] = [
      { key: 'time', label: t('logs_col_time'), width: 'minmax(12rem, 1.1fr)', sortable: true },
      { key: 'type', label: t('logs_col_type'), width: 'minmax(8.5rem, 0.8fr)', sortable: true, kind: 'tag' },
      { key: 'rcp', label: t('logs_col_recipient'), width: 'minmax(8.5rem, 1.5fr)', sortable: true, kind: 'link' },
      { key: 'url', label: t('logs_col_url'), width: 'minmax(6rem, 1.4fr)', sortable: true },
      { key: 'device', label: t('logs_col_device'), width: 'minmax(6rem, 1.3fr)', sortable: true },
      { key: 'who', label: t('logs_col_class'), width: 'minmax(5.5rem, 1fr)', sortable: true },
      { key: 'ua', label: t('logs_col_user_agent'), width: 'minmax(5.5rem, 1.4fr)', sortable: true },
    ];
    if (hasIp) columns.push({ key: 'ip', label: t('logs_col_ip'), width: 'minmax(6.5rem, 0.8fr)', sortable: true });
    return columns;
  }, [hasIp]);

  const text = (row: number, key: Col): string => {
    const k = rows[row]!;
    switch (key) {
      case 'time':
        return time(cols.t[k]!);
      case 'type':
        return typeLabel(cols.type[k]!);
      case 'rcp':
        return data.recipients.keys[cols.rcp[k]!] ?? '';
      case 'url':
        return urlText(data.urls.get(cols.url[k]!));
      case 'device':
        return deviceText(data.agents.get(cols.ua[k]!));
      case 'who':
        return classText(classes[k]!);
      case 'ua':
        return data.agents.get(cols.ua[k]!) ?? '';
      case 'ip':
        return data.ips.get(cols.ip[k]!) ?? '';
    }
  };
  const href = (row: number, key: Col): string | undefined => (key === 'rcp' ? hrefFor({ name: 'recipient', id: cols.rcp[rows[row]!]! }) : undefined);
  const title = (row: number, key: Col): string | undefined => {
    if (key === 'url') return data.urls.get(cols.url[rows[row]!]!)?.url;
    if (key === 'who') return classWhy(classes[rows[row]!]!, rules);
    return key === 'ua' || key === 'device' || key === 'rcp' ? text(row, key) : undefined;
  };

  const spec = (): ExportSpec => {
    const lookups = {
      recipient: (id: number) => data.recipients.keys[id] ?? '',
      url: (id: number) => data.urls.get(id),
      agent: (id: number) => data.agents.get(id),
      ip: (id: number) => data.ips.get(id),
      classes,
    };
    const { columns: names, row } = exportRows(cols, rows, lookups, timeZone);
    return {
      header: { title: t('logs_export_title', label), timeZone, filters: describeFilters(q), generatedAt: Date.now(), rows: rows.length },
      columns: names,
      row,
    };
  };

  const onSort = (key: Col): void => {
    const dir = q.sort === key && q.dir === 'asc' ? 'desc' : 'asc';
    setParams({ sort: key === 'time' ? '' : key, dir: dir === 'asc' ? '' : 'desc' });
  };
  const filtered = Object.keys(describeFilters(q)).length > 0;

  return (
    <section aria-labelledby="logs-title">
      <h2 id="logs-title" class="visually-hidden">
        {t('delivery_tab_logs')}
      </h2>
      <LogsFilters q={q} setParams={setParams} />
      <div class="logs-summary">
        <p class="muted" aria-live="polite">
          {tn('logs_shown', rows.length, [formatNumber(cols.n)])}
          {' · '}
          {t('logs_time_zone', timeZone)}
        </p>
        <ExportControls spec={spec} slug={label} disabled={rows.length === 0} />
      </div>
      {rows.length === 0 ? (
        <div class="notice">
          <p>{t('logs_no_match')}</p>
          {filtered && (
            <button type="button" class="button button--small" onClick={() => setParams({ type: '', from: '', to: '', rcp: '', url: '' })}>
              {t('logs_clear_filters')}
            </button>
          )}
        </div>
      ) : (
        <VirtualTable
          label={t('logs_table_label', label)}
          columns={columns}
          count={rows.length}
          text={text}
          href={href}
          title={title}
          sort={q.sort === 'delivery' ? undefined : { key: q.sort, dir: q.dir }}
          onSort={onSort}
        />
      )}
    </section>
  );
}
