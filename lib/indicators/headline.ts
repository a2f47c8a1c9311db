import type { AggregateTotals, DeliveryRow } from '../db/schema';
import { estimatedForwards, estimatedOpens, estimatedReactivity } from './estimates';

/**
 * The headline indicators of a delivery, from its incremental aggregate totals. Definitions are Adobe Campaign's
 * delivery tracking indicators (../shared/product.md "Indicators", ../shared/reference/adobe-tracking.md).
 * A rate is undefined when its denominator is unknown or zero, so the views show "—" rather than 0 % or ∞.
 */
export interface HeadlineIndicators {
  /** Messages to deliver (`@toDeliver`). */
  toDeliver: number | undefined;
  /** Messages delivered (`@success`). */
  delivered: number | undefined;
  /** Distinct recipients with any tracking log (`@recipientOpen`; a click implies an open). */
  recipientOpen: number;
  /** Open events, repeat opens within a minute removed (`@totalRecipientOpen`). */
  totalRecipientOpen: number;
  /** Open rate: distinct opens / delivered. */
  openRate: number | undefined;
  /** Distinct recipients with an email click (`@recipientClick`). */
  recipientClick: number;
  /** Email-click events (`@totalRecipientClick`). */
  totalRecipientClick: number;
  /** Click-through rate: recipient clicks / delivered. */
  clickRate: number | undefined;
  /** Raw reactivity: recipient clicks / distinct opens. */
  rawReactivity: number | undefined;
  optOut: number;
  mirrorPage: number;
  /** Distinct opens extrapolated to text-only messages (`@estimatedRecipientOpen`). */
  estimatedRecipientOpen: number;
  /** Total opens extrapolated the same way (`@estimatedTotalRecipientOpen`). */
  estimatedTotalRecipientOpen: number;
  /** Distinct persons with a click (`@personClick`) and estimated forwards (`@forward`). */
  personClick: number;
  estimatedForwards: number;
  /** Recipient clicks / estimated distinct opens. */
  estimatedReactivity: number | undefined;
}

/** n / d, or undefined when d is missing or not positive. */
export function ratio(n: number, d: number | undefined): number | undefined {
  return d !== undefined && d > 0 ? n / d : undefined;
}

export function headlineIndicators(
  delivery: Pick<DeliveryRow, 'toDeliver' | 'delivered'> & Partial<Pick<DeliveryRow, 'textOnly'>>,
  totals: AggregateTotals | undefined,
): HeadlineIndicators {
  const recipientOpen = totals?.recipientOpen ?? 0;
  const recipientClick = totals?.recipientClick ?? 0;
  const personClick = totals?.personClick ?? 0;
  const estimatedRecipientOpen = estimatedOpens(recipientOpen, delivery.toDeliver, delivery.textOnly);
  return {
    toDeliver: delivery.toDeliver,
    delivered: delivery.delivered,
    recipientOpen,
    totalRecipientOpen: totals?.totalRecipientOpen ?? 0,
    openRate: ratio(recipientOpen, delivery.delivered),
    recipientClick,
    totalRecipientClick: totals?.totalRecipientClick ?? 0,
    clickRate: ratio(recipientClick, delivery.delivered),
    rawReactivity: ratio(recipientClick, recipientOpen),
    optOut: totals?.optOut ?? 0,
    mirrorPage: totals?.mirrorPage ?? 0,
    estimatedRecipientOpen,
    estimatedTotalRecipientOpen: estimatedOpens(totals?.totalRecipientOpen ?? 0, delivery.toDeliver, delivery.textOnly),
    personClick,
    estimatedForwards: estimatedForwards(personClick, recipientClick),
    estimatedReactivity: estimatedReactivity(recipientClick, estimatedRecipientOpen),
  };
}
