import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { EmptyState } from '../../../../components/EmptyState';
import { Spinner } from '../../../../components/Spinner';
import { useLiveQuery } from '../../../../components/use-live-query';
import { WhoSwitch } from '../../../../components/WhoSwitch';
import { dictionaryKeys } from '../../../../lib/db/dictionary';
import { loadDeliveryEvents, type EventColumns } from '../../../../lib/db/events';
import { classifyDelivery, humanEvents } from '../../../../lib/indicators/human';
import { db } from '../../../../lib/db/instance';
import type { AggregateRow, UrlRow } from '../../../../lib/db/schema';
import { EventType } from '../../../../lib/event-types';
import { formatDate, formatDuration, formatNumber, formatPercent, t, tn, uiLanguage, type MessageKey } from '../../../../lib/i18n';
import { clickStreams, frequentPaths, streamOf, type ClickStreams } from '../../../../lib/urls/click-streams';
import {
  activityFromAggregate,
  activityFromEvents,
  clicksOverTime,
  linkTable,
  sortLinkRows,
  windowBounds,
  type LinkGrouping,
  type LinkSortKey,
  type LinkTableRow,
  type TimeWindow,
} from '../../../../lib/urls/link-table';
import { parseUrlsQuery, type UrlsQuery } from '../../../../lib/urls/params';
import { formatZonedInput, parseZonedDateTime } from '../../../../lib/zoned-time';
import { buildSeries, incompleteLast, type TimeUnit } from '../../../../lib/indicators/series';
import type { ChartAxis } from '../../../../components/chart-time';
import type { RouteParams } from '../../../../lib/routes';
import { ClicksChart } from './clicks-chart';
import type { DeliveryTabProps } from './tab';
import './urls.css';

/**
 * "URLs and click streams" (../shared/reference/adobe-tracking.md §5): per link occurrence its clicks, share of the
 * cumulated clicks and distinct clickers, by link, label, URL or category, over a time window; clicks over time for
 * the chosen links; each recipient's click stream and the most frequent paths between links.
 *
 * All-time numbers come from the delivery's aggregate; a time window, the chart and the streams read the delivery's
 * events (loaded once per visit, time-sorted columns).
 */

const STREAMS_PER_PAGE = 20;
const PATHS_SHOWN = 15;

interface TabData {
  urls: (UrlRow & { id: number })[];
  agg: AggregateRow | undefined;
}

/** An http(s) destination as a safe href (normalised), else undefined: never javascript:, data: or anything else. */
export function safeHttpHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A destination URL: text always; an "open" link beside it only for http(s), in a new tab without referrer, and only
 * when `openable` (never for opt-out or mirror-page links: opening a personal unsubscribe link could unsubscribe
 * someone, and a mirror page on the tracking server could count as a view).
 */
export function UrlText({ url, openable = true }: { url: string; openable?: boolean }): JSX.Element {
  const href = openable ? safeHttpHref(url) : undefined;
  return (
    <span class="url-text">
      <span class="url-text__value" title={url}>
        {url}
      </span>
      {href !== undefined && (
        <a class="url-text__open" href={href} target="_blank" rel="noopener noreferrer" title={t('urls_open_destination')}>
          ↗<span class="visually-hidden">{t('urls_open_destination')}</span>
        </a>
      )}
    </span>
  );
}

/** A label that also reads inside a sentence ("… clicks, first 6 hours"), with a capital for a button. */
function sentenceCase(s: string): string {
  return s.charAt(0).toLocaleUpperCase(uiLanguage()) + s.slice(1);
}

/**
 * A row's name as the display mode groups it: a category row is its category and a URL row its URL, not the label of
 * the group's first link (which named a "hero" category line "Hero image").
 */
export function rowName(r: Pick<LinkTableRow, 'label' | 'url' | 'category'>, by: LinkGrouping): string {
  switch (by) {
    case 'category':
      return r.category || t('urls_chart_no_category');
    case 'url':
      return r.url;
    case 'label':
    case 'link':
      return r.label || r.url;
  }
}

function typeName(type: number): string {
  return type >= 1 && type <= 6 ? t(`urls_type_${type}` as MessageKey) : String(type);
}

export function UrlsTab({ item, ctx, params, setParams }: DeliveryTabProps): JSX.Element {
  const id = item.delivery.id;
  const query = parseUrlsQuery(params);
  const data = useLiveQuery<TabData>(async () => {
    const [urls, agg] = await Promise.all([db.urls.where('deliveryId').equals(id).toArray(), db.aggregates.get(id)]);
    return { urls: urls.filter((u): u is UrlRow & { id: number } => u.id !== undefined), agg };
  }, [id]);
  const human = query.who === 'human';
  // Humans only: the events that count as a person's (lib/indicators/human.ts), so the table, the chart and the
  // click streams all leave the machines out.
  const events = useLiveQuery<EventColumns>(async () => {
    const cols = await loadDeliveryEvents(db, id);
    return human ? humanEvents(cols, await classifyDelivery(db, cols, ctx.rules)) : cols;
  }, [id, human, ctx.rules]);

  if (data.status === 'loading') return <Spinner />;
  if (data.status === 'error') {
    return (
      <p class="notice notice--error" role="alert">
        {t('store_error')}
      </p>
    );
  }
  const { urls, agg } = data.value;
  if (urls.filter((u) => u.type !== 2).length === 0) {
    return (
      <EmptyState title={t('urls_none_title')}>
        <p>{t('urls_none_body')}</p>
      </EmptyState>
    );
  }
  return (
    <UrlsView
      urls={urls}
      agg={agg}
      events={events.status === 'ready' ? events.value : undefined}
      eventsError={events.status === 'error'}
      sentAt={item.delivery.sentAt}
      firstEvent={item.totals?.firstEvent}
      timeZone={ctx.timeZone}
      now={ctx.now}
      query={query}
      setParams={setParams}
    />
  );
}

interface ViewProps {
  urls: (UrlRow & { id: number })[];
  agg: TabData['agg'];
  events: EventColumns | undefined;
  eventsError: boolean;
  sentAt: number | undefined;
  firstEvent: number | undefined;
  timeZone: string;
  /** The view's clock (epoch ms), to tell the hour still under way on the chart; the current time by default. */
  now?: number;
  query: UrlsQuery;
  setParams: (params: RouteParams, replace?: boolean) => void;
}

export function UrlsView({ urls, agg, events, eventsError, sentAt, firstEvent, timeZone, now, query, setParams }: ViewProps): JSX.Element {
  const custom = {
    from: query.from ? parseZonedDateTime(query.from, timeZone) : undefined,
    to: query.to ? parseZonedDateTime(query.to, timeZone) : undefined,
  };
  const bounds = windowBounds(query.window, sentAt, firstEvent, custom);
  // The stored aggregate counts every click of the whole time: any other view counts from the events.
  const windowed = query.window !== 'all' || query.who === 'human';
  const waitingForEvents = windowed && !events;

  const activity = useMemo(() => {
    if (!windowed) return activityFromAggregate(agg);
    return events ? activityFromEvents(events, bounds.from, bounds.to) : undefined;
  }, [windowed, agg, events, bounds.from, bounds.to]);
  const table = useMemo(() => (activity ? linkTable(urls, activity, query.by) : undefined), [urls, activity, query.by]);
  const rows = useMemo(
    () => (table ? sortLinkRows(table.rows, query.sort, query.desc) : []),
    [table, query.sort, query.desc],
  );

  const urlById = useMemo(() => new Map(urls.map((u) => [u.id, u])), [urls]);

  return (
    <div class="urls-tab">
      <UrlsControls query={query} setParams={setParams} timeZone={timeZone} sentAt={sentAt} />
      {eventsError && (
        <p class="notice notice--error" role="alert">
          {t('urls_events_error')}
        </p>
      )}
      {waitingForEvents || !table ? (
        <Spinner />
      ) : (
        <>
          <p class="muted urls-summary" aria-live="polite">
            {tn('urls_summary', table.listedClicks, [formatNumber(table.rows.length), windowLabel(query.window)])}
          </p>
          <LinkTableView rows={rows} table={table} query={query} setParams={setParams} />
          <section aria-labelledby="urls-chart-title" class="urls-section">
            <h2 id="urls-chart-title">{t('urls_chart_title')}</h2>
            {events ? (
              <ChartSection
                events={events}
                rows={table.rows}
                query={query}
                setParams={setParams}
                bounds={bounds}
                sentAt={sentAt}
                timeZone={timeZone}
                now={now ?? Date.now()}
              />
            ) : (
              !eventsError && <Spinner />
            )}
          </section>
          <section aria-labelledby="urls-streams-title" class="urls-section">
            <h2 id="urls-streams-title">{t('urls_streams_title')}</h2>
            <p class="muted">{t('urls_streams_intro')}</p>
            {events ? (
              <StreamsSection
                events={events}
                bounds={bounds}
                urlById={urlById}
                table={table.rows}
                by={query.by}
                query={query}
                setParams={setParams}
                timeZone={timeZone}
              />
            ) : (
              !eventsError && <Spinner />
            )}
          </section>
        </>
      )}
    </div>
  );
}

function windowLabel(w: TimeWindow): string {
  return t(`urls_window_${w}` as MessageKey);
}

const GROUPINGS: { by: LinkGrouping; key: MessageKey }[] = [
  { by: 'link', key: 'urls_by_link' },
  { by: 'label', key: 'urls_by_label' },
  { by: 'url', key: 'urls_by_url' },
  { by: 'category', key: 'urls_by_category' },
];
const WINDOWS: TimeWindow[] = ['all', '6h', '24h', 'custom'];

function UrlsControls({
  query,
  setParams,
  timeZone,
  sentAt,
}: {
  query: UrlsQuery;
  setParams: (p: RouteParams, replace?: boolean) => void;
  timeZone: string;
  sentAt: number | undefined;
}): JSX.Element {
  return (
    <div class="urls-controls">
      <WhoSwitch name="urls-who" value={query.who} onChange={(who) => setParams({ who: who === 'all' ? '' : who })} />
      <fieldset class="segmented">
        <legend>{t('urls_display')}</legend>
        {GROUPINGS.map(({ by, key }) => (
          <label key={by} class={query.by === by ? 'segmented__on' : undefined}>
            <input
              type="radio"
              name="urls-by"
              value={by}
              checked={query.by === by}
              // A new grouping has new row keys: the chart selection goes.
              onChange={() => setParams({ by: by === 'link' ? '' : by, sel: '' })}
            />
            {t(key)}
          </label>
        ))}
      </fieldset>
      <fieldset class="segmented">
        <legend>{t('urls_window')}</legend>
        {WINDOWS.map((w) => (
          <label key={w} class={query.window === w ? 'segmented__on' : undefined}>
            <input
              type="radio"
              name="urls-window"
              value={w}
              checked={query.window === w}
              onChange={() => {
                if (w === 'custom') {
                  // Start from the send and one day on, so the custom window opens with sensible bounds.
                  const from = query.from ?? (sentAt !== undefined ? formatZonedInput(sentAt, timeZone) : undefined);
                  const to =
                    query.to ?? (sentAt !== undefined ? formatZonedInput(sentAt + 24 * 3600 * 1000, timeZone) : undefined);
                  setParams({ window: 'custom', from: from ?? '', to: to ?? '' });
                } else setParams({ window: w === 'all' ? '' : w, from: '', to: '' });
              }}
            />
            {sentenceCase(windowLabel(w))}
          </label>
        ))}
      </fieldset>
      {query.window === 'custom' && (
        <div class="urls-custom" role="group" aria-label={t('urls_window_custom')}>
          <label>
            {t('urls_from')}{' '}
            <input
              type="datetime-local"
              value={query.from ?? ''}
              onChange={(e) => setParams({ from: (e.target as HTMLInputElement).value }, true)}
            />
          </label>{' '}
          <label>
            {t('urls_to')}{' '}
            <input
              type="datetime-local"
              value={query.to ?? ''}
              onChange={(e) => setParams({ to: (e.target as HTMLInputElement).value }, true)}
            />
          </label>{' '}
          <span class="muted">{t('urls_time_zone', timeZone)}</span>
        </div>
      )}
    </div>
  );
}

const COLUMNS: { key: LinkSortKey; label: MessageKey; num?: boolean }[] = [
  { key: 'label', label: 'urls_col_label' },
  { key: 'url', label: 'urls_col_url' },
  { key: 'category', label: 'urls_col_category' },
  { key: 'clicks', label: 'urls_col_clicks', num: true },
  { key: 'share', label: 'urls_col_share', num: true },
  { key: 'clickers', label: 'urls_col_clickers', num: true },
];

function LinkTableView({
  rows,
  table,
  query,
  setParams,
}: {
  rows: LinkTableRow[];
  table: { totalClicks: number };
  query: UrlsQuery;
  setParams: (p: RouteParams, replace?: boolean) => void;
}): JSX.Element {
  const selected = new Set(query.sel);
  const toggle = (key: number): void => {
    const next = selected.has(key) ? query.sel.filter((k) => k !== key) : [...query.sel, key].slice(-8);
    setParams({ sel: next.join(',') }, true);
  };
  return (
    <div class="table-wrap">
      <table class="table urls-table">
        <caption class="visually-hidden">{t('urls_table_caption')}</caption>
        <thead>
          <tr>
            {/* Visible: a column of bare checkboxes did not say what ticking one does. */}
            <th scope="col" class="urls-col-chart">
              {t('urls_col_chart')}
            </th>
            {COLUMNS.map((c) => {
              const active = query.sort === c.key;
              const nextDesc = active ? !query.desc : c.num === true;
              return (
                <th
                  key={c.key}
                  scope="col"
                  class={c.num ? 'num' : undefined}
                  aria-sort={active ? (query.desc ? 'descending' : 'ascending') : undefined}
                >
                  <button
                    type="button"
                    class="sort-button"
                    title={t('sort_by', t(c.label))}
                    onClick={() => setParams({ sort: c.key, dir: nextDesc ? 'desc' : 'asc' })}
                  >
                    {t(c.label)}
                    <span aria-hidden="true" class="sort-button__arrow">
                      {active ? (query.desc ? '▼' : '▲') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
            <th scope="col">{t('urls_col_type')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-url-ids={r.urlIds.join(',')}>
              <td>
                <input
                  type="checkbox"
                  checked={selected.has(r.key)}
                  onChange={() => toggle(r.key)}
                  aria-label={t('urls_chart_toggle', rowName(r, query.by))}
                />
              </td>
              <th scope="row" class="cell-label">
                {query.by === 'category' ? (
                  tn('urls_links', r.links)
                ) : (
                  <>
                    {r.label || <span class="cell-note">{t('urls_no_label')}</span>}
                    {r.links > 1 && <div class="cell-sub muted">{tn('urls_links', r.links)}</div>}
                  </>
                )}
              </th>
              <td class="cell-url">
                {r.distinctUrls > 1 ? (
                  <span class="muted">{tn('urls_distinct_urls', r.distinctUrls)}</span>
                ) : (
                  <UrlText url={r.url} openable={r.types.every((ty) => ty === EventType.click)} />
                )}
              </td>
              <td>{r.category || <span class="cell-note">{t('urls_no_category')}</span>}</td>
              <td class="num" data-col="clicks">
                {formatNumber(r.clicks)}
              </td>
              <td class="num" data-col="share">
                {r.share === undefined ? '–' : formatPercent(r.share, true)}
              </td>
              <td class="num" data-col="clickers">
                {formatNumber(r.clickers)}
              </td>
              <td>{r.types.map(typeName).join(', ')}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td />
            <th scope="row" colSpan={3}>
              {t('urls_total_cumulated')}
            </th>
            <td class="num" data-col="total-clicks">
              {formatNumber(table.totalClicks)}
            </td>
            <td class="num">{table.totalClicks > 0 ? formatPercent(1, true) : '–'}</td>
            <td colSpan={2} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function ChartSection({
  events,
  rows,
  query,
  setParams,
  bounds,
  sentAt,
  timeZone,
  now,
}: {
  events: EventColumns;
  rows: LinkTableRow[];
  query: UrlsQuery;
  setParams: (p: RouteParams, replace?: boolean) => void;
  bounds: { from: number; to: number };
  sentAt: number | undefined;
  timeZone: string;
  now: number;
}): JSX.Element {
  const chosen = query.sel.map((k) => rows.find((r) => r.key === k)).filter((r): r is LinkTableRow => r !== undefined);
  const chosenKey = chosen.map((r) => r.key).join(',');
  // Clicks per hour from the events, then per hour or per calendar day of the chosen zone as the statistics tab
  // buckets them (lib/indicators/series.ts): clicksOverTime's own days would be UTC days under local date ticks.
  const hourly = useMemo(
    () => clicksOverTime(events, chosen.map((r) => r.urlIds), bounds.from, bounds.to, 3600),
    [events, chosenKey, bounds.from, bounds.to],
  );
  // Per day once the clicks span more than 3 days: hundreds of hourly points would crowd the chart.
  const unit: TimeUnit = hourly.x.length > 72 ? 'day' : 'hour';
  const sinceSend = query.sinceSend && sentAt !== undefined;
  const series = useMemo(
    () =>
      buildSeries({
        hours: hourly.x.map((s) => s / 3600),
        columns: hourly.ys,
        unit,
        axis: sinceSend ? 'since' : 'calendar',
        sentAt,
        timeZone,
        cumulative: false,
      }),
    [hourly, unit, sinceSend, sentAt, timeZone],
  );
  const axis: ChartAxis = useMemo(() => ({ time: series.axis === 'calendar', unit, timeZone }), [series, unit, timeZone]);
  // Each line is named as the table's display mode names its row (a category, a URL, a label).
  const chosenSeries = useMemo(
    () => chosen.map((r, i) => ({ label: rowName(r, query.by), values: series.ys[i]! })),
    [series, query.by, chosenKey],
  );
  const all = series.ys[chosen.length] ?? [];
  const incomplete = incompleteLast(series, { unit, sentAt, timeZone }, now, bounds.to);
  const total = all.reduce((s, v) => s + v, 0);
  return (
    <>
      <div class="urls-chart-head">
        <p class="muted">{chosen.length === 0 ? t('urls_chart_hint') : tn('urls_chart_selected', chosen.length)}</p>
        {sentAt !== undefined && (
          <label class="urls-axis">
            <input
              type="checkbox"
              checked={query.sinceSend}
              onChange={() => setParams({ axis: query.sinceSend ? '' : 'since' }, true)}
            />{' '}
            {t(unit === 'day' ? 'stats_x_since_days' : 'urls_chart_since_send')}
          </label>
        )}
        {chosen.length > 0 && (
          <button type="button" class="button button--quiet button--small" onClick={() => setParams({ sel: '' }, true)}>
            {t('urls_chart_clear')}
          </button>
        )}
      </div>
      {total === 0 ? (
        <p class="muted">{t('urls_chart_empty')}</p>
      ) : (
        <ClicksChart x={series.x} all={all} chosen={chosenSeries} axis={axis} incomplete={incomplete} />
      )}
    </>
  );
}

/**
 * Seconds between two clicks, written as people read a gap. Event times are whole seconds (lib/db/events.ts), so two
 * clicks in the same second are "< 1 s" apart, not "0 ms" (a link scanner's burst shows a row of them).
 */
function gapText(seconds: number): string {
  return seconds === 0 ? `< ${formatDuration(1000)}` : formatDuration(seconds * 1000);
}

function StreamsSection({
  events,
  bounds,
  urlById,
  table,
  by,
  query,
  setParams,
  timeZone,
}: {
  events: EventColumns;
  bounds: { from: number; to: number };
  urlById: Map<number, UrlRow & { id: number }>;
  table: LinkTableRow[];
  by: LinkGrouping;
  query: UrlsQuery;
  setParams: (p: RouteParams, replace?: boolean) => void;
  timeZone: string;
}): JSX.Element {
  const streams: ClickStreams = useMemo(() => clickStreams(events, bounds.from, bounds.to), [events, bounds.from, bounds.to]);
  // Paths follow the table's grouping: by label, "Hero image → Shop now" however many occurrences each has.
  const groupOf = useMemo(() => {
    const m = new Map<number, number>();
    for (const r of table) for (const u of r.urlIds) m.set(u, r.key);
    return m;
  }, [table]);
  const rowByKey = useMemo(() => new Map(table.map((r) => [r.key, r])), [table]);
  const paths = useMemo(
    () => frequentPaths(streams, PATHS_SHOWN, by === 'link' ? undefined : (u) => groupOf.get(u) ?? u),
    [streams, by, groupOf],
  );
  const [recipients, setRecipients] = useState<string[] | undefined>(undefined);
  const [dictError, setDictError] = useState(false);
  useEffect(() => {
    let live = true;
    dictionaryKeys(db, 'recipients').then(
      (keys) => live && setRecipients(keys),
      () => live && setDictError(true),
    );
    return () => {
      live = false;
    };
  }, []);

  const needle = query.q.trim().toLowerCase();
  const matching = useMemo(() => {
    const all: number[] = [];
    for (let k = 0; k < streams.recipients.length; k++) {
      if (needle === '') all.push(k);
      else {
        const who = recipients?.[streams.recipients[k]!] ?? '';
        if (who.toLowerCase().includes(needle)) all.push(k);
      }
    }
    return all;
  }, [streams, recipients, needle]);
  const pages = Math.max(1, Math.ceil(matching.length / STREAMS_PER_PAGE));
  const page = Math.min(query.page, pages);
  const shown = matching.slice((page - 1) * STREAMS_PER_PAGE, page * STREAMS_PER_PAGE);

  const linkName = (urlId: number): string => {
    const u = urlById.get(urlId);
    return u ? u.label || u.url : t('urls_unknown_link', urlId);
  };
  const groupName = (key: number): string => {
    const r = rowByKey.get(key);
    return r ? rowName(r, by) : linkName(key);
  };

  if (streams.recipients.length === 0) return <p class="muted">{t('urls_streams_empty')}</p>;
  return (
    <>
      <h3>{t('urls_paths_title')}</h3>
      {paths.length === 0 ? (
        <p class="muted">{t('urls_paths_empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="table urls-paths">
            <caption class="visually-hidden">{t('urls_paths_title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('urls_path_from')}</th>
                <th scope="col" aria-hidden="true" />
                <th scope="col">{t('urls_path_to')}</th>
                <th scope="col" class="num">
                  {t('urls_path_count')}
                </th>
                <th scope="col" class="num">
                  {t('urls_path_recipients')}
                </th>
              </tr>
            </thead>
            <tbody>
              {paths.map((p) => (
                <tr key={`${p.from}-${p.to}`}>
                  <td class="cell-label">{groupName(p.from)}</td>
                  <td aria-hidden="true">→</td>
                  <td class="cell-label">{groupName(p.to)}</td>
                  <td class="num">{formatNumber(p.count)}</td>
                  <td class="num">{formatNumber(p.recipients)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3 class="urls-subsection">{t('urls_recipients_title')}</h3>
      <div class="urls-stream-search">
        <label>
          {t('urls_search_recipient')}{' '}
          <input
            type="search"
            value={query.q}
            placeholder={t('urls_search_placeholder')}
            onInput={(e) => setParams({ q: (e.target as HTMLInputElement).value, page: '' }, true)}
          />
        </label>{' '}
        <span class="muted" aria-live="polite">
          {tn('urls_streams_count', matching.length)}
        </span>
      </div>
      {dictError && <p class="notice notice--error">{t('store_error')}</p>}
      <ol class="streams" start={(page - 1) * STREAMS_PER_PAGE + 1}>
        {shown.map((k) => {
          const rcp = streams.recipients[k]!;
          const clicks = streamOf(streams, k);
          return (
            <li key={rcp} class="stream">
              <div class="stream__who">
                <strong>{recipients ? (recipients[rcp] ?? t('urls_unknown_recipient', rcp)) : '…'}</strong>{' '}
                <span class="muted">{tn('urls_clicks', clicks.length)}</span>
              </div>
              <ol class="stream__clicks">
                {clicks.map((c, i) => (
                  <li key={i}>
                    {c.gap !== undefined && (
                      <span class="stream__gap" title={t('urls_gap', gapText(c.gap))}>
                        → {gapText(c.gap)} →
                      </span>
                    )}
                    <span class="stream__click">
                      <span class="stream__time">{formatDate(c.t * 1000, timeZone)}</span>{' '}
                      <span class="stream__link">{linkName(c.url)}</span>
                    </span>
                  </li>
                ))}
              </ol>
            </li>
          );
        })}
      </ol>
      {pages > 1 && (
        <nav class="pager" aria-label={t('urls_pages')}>
          <button
            type="button"
            class="button button--small"
            disabled={page <= 1}
            onClick={() => setParams({ page: page - 1 <= 1 ? '' : String(page - 1) })}
          >
            {t('urls_prev')}
          </button>{' '}
          <span>{t('urls_page_of', [formatNumber(page), formatNumber(pages)])}</span>{' '}
          <button
            type="button"
            class="button button--small"
            disabled={page >= pages}
            onClick={() => setParams({ page: String(page + 1) })}
          >
            {t('urls_next')}
          </button>
        </nav>
      )}
    </>
  );
}
