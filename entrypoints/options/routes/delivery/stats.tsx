import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { EmptyState } from '../../../../components/EmptyState';
import { Indicator } from '../../../../components/Indicator';
import { Spinner } from '../../../../components/Spinner';
import { TimeChart, type ChartSeries } from '../../../../components/TimeChart';
import { axisTitle, bucketLabel, chartSummary, type ChartAxis } from '../../../../components/chart-time';
import { countOrDash, rateOrDash } from '../../../../components/format';
import { useLiveQuery, type LiveQueryResult } from '../../../../components/use-live-query';
import { agentKeys, recipientDomainGroups } from '../../../../lib/db/breakdowns';
import { db } from '../../../../lib/db/instance';
import type { AggregateRow, HourlySeries, TotalsRow } from '../../../../lib/db/schema';
import { formatDate, formatDuration, formatNumber, formatPercent, t, type MessageKey } from '../../../../lib/i18n';
import { agentBreakdown, type AgentDimension, type AgentRow, type DeviceKind } from '../../../../lib/indicators/agents';
import { DOMAIN_GROUPS, domainBreakdown, OTHERS, type DomainRow } from '../../../../lib/indicators/domains';
import { headlineIndicators, type HeadlineIndicators } from '../../../../lib/indicators/headline';
import { loadHumanAggregate, type HumanAggregate, type Who } from '../../../../lib/indicators/human';
import { countsAsHuman } from '../../../../lib/indicators/machine';
import { classText } from '../../../../lib/logs/rows';
import { buildSeries, incompleteLast, sameHourlySeries, type TimeAxis, type TimeUnit } from '../../../../lib/indicators/series';
import { SHARES, timesToShares } from '../../../../lib/indicators/time-to-share';
import { isCurrentAggregate } from '../../../../lib/workflow/aggregate';
import type { RouteParams } from '../../../../lib/routes';
import './stats.css';
import type { DeliveryTabProps } from './tab';

/** The performance mark set once the statistics charts have drawn (the benchmark reads it: test/bench/stats.ts). */
export const STATS_DRAWN_MARK = 'tracking-logs:stats-drawn';

/** The tab's filters, kept in the hash: `?who=human&unit=day&axis=since&cumulative=1&by=os`. */
export interface StatsView {
  /** Every event counted (the reference's numbers), or only the events classified human (lib/indicators/human.ts). */
  who: Who;
  unit: TimeUnit;
  axis: TimeAxis;
  cumulative: boolean;
  by: AgentDimension;
}

const DIMENSIONS: readonly AgentDimension[] = ['device', 'os', 'browser'];

/** Reads the tab's hash params; anything unknown falls back to the default. */
export function parseStatsView(params: RouteParams): StatsView {
  return {
    who: params.who === 'human' ? 'human' : 'all',
    unit: params.unit === 'day' ? 'day' : 'hour',
    axis: params.axis === 'since' ? 'since' : 'calendar',
    cumulative: params.cumulative === '1',
    by: (DIMENSIONS as readonly string[]).includes(params.by ?? '') ? (params.by as AgentDimension) : 'device',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The aggregate, as early as possible

/**
 * When the page opens on a delivery (a deep link, a reload), the light totals row with its per-hour series is read as
 * soon as this module runs, in parallel with the shell's own start-up queries, instead of after the delivery row has
 * loaded and the tab mounted: most of "statistics drawn" after navigation was waiting in that chain. The tab takes
 * the early read until its live query (which then keeps it up to date) answers. The heavy aggregate (per-recipient
 * arrays, for the breakdowns) is read after that, by the tab itself.
 */
const early = new Map<number, { value: TotalsRow | undefined; done: boolean; promise: Promise<void> }>();

function prefetchFromHash(): void {
  if (typeof location === 'undefined') return;
  const m = /^#\/deliveries\/(\d{1,15})(?:\/stats)?(?:\?|$)/.exec(location.hash);
  if (!m) return;
  const id = Number(m[1]);
  const entry = { value: undefined as TotalsRow | undefined, done: false, promise: Promise.resolve() };
  entry.promise = db.totals.get(id).then(
    (value) => {
      entry.value = value;
      entry.done = true;
    },
    () => {
      early.delete(id); // the live query reports the error
    },
  );
  early.set(id, entry);
}
prefetchFromHash();

function useTotalsRow(id: number): LiveQueryResult<TotalsRow | undefined> {
  const live = useLiveQuery(() => db.totals.get(id), [id]);
  const entry = early.get(id);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (entry && !entry.done) void entry.promise.then(() => setTick((n) => n + 1));
  }, [entry]);
  if (live.status !== 'loading') {
    if (entry) early.delete(id); // used once: later visits read live
    return live;
  }
  return entry?.done ? { status: 'ready', value: entry.value } : live;
}

/**
 * `series`, or the one given before when this one holds the same counts: the totals row is read first by the early
 * read and then by its live query (and the full aggregate arrives after), each a new object with the same arrays'
 * contents, and each new object rebuilt both charts from scratch just after they had been drawn (~8 ms of the main
 * thread, and the canvases replaced under the pointer).
 */
function useSteadySeries(series: HourlySeries | undefined): HourlySeries | undefined {
  const last = useRef(series);
  if (series !== last.current && !(series && last.current && sameHourlySeries(series, last.current))) last.current = series;
  return last.current;
}

/** Tracking statistics: every indicator of product.md, their evolution over time, and the breakdowns. */
export function StatsTab({ item, ctx, params, setParams }: DeliveryTabProps): JSX.Element {
  const { delivery, totals } = item;
  const view = parseStatsView(params);
  const humanOnly = view.who === 'human';
  const light = useTotalsRow(delivery.id);
  // Humans only: built from the delivery's events on read (every one classified), so it has a loading state of its
  // own; the stored aggregate still answers the "all" side at once.
  const human = useLiveQuery(
    () => (humanOnly ? loadHumanAggregate(db, delivery.id, ctx.rules) : Promise.resolve(undefined)),
    [delivery.id, humanOnly, ctx.rules],
  );
  const humanRow = human.status === 'ready' ? human.value?.row : undefined;
  // The full aggregate only once the light row is in, so the two reads do not compete for the first paint.
  const waiting = light.status === 'loading';
  const full = useLiveQuery(
    () => (waiting ? Promise.resolve(undefined) : db.aggregates.get(delivery.id)),
    [delivery.id, waiting],
  );
  const aggregate: LiveQueryResult<AggregateRow | undefined> = waiting ? { status: 'loading' } : full;
  const storedAgg = aggregate.status === 'ready' ? aggregate.value : undefined;
  const agg = humanOnly ? humanRow : storedAgg;
  const row = light.status === 'ready' ? light.value : undefined;
  // Rows written before the light series existed: the aggregate's own arrays.
  const aggSeries = (a: AggregateRow | undefined): HourlySeries | undefined =>
    a ? { hours: a.hours, opens: a.hourOpens, clicks: a.hourClicks } : undefined;
  const hourly = useSteadySeries(humanOnly ? aggSeries(humanRow) : (row?.series ?? aggSeries(storedAgg)));
  const h = headlineIndicators(delivery, humanOnly ? humanRow?.totals : totals);
  const events = humanOnly ? (humanRow?.totals.events ?? 0) : (row?.totals.events ?? totals?.events ?? 0);
  const settled = humanOnly
    ? human.status === 'ready'
    : light.status === 'ready' && (row?.series !== undefined || aggregate.status === 'ready');
  const error = light.status === 'error' || aggregate.status === 'error' || human.status === 'error';

  // The benchmark's mark: the first time this mount has charts drawn (or knows it has none to draw).
  const marked = useRef(false);
  const markDrawn = (): void => {
    if (marked.current) return;
    marked.current = true;
    performance.mark(STATS_DRAWN_MARK);
  };
  useEffect(() => {
    if (settled && (!hourly || hourly.hours.length === 0)) markDrawn();
  }, [settled, hourly]);

  return (
    <div class="stats">
      <Indicators h={humanOnly && !humanRow ? undefined : h}>
        <Toggle
          label={t('stats_toggle_who')}
          value={view.who}
          options={[
            { value: 'all', label: t('stats_who_all') },
            { value: 'human', label: t('stats_who_human') },
          ]}
          onChange={(v) => setParams({ who: v === 'all' ? '' : v })}
        />
        <WhoNote human={humanOnly} result={human.status === 'ready' ? human.value : undefined} />
      </Indicators>
      {error ? (
        <p class="notice notice--error" role="alert">
          {t('store_error')}
        </p>
      ) : humanOnly && !settled ? (
        <Spinner />
      ) : settled && (events === 0 || !hourly || hourly.hours.length === 0) ? (
        humanOnly && (totals?.events ?? 0) > 0 ? (
          <EmptyState title={t('stats_human_empty_title')}>
            <p>{t('stats_human_empty_body')}</p>
          </EmptyState>
        ) : (
          <EmptyState title={t('stats_empty_title')}>
            <p>{t('stats_empty_body')}</p>
          </EmptyState>
        )
      ) : !hourly ? (
        <Spinner />
      ) : (
        <>
          <Evolution
            hourly={hourly}
            sentAt={delivery.sentAt}
            timeZone={ctx.timeZone}
            now={ctx.now}
            view={view}
            setParams={setParams}
            onDrawn={markDrawn}
          />
          <TimesToShares hourly={hourly} sentAt={delivery.sentAt} timeZone={ctx.timeZone} />
          <Breakdowns agg={agg} deliveredByDomain={delivery.deliveredByDomain} by={view.by} setParams={setParams} />
        </>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Indicators

/**
 * Under the all / humans-only switch: how many events the human count leaves out, and why (the reasons of
 * lib/indicators/machine.ts, named as in the logs' "Human or machine" column).
 */
function WhoNote({ human, result }: { human: boolean; result: HumanAggregate | undefined }): JSX.Element {
  if (!human) return <p class="muted stats__who-note">{t('stats_who_all_note')}</p>;
  if (!result) return <></>; // the indicators' spinner says what is going on
  const total = result.byClass.reduce((a, b) => a + b, 0);
  const left = result.byClass.reduce((a, n, code) => (countsAsHuman(code) ? a : a + n), 0);
  if (left === 0) return <p class="muted stats__who-note">{t('stats_human_none', formatNumber(total))}</p>;
  const reasons = result.byClass
    .map((n, code) => (countsAsHuman(code) || n === 0 ? '' : `${classText(code)} ${formatNumber(n)}`))
    .filter(Boolean)
    .join(' · ');
  return (
    <p class="muted stats__who-note">{t('stats_human_note', [formatNumber(left), formatNumber(total), reasons])}</p>
  );
}

/**
 * Every indicator of product.md "Indicators", grouped as Adobe's Tracking indicators report (adobe-tracking.md §1.2).
 * `h` undefined: still being counted (humans only), the groups wait under a spinner.
 */
function Indicators({ h, children }: { h: HeadlineIndicators | undefined; children?: ComponentChildren }): JSX.Element {
  return (
    <section aria-labelledby="indicators-title" class="stats__indicators">
      <h2 id="indicators-title">{t('delivery_indicators')}</h2>
      <div class="stats__who">{children}</div>
      {h ? <IndicatorGroups h={h} /> : <Spinner label={t('stats_human_loading')} />}
    </section>
  );
}

function IndicatorGroups({ h }: { h: HeadlineIndicators }): JSX.Element {
  const est = (n: number | undefined): string => countOrDash(n);
  return (
    <>
      <h3 class="stats__group">{t('stats_group_delivery')}</h3>
      <dl class="indicators">
        <Indicator label={t('ind_to_deliver')} value={countOrDash(h.toDeliver)} />
        <Indicator label={t('ind_delivered')} value={countOrDash(h.delivered)} />
      </dl>
      <h3 class="stats__group">{t('stats_group_opens')}</h3>
      <dl class="indicators">
        <Indicator label={t('ind_distinct_opens')} value={formatNumber(h.recipientOpen)} hint={t('ind_distinct_opens_hint')} />
        <Indicator label={t('ind_open_rate')} value={rateOrDash(h.openRate)} hint={t('ind_open_rate_hint')} />
        <Indicator label={t('ind_total_opens')} value={formatNumber(h.totalRecipientOpen)} hint={t('ind_total_opens_hint')} />
        <Indicator
          label={t('ind_estimated_opens')}
          value={est(h.estimatedRecipientOpen)}
          hint={t('ind_estimated_opens_hint')}
        />
        <Indicator
          label={t('ind_estimated_total_opens')}
          value={est(h.estimatedTotalRecipientOpen)}
          hint={t('ind_estimated_total_opens_hint')}
        />
        <Indicator label={t('ind_opt_outs')} value={formatNumber(h.optOut)} hint={t('ind_opt_outs_hint')} />
        <Indicator label={t('ind_mirror_pages')} value={formatNumber(h.mirrorPage)} hint={t('ind_mirror_pages_hint')} />
      </dl>
      <h3 class="stats__group">{t('stats_group_clicks')}</h3>
      <dl class="indicators">
        <Indicator label={t('ind_recipient_clicks')} value={formatNumber(h.recipientClick)} hint={t('ind_recipient_clicks_hint')} />
        <Indicator label={t('ind_click_rate')} value={rateOrDash(h.clickRate)} hint={t('ind_click_rate_hint')} />
        <Indicator label={t('ind_person_clicks')} value={formatNumber(h.personClick)} hint={t('ind_person_clicks_hint')} />
        <Indicator label={t('ind_total_clicks')} value={formatNumber(h.totalRecipientClick)} hint={t('ind_total_clicks_hint')} />
        <Indicator label={t('ind_forwards')} value={formatNumber(h.estimatedForwards)} hint={t('ind_forwards_hint')} />
        <Indicator label={t('ind_raw_reactivity')} value={rateOrDash(h.rawReactivity)} hint={t('ind_raw_reactivity_hint')} />
        <Indicator
          label={t('ind_estimated_reactivity')}
          value={rateOrDash(h.estimatedReactivity)}
          hint={t('ind_estimated_reactivity_hint')}
        />
      </dl>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Evolution over time

function Toggle({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: readonly { value: string; label: string }[];
  value: string;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <div class="segmented" role="group" aria-label={label}>
      <span class="segmented__label" aria-hidden="true">
        {label}
      </span>
      {options.map((o) => (
        <button
          type="button"
          key={o.value}
          class="segmented__option"
          aria-pressed={o.value === value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

const OPENS_COLOR = '--accent';
const CLICKS_COLOR = '--ok';

function Evolution({
  hourly,
  sentAt,
  timeZone,
  now,
  view,
  setParams,
  onDrawn,
}: {
  hourly: HourlySeries;
  sentAt: number | undefined;
  timeZone: string;
  now: number;
  view: StatsView;
  setParams: DeliveryTabProps['setParams'];
  onDrawn: () => void;
}): JSX.Element {
  const series = useMemo(
    () =>
      buildSeries({
        hours: hourly.hours,
        columns: [hourly.opens, hourly.clicks],
        unit: view.unit,
        axis: view.axis,
        sentAt,
        timeZone,
        cumulative: view.cumulative,
      }),
    [hourly, view.unit, view.axis, view.cumulative, sentAt, timeZone],
  );
  const time = series.axis === 'calendar';
  const chartAxis: ChartAxis = { time, unit: view.unit, timeZone };
  const formatX = (v: number): string => bucketLabel(v, chartAxis);
  const xLabel = axisTitle(chartAxis);
  // The hour (or day) still under way is marked on the charts, not drawn as a drop (components/TimeChart.tsx).
  const incomplete = incompleteLast(series, { unit: view.unit, sentAt, timeZone }, now);
  const opens: ChartSeries[] = useMemo(
    () => [{ label: t('stats_y_opens'), values: series.ys[0]!, colorVar: OPENS_COLOR }],
    [series],
  );
  const clicks: ChartSeries[] = useMemo(
    () => [{ label: t('stats_y_clicks'), values: series.ys[1]!, colorVar: CLICKS_COLOR }],
    [series],
  );
  const titleKey = (what: 'opens' | 'clicks'): MessageKey =>
    view.cumulative ? `stats_${what}_cumulative` : `stats_${what}_per_${view.unit}`;

  // Both charts report their first draw; the tab's mark waits for the second.
  const drawn = useRef(0);
  const chartDrawn = (): void => {
    drawn.current++;
    if (drawn.current >= 2) onDrawn();
  };

  const summary = (label: string, values: readonly number[]): string =>
    chartSummary(label, values, series.x, view.cumulative, formatX);

  return (
    <section aria-labelledby="evolution-title" class="stats__evolution">
      <h2 id="evolution-title">{t('stats_evolution_title')}</h2>
      <div class="stats__toggles">
        <Toggle
          label={t('stats_toggle_unit')}
          value={view.unit}
          options={[
            { value: 'hour', label: t('stats_unit_hour') },
            { value: 'day', label: t('stats_unit_day') },
          ]}
          onChange={(v) => setParams({ unit: v === 'hour' ? '' : v })}
        />
        <Toggle
          label={t('stats_toggle_axis')}
          value={view.axis}
          options={[
            { value: 'calendar', label: t('stats_axis_calendar') },
            { value: 'since', label: t('stats_axis_since') },
          ]}
          onChange={(v) => setParams({ axis: v === 'calendar' ? '' : v })}
        />
        <label class="stats__check">
          <input
            type="checkbox"
            checked={view.cumulative}
            onChange={(e) => setParams({ cumulative: (e.currentTarget as HTMLInputElement).checked ? '1' : '' })}
          />
          {t('stats_cumulative')}
        </label>
      </div>
      {view.axis === 'since' && series.axis === 'calendar' && <p class="muted">{t('stats_no_send_time')}</p>}
      <div class="stats__charts">
        <TimeChart
          title={t(titleKey('opens'))}
          x={series.x}
          series={opens}
          time={time}
          unit={view.unit}
          timeZone={timeZone}
          cumulative={view.cumulative}
          incomplete={incomplete}
          xLabel={xLabel}
          yLabel={t('stats_y_opens')}
          formatX={formatX}
          summary={summary(t('stats_y_opens'), series.ys[0]!)}
          onDrawn={chartDrawn}
        />
        <TimeChart
          title={t(titleKey('clicks'))}
          x={series.x}
          series={clicks}
          time={time}
          unit={view.unit}
          timeZone={timeZone}
          cumulative={view.cumulative}
          incomplete={incomplete}
          xLabel={xLabel}
          yLabel={t('stats_y_clicks')}
          formatX={formatX}
          summary={summary(t('stats_y_clicks'), series.ys[1]!)}
          onDrawn={chartDrawn}
        />
      </div>
    </section>
  );
}

function TimesToShares({
  hourly,
  sentAt,
  timeZone,
}: {
  hourly: HourlySeries;
  sentAt: number | undefined;
  timeZone: string;
}): JSX.Element {
  const opens = useMemo(() => timesToShares(hourly.hours, hourly.opens, sentAt), [hourly, sentAt]);
  const clicks = useMemo(() => timesToShares(hourly.hours, hourly.clicks, sentAt), [hourly, sentAt]);
  const cell = (r: (typeof opens)[number]): JSX.Element => {
    if (!r) return <td class="num">{t('value_unknown')}</td>;
    const date = formatDate(r.at * 1000, timeZone);
    return (
      <td class="num" title={date}>
        {r.afterSend !== undefined ? formatDuration(r.afterSend * 1000) : date}
      </td>
    );
  };
  return (
    <section aria-labelledby="time-to-title" class="stats__time-to">
      <h2 id="time-to-title">{t('stats_time_to_title')}</h2>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('stats_col_share')}</th>
              <th scope="col" class="num">
                {t('stats_y_opens')}
              </th>
              <th scope="col" class="num">
                {t('stats_y_clicks')}
              </th>
            </tr>
          </thead>
          <tbody>
            {SHARES.map((share, i) => (
              <tr key={share}>
                <th scope="row">{formatPercent(share)}</th>
                {cell(opens[i])}
                {cell(clicks[i])}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">{t(sentAt === undefined ? 'stats_time_to_note_no_send' : 'stats_time_to_note')}</p>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Breakdowns

interface BreakdownData {
  agents: AgentRow[];
  domains: DomainRow[];
}

/**
 * Device / OS / browser and per-domain breakdowns. They need the dictionaries (user agents, recipients), read after
 * the charts are up and cached for the page (lib/db/breakdowns.ts), so they never hold back the first paint.
 */
function Breakdowns({
  agg,
  deliveredByDomain,
  by,
  setParams,
}: {
  /** Undefined while it loads. */
  agg: AggregateRow | undefined;
  deliveredByDomain: Record<string, number> | undefined;
  by: AgentDimension;
  setParams: DeliveryTabProps['setParams'];
}): JSX.Element {
  const [state, setState] = useState<
    { status: 'loading' } | { status: 'error' } | { status: 'ready'; data: BreakdownData }
  >({ status: 'loading' });
  const current = agg === undefined || isCurrentAggregate(agg);
  useEffect(() => {
    if (!agg) return;
    let live = true;
    (async () => {
      const [keys, groupOf] = await Promise.all([agentKeys(db), recipientDomainGroups(db)]);
      const agents = agentBreakdown(agg.agentIds ?? [], agg.agentOpens ?? [], agg.agentClicks ?? [], keys, by);
      const domains = domainBreakdown(agg.rcpIds, agg.rcpTypes, groupOf, deliveredByDomain);
      if (live) setState({ status: 'ready', data: { agents, domains } });
    })().catch((error: unknown) => {
      console.error('Tracking Logs: the statistics breakdowns failed', error);
      if (live) setState({ status: 'error' });
    });
    return () => {
      live = false;
    };
  }, [agg, by, deliveredByDomain]);

  const dimensionLabel: Record<AgentDimension, string> = {
    device: t('stats_by_device'),
    os: t('stats_by_os'),
    browser: t('stats_by_browser'),
  };
  const data = state.status === 'ready' ? state.data : undefined;
  return (
    <>
      <section aria-labelledby="agents-title" class="stats__agents">
        <h2 id="agents-title">{t('stats_agents_title')}</h2>
        <Toggle
          label={t('stats_toggle_by')}
          value={by}
          options={DIMENSIONS.map((d) => ({ value: d, label: dimensionLabel[d] }))}
          onChange={(v) => setParams({ by: v === 'device' ? '' : v })}
        />
        {!current ? (
          <p class="notice">{t('stats_breakdown_rebuilding')}</p>
        ) : state.status === 'error' ? (
          <p class="notice notice--error" role="alert">
            {t('stats_breakdown_error')}
          </p>
        ) : !data ? (
          <Spinner />
        ) : data.agents.length === 0 ? (
          <p class="muted">{t('stats_breakdown_empty')}</p>
        ) : (
          <AgentTable rows={data.agents} by={by} label={dimensionLabel[by]} />
        )}
        <p class="muted">{t('stats_agents_note')}</p>
      </section>
      <section aria-labelledby="domains-title" class="stats__domains">
        <h2 id="domains-title">{t('stats_domains_title')}</h2>
        {state.status === 'error' ? (
          <p class="notice notice--error" role="alert">
            {t('stats_breakdown_error')}
          </p>
        ) : !data ? (
          <Spinner />
        ) : data.domains.length === 0 ? (
          <p class="muted">{t('stats_breakdown_empty')}</p>
        ) : (
          <DomainTable rows={data.domains} withDelivered={deliveredByDomain !== undefined} />
        )}
        {deliveredByDomain === undefined && <p class="muted">{t('stats_domains_no_delivered')}</p>}
      </section>
    </>
  );
}

const DEVICE_NAMES: Record<DeviceKind, MessageKey> = {
  mobile: 'stats_device_mobile',
  tablet: 'stats_device_tablet',
  desktop: 'stats_device_desktop',
  proxy: 'stats_device_proxy',
  other: 'stats_device_misc',
  unknown: 'stats_device_unknown',
};

function agentName(name: string, by: AgentDimension): string {
  if (by === 'device') return t(DEVICE_NAMES[name as DeviceKind] ?? 'stats_device_unknown');
  return name === '' ? t('stats_unknown') : name;
}

function AgentTable({ rows, by, label }: { rows: AgentRow[]; by: AgentDimension; label: string }): JSX.Element {
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" class="num">
              {t('stats_y_opens')}
            </th>
            <th scope="col" class="num">
              {t('stats_col_share_opens')}
            </th>
            <th scope="col" class="num">
              {t('stats_y_clicks')}
            </th>
            <th scope="col" class="num">
              {t('stats_col_share_clicks')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">{agentName(r.name, by)}</th>
              <td class="num">{formatNumber(r.opens)}</td>
              <td class="num">{rateOrDash(r.openShare)}</td>
              <td class="num">{formatNumber(r.clicks)}</td>
              <td class="num">{rateOrDash(r.clickShare)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DomainTable({ rows, withDelivered }: { rows: DomainRow[]; withDelivered: boolean }): JSX.Element {
  const name = (g: number): string => (g === OTHERS ? t('stats_domain_others') : DOMAIN_GROUPS[g]!.name);
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t('stats_col_domain')}</th>
            {withDelivered && (
              <th scope="col" class="num">
                {t('ind_delivered')}
              </th>
            )}
            <th scope="col" class="num">
              {t('stats_col_openers')}
            </th>
            <th scope="col" class="num">
              {withDelivered ? t('ind_open_rate') : t('stats_col_opener_share')}
            </th>
            <th scope="col" class="num">
              {t('stats_col_clickers')}
            </th>
            <th scope="col" class="num">
              {withDelivered ? t('ind_click_rate') : t('stats_col_clicker_share')}
            </th>
            <th scope="col" class="num">
              {t('ind_raw_reactivity')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.group}>
              <th scope="row">{name(r.group)}</th>
              {withDelivered && <td class="num">{countOrDash(r.delivered)}</td>}
              <td class="num">{formatNumber(r.openers)}</td>
              <td class="num">{rateOrDash(withDelivered ? r.openRate : r.openerShare)}</td>
              <td class="num">{formatNumber(r.clickers)}</td>
              <td class="num">{rateOrDash(withDelivered ? r.clickRate : r.clickerShare)}</td>
              <td class="num">{rateOrDash(r.reactivity)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
