import type { JSX } from 'preact';
import { rateOrDash } from './format';
import type { AggregateTotals, DeliveryRow } from '../lib/db/schema';
import { t } from '../lib/i18n';
import { machineWave, missingPixel } from '../lib/indicators/verify';

/**
 * What looks wrong with a delivery at a glance (lib/indicators/verify.ts): a missing open pixel, a wave of machine
 * events. Nothing when all looks right. The popup's recent deliveries say it in a sentence; the tracking view's list,
 * where the label column is narrow, in a few words with the sentence as the title.
 */
export function DeliveryAnomalies({
  delivery,
  totals,
  short = false,
}: {
  delivery: Pick<DeliveryRow, 'trackingEnabled' | 'delivered' | 'textOnly'>;
  totals: AggregateTotals | undefined;
  short?: boolean;
}): JSX.Element | null {
  const noPixel = missingPixel(delivery, totals);
  const machines = machineWave(totals);
  if (!noPixel && machines === undefined) return null;
  const say = (long: string, brief: string): JSX.Element =>
    short ? (
      <span class="anomaly" title={long}>
        {brief}
      </span>
    ) : (
      <span class="anomaly">{long}</span>
    );
  const share = machines !== undefined ? rateOrDash(machines) : '';
  return (
    <>
      {noPixel && say(t('anomaly_no_pixel'), t('anomaly_no_pixel_short'))}
      {machines !== undefined && say(t('anomaly_machines', share), t('anomaly_machines_short', share))}
    </>
  );
}
