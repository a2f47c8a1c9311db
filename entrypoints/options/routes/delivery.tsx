import type { JSX } from 'preact';
import { Indicator } from '../../../components/Indicator';
import { SampleLabel } from '../../../components/SampleLabel';
import { sourceKindName } from '../../../components/SourceStatus';
import { Spinner } from '../../../components/Spinner';
import { countOrDash, rateOrDash } from '../../../components/format';
import { useLiveQuery } from '../../../components/use-live-query';
import { usePageTitle } from '../../../components/use-page-title';
import { db } from '../../../lib/db/instance';
import { deliveryWithAggregate } from '../../../lib/db/queries';
import { formatDate, formatNumber, t } from '../../../lib/i18n';
import { headlineIndicators } from '../../../lib/indicators/headline';
import { hrefFor } from '../../../lib/routes';
import type { ViewContext } from '../context';

/** One delivery's summary: what was sent and its headline tracking indicators. */
export function DeliveryRoute({ id, ctx }: { id: number; ctx: ViewContext }): JSX.Element {
  const data = useLiveQuery(() => deliveryWithAggregate(db, id), [id]);
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
  const h = headlineIndicators(delivery, totals);
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

      {!delivery.trackingEnabled ? (
        <section class="notice notice--warning" aria-labelledby="no-tracking-title">
          <h2 id="no-tracking-title">{t('tracking_not_activated')}</h2>
          <p>{t('tracking_not_activated_why')}</p>
          <p>{t('tracking_not_activated_how')}</p>
        </section>
      ) : (
        <section aria-labelledby="indicators-title">
          <h2 id="indicators-title">{t('delivery_indicators')}</h2>
          <dl class="indicators">
            <Indicator label={t('ind_to_deliver')} value={countOrDash(h.toDeliver)} />
            <Indicator label={t('ind_delivered')} value={countOrDash(h.delivered)} />
            <Indicator
              label={t('ind_distinct_opens')}
              value={formatNumber(h.recipientOpen)}
              hint={t('ind_distinct_opens_hint')}
            />
            <Indicator
              label={t('ind_total_opens')}
              value={formatNumber(h.totalRecipientOpen)}
              hint={t('ind_total_opens_hint')}
            />
            <Indicator label={t('ind_open_rate')} value={rateOrDash(h.openRate)} hint={t('ind_open_rate_hint')} />
            <Indicator
              label={t('ind_recipient_clicks')}
              value={formatNumber(h.recipientClick)}
              hint={t('ind_recipient_clicks_hint')}
            />
            <Indicator
              label={t('ind_total_clicks')}
              value={formatNumber(h.totalRecipientClick)}
              hint={t('ind_total_clicks_hint')}
            />
            <Indicator label={t('ind_click_rate')} value={rateOrDash(h.clickRate)} hint={t('ind_click_rate_hint')} />
            <Indicator
              label={t('ind_raw_reactivity')}
              value={rateOrDash(h.rawReactivity)}
              hint={t('ind_raw_reactivity_hint')}
            />
            <Indicator label={t('ind_opt_outs')} value={formatNumber(h.optOut)} />
            <Indicator label={t('ind_mirror_pages')} value={formatNumber(h.mirrorPage)} />
          </dl>
          {totals === undefined && <p class="muted">{t('delivery_no_events')}</p>}
        </section>
      )}
      <p class="muted later-note">{t('delivery_tabs_later')}</p>
    </>
  );
}
