import { EventType, isEmailLinkType } from '../event-types';
import { normalizeUrl } from './normalize-url';
import { parseRedirect, type Provider } from './redirect';

/**
 * Matching the links of a page (every reachable frame of a tab) to a delivery's tracked URLs.
 *
 * 1. By the redirect's own ids when the link still carries them (Adobe `/r/?id=h<msg>,<delivery>,<url>`, a
 *    Mailchimp link id): exact, and a link of another delivery never matches this one.
 * 2. Otherwise by destination: both sides normalised (lib/overlay/normalize-url.ts), and among links with the same
 *    destination by order of occurrence: the k-th such link of the page is the k-th such tracked URL (a product
 *    image and its "Shop now" button are two tracked URLs with one destination). A page link past the last tracked
 *    URL of its destination (a source that keeps one row per URL, as Mailchimp's report does) shares that row and is
 *    marked `repeated`.
 *
 * Occurrences restart in each frame: the email is one document, and a web-mail frame around it must not shift them.
 * A delivery's score counts only frames where it matches at least one link, so the web-mail's own links do not
 * dilute "18 of 20 links".
 */

export interface PageLink {
  /** The frame's position in the tab's list (0 = top). */
  frame: number;
  /** Position among the frame's `<a href>` / `<area href>`, document order. */
  index: number;
  href: string;
}

export interface CandidateUrl {
  id: number;
  extId: string;
  type: number;
  url: string;
  occurrence?: number | undefined;
}

export interface Candidate {
  deliveryId: number;
  extId: string;
  urls: readonly CandidateUrl[];
}

export interface LinkMatch {
  urlId: number;
  by: 'id' | 'url';
  /** The tracked URL was already matched by an earlier link of the same destination. */
  repeated: boolean;
}

export type UnmatchedReason = 'other-delivery' | 'opaque-redirect' | 'no-match';

export interface UnmatchedLink {
  link: PageLink;
  reason: UnmatchedReason;
  provider?: Provider | undefined;
}

export interface DeliveryMatch {
  deliveryId: number;
  /** Links matched (by id or destination) / matchable links in the frames where this delivery matched. */
  matched: number;
  total: number;
  byId: number;
  /** Email links of the delivery that no link of the page matched. */
  missing: number;
  /** Key `${frame}:${index}`. */
  matches: Map<string, LinkMatch>;
  unmatched: UnmatchedLink[];
  /** Frames (positions) holding at least one matched link. */
  frames: number[];
}

export const linkKey = (frame: number, index: number): string => `${frame}:${index}`;

/** A link prepared once for every candidate: its redirect ids and normalised destination. */
export interface PreparedLink {
  link: PageLink;
  provider?: Provider | undefined;
  deliveryExtId?: string | undefined;
  urlExtId?: string | undefined;
  /** Normalised destination; undefined for an opaque redirect. */
  dest?: string | undefined;
}

/** Parses each link once; links that are no web link (mailto:, tel:, #top, javascript:) are left out. */
export function prepareLinks(links: readonly PageLink[]): PreparedLink[] {
  const out: PreparedLink[] = [];
  for (const link of links) {
    const redirect = parseRedirect(link.href);
    if (redirect) {
      const dest = redirect.destination !== undefined ? normalizeUrl(redirect.destination) : undefined;
      out.push({
        link,
        provider: redirect.provider,
        deliveryExtId: redirect.deliveryExtId,
        urlExtId: redirect.urlExtId?.toLowerCase(),
        dest,
      });
      continue;
    }
    const dest = normalizeUrl(link.href);
    if (dest !== undefined) out.push({ link, dest });
  }
  return out;
}

/** How well `candidate` explains the prepared links of a page. */
export function matchDelivery(prepared: readonly PreparedLink[], candidate: Candidate): DeliveryMatch {
  const rows = candidate.urls
    .filter((u) => isEmailLinkType(u.type))
    .slice()
    .sort((a, b) => (a.occurrence ?? Infinity) - (b.occurrence ?? Infinity) || a.id - b.id);
  const byExt = new Map<string, CandidateUrl>();
  const byDest = new Map<string, CandidateUrl[]>();
  for (const row of rows) {
    byExt.set(row.extId.toLowerCase(), row);
    const dest = normalizeUrl(row.url);
    if (dest === undefined) continue;
    const list = byDest.get(dest);
    if (list) list.push(row);
    else byDest.set(dest, [row]);
  }
  const deliveryExt = candidate.extId.toLowerCase();

  const perFrame = new Map<number, PreparedLink[]>();
  for (const p of prepared) {
    const list = perFrame.get(p.link.frame);
    if (list) list.push(p);
    else perFrame.set(p.link.frame, [p]);
  }

  const matches = new Map<string, LinkMatch>();
  const unmatched: UnmatchedLink[] = [];
  const usedRows = new Set<number>();
  const frames: number[] = [];
  let matched = 0;
  let total = 0;
  let byId = 0;

  for (const [frame, links] of [...perFrame].sort((a, b) => a[0] - b[0])) {
    const frameMatches: [string, LinkMatch][] = [];
    const frameUnmatched: UnmatchedLink[] = [];
    const usedInFrame = new Set<number>();
    const pending: PreparedLink[] = [];
    // Ids first: they also take their rows out of the destination pool.
    for (const p of links) {
      if (p.provider === 'adobe') {
        const row = p.deliveryExtId === deliveryExt && p.urlExtId ? byExt.get(p.urlExtId) : undefined;
        if (row) {
          frameMatches.push([linkKey(frame, p.link.index), { urlId: row.id, by: 'id', repeated: usedInFrame.has(row.id) }]);
          usedInFrame.add(row.id);
        } else {
          frameUnmatched.push({ link: p.link, reason: 'other-delivery', provider: p.provider });
        }
        continue;
      }
      const row = p.urlExtId ? byExt.get(p.urlExtId) : undefined;
      if (row) {
        frameMatches.push([linkKey(frame, p.link.index), { urlId: row.id, by: 'id', repeated: usedInFrame.has(row.id) }]);
        usedInFrame.add(row.id);
        continue;
      }
      pending.push(p);
    }
    // The k-th page link of a destination takes the k-th tracked URL of it not already taken by an id match.
    const queues = new Map<string, CandidateUrl[]>();
    for (const p of pending) {
      if (p.dest === undefined) {
        frameUnmatched.push({ link: p.link, reason: 'opaque-redirect', provider: p.provider });
        continue;
      }
      const all = byDest.get(p.dest);
      if (!all) {
        frameUnmatched.push({ link: p.link, reason: 'no-match', provider: p.provider });
        continue;
      }
      let queue = queues.get(p.dest);
      if (!queue) queues.set(p.dest, (queue = all.filter((r) => !usedInFrame.has(r.id))));
      const row = queue.shift();
      const key = linkKey(frame, p.link.index);
      if (row) {
        frameMatches.push([key, { urlId: row.id, by: 'url', repeated: false }]);
        usedInFrame.add(row.id);
      } else {
        frameMatches.push([key, { urlId: all[all.length - 1]!.id, by: 'url', repeated: true }]);
      }
    }
    if (frameMatches.length === 0) continue;
    frames.push(frame);
    total += links.length;
    matched += frameMatches.length;
    for (const [key, m] of frameMatches) {
      matches.set(key, m);
      if (m.by === 'id') byId++;
      usedRows.add(m.urlId);
    }
    unmatched.push(...frameUnmatched);
  }
  const missing = rows.filter((r) => r.type === EventType.click && !usedRows.has(r.id)).length;
  return { deliveryId: candidate.deliveryId, matched, total, byId, missing, matches, unmatched, frames };
}

/** Better match first: more links matched, then more by id, then a higher share, then fewer links missing. */
export function compareMatches(a: DeliveryMatch, b: DeliveryMatch): number {
  return (
    b.matched - a.matched ||
    b.byId - a.byId ||
    b.matched / Math.max(1, b.total) - a.matched / Math.max(1, a.total) ||
    a.missing - b.missing ||
    b.deliveryId - a.deliveryId
  );
}

/** Every candidate matching at least one link, best first. */
export function rankDeliveries(links: readonly PageLink[], candidates: readonly Candidate[]): DeliveryMatch[] {
  const prepared = prepareLinks(links);
  return candidates
    .map((c) => matchDelivery(prepared, c))
    .filter((m) => m.matched > 0)
    .sort(compareMatches);
}
