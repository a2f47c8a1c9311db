import { describe, expect, it } from 'vitest';
import { emptyColumns, type EventColumns } from '../../../../lib/db/events';
import type { UrlRow } from '../../../../lib/db/schema';
import {
  activityFromAggregate,
  activityFromEvents,
  clicksOverTime,
  linkTable,
  sortLinkRows,
  windowBounds,
} from '../../../../lib/urls/link-table';
import { addEvent, newAggregate, toRow } from '../../../../lib/workflow/aggregate';

/** Events as [t, rcp, url, type] rows, already in time order. */
function cols(rows: [number, number, number, number][]): EventColumns {
  const c = emptyColumns(rows.length);
  rows.forEach(([t, rcp, url, type], i) => {
    c.t[i] = t;
    c.rcp[i] = rcp;
    c.url[i] = url;
    c.type[i] = type;
  });
  return c;
}

const url = (id: number, type: number, u: string, label?: string, category?: string, occurrence?: number): UrlRow => ({
  id,
  deliveryId: 1,
  extId: String(id),
  type,
  url: u,
  label,
  category,
  occurrence,
});

// Two "Shop now" occurrences to the same page, a hero image to it too, a footer link, an opt-out and a mirror page,
// and the open pixel (type 2), which the table never lists.
const URLS: UrlRow[] = [
  url(10, 1, 'https://shop.example/hero', 'Hero image', 'hero', 0),
  url(11, 1, 'https://shop.example/hero', 'Shop now', 'hero', 1),
  url(12, 1, 'https://shop.example/lamp', 'Shop now', 'product', 2),
  url(13, 1, 'https://shop.example/about', undefined, undefined, 3),
  url(14, 3, 'https://shop.example/unsubscribe', 'Unsubscribe', 'footer', 4),
  url(15, 6, 'https://shop.example/mirror', 'View in browser', 'footer', 5),
  url(1, 2, 'https://t.example/o', undefined, undefined, undefined),
];

const EVENTS = cols([
  [100, 1, 0, 2], // open
  [110, 1, 10, 1],
  [120, 1, 11, 1],
  [130, 2, 11, 1],
  [140, 2, 12, 1],
  [150, 2, 12, 1], // same recipient, same link again
  [7200, 3, 12, 1],
  [7300, 3, 14, 3], // opt-out
  [90000, 4, 15, 6], // mirror page, a day later
  [90100, 4, 10, 1],
]);

function aggregateOf(ev: EventColumns) {
  const agg = newAggregate(1);
  for (let i = 0; i < ev.n; i++) addEvent(agg, ev.t[i]!, ev.rcp[i]!, ev.url[i]!, ev.type[i]!, 0, 0, 0);
  return toRow(agg);
}

describe('link activity', () => {
  it('counts from the events exactly as the aggregate does (all-time window)', () => {
    const fromEvents = activityFromEvents(EVENTS);
    const fromAgg = activityFromAggregate(aggregateOf(EVENTS));
    expect(new Map([...fromEvents.counts].sort())).toEqual(new Map([...fromAgg.counts].sort()));
    expect(Array.from(fromEvents.clickerPairs).sort()).toEqual(Array.from(fromAgg.clickerPairs).sort());
  });

  it('gives the same answer with huge recipient ids (hash set instead of the bitset)', () => {
    const big = cols([
      [1, 300_000_000, 10, 1],
      [2, 300_000_000, 10, 1],
      [3, 7, 10, 1],
      [4, 7, 11, 3],
    ]);
    const a = activityFromEvents(big);
    expect(a.counts).toEqual(new Map([[10, 3], [11, 1]]));
    expect(Array.from(a.clickerPairs).sort()).toEqual(Array.from(activityFromAggregate(aggregateOf(big)).clickerPairs).sort());
    // (10, 300 000 000), (10, 7), and the opt-out (11, 7): opt-outs and mirror pages have clickers too.
    expect(a.clickerPairs.length).toBe(3);
  });

  it('counts only the events inside a window', () => {
    const a = activityFromEvents(EVENTS, 0, 7200);
    expect(a.counts.get(12)).toBe(2);
    expect(a.counts.get(14)).toBeUndefined();
    expect(a.counts.get(10)).toBe(1);
  });
});

describe('the links table', () => {
  const activity = activityFromEvents(EVENTS);

  it('has one row per link occurrence, opens excluded, with clicks, share of cumulated clicks and clickers', () => {
    const { rows, totalClicks, listedClicks } = linkTable(URLS, activity, 'link');
    expect(rows.map((r) => r.key)).toEqual([10, 11, 12, 13, 14, 15]);
    // Cumulated clicks: email clicks, opt-outs and mirror pages (the reference's denominator).
    expect(totalClicks).toBe(9);
    expect(listedClicks).toBe(9);
    const lamp = rows.find((r) => r.key === 12)!;
    expect(lamp).toMatchObject({ clicks: 3, clickers: 2, label: 'Shop now', category: 'product' });
    expect(lamp.share).toBeCloseTo(3 / 9);
    expect(rows.find((r) => r.key === 13)!).toMatchObject({ clicks: 0, clickers: 0, share: 0 });
  });

  it('adds same-label links together, with distinct clickers over the group', () => {
    const { rows } = linkTable(URLS, activity, 'label');
    const shop = rows.find((r) => r.label === 'Shop now')!;
    expect(shop.urlIds).toEqual([11, 12]);
    expect(shop.clicks).toBe(5);
    // Recipients 1, 2 (both links: once) and 3.
    expect(shop.clickers).toBe(3);
    // An unlabelled link keeps its own row (known by its URL), not lumped with other unlabelled ones.
    expect(rows.filter((r) => r.urlIds.includes(13))).toHaveLength(1);
    expect(rows.reduce((s, r) => s + r.clicks, 0)).toBe(9);
  });

  it('adds same-URL links together', () => {
    const { rows } = linkTable(URLS, activity, 'url');
    const hero = rows.find((r) => r.url === 'https://shop.example/hero')!;
    expect(hero).toMatchObject({ urlIds: [10, 11], clicks: 4, clickers: 3, links: 2, distinctUrls: 1 });
    expect(linkTable(URLS, activity, 'label').rows.find((r) => r.label === 'Shop now')!.distinctUrls).toBe(2);
  });

  it('groups by category, links without one together', () => {
    const { rows } = linkTable(URLS, activity, 'category');
    expect(rows.map((r) => [r.category, r.clicks])).toEqual([
      ['hero', 4],
      ['product', 3],
      ['', 0],
      ['footer', 2],
    ]);
    expect(rows.find((r) => r.category === 'footer')!.types).toEqual([3, 6]);
  });

  it('has no share when nothing was clicked', () => {
    const { rows, totalClicks } = linkTable(URLS, activityFromEvents(cols([])), 'link');
    expect(totalClicks).toBe(0);
    expect(rows.every((r) => r.share === undefined)).toBe(true);
  });

  it('sorts by a column, ties in email order', () => {
    const { rows } = linkTable(URLS, activity, 'link');
    expect(sortLinkRows(rows, 'clicks', true).map((r) => r.key)).toEqual([12, 10, 11, 14, 15, 13]);
    expect(sortLinkRows(rows, 'label', false).map((r) => r.label)).toEqual([
      '',
      'Hero image',
      'Shop now',
      'Shop now',
      'Unsubscribe',
      'View in browser',
    ]);
  });
});

describe('time windows', () => {
  const sent = 1_700_000_000_000;
  it('counts the first hours from the send, or from the first event without a send time', () => {
    expect(windowBounds('all', sent, undefined)).toEqual({ from: 0, to: Infinity });
    expect(windowBounds('6h', sent, undefined)).toEqual({ from: 0, to: sent / 1000 + 6 * 3600 });
    expect(windowBounds('24h', undefined, 5000)).toEqual({ from: 0, to: 5000 + 24 * 3600 });
    expect(windowBounds('custom', sent, undefined, { from: 2000_000, to: undefined })).toEqual({ from: 2000, to: Infinity });
  });
});

describe('clicks over time', () => {
  it('buckets clicks per hour for each chosen group and for all links, keeping empty hours', () => {
    const s = clicksOverTime(EVENTS, [[12], [10, 11]], 0, 7300);
    expect(s.bucketSeconds).toBe(3600);
    expect(s.x).toEqual([0, 3600, 7200]);
    expect(s.ys[0]).toEqual([2, 0, 1]);
    expect(s.ys[1]).toEqual([3, 0, 0]);
    expect(s.ys[2]).toEqual([5, 0, 1]); // all links; the open is no click
  });

  it('switches to days over more than three days, and is empty without clicks', () => {
    const long = cols([
      [0, 1, 10, 1],
      [5 * 86400, 1, 10, 1],
    ]);
    expect(clicksOverTime(long, []).bucketSeconds).toBe(86400);
    expect(clicksOverTime(long, []).ys[0]).toEqual([1, 0, 0, 0, 0, 1]);
    expect(clicksOverTime(cols([[1, 1, 0, 2]]), [[10]]).x).toEqual([]);
  });

  it('handles a million events quickly', () => {
    const n = 1_000_000;
    const c = emptyColumns(n);
    for (let i = 0; i < n; i++) {
      c.t[i] = 1_700_000_000 + Math.floor(i / 10);
      c.rcp[i] = i % 50_000;
      c.url[i] = i % 3 === 0 ? 0 : 10 + (i % 40);
      c.type[i] = i % 3 === 0 ? 2 : 1;
    }
    const t0 = performance.now();
    const a = activityFromEvents(c);
    const s = clicksOverTime(c, [[10], [11, 12]]);
    const ms = performance.now() - t0;
    expect([...a.counts.values()].reduce((x, y) => x + y, 0)).toBe(s.ys[2]!.reduce((x, y) => x + y, 0));
    // Generous bound for a shared CI core; it runs in well under 200 ms here.
    expect(ms).toBeLessThan(2000);
  });
});
