import type { UrlRow } from '../db/schema';

/**
 * Which tracked URL each link of an email is: the hot-clicks view draws a link's share on its anchor, so every
 * `<a href>` occurrence of the HTML has to find its tracked-URL row.
 *
 * Three clues, most specific first:
 *  1. the tracked redirect itself: Adobe Campaign's `…/r/?id=h<message>,<delivery>,<url>` names the tracked URL id
 *     in hex (../shared/reference/adobe-tracking.md §2.3) — when an anchor carries one, it decides;
 *  2. the occurrence the source gave the tracked URL (its index among the `<a href>` of the HTML, in document order);
 *  3. the destination: the k-th anchor pointing at a URL is the k-th tracked URL with that URL (in occurrence then id
 *     order) — what is left for sources that send untracked HTML and the URL list apart.
 */

export interface AnchorRef {
  /** Index among the `<a href>` / `<area href>` of the HTML, in document order. */
  index: number;
  /** The href as written in the email (untrusted text). */
  href: string;
  /** The link's visible text (or image alt), trimmed, for lists. */
  text: string;
}

export interface RedirectRef {
  /** `h` HTML, `t` text … (the content type letter). */
  content: string;
  message: string;
  delivery: string;
  /** Tracked URL id, hex, lower case. */
  url: string;
}

/** The parts of an Adobe-style tracked redirect (`/r/?id=h0,1a,2b`), or undefined for any other href. */
export function parseRedirect(href: string): RedirectRef | undefined {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  if (!/\/r\/?$/.test(u.pathname)) return undefined;
  const id = u.searchParams.get('id');
  const m = id ? /^([a-z])([0-9a-f]+),([0-9a-f]+),([0-9a-f]+)$/i.exec(id) : null;
  if (!m) return undefined;
  return { content: m[1]!.toLowerCase(), message: m[2]!, delivery: m[3]!, url: m[4]!.toLowerCase() };
}

/** The host of an http(s) href, lower case, or undefined. */
export function hostOf(href: string): string | undefined {
  try {
    const u = new URL(href);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export type MatchMethod = 'redirect' | 'occurrence' | 'url';

export interface LinkMatch {
  /** Per anchor (by AnchorRef.index order of the input), the tracked URL id it is, or undefined. */
  urlIdOf: (number | undefined)[];
  method: (MatchMethod | undefined)[];
  unmatchedAnchors: AnchorRef[];
  /** Tracked URLs (of the given rows) no anchor was matched to. */
  unmatchedUrls: (UrlRow & { id: number })[];
}

function normalise(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url.trim();
  }
}

/** Tracked-URL id ↔ hex as in a redirect: stores keep the source's id as text, in hex (Adobe) or decimal. */
function extIdKeys(extId: string): string[] {
  const keys = [extId.toLowerCase()];
  if (/^\d+$/.test(extId)) keys.push(Number(extId).toString(16));
  return keys;
}

export function matchAnchors(anchors: readonly AnchorRef[], urls: readonly UrlRow[]): LinkMatch {
  const rows = urls
    .filter((u): u is UrlRow & { id: number } => u.id !== undefined)
    .sort((a, b) => (a.occurrence ?? Infinity) - (b.occurrence ?? Infinity) || a.id - b.id);
  const byExt = new Map<string, UrlRow & { id: number }>();
  for (const r of rows) for (const k of extIdKeys(r.extId)) if (!byExt.has(k)) byExt.set(k, r);
  const byOccurrence = new Map<number, UrlRow & { id: number }>();
  for (const r of rows) if (r.occurrence !== undefined && !byOccurrence.has(r.occurrence)) byOccurrence.set(r.occurrence, r);
  const byUrl = new Map<string, (UrlRow & { id: number })[]>();
  for (const r of rows) {
    const k = normalise(r.url);
    const list = byUrl.get(k);
    if (list) list.push(r);
    else byUrl.set(k, [r]);
  }

  const urlIdOf: (number | undefined)[] = [];
  const method: (MatchMethod | undefined)[] = [];
  const taken = new Set<number>();
  const seenUrl = new Map<string, number>();
  for (const a of anchors) {
    let id: number | undefined;
    let how: MatchMethod | undefined;
    const redirect = parseRedirect(a.href);
    const viaRedirect = redirect ? byExt.get(redirect.url) : undefined;
    if (viaRedirect) {
      id = viaRedirect.id;
      how = 'redirect';
    } else {
      const occ = byOccurrence.get(a.index);
      // The occurrence row stands unless the anchor plainly points elsewhere: a direct link to another URL, or a
      // redirect naming a tracked URL this delivery does not have.
      const href = normalise(a.href);
      if (occ && !redirect && (href === normalise(occ.url) || !byUrl.has(href))) {
        id = occ.id;
        how = 'occurrence';
      } else if (!redirect) {
        const k = seenUrl.get(href) ?? 0;
        seenUrl.set(href, k + 1);
        const same = byUrl.get(href);
        const r = same?.[Math.min(k, same.length - 1)];
        if (r) {
          id = r.id;
          how = 'url';
        }
      }
    }
    urlIdOf.push(id);
    method.push(how);
    if (id !== undefined) taken.add(id);
  }
  return {
    urlIdOf,
    method,
    unmatchedAnchors: anchors.filter((_, i) => urlIdOf[i] === undefined),
    unmatchedUrls: rows.filter((r) => !taken.has(r.id)),
  };
}
