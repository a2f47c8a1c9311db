import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo } from 'preact/hooks';
import { SampleLabel } from '../../../../components/SampleLabel';
import { sourceKindName } from '../../../../components/SourceStatus';
import { Spinner } from '../../../../components/Spinner';
import { useLiveQuery } from '../../../../components/use-live-query';
import { usePageTitle } from '../../../../components/use-page-title';
import { db } from '../../../../lib/db/instance';
import { deliveryWithAggregate } from '../../../../lib/db/queries';
import { formatDate, t } from '../../../../lib/i18n';
import { DELIVERY_TABS, hrefFor, parseRoute, withParams, type DeliveryTab, type RouteParams } from '../../../../lib/routes';
import type { ViewContext } from '../../context';
import { lazyView, type LazyView } from '../../../../components/lazy-view';
import { StatsTab } from './stats';
import type { DeliveryTabProps } from './tab';
import { VerifyTracking } from './verify';

/** One delivery's summary: what was sent and its headline tracking indicators. */
// The statistics tab, where a delivery opens, is in the page; the others load their code on first use (the logs
// table's virtualiser and CSV writer, the hot clicks' sanitiser: ~200 KB of script the statistics never run).
// A tab opened directly starts loading as the delivery does (with the page, for a hash URL); the others load a while
// after the page has drawn, when it is idle (not sooner: the idle moments while a tab waits for its reads are not
// free time), so that switching tabs then shows no spinner.
const LAZY_TABS = {
  urls: lazyView(() => import('./urls').then((m) => m.UrlsTab)),
  hotclicks: lazyView(() => import('./hotclicks').then((m) => m.HotClicksTab)),
  logs: lazyView(() => import('./logs').then((m) => m.LogsTab)),
};
const TABS: Record<DeliveryTab, (props: DeliveryTabProps) => JSX.Element> = { stats: StatsTab, ...LAZY_TABS };
const preloadTab = (tab: DeliveryTab): void => (tab === 'stats' ? undefined : LAZY_TABS[tab].preload());
const PRELOAD_AFTER_MS = 2000;

// A tab opened by its URL starts loading with the page, beside the page's own start.
if (typeof location !== 'undefined') {
  const opened = parseRoute(location.hash);
  if (opened.name === 'delivery' && opened.tab) preloadTab(opened.tab);
}

/** An idle period this long means no frame is due: the page is not scrolling or animating. */
const LONG_IDLE_MS = 40;

function usePreloadedTabs(current: DeliveryTab): void {
  useMemo(() => preloadTab(current), [current]);
  useEffect(() => {
    const waiting: LazyView<DeliveryTabProps>[] = Object.values(LAZY_TABS);
    let idle: number | undefined;
    // One tab per long idle period: a chunk's evaluation is a task of its own (10–20 ms for the hot clicks'
    // sanitiser), which a scroll of the logs table must not meet.
    const next = (): void => {
      if (typeof requestIdleCallback !== 'function') {
        waiting.forEach((tab) => tab.preload());
        return;
      }
      idle = requestIdleCallback((deadline) => {
        if (deadline.timeRemaining() >= LONG_IDLE_MS) waiting.shift()?.preload();
        if (waiting.length > 0) next();
      });
    };
    const timer = setTimeout(next, PRELOAD_AFTER_MS);
    return () => {
      clearTimeout(timer);
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }, []);
}

interface DeliveryRouteProps {
  id: number;
  tab?: DeliveryTab | undefined;
  params?: RouteParams | undefined;
  ctx: ViewContext;
}

/**
 * One delivery: what was sent, the "Verify tracking data collection" checklist, and its tracking tabs (statistics,
 * URLs and click streams, hot clicks, tracking logs), each with its own hash URL and filters. A delivery sent without
 * tracking has no tabs: it says why and how to turn tracking on (the reference hides the Tracking tab then too).
 */
export function DeliveryRoute({ id, tab, params, ctx }: DeliveryRouteProps): JSX.Element {
  const current: DeliveryTab = tab ?? 'stats';
  const Tab = TABS[current];
  const setParams = useCallback(
    (next: RouteParams, replace = false) => {
      const href = hrefFor(withParams({ name: 'delivery', id, tab: current, params }, next));
      if (replace) history.replaceState(null, '', href);
      else location.hash = href;
      if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
    },
    [id, current, params],
  );
  const data = useLiveQuery(() => deliveryWithAggregate(db, id), [id]);
  usePreloadedTabs(current);
  const item = data.status === 'ready' ? data.value : undefined;
  const title = item ? item.delivery.label || t('delivery_untitled') : t('delivery_title');
  usePageTitle(title);

  const back = (
    <p class="breadcrumb">
      <a href={hrefFor({ name: 'deliveries' })}>{t('back_to_deliveries')}</a>
    </p>
  );

  if (data.status === 'loading') {
    return (
      <>
        {back}
        <h1>{t('delivery_title')}</h1>
        <Spinner />
      </>
    );
  }
  if (data.status === 'error' || !item) {
    return (
      <>
        {back}
        <h1>{t('delivery_title')}</h1>
        <p class={data.status === 'error' ? 'notice notice--error' : 'notice'} role="alert">
          {data.status === 'error' ? t('store_error') : t('delivery_not_found')}
        </p>
      </>
    );
  }

  const { delivery, totals, sourceKind, sourceLabel } = item;
  return (
    <>
      {back}
      <div class="page-head">
        <h1>
          {title}
          {sourceKind === 'sample' && <SampleLabel />}
        </h1>
      </div>
      <dl class="facts facts--inline">
        {delivery.subject !== undefined && delivery.subject !== '' && (
          <div>
            <dt>{t('delivery_subject')}</dt>
            <dd>{delivery.subject}</dd>
          </div>
        )}
        <div>
          <dt>{t('col_sent')}</dt>
          <dd>{delivery.sentAt !== undefined ? formatDate(delivery.sentAt, ctx.timeZone) : t('value_unknown')}</dd>
        </div>
        <div>
          <dt>{t('delivery_source')}</dt>
          <dd>{sourceKind === 'sample' ? t('sample_source_label') : (sourceLabel ?? sourceKindName(undefined))}</dd>
        </div>
        {totals !== undefined && totals.lastEvent > 0 && (
          <div>
            <dt>{t('delivery_last_event')}</dt>
            {/* Aggregates keep event times in epoch seconds. */}
            <dd>{formatDate(totals.lastEvent * 1000, ctx.timeZone)}</dd>
          </div>
        )}
      </dl>

      <VerifyTracking item={item} ctx={ctx} />
      {!delivery.trackingEnabled ? (
        <section class="notice notice--warning" aria-labelledby="no-tracking-title">
          <h2 id="no-tracking-title">{t('tracking_not_activated')}</h2>
          <p>{t('tracking_not_activated_why')}</p>
          <p>{t('tracking_not_activated_how')}</p>
        </section>
      ) : (
        <>
          <nav class="tabs" aria-label={t('delivery_tabs_label')}>
            <ul>
              {DELIVERY_TABS.map((name) => (
                <li key={name}>
                  <a
                    href={hrefFor({ name: 'delivery', id, tab: name })}
                    aria-current={name === current ? 'page' : undefined}
                  >
                    {t(`delivery_tab_${name}`)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="tab-panel">
            <Tab item={item} ctx={ctx} params={params ?? {}} setParams={setParams} />
          </div>
        </>
      )}
    </>
  );
}
