/**
 * Destination URLs compared the way a marketer means them: the same page whatever the case of scheme and host, a
 * default port, a trailing slash, a fragment, or the campaign parameters added around it. A link in a preview is
 * often the un-tracked destination (a "view in browser" mirror, a provider preview before sending), and the source
 * may store it with or without `utm_*` tags, so both sides go through this before they are compared.
 */

/** Query parameters that mark a visit rather than name a page (analytics and ESP click ids). */
const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'fbclid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'sc_cid',
  'vero_id',
  'vero_conv',
  'ml_subscriber',
  'ml_subscriber_hash',
  'oly_enc_id',
  'oly_anon_id',
  'rb_clickid',
  's_cid',
  'cmpid',
  'wt_mc',
  'trk',
]);

/** True for parameters that never change which page a link opens. */
export function isTrackingParam(name: string): boolean {
  const key = name.toLowerCase();
  return key.startsWith('utm_') || TRACKING_PARAMS.has(key);
}

/**
 * The comparable form of an http(s) URL, or undefined for anything else (mailto:, tel:, javascript:, fragments,
 * unparsable text). Lower-cases scheme and host (URL does that), drops default ports, the fragment, tracking
 * parameters and a trailing slash, and sorts the remaining parameters (their order never names another page in
 * practice, and templates reorder them).
 */
export function normalizeUrl(href: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = base === undefined ? new URL(href.trim()) : new URL(href.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const kept = [...url.searchParams].filter(([name]) => !isTrackingParam(name));
  kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const query = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  let path = url.pathname;
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (path === '/') path = '';
  // http and https of the same host and path are one destination: templates and sources disagree on the scheme
  // more often than two different pages differ only by it.
  return `${url.host}${path}${query}`;
}
