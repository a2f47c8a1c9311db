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

  it('sorts by the delivery counts (untracked ones included), the rates and opt-outs', () => {
    const more: DeliveryListItem[] = [
      { ...items[0]!, delivery: { ...items[0]!.delivery, toDeliver: 500, delivered: 400 }, totals: { ...items[0]!.totals!, optOut: 2 } },
      { ...items[1]!, delivery: { ...items[1]!.delivery, toDeliver: 300, delivered: 50 }, totals: { ...items[1]!.totals!, optOut: 5 } },
      { ...items[2]!, delivery: { ...items[2]!.delivery, toDeliver: 900, delivered: 800 } },
    ];
    expect(ids(filterAndSortDeliveries(more, parseDeliveryListQuery({ sort: 'toDeliver' })))).toEqual([3, 1, 2]);
    expect(ids(filterAndSortDeliveries(more, parseDeliveryListQuery({ sort: 'delivered', dir: 'asc' })))).toEqual([2, 1, 3]);
    // Open rate = opens / delivered: 50 / 400 = 0.125, 20 / 50 = 0.4; click-through rate 0.025, 0.2. No tracking: last.
    expect(ids(filterAndSortDeliveries(more, parseDeliveryListQuery({ sort: 'openRate' })))).toEqual([2, 1, 3]);
    expect(ids(filterAndSortDeliveries(more, parseDeliveryListQuery({ sort: 'clickRate', dir: 'asc' })))).toEqual([1, 2, 3]);
    expect(ids(filterAndSortDeliveries(more, parseDeliveryListQuery({ sort: 'optOuts' })))).toEqual([2, 1, 3]);
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
