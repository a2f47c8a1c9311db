import { describe, expect, it } from 'vitest';
import type { DeliveryListItem } from '../../../lib/db/queries';
import { filterAndSortDeliveries, parseDeliveryListQuery } from '../../../lib/delivery-list';
import { emptyTotals } from '../../../lib/workflow/aggregate';

const item = (id: number, label: string, sentAt: number | undefined, opens: number, clicks: number, tracking = true): DeliveryListItem => ({
  delivery: { id, sourceId: 's', extId: String(id), label, sentAt, trackingEnabled: tracking, hasHtml: false, delivered: 100 },
  totals: { ...emptyTotals(), recipientOpen: opens, recipientClick: clicks },
  sourceKind: 'feed',
  sourceLabel: 'ESP',
});

const items = [
  item(1, 'Vårkampanj – Nyhetsbrev', 1000, 50, 10),
  item(2, 'Spring sale', 3000, 20, 10),
  item(3, 'No tracking', 2000, 0, 0, false),
  item(4, 'Welcome series', undefined, 70, 7),
];
const ids = (list: DeliveryListItem[]): number[] => list.map((i) => i.delivery.id);

describe('deliveries list search and sort', () => {
  it('defaults to newest send first, unknown send dates last', () => {
    expect(ids(filterAndSortDeliveries(items, parseDeliveryListQuery({})))).toEqual([2, 3, 1, 4]);
  });

  it('sorts by opens, clicks and reactivity in both directions, untracked deliveries always last', () => {
    expect(ids(filterAndSortDeliveries(items, parseDeliveryListQuery({ sort: 'opens' })))).toEqual([4, 1, 2, 3]);
    expect(ids(filterAndSortDeliveries(items, parseDeliveryListQuery({ sort: 'opens', dir: 'asc' })))).toEqual([2, 1, 4, 3]);
    // Clicks tie (10, 10): the newer send first.
    expect(ids(filterAndSortDeliveries(items, parseDeliveryListQuery({ sort: 'clicks' })))).toEqual([2, 1, 4, 3]);
    // Reactivity = clicks / opens: 0.5, 0.2, 0.1.
    expect(ids(filterAndSortDeliveries(items, parseDeliveryListQuery({ sort: 'reactivity' })))).toEqual([2, 1, 4, 3]);
  });

  it('searches label, subject and source, every word, ignoring case and accents', () => {
    expect(ids(filterAndSortDeliveries(items, parseDeliveryListQuery({ q: 'varkampanj' })))).toEqual([1]);
    expect(ids(filterAndSortDeliveries(items, parseDeliveryListQuery({ q: 'SALE spring' })))).toEqual([2]);
    expect(ids(filterAndSortDeliveries(items, parseDeliveryListQuery({ q: 'sale welcome' })))).toEqual([]);
  });

  it('ignores an unknown sort', () => {
    expect(parseDeliveryListQuery({ sort: 'evil', dir: 'sideways' })).toEqual({ q: '', sort: 'sent', dir: 'desc' });
  });
});
