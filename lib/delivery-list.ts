import type { DeliveryListItem } from './db/queries';
import { headlineIndicators } from './indicators/headline';

/** The deliveries list's search and sort, kept in the hash (`#/deliveries?q=…&sort=opens&dir=asc`). */
export const DELIVERY_SORTS = [
  'sent',
  'toDeliver',
  'delivered',
  'opens',
  'openRate',
  'clicks',
  'clickRate',
  'reactivity',
  'optOuts',
] as const;
export type DeliverySort = (typeof DELIVERY_SORTS)[number];
export type SortDir = 'asc' | 'desc';

export interface DeliveryListQuery {
  q: string;
  sort: DeliverySort;
  dir: SortDir;
}

export function parseDeliveryListQuery(params: Record<string, string>): DeliveryListQuery {
  const sort = (DELIVERY_SORTS as readonly string[]).includes(params.sort ?? '') ? (params.sort as DeliverySort) : 'sent';
  return { q: (params.q ?? '').slice(0, 200), sort, dir: params.dir === 'asc' ? 'asc' : 'desc' };
}

function sortValue(item: DeliveryListItem, sort: DeliverySort): number | undefined {
  if (sort === 'sent') return item.delivery.sentAt;
  const h = headlineIndicators(item.delivery, item.totals);
  // Counts of the send are known with or without tracking.
  if (sort === 'toDeliver') return h.toDeliver;
  if (sort === 'delivered') return h.delivered;
  // Deliveries without tracking have no tracking figures: they sort last whatever the direction.
  if (!item.delivery.trackingEnabled) return undefined;
  switch (sort) {
    case 'opens':
      return h.recipientOpen;
    case 'openRate':
      return h.openRate;
    case 'clicks':
      return h.recipientClick;
    case 'clickRate':
      return h.clickRate;
    case 'optOuts':
      return h.optOut;
    default:
      return h.rawReactivity;
  }
}

/** Case- and accent-insensitive form for matching. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/**
 * The items whose label or subject contains every word of `q` (any order), sorted; missing values last; ties by
 * send date, newest first, then id.
 */
export function filterAndSortDeliveries(items: readonly DeliveryListItem[], query: DeliveryListQuery): DeliveryListItem[] {
  const words = fold(query.q).split(/\s+/).filter(Boolean);
  const matching = words.length
    ? items.filter((item) => {
        const text = fold(`${item.delivery.label} ${item.delivery.subject ?? ''} ${item.sourceLabel ?? ''}`);
        return words.every((w) => text.includes(w));
      })
    : [...items];
  const sign = query.dir === 'asc' ? 1 : -1;
  const keyed = matching.map((item) => ({ item, v: sortValue(item, query.sort) }));
  keyed.sort((a, b) => {
    if (a.v !== b.v) {
      if (a.v === undefined) return 1;
      if (b.v === undefined) return -1;
      return sign * (a.v - b.v);
    }
    return (b.item.delivery.sentAt ?? 0) - (a.item.delivery.sentAt ?? 0) || b.item.delivery.id - a.item.delivery.id;
  });
  return keyed.map((k) => k.item);
}
