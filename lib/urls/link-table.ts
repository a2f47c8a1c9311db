import type { EventColumns } from '../db/events';
import type { AggregateRow, UrlRow } from '../db/schema';
import { EventType } from '../event-types';
import { HashSet53 } from '../workflow/hash-set';
import { hotClicks, type LinkStat } from '../hotclicks/shares';

/**
 * The "URLs and click streams" table (../shared/reference/adobe-tracking.md §5): per tracked link its clicks
 * (`count(Iif([@url-id] != 1, @totalClicks, 0))`), its share of the delivery's cumulated clicks and its distinct
 * clickers, one row per link occurrence or grouped by label, URL or category. "Two URLs or two labels with the same
 * name will be added together when calculating the click count" (§2.2), so a group's clicks are the sum of its
 * links' and its clickers the distinct recipients over all of them (not a sum: one recipient clicking two links of
 * the group is one clicker).
 */

export type LinkGrouping = 'link' | 'label' | 'url' | 'category';
export const LINK_GROUPINGS: readonly LinkGrouping[] = ['link', 'label', 'url', 'category'];

const TWO_32 = 4294967296;

/**
 * What the table is computed from: per tracked-URL id its event count, and the distinct (url, recipient) pairs with
 * an email click as `urlId * 2^32 + recipientId` — the same two things the aggregate keeps (lib/workflow/aggregate.ts),
 * so the all-time table reads the aggregate and a time window reads the events with the same rules.
 */
export interface LinkActivity {
  counts: Map<number, number>;
  clickerPairs: ArrayLike<number>;
}

export function activityFromAggregate(
  agg: Pick<AggregateRow, 'linkIds' | 'linkCounts' | 'linkClickers'> | undefined,
): LinkActivity {
  const counts = new Map<number, number>();
  if (!agg) return { counts, clickerPairs: new Float64Array(0) };
  for (let i = 0; i < agg.linkIds.length; i++) counts.set(agg.linkIds[i]!, agg.linkCounts[i]!);
  return { counts, clickerPairs: agg.linkClickers };
}

/** Index range [lo, hi) of the events with fromS ≤ t < toS (events are sorted by time). */
export function timeRange(ev: Pick<EventColumns, 't' | 'n'>, fromS: number, toS: number): [number, number] {
  const lower = (x: number): number => {
    let lo = 0;
    let hi = ev.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ev.t[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [lower(fromS), toS === Infinity ? ev.n : lower(toS)];
}

/** Events that are clicks of a link: email click, opt-out and mirror page (the cumulated-clicks basis). */
const CLICK_TYPES = new Uint8Array(8);
CLICK_TYPES[EventType.click] = 1;
CLICK_TYPES[EventType.optOut] = 1;
CLICK_TYPES[EventType.mirror] = 1;

/** Largest recipient × link bitset used for distinct clickers (bits); beyond it a hash set is used. */
const MAX_BITSET_BITS = 2 ** 28;

/**
 * Link activity of the events with fromS ≤ t < toS (epoch seconds), counted as the aggregate counts: every event
 * carrying a tracked URL counts for that URL; clickers are recipients with a click on it (email click, opt-out or
 * mirror page: CLICK_TYPES, as lib/workflow/aggregate.ts keeps them).
 * Two passes over the window's typed columns: counts (runs of one link skip the map), then distinct clickers in a
 * bitset of links × recipients (recipient ids are small dense dictionary ids) — ~15 ms per million events; a hash
 * set when that bitset would be too big.
 */
export function activityFromEvents(ev: EventColumns, fromS = 0, toS = Infinity): LinkActivity {
  const [lo, hi] = timeRange(ev, fromS, toS);
  const { url, type, rcp } = ev;
  const local = new Map<number, number>();
  const ids: number[] = [];
  const counts: number[] = [];
  let lastUrl = -1;
  let lastLocal = -1;
  let maxRcp = 0;
  for (let i = lo; i < hi; i++) {
    const u = url[i]!;
    if (u === 0) continue;
    if (u !== lastUrl) {
      let l = local.get(u);
      if (l === undefined) {
        l = ids.length;
        local.set(u, l);
        ids.push(u);
        counts.push(0);
      }
      lastUrl = u;
      lastLocal = l;
    }
    counts[lastLocal]!++;
    if (CLICK_TYPES[type[i]!] && rcp[i]! > maxRcp) maxRcp = rcp[i]!;
  }
  const out = new Map<number, number>();
  ids.forEach((id, l) => out.set(id, counts[l]!));
  const stride = maxRcp + 1;
  if (ids.length * stride > MAX_BITSET_BITS) {
    const pairs = new HashSet53(1024);
    for (let i = lo; i < hi; i++) if (url[i] !== 0 && CLICK_TYPES[type[i]!]) pairs.add(url[i]! * TWO_32 + rcp[i]!);
    return { counts: out, clickerPairs: pairs.values() };
  }
  const bits = new Uint8Array(Math.ceil((ids.length * stride) / 8));
  const pairs: number[] = [];
  lastUrl = -1;
  for (let i = lo; i < hi; i++) {
    const u = url[i]!;
    if (u === 0 || !CLICK_TYPES[type[i]!]) continue;
    if (u !== lastUrl) {
      lastUrl = u;
      lastLocal = local.get(u)!;
    }
    const bit = lastLocal * stride + rcp[i]!;
    const byte = bit >>> 3;
    const mask = 1 << (bit & 7);
    if ((bits[byte]! & mask) === 0) {
      bits[byte] = bits[byte]! | mask;
      pairs.push(u * TWO_32 + rcp[i]!);
    }
  }
  return { counts: out, clickerPairs: pairs };
}

export interface LinkTableRow {
  /** Stable key of the row: the first tracked-URL id of the group (ids of `urls` in their table order). */
  key: number;
  urlIds: number[];
  label: string;
  url: string;
  category: string;
  /** URL types in the group (one for a single link). */
  types: number[];
  /** Link occurrences (tracked URLs) in the group. */
  links: number;
  /** Distinct destination URLs in the group. */
  distinctUrls: number;
  clicks: number;
  clickers: number;
  /** clicks ÷ the delivery's cumulated clicks over email-click, opt-out and mirror-page links; undefined without clicks. */
  share: number | undefined;
}

export interface LinkTable {
  rows: LinkTableRow[];
  /** The share's denominator: cumulated clicks of email-click, opt-out and mirror-page links. */
  totalClicks: number;
  /** Sum of the rows' clicks (opens excluded). */
  listedClicks: number;
}

function groupKey(u: UrlRow, by: LinkGrouping): string {
  switch (by) {
    case 'link':
      return `#${u.id ?? 0}`;
    case 'label':
      // A link without a label is known by its URL (so unlabelled links do not all fall together).
      return u.label ? `l:${u.label}` : `u:${u.url}`;
    case 'url':
      return u.url;
    case 'category':
      return u.category ?? '';
  }
}

/** Tracked URLs as the table lists them: the open pixel (type 2) is no link. Occurrence order, then id. */
export function listedUrls(urls: readonly UrlRow[]): (UrlRow & { id: number })[] {
  return urls
    .filter((u): u is UrlRow & { id: number } => u.id !== undefined && u.type !== EventType.open)
    .sort((a, b) => (a.occurrence ?? Infinity) - (b.occurrence ?? Infinity) || a.id - b.id);
}

/** The table's rows for one grouping. */
export function linkTable(urls: readonly UrlRow[], activity: LinkActivity, by: LinkGrouping): LinkTable {
  const listed = listedUrls(urls);
  const stats = new Map<number, LinkStat>();
  for (const [id, clicks] of activity.counts) stats.set(id, { clicks, clickers: 0 });
  const { totalClicks } = hotClicks(listed, stats);

  const rows: LinkTableRow[] = [];
  const urlSets: Set<string>[] = [];
  const byKey = new Map<string, number>();
  const groupOf = new Map<number, number>();
  for (const u of listed) {
    const k = groupKey(u, by);
    let g = byKey.get(k);
    const clicks = activity.counts.get(u.id) ?? 0;
    if (g === undefined) {
      g = rows.length;
      byKey.set(k, g);
      rows.push({
        key: u.id,
        urlIds: [u.id],
        label: u.label ?? '',
        url: u.url,
        category: u.category ?? '',
        types: [u.type],
        links: 1,
        distinctUrls: 1,
        clicks,
        clickers: 0,
        share: undefined,
      });
      urlSets.push(new Set([u.url]));
    } else {
      const row = rows[g]!;
      row.urlIds.push(u.id);
      row.links++;
      row.clicks += clicks;
      if (!row.types.includes(u.type)) row.types.push(u.type);
      if (!row.label && u.label) row.label = u.label;
      urlSets[g]!.add(u.url);
      row.distinctUrls = urlSets[g]!.size;
    }
    groupOf.set(u.id, g);
  }
  // Distinct clickers per group: a recipient counts once per group whatever links of it they clicked.
  const seen = new HashSet53(Math.max(16, activity.clickerPairs.length));
  const pairs = activity.clickerPairs;
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    const g = groupOf.get(Math.floor(p / TWO_32));
    if (g === undefined) continue;
    if (by === 'link' || seen.add(g * TWO_32 + (p % TWO_32))) rows[g]!.clickers++;
  }
  let listedClicks = 0;
  for (const row of rows) {
    row.share = totalClicks > 0 ? row.clicks / totalClicks : undefined;
    listedClicks += row.clicks;
  }
  return { rows, totalClicks, listedClicks };
}

export type LinkSortKey = 'order' | 'label' | 'url' | 'category' | 'clicks' | 'share' | 'clickers';
export const LINK_SORT_KEYS: readonly LinkSortKey[] = ['order', 'label', 'url', 'category', 'clicks', 'share', 'clickers'];

/** Rows sorted by a column (ties keep the email order); text columns compare with the UI locale's collation. */
export function sortLinkRows(
  rows: readonly LinkTableRow[],
  key: LinkSortKey,
  descending: boolean,
  collator: Intl.Collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }),
): LinkTableRow[] {
  const order = new Map(rows.map((r, i) => [r, i]));
  const cmp = (a: LinkTableRow, b: LinkTableRow): number => {
    switch (key) {
      case 'order':
        return 0;
      case 'label':
        return collator.compare(a.label, b.label);
      case 'url':
        return collator.compare(a.url, b.url);
      case 'category':
        return collator.compare(a.category, b.category);
      case 'clicks':
      case 'share':
        return a.clicks - b.clicks;
      case 'clickers':
        return a.clickers - b.clickers;
    }
  };
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => dir * cmp(a, b) || order.get(a)! - order.get(b)!);
}

// ---------------------------------------------------------------------------------------------------------------
// Time windows.

export type TimeWindow = 'all' | '6h' | '24h' | 'custom';
export const TIME_WINDOWS: readonly TimeWindow[] = ['all', '6h', '24h', 'custom'];

/**
 * The [from, to) bounds in epoch seconds of a window: "since send" is everything; the first 6 / 24 hours count from
 * the send (the reference's "first 6 hours after launch"), or from the first event when the send time is unknown;
 * a custom window takes the user's bounds (ms) as they are, an open end being unbounded.
 */
export function windowBounds(
  window: TimeWindow,
  sentAtMs: number | undefined,
  firstEventS: number | undefined,
  customMs?: { from?: number | undefined; to?: number | undefined },
): { from: number; to: number } {
  const start = sentAtMs !== undefined ? Math.floor(sentAtMs / 1000) : (firstEventS ?? 0);
  switch (window) {
    case 'all':
      return { from: 0, to: Infinity };
    case '6h':
      return { from: 0, to: start + 6 * 3600 };
    case '24h':
      return { from: 0, to: start + 24 * 3600 };
    case 'custom':
      return {
        from: customMs?.from !== undefined ? Math.floor(customMs.from / 1000) : 0,
        to: customMs?.to !== undefined ? Math.ceil(customMs.to / 1000) : Infinity,
      };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Clicks over time.

export interface ClickSeries {
  /** Bucket start times, epoch seconds. */
  x: number[];
  /** One series per requested group, then the total of every link, aligned with `x`. */
  ys: number[][];
  bucketSeconds: number;
}


/**
 * Clicks per bucket (an hour when the window spans at most 3 days, else a day) of each group of tracked URL ids and
 * of all links together, over the window's events. Empty buckets between the first and last click are kept (a chart
 * must show the quiet hours). Buckets start at whole hours/days UTC.
 */
export function clicksOverTime(
  ev: EventColumns,
  groups: readonly (readonly number[])[],
  fromS = 0,
  toS = Infinity,
  bucketSeconds?: number,
): ClickSeries {
  const [lo, hi] = timeRange(ev, fromS, toS);
  let first = -1;
  let last = -1;
  for (let i = lo; i < hi; i++) {
    if (ev.url[i] !== 0 && CLICK_TYPES[ev.type[i]!]) {
      if (first < 0) first = ev.t[i]!;
      last = ev.t[i]!;
    }
  }
  const bucket = bucketSeconds ?? (first >= 0 && last - first > 3 * 86400 ? 86400 : 3600);
  if (first < 0) return { x: [], ys: [...groups.map(() => []), []], bucketSeconds: bucket };
  const b0 = Math.floor(first / bucket);
  const nb = Math.floor(last / bucket) - b0 + 1;
  const seriesOf = new Map<number, number[]>();
  groups.forEach((ids, gi) => {
    for (const id of ids) {
      const list = seriesOf.get(id);
      if (list) list.push(gi);
      else seriesOf.set(id, [gi]);
    }
  });
  const ys = [...groups.map(() => new Array<number>(nb).fill(0)), new Array<number>(nb).fill(0)];
  const total = ys[groups.length]!;
  for (let i = lo; i < hi; i++) {
    const u = ev.url[i]!;
    if (u === 0 || !CLICK_TYPES[ev.type[i]!]) continue;
    const b = Math.floor(ev.t[i]! / bucket) - b0;
    total[b]!++;
    const gs = seriesOf.get(u);
    if (gs) for (const g of gs) ys[g]![b]!++;
  }
  const x = new Array<number>(nb);
  for (let b = 0; b < nb; b++) x[b] = (b0 + b) * bucket;
  return { x, ys, bucketSeconds: bucket };
}
