/**
 * Recognises click-tracking redirects in a page's links, so a link still carrying its tracking ids is matched by
 * them rather than guessed from its destination.
 *
 * - Adobe Campaign (../shared/reference/adobe-tracking.md §2.3): `<tracking server>/r/?id=h617791,71ffa3,71ffa8`:
 *   content type letter (h = HTML, t = text), then broadLog (message), delivery and tracked-URL ids in hex. Any host:
 *   the tracking server is the customer's own.
 * - ESP click-tracking hosts, by the public form of their rewritten links. Their tokens are opaque (signed or
 *   encrypted), so only what the link shows is used: Mailchimp's link `id`, Postmark's destination (it travels
 *   percent-encoded in the path). SendGrid, Mailgun, SparkPost and Brevo links are recognised, so the legend can say
 *   why they match nothing, but cannot be tied to a tracked URL without the provider.
 */

export type Provider = 'adobe' | 'mailchimp' | 'sendgrid' | 'mailgun' | 'sparkpost' | 'postmark' | 'brevo';

export interface RedirectInfo {
  provider: Provider;
  /** Adobe: the delivery id (hex, as the source's delivery extId). */
  deliveryExtId?: string;
  /** Ids that may equal a tracked URL's extId: Adobe's URL id, Mailchimp's link id. */
  urlExtId?: string;
  /** The destination, when the redirect carries it readably (Postmark). */
  destination?: string;
}

const HEX = /^[0-9a-f]+$/i;

function parse(href: string): URL | undefined {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function hostIs(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** Adobe's `id` value: `h<message>,<delivery>,<url>` (hex), the letter being the content type. */
export function parseAdobeId(id: string): { content: string; message: string; delivery: string; url: string } | undefined {
  const m = /^([a-z])([0-9a-f]+),([0-9a-f]+),([0-9a-f]+)$/i.exec(id.trim());
  if (!m) return undefined;
  return { content: m[1]!.toLowerCase(), message: m[2]!.toLowerCase(), delivery: m[3]!.toLowerCase(), url: m[4]!.toLowerCase() };
}

/** What a link's href says about its click tracking, or undefined for a plain link. */
export function parseRedirect(href: string): RedirectInfo | undefined {
  const url = parse(href);
  if (!url) return undefined;
  const host = url.hostname.toLowerCase();
  const path = url.pathname;

  if (path === '/r/' || path === '/r') {
    const id = url.searchParams.get('id');
    const parts = id ? parseAdobeId(id) : undefined;
    if (parts) return { provider: 'adobe', deliveryExtId: parts.delivery, urlExtId: parts.url };
  }
  if (/^list-manage\d*\.com$/.test(host.split('.').slice(-2).join('.')) && path.startsWith('/track/click')) {
    const id = url.searchParams.get('id') ?? undefined;
    return id ? { provider: 'mailchimp', urlExtId: id } : { provider: 'mailchimp' };
  }
  if (hostIs(host, 'pstmrk.it')) {
    // click.pstmrk.it/<version>/<percent-encoded destination>/<signature…>; an `s` in the version means https.
    const [version, encoded] = path.split('/').filter(Boolean);
    if (version && encoded) {
      try {
        const decoded = decodeURIComponent(encoded);
        const destination = /^https?:\/\//i.test(decoded) ? decoded : `${version.includes('s') ? 'https' : 'http'}://${decoded}`;
        if (parse(destination)) return { provider: 'postmark', destination };
      } catch {
        // a malformed escape: recognised, destination unknown
      }
    }
    return { provider: 'postmark' };
  }
  if (hostIs(host, 'sendgrid.net') || path.startsWith('/ls/click') || path.startsWith('/wf/click')) {
    if (hostIs(host, 'sendgrid.net') || url.searchParams.has('upn')) return { provider: 'sendgrid' };
  }
  if (hostIs(host, 'spgo.io') || hostIs(host, 'sparkpostmail.com')) {
    if (path.startsWith('/f/')) return { provider: 'sparkpost' };
  }
  if (/(^|\.)sendibt\d*\.com$/.test(host) || /(^|\.)sendibm\d*\.com$/.test(host) || hostIs(host, 'brevo.com')) {
    if (path.startsWith('/tr/cl/') || path.startsWith('/mk/cl/')) return { provider: 'brevo' };
  }
  if ((host.startsWith('email.') || hostIs(host, 'mailgun.org')) && /^\/c\/[A-Za-z0-9_-]{8,}/.test(path)) {
    return { provider: 'mailgun' };
  }
  return undefined;
}

/** True when `id` looks like an Adobe hex id (used to compare case-insensitively). */
export function isHexId(id: string): boolean {
  return HEX.test(id);
}
