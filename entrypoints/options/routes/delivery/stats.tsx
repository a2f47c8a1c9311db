import type { JSX } from 'preact';
import { Indicator } from '../../../../components/Indicator';
import { countOrDash, rateOrDash } from '../../../../components/format';
import { formatNumber, t } from '../../../../lib/i18n';
import { headlineIndicators } from '../../../../lib/indicators/headline';
import type { DeliveryTabProps } from './tab';

/** Tracking statistics: the delivery's indicators (product.md "Indicators"). */
export function StatsTab({ item }: DeliveryTabProps): JSX.Element {
  const { delivery, totals } = item;
  const h = headlineIndicators(delivery, totals);
  return (
    <section aria-labelledby="indicators-title">
      <h2 id="indicators-title">{t('delivery_indicators')}</h2>
      <dl class="indicators">
        <Indicator label={t('ind_to_deliver')} value={countOrDash(h.toDeliver)} />
        <Indicator label={t('ind_delivered')} value={countOrDash(h.delivered)} />
        <Indicator label={t('ind_distinct_opens')} value={formatNumber(h.recipientOpen)} hint={t('ind_distinct_opens_hint')} />
        <Indicator label={t('ind_total_opens')} value={formatNumber(h.totalRecipientOpen)} hint={t('ind_total_opens_hint')} />
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
  );
}
