import type { JSX } from 'preact';
import { useCallback, useMemo, useState } from 'preact/hooks';
import { DeliveryAnomalies } from '../../../components/DeliveryAnomalies';
import { EmptyState } from '../../../components/EmptyState';
import { GetStarted } from '../../../components/GetStarted';
import { RunNowButton } from '../../../components/RunNowButton';
import { SampleLabel } from '../../../components/SampleLabel';
import { Spinner } from '../../../components/Spinner';
import { countOrDash, rateOrDash } from '../../../components/format';
import { useLiveQuery } from '../../../components/use-live-query';
import { usePageTitle } from '../../../components/use-page-title';
import { db } from '../../../lib/db/instance';
import { listDeliveriesWithAggregates, type DeliveryListItem } from '../../../lib/db/queries';
import { formatDate, formatNumber, t, tn } from '../../../lib/i18n';
import { headlineIndicators } from '../../../lib/indicators/headline';
import {
  filterAndSortDeliveries,
  parseDeliveryListQuery,
  type DeliveryListQuery,
  type DeliverySort,
} from '../../../lib/delivery-list';
import { hrefFor, withParams, type RouteParams } from '../../../lib/routes';
import type { ViewContext } from '../context';

/** Rows of the deliveries list drawn at first, and added by each "Show more". */
export const LIST_PAGE = 100;

function DeliveryRow({ item, timeZone }: { item: DeliveryListItem; timeZone: string }): JSX.Element {
  const { delivery, totals, sourceKind } = item;
  const h = headlineIndicators(delivery, totals);
  return (
    <tr>
      <th scope="row" class="cell-label">
        <a href={hrefFor({ name: 'delivery', id: delivery.id })}>{delivery.label || t('delivery_untitled')}</a>
        {sourceKind === 'sample' && <SampleLabel />}
        <DeliveryAnomalies delivery={delivery} totals={totals} short />
      </th>
      <td class="cell-date">{delivery.sentAt !== undefined ? formatDate(delivery.sentAt, timeZone) : t('value_unknown')}</td>
      <td class="num">{countOrDash(h.toDeliver)}</td>
      <td class="num">{countOrDash(h.delivered)}</td>
      {delivery.trackingEnabled ? (
        <>
          <td class="num">{formatNumber(h.recipientOpen)}</td>
          <td class="num">{rateOrDash(h.openRate)}</td>
          <td class="num">{formatNumber(h.recipientClick)}</td>
          <td class="num">{rateOrDash(h.clickRate)}</td>
          <td class="num">{rateOrDash(h.rawReactivity)}</td>
          <td class="num">{formatNumber(h.optOut)}</td>
        </>
      ) : (
        <td colSpan={6} class="cell-note">
          {t('tracking_not_activated')}
        </td>
      )}
    </tr>
  );
}

/** A column header that sorts the list by `sort` (click again to reverse), with aria-sort for screen readers. */
function SortHeader({
  sort,
  label,
  query,
  setParams,
}: {
  sort: DeliverySort;
  label: string;
  query: DeliveryListQuery;
  setParams: (p: RouteParams) => void;
}): JSX.Element {
  const active = query.sort === sort;
  const nextDir = active && query.dir === 'desc' ? 'asc' : 'desc';
  return (
    <th scope="col" class={sort === 'sent' ? undefined : 'num'} aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button
        type="button"
        class="sort-button"
        onClick={() => setParams({ sort: sort === 'sent' ? '' : sort, dir: nextDir === 'desc' ? '' : 'asc' })}
        title={t('sort_by', label)}
      >
        {label}
        <span aria-hidden="true" class="sort-button__arrow">
          {active ? (query.dir === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}

export function DeliveriesRoute({ ctx, params }: { ctx: ViewContext; params: RouteParams }): JSX.Element {
  usePageTitle(t('deliveries_title'));
  const query = parseDeliveryListQuery(params);
  const setParams = useCallback(
    (next: RouteParams, replace = false) => {
      const href = hrefFor(withParams({ name: 'deliveries', params }, next));
      if (replace) {
        history.replaceState(null, '', href);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } else location.hash = href;
    },
    [params],
  );
  const data = useLiveQuery(async () => {
    const [items, sourceCount] = await Promise.all([listDeliveriesWithAggregates(db), db.sources.count()]);
    return { items, sourceCount };
  }, []);

  return (
    <>
      <div class="page-head">
        <h1>{t('deliveries_title')}</h1>
      </div>
      {data.status === 'loading' && <Spinner />}
      {data.status === 'error' && (
        <p class="notice notice--error" role="alert">
          {t('store_error')}
        </p>
      )}
      {data.status === 'ready' && data.value.items.length === 0 && data.value.sourceCount === 0 && (
        <GetStarted onAddSource={() => ctx.navigate({ name: 'source-new' })} />
      )}
      {data.status === 'ready' && data.value.items.length === 0 && data.value.sourceCount > 0 && (
        <EmptyState
          title={t('deliveries_empty_title')}
          actions={
            <>
              <RunNowButton running={ctx.running} primary />
              <a class="button" href={hrefFor({ name: 'sources' })}>
                {t('deliveries_empty_sources')}
              </a>
            </>
          }
        >
          <p>{ctx.running ? t('deliveries_empty_running') : t('deliveries_empty_body')}</p>
        </EmptyState>
      )}
      {data.status === 'ready' && data.value.items.length > 0 && (
        <DeliveryTable items={data.value.items} query={query} setParams={setParams} timeZone={ctx.timeZone} />
      )}
    </>
  );
}

function DeliveryTable({
  items,
  query,
  setParams,
  timeZone,
}: {
  items: DeliveryListItem[];
  query: DeliveryListQuery;
  setParams: (p: RouteParams, replace?: boolean) => void;
  timeZone: string;
}): JSX.Element {
  const shown = useMemo(() => filterAndSortDeliveries(items, query), [items, query.q, query.sort, query.dir]);
  // The first LIST_PAGE rows in the search's order, more on request: thousands of rows in one table took the page
  // over a second to lay out (3 000 deliveries: ~1.2 s to the first table, a 650 ms frame), and again on each search.
  // A new search or order starts from the first page again.
  const listKey = `${query.q}\n${query.sort}\n${query.dir}`;
  const [more, setMore] = useState({ key: listKey, limit: LIST_PAGE });
  const limit = more.key === listKey ? more.limit : LIST_PAGE;
  const rest = shown.length - limit;
  return (
    <>
      <div class="toolbar" role="search">
        <label class="field field--inline">
          <span class="field__label">{t('deliveries_search')}</span>
          <input
            type="search"
            value={query.q}
            placeholder={t('deliveries_search_placeholder')}
            onInput={(e) => setParams({ q: e.currentTarget.value }, true)}
          />
        </label>
        <p class="muted" aria-live="polite">
          {tn('deliveries_shown', shown.length, [formatNumber(items.length)])}
        </p>
      </div>
      {shown.length === 0 ? (
        <p class="notice">{t('deliveries_no_match')}</p>
      ) : (
        // In a narrow window (900 px) three or four columns are off to the right, and tabbing to the few controls
        // inside does not bring the numbers beside them into view: a focusable, named region lets keyboard users
        // scroll it sideways with the arrow keys (WCAG 2.1.1).
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('deliveries_table_region')}>
          <table class="table">
            <caption class="visually-hidden">{t('deliveries_caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col_delivery')}</th>
                <SortHeader sort="sent" label={t('col_sent')} query={query} setParams={setParams} />
                <SortHeader sort="toDeliver" label={t('ind_to_deliver')} query={query} setParams={setParams} />
                <SortHeader sort="delivered" label={t('ind_delivered')} query={query} setParams={setParams} />
                <SortHeader sort="opens" label={t('ind_distinct_opens')} query={query} setParams={setParams} />
                <SortHeader sort="openRate" label={t('ind_open_rate')} query={query} setParams={setParams} />
                <SortHeader sort="clicks" label={t('ind_recipient_clicks')} query={query} setParams={setParams} />
                <SortHeader sort="clickRate" label={t('ind_click_rate')} query={query} setParams={setParams} />
                <SortHeader sort="reactivity" label={t('ind_raw_reactivity')} query={query} setParams={setParams} />
                <SortHeader sort="optOuts" label={t('ind_opt_outs')} query={query} setParams={setParams} />
              </tr>
            </thead>
            <tbody>
              {(rest > 0 ? shown.slice(0, limit) : shown).map((item) => (
                <DeliveryRow key={item.delivery.id} item={item} timeZone={timeZone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rest > 0 && (
        <div class="list-more">
          <p class="muted" aria-live="polite">
            {t('deliveries_first', [formatNumber(limit)])}
          </p>
          <button type="button" class="button" onClick={() => setMore({ key: listKey, limit: limit + LIST_PAGE })}>
            {t('deliveries_more', [formatNumber(Math.min(LIST_PAGE, rest))])}
          </button>
        </div>
      )}
    </>
  );
}
