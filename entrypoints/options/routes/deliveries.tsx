import type { JSX } from 'preact';
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
import { formatDate, formatNumber, t } from '../../../lib/i18n';
import { headlineIndicators } from '../../../lib/indicators/headline';
import { hrefFor } from '../../../lib/routes';
import type { ViewContext } from '../context';

function DeliveryRow({ item, timeZone }: { item: DeliveryListItem; timeZone: string }): JSX.Element {
  const { delivery, totals, sourceKind } = item;
  const h = headlineIndicators(delivery, totals);
  return (
    <tr>
      <th scope="row" class="cell-label">
        <a href={hrefFor({ name: 'delivery', id: delivery.id })}>{delivery.label || t('delivery_untitled')}</a>
        {sourceKind === 'sample' && <SampleLabel />}
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
          <td class="num">{formatNumber(h.optOut)}</td>
        </>
      ) : (
        <td colSpan={5} class="cell-note">
          {t('tracking_not_activated')}
        </td>
      )}
    </tr>
  );
}

export function DeliveriesRoute({ ctx }: { ctx: ViewContext }): JSX.Element {
  usePageTitle(t('deliveries_title'));
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
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t('deliveries_caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col_delivery')}</th>
                <th scope="col">{t('col_sent')}</th>
                <th scope="col" class="num">
                  {t('ind_to_deliver')}
                </th>
                <th scope="col" class="num">
                  {t('ind_delivered')}
                </th>
                <th scope="col" class="num">
                  {t('ind_distinct_opens')}
                </th>
                <th scope="col" class="num">
                  {t('ind_open_rate')}
                </th>
                <th scope="col" class="num">
                  {t('ind_recipient_clicks')}
                </th>
                <th scope="col" class="num">
                  {t('ind_click_rate')}
                </th>
                <th scope="col" class="num">
                  {t('ind_opt_outs')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.value.items.map((item) => (
                <DeliveryRow key={item.delivery.id} item={item} timeZone={ctx.timeZone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
