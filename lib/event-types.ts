/**
 * Tracking URL / event types, with Adobe Campaign's codes (`nms:trackingUrl/@type`):
 * 1 email click · 2 open · 3 opt-out · 4 web · 5 transaction · 6 mirror page
 * (../shared/reference/adobe-tracking.md §2.2, product.md "Indicators").
 */
export const EventType = {
  click: 1,
  open: 2,
  optOut: 3,
  web: 4,
  transaction: 5,
  mirror: 6,
} as const;
export type EventTypeCode = (typeof EventType)[keyof typeof EventType];
export const EVENT_TYPE_CODES: readonly EventTypeCode[] = [1, 2, 3, 4, 5, 6];

/**
 * The types of the links of an email: email click, opt-out, mirror page. Opens (2) are the pixel, web (4) and
 * transaction (5) pages of the site. The hot-click denominator, the overlay's links and a link scanner's burst
 * (comparisons, not a Set: the burst rule asks for every event of a delivery).
 */
export function isEmailLinkType(type: number | undefined): boolean {
  return type === EventType.click || type === EventType.optOut || type === EventType.mirror;
}

/** Names used in the feed format and in exports; the code is what the store keeps. */
export const EVENT_TYPE_NAMES: Record<EventTypeCode, string> = {
  1: 'click',
  2: 'open',
  3: 'opt-out',
  4: 'web',
  5: 'transaction',
  6: 'mirror',
};
export const EVENT_TYPE_BY_NAME: Record<string, EventTypeCode> = Object.fromEntries(
  Object.entries(EVENT_TYPE_NAMES).map(([code, name]) => [name, Number(code) as EventTypeCode]),
);

/** Per-event flag bits kept in the `flags` column of a segment. */
export const EventFlag = {
  /** The provider says a machine made this event (Mailgun `client-info.bot`, SendGrid `sg_machine_open`, …). */
  machine: 1,
  /** The provider says a privacy proxy fetched the pixel (Apple Mail Privacy Protection, `loadedByProxy`, …). */
  proxy: 2,
  /** An open by the same recipient within 1 minute of the previous one (Adobe `dedupOpenPeriodMin` = 1). */
  repeatOpen: 4,
} as const;
