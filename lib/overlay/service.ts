import type { DeliveryRow, TrackingDb, UrlRow } from '../db/schema';
import { heatStep, hotClicks, linkStats, loadLinkStats, shareOf, type HotClickBasis } from '../hotclicks/shares';
import { loadHumanAggregate, type Who } from '../indicators/human';
import { DEFAULT_MACHINE_RULES, type MachineRules } from '../indicators/machine';
import { linkKey, rankDeliveries, type Candidate, type DeliveryMatch, type PageLink } from './match';
import type { Badge, Legend, OverlayDraw } from './protocol';

/**
 * The background side of the overlay: from the links every reachable frame reported, pick a delivery (the best
 * match unless the user chose one), and build what each frame draws. Plain functions over the db, so unit tests
 * run them on fake-indexeddb.
 */

export interface FrameLinks {
  frameId: number;
  links: string[];
}

export interface OverlayChoice {
  deliveryId?: number | undefined;
  basis: HotClickBasis;
  who: Who;
}

export interface OverlayPlan {
  /** What each frame draws, by frameId; the top frame (0) always gets the legend. */
  draws: Map<number, OverlayDraw>;
  deliveryId: number | undefined;
}

const MAX_CANDIDATES = 20;

/** Tracked email links of every delivery with tracking on, grouped as candidates. */
export async function loadCandidates(db: TrackingDb): Promise<{ candidates: Candidate[]; deliveries: Map<number, DeliveryRow> }> {
  const [deliveries, urls] = await Promise.all([db.deliveries.toArray(), db.urls.toArray()]);
  const byDelivery = new Map<number, UrlRow[]>();
  for (const u of urls) {
    const list = byDelivery.get(u.deliveryId);
    if (list) list.push(u);
    else byDelivery.set(u.deliveryId, [u]);
  }
  const map = new Map<number, DeliveryRow>();
  const candidates: Candidate[] = [];
  for (const d of deliveries) {
    if (d.id === undefined) continue;
    map.set(d.id, d);
    const rows = byDelivery.get(d.id);
    if (!d.trackingEnabled || !rows) continue;
    candidates.push({
      deliveryId: d.id,
      extId: d.extId,
      urls: rows.filter((u): u is UrlRow & { id: number } => u.id !== undefined).map((u) => ({ id: u.id, extId: u.extId, type: u.type, url: u.url, occurrence: u.occurrence })),
    });
  }
  return { candidates, deliveries: map };
}

/** The frames' links as one list; `frame` is the frame's position in `frames`. */
export function pageLinks(frames: readonly FrameLinks[]): PageLink[] {
  const out: PageLink[] = [];
  frames.forEach((f, frame) => f.links.forEach((href, index) => out.push({ frame, index, href })));
  return out;
}

/** Builds every frame's draw: badges where links matched, the legend in the top frame. */
export async function planOverlay(
  db: TrackingDb,
  frames: readonly FrameLinks[],
  choice: OverlayChoice,
  framesUnreached: number,
  rules: MachineRules = DEFAULT_MACHINE_RULES,
): Promise<OverlayPlan> {
  const { candidates, deliveries } = await loadCandidates(db);
  const ranked = rankDeliveries(pageLinks(frames), candidates);
  const chosen: DeliveryMatch | undefined =
    (choice.deliveryId !== undefined ? ranked.find((m) => m.deliveryId === choice.deliveryId) : undefined) ?? ranked[0];
  const labelOf = (id: number): string => deliveries.get(id)?.label ?? '';
  const draws = new Map<number, OverlayDraw>();
  for (const f of frames) draws.set(f.frameId, { badges: [] });

  const legend: Legend = {
    state: chosen ? 'ok' : 'no-match',
    basis: choice.basis,
    who: choice.who,
    candidates: ranked.slice(0, MAX_CANDIDATES).map((m) => ({ deliveryId: m.deliveryId, label: labelOf(m.deliveryId), matched: m.matched, total: m.total })),
    matched: chosen?.matched ?? 0,
    total: chosen?.total ?? 0,
    totalClicks: 0,
    totalClickers: 0,
    unmatched: [],
    missing: chosen?.missing ?? 0,
    framesReached: frames.length,
    framesUnreached,
  };
  // The user's choice stays listed even when it fell out of the top of the ranking.
  if (chosen && !legend.candidates.some((c) => c.deliveryId === chosen.deliveryId)) {
    legend.candidates.push({ deliveryId: chosen.deliveryId, label: labelOf(chosen.deliveryId), matched: chosen.matched, total: chosen.total });
  }

  if (chosen) {
    const urls = await db.urls.where('deliveryId').equals(chosen.deliveryId).toArray();
    // The light totals row, not the whole aggregate (megabytes for a big send), as the Hot clicks tab reads it; humans
    // only, from the delivery's events, as that tab does too.
    const stats =
      choice.who === 'human'
        ? linkStats((await loadHumanAggregate(db, chosen.deliveryId, rules)).row)
        : await loadLinkStats(db, chosen.deliveryId);
    const hot = hotClicks(urls, stats);
    const byUrl = new Map(hot.links.map((l) => [l.url.id, l]));
    let maxShare = 0;
    for (const l of hot.links) if (l.drawn) maxShare = Math.max(maxShare, shareOf(l, choice.basis) ?? 0);
    legend.deliveryId = chosen.deliveryId;
    legend.label = labelOf(chosen.deliveryId);
    legend.totalClicks = hot.totalClicks;
    legend.totalClickers = hot.totalClickers;
    frames.forEach((f, frame) => {
      const badges: Badge[] = [];
      for (let index = 0; index < f.links.length; index++) {
        const m = chosen.matches.get(linkKey(frame, index));
        const link = m ? byUrl.get(m.urlId) : undefined;
        // Opt-out and mirror-page links count in the denominator but are not drawn (lib/hotclicks/shares.ts).
        if (!m || !link || !link.drawn) continue;
        const share = shareOf(link, choice.basis);
        const badge: Badge = {
          i: index,
          share: share ?? null,
          clicks: link.clicks,
          clickers: link.clickers,
          heat: heatStep(share, maxShare),
          repeated: m.repeated,
        };
        if (link.url.label) badge.label = link.url.label.slice(0, 500);
        badges.push(badge);
      }
      draws.set(f.frameId, { badges });
    });
    legend.unmatched = chosen.unmatched.map((u) => ({
      href: u.link.href.slice(0, 4096),
      reason: u.reason,
      ...(u.provider ? { provider: u.provider } : {}),
    }));
  }
  const top = frames.find((f) => f.frameId === 0) ?? frames[0];
  if (top) draws.set(top.frameId, { ...draws.get(top.frameId)!, legend });
  return { draws, deliveryId: chosen?.deliveryId };
}
