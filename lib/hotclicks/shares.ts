import type { AggregateRow, TrackingDb, UrlRow } from '../db/schema';
import { EventType, isEmailLinkType } from '../event-types';

/**
 * Hot clicks: each link's share of the delivery's clicks, shared by the Hot clicks tab and the page overlay.
 * Reference (../shared/reference/adobe-tracking.md §4): "the percentage of clicks on links. … unsubscription links,
 * mirror page links … are taken into account in the total cumulated clicks but are not displayed". So:
 *   share(link) = clicks(link) ÷ Σ clicks over every click-type link (email click, opt-out, mirror page);
 * the drawn shares need not sum to 100 %. On the distinct basis (a toggle) the same with distinct clickers:
 *   share(link) = clickers(link) ÷ Σ clickers over the same links (a recipient who clicked two links counts in both,
 *   as a cumulated basis would: the two bases stay comparable). The aggregate keeps distinct clickers for opt-out
 *   and mirror-page links too (lib/workflow/aggregate.ts), so both bases have the same denominator links.
 */


export type HotClickBasis = 'clicks' | 'clickers';

export interface LinkStat {
  clicks: number;
  clickers: number;
}

/** Per tracked-URL id: event count and distinct recipients, from a delivery's aggregate. */
export function linkStats(agg: Pick<AggregateRow, 'linkIds' | 'linkCounts' | 'linkClickers'> | undefined): Map<number, LinkStat> {
  const stats = new Map<number, LinkStat>();
  if (!agg) return stats;
  for (let i = 0; i < agg.linkIds.length; i++) stats.set(agg.linkIds[i]!, { clicks: agg.linkCounts[i]!, clickers: 0 });
  const TWO_32 = 2 ** 32;
  for (let i = 0; i < agg.linkClickers.length; i++) {
    const urlId = Math.floor(agg.linkClickers[i]! / TWO_32);
    const s = stats.get(urlId);
    if (s) s.clickers++;
    else stats.set(urlId, { clicks: 0, clickers: 1 });
  }
  return stats;
}

/**
 * The same per-link stats from a delivery's light totals row (TotalsRow.links), or undefined when the row predates
 * that field: then read the aggregate with {@link linkStats}.
 */
export function linkStatsFromTotals(
  links: { ids: ArrayLike<number>; counts: ArrayLike<number>; clickers: ArrayLike<number> } | undefined,
): Map<number, LinkStat> | undefined {
  if (!links) return undefined;
  const stats = new Map<number, LinkStat>();
  for (let i = 0; i < links.ids.length; i++) stats.set(links.ids[i]!, { clicks: links.counts[i]!, clickers: links.clickers[i]! });
  return stats;
}

export interface HotClick {
  url: UrlRow & { id: number };
  clicks: number;
  clickers: number;
  /** Shares on each basis, 0…1; undefined when the delivery has no click at all. */
  shareClicks: number | undefined;
  shareClickers: number | undefined;
  /** Drawn on the email (email-click links); opt-out and mirror-page links only count in the denominator. */
  drawn: boolean;
}

export interface HotClicks {
  links: HotClick[];
  totalClicks: number;
  totalClickers: number;
}

/** The hot clicks of a delivery's tracked URLs (any order in, by occurrence then id out). */
export function hotClicks(urls: readonly UrlRow[], stats: Map<number, LinkStat>): HotClicks {
  let totalClicks = 0;
  let totalClickers = 0;
  const counted = urls.filter((u): u is UrlRow & { id: number } => u.id !== undefined && isEmailLinkType(u.type));
  for (const u of counted) {
    const s = stats.get(u.id);
    totalClicks += s?.clicks ?? 0;
    totalClickers += s?.clickers ?? 0;
  }
  const links = counted
    .map((url) => {
      const s = stats.get(url.id);
      const clicks = s?.clicks ?? 0;
      const clickers = s?.clickers ?? 0;
      return {
        url,
        clicks,
        clickers,
        shareClicks: totalClicks > 0 ? clicks / totalClicks : undefined,
        shareClickers: totalClickers > 0 ? clickers / totalClickers : undefined,
        drawn: url.type === EventType.click,
      };
    })
    .sort((a, b) => (a.url.occurrence ?? Infinity) - (b.url.occurrence ?? Infinity) || a.url.id - b.url.id);
  return { links, totalClicks, totalClickers };
}

/** How links are counted: each occurrence apart (the default), or added together by URL or by label. */
export type HotClickMerge = 'link' | 'url' | 'label';

export interface MergedHotClick extends HotClick {
  /** Links (occurrences) added together into this one's figures (1 when not merged). */
  merged: number;
}

/**
 * Each link with the figures of its group: "Two URLs or two labels with the same name will be added together when
 * calculating the click count" (../shared/reference/adobe-tracking.md §2.2). A group's clicks and clickers are the
 * sums over its links (on the clickers basis that is what the denominator sums too, so shares stay comparable); a link
 * without a label is a group of its own under 'label'. Same order as `hot.links`.
 */
export function mergeHotClicks(hot: HotClicks, by: HotClickMerge): MergedHotClick[] {
  if (by === 'link') return hot.links.map((l) => ({ ...l, merged: 1 }));
  const keyOf = (l: HotClick): string => (by === 'url' ? `u:${l.url.url}` : l.url.label ? `l:${l.url.label}` : `#${l.url.id}`);
  const groups = new Map<string, { clicks: number; clickers: number; n: number }>();
  for (const l of hot.links) {
    const k = keyOf(l);
    const g = groups.get(k) ?? { clicks: 0, clickers: 0, n: 0 };
    g.clicks += l.clicks;
    g.clickers += l.clickers;
    g.n++;
    groups.set(k, g);
  }
  return hot.links.map((l) => {
    const g = groups.get(keyOf(l))!;
    return {
      ...l,
      clicks: g.clicks,
      clickers: g.clickers,
      shareClicks: hot.totalClicks > 0 ? g.clicks / hot.totalClicks : undefined,
      shareClickers: hot.totalClickers > 0 ? g.clickers / hot.totalClickers : undefined,
      merged: g.n,
    };
  });
}

export function shareOf(link: HotClick, basis: HotClickBasis): number | undefined {
  return basis === 'clicks' ? link.shareClicks : link.shareClickers;
}

/** Number of colour steps of the heat scale (CSS classes heat-0 … heat-5). */
export const HEAT_STEPS = 6;

/**
 * Heat step 0…5 of a share relative to the largest drawn share (so a 100-link email still shows its hot spots):
 * 0 = no click, 5 = the most clicked link.
 */
export function heatStep(share: number | undefined, maxShare: number): number {
  if (!share || !maxShare) return 0;
  return Math.max(1, Math.min(HEAT_STEPS - 1, Math.ceil((share / maxShare) * (HEAT_STEPS - 1))));
}

/**
 * A delivery's per-link stats as saved: from the light totals row, or, for a row saved before it carried them, from
 * the whole aggregate. Shared by the Hot clicks tab and the page overlay.
 */
export async function loadLinkStats(db: TrackingDb, deliveryId: number): Promise<Map<number, LinkStat>> {
  return linkStatsFromTotals((await db.totals.get(deliveryId))?.links) ?? linkStats(await db.aggregates.get(deliveryId));
}
