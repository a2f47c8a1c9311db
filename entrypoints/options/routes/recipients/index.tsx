import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { EmptyState } from '../../../../components/EmptyState';
import { ExportControls } from '../../../../components/ExportControls';
import { LogsFilters } from '../../../../components/LogsFilters';
import { Spinner } from '../../../../components/Spinner';
import { useLiveQuery, type LiveQueryResult } from '../../../../components/use-live-query';
import { useNow } from '../../../../components/use-now';
import { usePageTitle } from '../../../../components/use-page-title';
import { VirtualTable, type VirtualColumn } from '../../../../components/VirtualTable';
import { db } from '../../../../lib/db/instance';
import { latestRecipients } from '../../../../lib/db/queries';
import { planRecipientLookup, recipientBatches, type RecipientData } from '../../../../lib/db/recipient-events';
import { recipientIndex } from '../../../../lib/db/recipient-index';
import { EVENT_TYPE_CODES } from '../../../../lib/event-types';
import { formatDate, formatNumber, formatRelative, t, tn, type MessageKey } from '../../../../lib/i18n';
import type { ExportSpec } from '../../../../lib/logs/export';
import { classifyEvents } from '../../../../lib/indicators/machine';
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
import { hrefFor, withParams, type Route, type RouteParams } from '../../../../lib/routes';
import type { ViewContext } from '../../context';

/** How many matches the search lists (the count says how many there are in all). */
const RESULT_LIMIT = 50;

function useSetParams(route: Route): (next: RouteParams, replace?: boolean) => void {
  return useCallback(
    (next: RouteParams, replace = false) => {
      const href = hrefFor(withParams(route, next));
      if (replace) {
        history.replaceState(null, '', href);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } else location.hash = href;
    },
    [hrefFor(route)],
  );
}

/** Before anything is typed: the recipients of the newest tracked events, so the page is not a bare search box. */
function LatestRecipients({ keys }: { keys: readonly string[] }): JSX.Element | null {
  const latest = useLiveQuery(() => latestRecipients(db, LATEST_SHOWN), []);
  const now = useNow(60_000);
  if (latest.status !== 'ready' || latest.value.length === 0) return null;
  return (
    <section aria-labelledby="rcp-latest">
      <h2 id="rcp-latest">{t('rcp_latest_title')}</h2>
      <ul class="recipient-results">
        {latest.value.map(({ id, t: at }) => (
          <li key={id}>
            <a href={hrefFor({ name: 'recipient', id })}>{keys[id] ?? `#${id}`}</a>{' '}
            <span class="muted">{t('rcp_latest_when', formatRelative(at * 1000, now))}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** How many recipients the page lists before a search. */
const LATEST_SHOWN = 10;

/**
 * Recipient search: by address (or provider id) prefix over the whole recipients dictionary, or by number. The index
 * is built once per page and kept until a run adds recipients (lib/db/recipient-index.ts).
 */
export function RecipientsRoute({ params }: { ctx: ViewContext; params: RouteParams }): JSX.Element {
  usePageTitle(t('nav_recipients'));
  const q = params.q ?? '';
  const setParams = useSetParams({ name: 'recipients', params });
  const index = useLiveQuery(() => recipientIndex(db), []);
  const found = useMemo(
    () => (index.status === 'ready' ? index.value.search(q, RESULT_LIMIT) : undefined),
    [index, q],
  );

  return (
    <>
      <div class="page-head">
        <h1>{t('nav_recipients')}</h1>
      </div>
      <p class="lead">{t('rcp_search_intro')}</p>
      <div class="logs-toolbar" role="search">
        <label class="filter">
          {t('rcp_search_label')}
          <input
            type="search"
            value={q}
            placeholder={t('rcp_search_placeholder')}
            autoFocus
            onInput={(e) => setParams({ q: e.currentTarget.value }, true)}
          />
        </label>
        {index.status === 'ready' && <p class="muted">{tn('rcp_dictionary_size', index.value.size)}</p>}
      </div>
      {index.status === 'loading' && <Spinner />}
      {index.status === 'error' && (
        <p class="notice notice--error" role="alert">
          {t('store_error')}
        </p>
      )}
      {index.status === 'ready' && index.value.size === 0 && (
        <EmptyState title={t('rcp_none_title')}>
          <p>{t('rcp_none_body')}</p>
        </EmptyState>
      )}
      {index.status === 'ready' && index.value.size > 0 && q.trim() === '' && <LatestRecipients keys={index.value.keys} />}
      {index.status === 'ready' && index.value.size > 0 && found && q.trim() !== '' && (
        <section aria-labelledby="rcp-results">
          <h2 id="rcp-results" aria-live="polite">
            {found.total === 0
              ? t('rcp_no_match')
              : found.total > found.ids.length
                ? t('rcp_results_some', [formatNumber(found.ids.length), formatNumber(found.total)])
                : tn('rcp_results', found.total)}
          </h2>
          <ul class="recipient-results">
            {found.ids.map((id) => (
              <li key={id}>
                <a href={hrefFor({ name: 'recipient', id })}>{index.value.keys[id]}</a>{' '}
                <span class="muted">#{id}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

type RcpCol = Exclude<LogColumn, 'rcp' | 'ua'>;

function maxKey(map: Map<number, unknown>): number {
  let max = 0;
  for (const id of map.keys()) max = Math.max(max, id);
  return max;
}

function shownRows(data: RecipientData, q: LogsQuery, classes: Uint8Array): Uint32Array {
  const ev = data.events;
  let url: Uint8Array | undefined;
  const text = q.url.trim().toLowerCase();
  if (text) {
    url = new Uint8Array(maxKey(data.urls) + 1);
    for (const [id, u] of data.urls) if (u.url.toLowerCase().includes(text) || (u.label ?? '').toLowerCase().includes(text)) url[id] = 1;
  }
  const index = filterEvents(ev, {
    typeMask: typeMask(q.types),
    fromS: q.fromS,
    toS: q.toS,
    url,
    delivery: q.delivery ? { column: ev.delivery, id: q.delivery } : undefined,
  });
  const deliveryLabel = (id: number): string => data.deliveries.get(id)?.label ?? '';
  switch (q.sort) {
    case 'type':
      return sortIndex(index, ev.type, rankByLabel(EVENT_TYPE_CODES, typeLabel, 8), q.dir);
    case 'delivery':
      return sortIndex(index, ev.delivery, rankByLabel(data.deliveries.keys(), deliveryLabel, maxKey(data.deliveries) + 1), q.dir);
    case 'url':
      return sortIndex(index, ev.url, rankByLabel(data.urls.keys(), (id) => urlText(data.urls.get(id)), maxKey(data.urls) + 1), q.dir);
    case 'device':
      return sortIndex(index, ev.ua, rankByLabel(data.agents.keys(), (id) => deviceText(data.agents.get(id)), maxKey(data.agents) + 1), q.dir);
    case 'who':
      return sortIndex(index, classes, undefined, q.dir);
    case 'ip':
      return sortIndex(index, ev.ip, rankByLabel(data.ips.keys(), (id) => data.ips.get(id) ?? '', maxKey(data.ips) + 1), q.dir);
    default:
      return q.dir === 'asc' ? index : sortIndex(index, ev.t, undefined, 'desc');
  }
}

/**
 * The recipient's data, progressively: a live plan (re-run by liveQuery when a run stores segments or a delivery
 * changes), then its candidate segments read newest first in batches, each batch shown as it arrives. When a plan is
 * re-run while complete data is shown (a run stored more), the complete data stays until the new read is complete
 * rather than dropping back to a partial table.
 */
function useRecipientData(id: number): LiveQueryResult<RecipientData> {
  const plan = useLiveQuery(() => planRecipientLookup(db, id), [id]);
  const [state, setState] = useState<LiveQueryResult<RecipientData>>({ status: 'loading' });
  const shown = useRef<{ id: number; complete: boolean }>({ id, complete: false });
  useEffect(() => {
    if (plan.status !== 'ready') {
      setState(plan);
      return;
    }
    let cancelled = false;
    const quiet = shown.current.id === id && shown.current.complete;
    void (async () => {
      try {
        for await (const data of recipientBatches(db, plan.value)) {
          if (cancelled) break;
          if (quiet && !data.complete) continue;
          shown.current = { id, complete: data.complete };
          setState({ status: 'ready', value: data });
        }
      } catch (error) {
        if (cancelled) return;
        console.error('Tracking Logs: a store query failed', error);
        setState({ status: 'error', error });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [plan]);
  useEffect(() => {
    shown.current = { id, complete: false };
    setState({ status: 'loading' });
  }, [id]);
  return state;
}

/**
 * The recipient tracking tab (the reference's recipient Tracking tab): every tracked event of one recipient across
 * the deliveries still in the store — URL, date and time, the delivery (a link to it), type, device — filterable,
 * sortable, with a timeline of the events.
 */
export function RecipientRoute({ id, ctx, params }: { id: number; ctx: ViewContext; params: RouteParams }): JSX.Element {
  const data = useRecipientData(id);
  const name = data.status === 'ready' ? data.value.key : undefined;
  usePageTitle(name ?? t('rcp_title'));
  const back = (
    <p class="breadcrumb">
      <a href={hrefFor({ name: 'recipients' })}>{t('rcp_back')}</a>
    </p>
  );
  if (data.status !== 'ready' || data.value.key === undefined) {
    return (
      <>
        {back}
        <h1>{t('rcp_title')}</h1>
        {data.status === 'loading' && <Spinner />}
        {data.status === 'error' && (
          <p class="notice notice--error" role="alert">
            {t('store_error')}
          </p>
        )}
        {data.status === 'ready' && (
          <p class="notice" role="alert">
            {t('rcp_not_found')}
          </p>
        )}
      </>
    );
  }
  return (
    <>
      {back}
      <div class="page-head">
        <h1>{data.value.key}</h1>
      </div>
      <RecipientEventsView data={data.value} id={id} ctx={ctx} params={params} />
    </>
  );
}

function RecipientEventsView({ data, id, ctx, params }: { data: RecipientData; id: number; ctx: ViewContext; params: RouteParams }): JSX.Element {
  const { timeZone, rules } = ctx;
  const setParams = useSetParams({ name: 'recipient', id, params });
  const q = useMemo(() => parseLogsQuery(params, timeZone), [params, timeZone]);
  // Machine or human, per event (lib/indicators/machine.ts): the reference's classification in this tab.
  const classes = useMemo(() => classifyEvents(data.events, (uaId) => data.agents.get(uaId), rules), [data, rules]);
  const rows = useMemo(() => shownRows(data, q, classes), [data, classes, q.types.join(), q.fromS, q.toS, q.url, q.delivery, q.sort, q.dir]);
  const ev = data.events;
  const hasIp = useMemo(() => ev.ip.some((x) => x !== 0), [ev]);
  const time = useMemo(() => eventTimeFormat(timeZone), [timeZone]);
  // The plan holds every delivery of the store; the summary and the filter list name the recipient's.
  const recipientDeliveries = useMemo(() => new Set(ev.delivery), [ev]);
  const deliveryCount = recipientDeliveries.size;

  const progress = data.complete ? null : (
    <p class="rcp-progress notice" role="status">
      <span>{tn('rcp_loading_older', ev.stats.segmentsTotal, [formatNumber(ev.stats.segmentsRead)])}</span>
      <progress max={ev.stats.segmentsTotal} value={ev.stats.segmentsRead} aria-hidden="true" />
    </p>
  );

  if (ev.n === 0 && !data.complete) return progress ?? <Spinner />;
  if (ev.n === 0) {
    return (
      <EmptyState title={t('rcp_events_empty_title')}>
        <p>{t('rcp_events_empty_body')}</p>
      </EmptyState>
    );
  }

  const columns: VirtualColumn<RcpCol>[] = [
    { key: 'time', label: t('logs_col_time'), width: 'minmax(12.5rem, 1fr)', sortable: true },
    { key: 'type', label: t('logs_col_type'), width: 'minmax(8.5rem, 0.8fr)', sortable: true, kind: 'tag' },
    { key: 'delivery', label: t('rcp_col_delivery'), width: 'minmax(9rem, 1.4fr)', sortable: true, kind: 'link' },
    { key: 'url', label: t('logs_col_url'), width: 'minmax(9rem, 1.6fr)', sortable: true },
    { key: 'device', label: t('logs_col_device'), width: 'minmax(8rem, 1.3fr)', sortable: true },
    { key: 'who', label: t('logs_col_class'), width: 'minmax(6.5rem, 0.8fr)', sortable: true },
  ];
  if (hasIp) columns.push({ key: 'ip', label: t('logs_col_ip'), width: 'minmax(6.5rem, 0.8fr)', sortable: true });

  const deliveryLabel = (d: number): string => {
    const row = data.deliveries.get(d);
    return row ? row.label || t('delivery_untitled') : `#${d}`;
  };
  const text = (row: number, key: RcpCol): string => {
    const k = rows[row]!;
    switch (key) {
      case 'time':
        return time(ev.t[k]!);
      case 'type':
        return typeLabel(ev.type[k]!);
      case 'delivery':
        return deliveryLabel(ev.delivery[k]!);
      case 'url':
        return urlText(data.urls.get(ev.url[k]!));
      case 'device':
        return deviceText(data.agents.get(ev.ua[k]!));
      case 'who':
        return classText(classes[k]!);
      case 'ip':
        return data.ips.get(ev.ip[k]!) ?? '';
    }
  };
  const href = (row: number, key: RcpCol): string | undefined =>
    key === 'delivery' ? hrefFor({ name: 'delivery', id: ev.delivery[rows[row]!]!, tab: 'logs', params: { rcp: data.key ?? '' } }) : undefined;
  const title = (row: number, key: RcpCol): string | undefined => {
    const k = rows[row]!;
    if (key === 'url') return data.urls.get(ev.url[k]!)?.url;
    if (key === 'device') return data.agents.get(ev.ua[k]!);
    if (key === 'who') return classWhy(classes[k]!, rules);
    return key === 'delivery' ? text(row, key) : undefined;
  };
  const onSort = (key: RcpCol): void => {
    const dir = q.sort === key && q.dir === 'asc' ? 'desc' : 'asc';
    setParams({ sort: key === 'time' ? '' : key, dir: dir === 'asc' ? '' : 'desc' });
  };
  const spec = (): ExportSpec => {
    const { columns: names, row } = exportRows(
      ev,
      rows,
      {
        recipient: () => data.key ?? '',
        url: (u) => data.urls.get(u),
        agent: (a) => data.agents.get(a),
        ip: (i) => data.ips.get(i),
        delivery: (d) => data.deliveries.get(d)?.label ?? '',
        classes,
      },
      timeZone,
      ev.delivery,
    );
    return {
      header: { title: t('rcp_export_title', data.key ?? String(id)), timeZone, filters: describeFilters(q), generatedAt: Date.now(), rows: rows.length },
      columns: names,
      row,
    };
  };
  const deliveryOptions = [...data.deliveries.values()].filter((d) => recipientDeliveries.has(d.id!) || d.id === q.delivery).sort((a, b) => (b.sentAt ?? 0) - (a.sentAt ?? 0));

  return (
    <>
      <p class="muted rcp-summary" data-complete={data.complete ? 'true' : 'false'}>
        {tn(data.complete ? 'rcp_summary_events' : 'rcp_summary_events_so_far', ev.n)} · {tn('rcp_summary_deliveries', deliveryCount)}
        {data.complete && ev.stats.segmentsTotal > 0 && <> · {t('rcp_search_complete')}</>}
      </p>
      {progress}
      <Timeline t={ev.t} index={rows} timeZone={timeZone} />
      <LogsFilters q={q} setParams={setParams} showRecipient={false}>
        <label class="filter">
          {t('rcp_filter_delivery')}
          <select value={q.delivery ? String(q.delivery) : ''} onChange={(e) => setParams({ delivery: e.currentTarget.value })}>
            <option value="">{t('rcp_filter_delivery_all')}</option>
            {deliveryOptions.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {d.label || t('delivery_untitled')}
              </option>
            ))}
          </select>
        </label>
      </LogsFilters>
      <div class="logs-summary">
        <p class="muted" aria-live="polite">
          {tn('logs_shown', rows.length, [formatNumber(ev.n)])} · {t('logs_time_zone', timeZone)}
        </p>
        {/* Exported only once every candidate segment is read: a file should not silently miss older events. */}
        <ExportControls spec={spec} slug={data.key ?? String(id)} disabled={rows.length === 0 || !data.complete} />
      </div>
      {rows.length === 0 ? (
        <p class="notice">{t('logs_no_match')}</p>
      ) : (
        <VirtualTable
          label={t('rcp_table_label', data.key ?? '')}
          columns={columns}
          count={rows.length}
          text={text}
          href={href}
          title={title}
          sort={q.sort === 'rcp' || q.sort === 'ua' ? undefined : { key: q.sort, dir: q.dir }}
          onSort={onSort}
          height={`min(60vh, ${Math.max(1, rows.length) * 30 + 2}px)`}
        />
      )}
    </>
  );
}

const HOUR = 3600;
const BIN_SIZES = [HOUR, 3 * HOUR, 6 * HOUR, 24 * HOUR, 7 * 24 * HOUR, 30 * 24 * HOUR];
const BIN_NAMES: Record<number, MessageKey> = {
  [HOUR]: 'rcp_timeline_bin_hour',
  [3 * HOUR]: 'rcp_timeline_bin_3h',
  [6 * HOUR]: 'rcp_timeline_bin_6h',
  [24 * HOUR]: 'rcp_timeline_bin_day',
  [7 * 24 * HOUR]: 'rcp_timeline_bin_week',
  [30 * 24 * HOUR]: 'rcp_timeline_bin_30d',
};
const binName = (bin: number): string => t(BIN_NAMES[bin] ?? 'rcp_timeline_bin_day');

/**
 * The recipient's events over time (the shown rows): bars of events per hour, day or week, whichever gives at most
 * 60 bars. A plain SVG: a few dozen bars do not need a chart library.
 */
export function Timeline({ t: times, index, timeZone }: { t: Uint32Array; index: Uint32Array; timeZone: string }): JSX.Element | null {
  if (index.length === 0) return null;
  let min = Infinity;
  let max = 0;
  for (const i of index) {
    min = Math.min(min, times[i]!);
    max = Math.max(max, times[i]!);
  }
  const bin = BIN_SIZES.find((b) => (max - min) / b < 60) ?? BIN_SIZES[BIN_SIZES.length - 1]!;
  const start = Math.floor(min / bin) * bin;
  const n = Math.floor((max - start) / bin) + 1;
  const counts = new Array<number>(n).fill(0);
  for (const i of index) counts[Math.floor((times[i]! - start) / bin)]!++;
  const peak = Math.max(...counts);
  const W = 600;
  const H = 80;
  const w = W / n;
  const from = formatDate(start * 1000, timeZone);
  const to = formatDate((start + n * bin) * 1000, timeZone);
  return (
    <figure class="timeline-figure">
      <svg class="timeline" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={t('rcp_timeline_label', [formatNumber(index.length), from, to])}>
        {counts.map((c, k) =>
          c === 0 ? null : (
            <rect key={k} x={k * w + w * 0.1} width={Math.max(1, w * 0.8)} y={H - (c / peak) * H} height={(c / peak) * H}>
              <title>{`${formatDate((start + k * bin) * 1000, timeZone)}: ${formatNumber(c)}`}</title>
            </rect>
          ),
        )}
      </svg>
      {/* The range under the bars in HTML: text inside a stretched SVG would be stretched with it. */}
      <figcaption class="timeline-range muted" aria-hidden="true">
        <span>{from}</span>
        {/* What a bar is and how tall the tallest is: bars of one event each are all full height. */}
        <span>{t('rcp_timeline_scale', [binName(bin), formatNumber(peak)])}</span>
        <span>{to}</span>
      </figcaption>
    </figure>
  );
}
