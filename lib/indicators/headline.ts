import type { AggregateTotals, DeliveryRow } from '../db/schema';
import { estimatedForwards, estimatedOpens, estimatedReactivity } from './estimates';

/**
 * The headline indicators of a delivery, from its incremental aggregate totals. Definitions are Adobe Campaign's
 * delivery tracking indicators (../shared/product.md "Indicators", ../shared/reference/adobe-tracking.md §1.2–1.3):
 * - toDeliver `sum(properties/@toDeliver)`, delivered `@success`;
 * - recipientOpen `Countdistinct(@broadLog-id)` over all tracking logs (a click implies an open);
 * - totalRecipientOpen: open (url-id 1) logs, repeat opens within `dedupOpenPeriodMin` = 1 min dropped;
 * - recipientClick `Countdistinct(Iif(url/@type=1, @broadLog-id))`, personClick the same over `@source-id`;
 * - totalRecipientClick `count(Iif(url/@type=1, @id))`; optOut type 3; mirrorPage type 6;
 * - raw reactivity `percent(@recipientClick, @recipientOpen)`;
 * - open rate = recipientOpen / success and click-through rate = recipientClick / success (the "Reception" and
 *   "Generated click streams" percentages are based on successful messages, [V8-REP]).
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
  /**
   * Distinct opens extrapolated to text-only messages (`@estimatedRecipientOpen`); undefined when the source did not
   * tell the messages to deliver, the base of the extrapolation (Adobe's formula would then say 0, which reads as
   * "nobody opened").
   */
  estimatedRecipientOpen: number | undefined;
  /** Total opens extrapolated the same way (`@estimatedTotalRecipientOpen`). */
  estimatedTotalRecipientOpen: number | undefined;
  /** Distinct persons with a click (`@personClick`) and estimated forwards (`@forward`). */
  personClick: number;
  estimatedForwards: number;
  /** Recipient clicks / estimated distinct opens (`percent(@recipientClick, @estimatedRecipientOpen)`). */
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
  const known = delivery.toDeliver !== undefined;
  const estimatedRecipientOpen = known ? estimatedOpens(recipientOpen, delivery.toDeliver, delivery.textOnly) : undefined;
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
    estimatedTotalRecipientOpen: known
      ? estimatedOpens(totals?.totalRecipientOpen ?? 0, delivery.toDeliver, delivery.textOnly)
      : undefined,
    personClick,
    estimatedForwards: estimatedForwards(personClick, recipientClick),
    estimatedReactivity:
      estimatedRecipientOpen === undefined ? undefined : estimatedReactivity(recipientClick, estimatedRecipientOpen),
  };
}
