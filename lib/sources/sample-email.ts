import { EventType } from '../event-types';

/**
 * The HTML of the sample deliveries, built the way a campaign tool sends it: a table layout (email clients ignore
 * most CSS, so layout is done with nested 600 px tables and inline styles), every link rewritten to a tracked
 * redirect, and an open pixel at the end.
 *
 * Tracked links use Adobe Campaign's redirect form `/r/?id=h<message>,<delivery>,<url>` (all hex; `h` = HTML
 * content, ../shared/reference/adobe-tracking.md §2.3). The message (broadLog) id differs per recipient in a real
 * send; the copy stored here is the one for message 0, hence `h0`. The open pixel is the tracking URL whose primary
 * key is 1 (`[@url-id]=1`, same reference §2.2).
 *
 * The tracking host is under `.invalid` (RFC 6761 §6.4: never resolves), so nothing in a preview can ever reach a
 * server: the pixel and the links are dead by construction. Images are small inline SVGs (data: URIs) for the same
 * reason, and so the sample looks right offline.
 */

export const SAMPLE_TRACKING_ORIGIN = 'https://t.sample.tracking-logs.invalid';
/** Where the sample brand's links point. `.example` (RFC 2606) is reserved for examples. */
export const SAMPLE_SHOP_ORIGIN = 'https://shop.nordhem.example';

/** URL types a link of the email can have (Adobe `url/@type`): 1 email click, 3 opt-out, 6 mirror page. */
export type SampleLinkType = typeof EventType.click | typeof EventType.optOut | typeof EventType.mirror;

export interface SampleLink {
  /** Tracked URL id (`NmsTrackingUrl` id) in hex, as it appears in the redirect. */
  extId: string;
  type: SampleLinkType;
  /** Destination URL. */
  url: string;
  label: string;
  category: string;
  /** 0-based position among the links of the HTML, in document order. */
  occurrence: number;
  /** Relative popularity used when generating human clicks (the hero button draws far more than the footer). */
  weight: number;
}

export interface SampleEmail {
  html: string;
  /** Every link of `html`, in document order (index = occurrence). */
  links: SampleLink[];
}

export interface SampleProduct {
  name: string;
  /** Price line, e.g. "799 kr" . */
  price: string;
  /** Crossed-out previous price, for offers. */
  was?: string;
  /** Path of the product page under the shop. */
  path: string;
  /** Placeholder image colour. */
  color: string;
}

export interface SampleArticle {
  title: string;
  text: string;
  path: string;
}

/** What changes between the sample emails; the layout (and so the link structure) is shared. */
export interface SampleEmailContent {
  /** `utm_campaign` value on the campaign's links. */
  campaign: string;
  title: string;
  /** Hidden preview text shown by mail clients after the subject. */
  preheader: string;
  heroTitle: string;
  heroText: string;
  heroButton: string;
  heroPath: string;
  heroImageText: string;
  heroColor: string;
  productsTitle: string;
  products: [SampleProduct, SampleProduct, SampleProduct];
  articles: [SampleArticle, SampleArticle];
  banner: { text: string; path: string };
}

export interface BuildSampleEmailOptions {
  /** Delivery id in hex (`NmsDelivery` id, second part of the redirect id). */
  deliveryHex: string;
  /** Numeric id of the first tracked URL; the following links take the next ids. */
  firstUrlId: number;
  content: SampleEmailContent;
}

const BRAND = 'Nordhem';
const FONT = "font-family:Helvetica,Arial,sans-serif";
const INK = '#1f2a30';
const ACCENT = '#2f5d50';

/** Escapes text for HTML text and double-quoted attribute values. */
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A flat placeholder picture as an inline SVG, so the sample renders without any remote image. */
function picture(width: number, height: number, bg: string, text: string, fg = '#ffffff'): string {
  const fontSize = Math.max(12, Math.round(Math.min(width / (text.length * 0.62 + 2), height / 4)));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="${bg}"/>` +
    `<text x="50%" y="50%" dominant-baseline="middle" text-anchor="middle" fill="${fg}" ` +
    `font-family="Helvetica,Arial,sans-serif" font-size="${fontSize}">${esc(text)}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function withUtm(url: string, campaign: string, content?: string): string {
  const u = new URL(url);
  u.searchParams.set('utm_source', 'nordhem');
  u.searchParams.set('utm_medium', 'email');
  u.searchParams.set('utm_campaign', campaign);
  if (content) u.searchParams.set('utm_content', content);
  return u.toString();
}

interface LinkSpec {
  type?: SampleLinkType;
  url: string;
  label: string;
  category: string;
  weight: number;
}

/** An `<img>` of a placeholder picture; `fluid` lets it shrink on narrow screens. */
function img(width: number, height: number, bg: string, text: string, alt: string, fluid = false, extra = ''): string {
  const size = fluid ? `width:100%;max-width:${width}px;height:auto;` : '';
  return (
    `<img src="${picture(width, height, bg, text)}" width="${width}" height="${height}" alt="${esc(alt)}" ` +
    `style="display:block;border:0;${size}${extra}">`
  );
}

/**
 * Builds the sample email for one delivery. Links are registered in the order the template literal evaluates them,
 * which is document order, so each link's `occurrence` is its index among the `<a href>` of the HTML.
 */
export function buildSampleEmail({ deliveryHex, firstUrlId, content: c }: BuildSampleEmailOptions): SampleEmail {
  const links: SampleLink[] = [];
  /** Registers a link and returns the `<a>` with its tracked redirect, as the HTML is sent. */
  const a = (spec: LinkSpec, inner: string, style = ''): string => {
    const extId = (firstUrlId + links.length).toString(16);
    const { type = EventType.click, url, label, category, weight } = spec;
    links.push({ extId, type, url, label, category, occurrence: links.length, weight });
    const href = esc(`${SAMPLE_TRACKING_ORIGIN}/r/?id=h0,${deliveryHex},${extId}`);
    return style ? `<a href="${href}" style="${style}">${inner}</a>` : `<a href="${href}">${inner}</a>`;
  };
  const shop = (path: string): string => `${SAMPLE_SHOP_ORIGIN}${path}`;
  const home = shop('/');
  const hero = withUtm(shop(c.heroPath), c.campaign, 'hero');
  const pixel = esc(`${SAMPLE_TRACKING_ORIGIN}/o/?id=h0,${deliveryHex},1`);
  // The mirror page is served by the campaign tool itself (Adobe: `/nl/jsp/m.jsp?c=…`), not by the shop.
  const mirror = `${SAMPLE_TRACKING_ORIGIN}/nl/jsp/m.jsp?c=${deliveryHex}`;
  const text = (size: number, more = ''): string => `${FONT};font-size:${size}px;color:${INK};${more}`;
  const footerLink = (label: string, path: string, weight: number, type?: SampleLinkType): string =>
    a({ type, url: shop(path), label, category: 'footer', weight }, label, 'color:#c9d0d3;');

  const navItem = (label: string, path: string, weight: number): string =>
    `<td style="padding:0 8px;${text(13)}">` +
    a({ url: shop(path), label: `Menu: ${label}`, category: 'navigation', weight }, esc(label), `color:${INK};text-decoration:none;`) +
    '</td>';

  const productCell = (p: SampleProduct, i: number): string => {
    // Image and "Shop now" go to the same product page: two tracked URLs (two occurrences), one destination.
    const url = withUtm(shop(p.path), c.campaign, `product-${i + 1}`);
    const price = p.was
      ? `<span style="color:#b3261e;font-weight:bold;">${esc(p.price)}</span> <s style="color:#6b7479;">${esc(p.was)}</s>`
      : esc(p.price);
    const image = img(176, 176, p.color, p.name, p.name, true);
    return `<td class="stack" width="33%" valign="top" style="padding:0 6px 24px 6px;">
              ${a({ url, label: `${p.name} (image)`, category: 'product', weight: 6 - i }, image)}
              <p style="margin:10px 0 4px 0;${text(15, 'font-weight:bold;')}">${esc(p.name)}</p>
              <p style="margin:0 0 10px 0;${text(14)}">${price}</p>
              ${a({ url, label: `${p.name}: Shop now`, category: 'product', weight: 9 - 2 * i }, 'Shop now &rarr;', `${FONT};font-size:14px;font-weight:bold;color:${ACCENT};`)}
            </td>`;
  };

  const articleRow = (art: SampleArticle, i: number): string => {
    const url = withUtm(shop(art.path), c.campaign, `article-${i + 1}`);
    const photo = img(560, 200, '#8a9a8f', art.title, art.title, true, 'margin-bottom:12px;');
    const image = i === 0 ? a({ url, label: `${art.title} (image)`, category: 'article', weight: 2 }, photo) : '';
    return `<tr><td style="padding:0 20px 24px 20px;">
              ${image}
              <h3 style="margin:0 0 6px 0;${text(18)}">${esc(art.title)}</h3>
              <p style="margin:0 0 8px 0;${text(15, 'line-height:22px;')}">${esc(art.text)}</p>
              ${a({ url, label: `${art.title}: Read more`, category: 'article', weight: 3 - i }, 'Read more', `${FONT};font-size:14px;color:${ACCENT};`)}
            </td></tr>`;
  };

  const social = (name: string, url: string, weight: number): string =>
    `<td style="padding:0 6px;">${a({ url, label: name, category: 'social', weight }, img(32, 32, '#44525a', name.slice(0, 2), name))}</td>`;

  const html = `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${esc(c.title)}</title>
<!--[if mso]><style>table, td, h1, h2, h3, p, a { font-family: Arial, sans-serif !important; }</style><![endif]-->
<style>
  @media screen and (max-width: 620px) {
    .container { width: 100% !important; }
    .stack { display: block !important; width: 100% !important; }
  }
</style>
</head>
<body style="margin:0;padding:0;background:#eef0ec;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${esc(c.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#eef0ec">
  <tr><td align="center" style="padding:12px 10px;">
    <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0">
      <tr>
        <td style="${FONT};font-size:12px;color:#6b7479;">${esc(c.preheader)}</td>
        <td align="right" style="${FONT};font-size:12px;">${a({ type: EventType.mirror, url: mirror, label: 'View in browser', category: 'navigation', weight: 0 }, 'View in browser', 'color:#6b7479;')}</td>
      </tr>
    </table>
  </td></tr>
  <tr><td align="center" style="padding:0 10px;">
    <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff">
      <!-- Header: logo and menu -->
      <tr><td style="padding:20px 20px 12px 20px;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
          <td>${a({ url: home, label: 'Logo (header)', category: 'navigation', weight: 3 }, img(140, 40, ACCENT, BRAND, BRAND))}</td>
          <td align="right">
            <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
              ${navItem('New in', '/new', 3)}
              ${navItem('Living', '/living-room', 2)}
              ${navItem('Kitchen', '/kitchen', 2)}
              ${navItem('Sale', '/sale', 4)}
            </tr></table>
          </td>
        </tr></table>
      </td></tr>
      <!-- Hero: image and bulletproof button to the same landing page -->
      <tr><td>
        ${a({ url: hero, label: 'Hero image', category: 'hero', weight: 14 }, img(600, 300, c.heroColor, c.heroImageText, c.heroImageText, true))}
      </td></tr>
      <tr><td style="padding:28px 30px 8px 30px;">
        <h1 style="margin:0 0 12px 0;${text(28, 'line-height:34px;')}">${esc(c.heroTitle)}</h1>
        <p style="margin:0;${text(16, 'line-height:24px;')}">${esc(c.heroText)}</p>
      </td></tr>
      <tr><td align="center" style="padding:20px 30px 32px 30px;">
        <!-- Bulletproof button: the colour sits on the cell, so it shows even when images are blocked -->
        <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
          <td align="center" bgcolor="${ACCENT}" style="border-radius:4px;">
            ${a({ url: hero, label: `Button: ${c.heroButton}`, category: 'hero', weight: 34 }, esc(c.heroButton), `display:inline-block;padding:14px 32px;${FONT};font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:4px;`)}
          </td>
        </tr></table>
      </td></tr>
      <!-- Products -->
      <tr><td style="padding:0 14px;">
        <h2 style="margin:0 6px 16px 6px;${text(20)}">${esc(c.productsTitle)}</h2>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
            ${c.products.map(productCell).join('\n            ')}
        </tr></table>
      </td></tr>
      <!-- Banner -->
      <tr><td style="padding:0 20px 24px 20px;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
          <td bgcolor="#f4efe6" style="padding:16px;${text(15, 'text-align:center;')}">
            ${a({ url: shop(c.banner.path), label: c.banner.text, category: 'service', weight: 3 }, esc(c.banner.text), `color:${INK};`)}
          </td>
        </tr></table>
      </td></tr>
      <!-- Articles -->
      ${c.articles.map(articleRow).join('\n      ')}
      <tr><td style="padding:0 20px 28px 20px;${text(15)}">
        Want to see it in real life? ${a({ url: shop('/stores'), label: 'Find a store', category: 'service', weight: 1.5 }, 'Find your nearest store', `color:${ACCENT};`)}.
      </td></tr>
    </table>
  </td></tr>
  <!-- Footer -->
  <tr><td align="center" style="padding:0 10px;">
    <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#2b3539">
      <tr><td align="center" style="padding:24px 20px 12px 20px;">
        ${a({ url: home, label: 'Logo (footer)', category: 'footer', weight: 0.5 }, img(120, 34, '#2b3539', BRAND, BRAND))}
      </td></tr>
      <tr><td align="center" style="padding:0 20px 16px 20px;">
        <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
          ${social('Instagram', 'https://www.instagram.com/nordhem.sample/', 0.8)}
          ${social('Facebook', 'https://www.facebook.com/nordhem.sample', 0.5)}
          ${social('Pinterest', 'https://www.pinterest.com/nordhemsample/', 0.6)}
          ${social('YouTube', 'https://www.youtube.com/@nordhem-sample', 0.3)}
        </tr></table>
      </td></tr>
      <tr><td align="center" style="padding:0 20px 24px 20px;${FONT};font-size:12px;line-height:18px;color:#c9d0d3;">
        ${BRAND} AB &middot; Hantverkargatan 12 &middot; 112 21 Stockholm<br>
        You get this email because you are a ${BRAND} member.<br>
        ${footerLink('Customer service', '/customer-service', 0.6)} &middot;
        ${footerLink('Privacy policy', '/privacy', 0.2)} &middot;
        ${footerLink('Email preferences', '/account/preferences', 0.3)} &middot;
        ${footerLink('Unsubscribe', '/account/unsubscribe', 0, EventType.optOut)}
      </td></tr>
    </table>
  </td></tr>
</table>
<img src="${pixel}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px;">
</body>
</html>
`;
  return { html, links };
}

/**
 * A service notice sent without tracking: links go straight to their destination and there is no pixel, which is
 * what a delivery looks like when tracking was not activated (product.md, Troubleshooting).
 */
export function buildServiceNoticeHtml(title: string, text: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>
<body style="margin:0;padding:0;background:#eef0ec;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#eef0ec">
  <tr><td align="center" style="padding:24px 10px;">
    <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff">
      <tr><td style="padding:20px;">${img(140, 40, ACCENT, BRAND, BRAND)}</td></tr>
      <tr><td style="padding:0 20px 24px 20px;${FONT};font-size:15px;line-height:22px;color:${INK};">
        <h1 style="margin:0 0 12px 0;font-size:22px;">${esc(title)}</h1>
        <p style="margin:0 0 12px 0;">${esc(text)}</p>
        <p style="margin:0;">Questions? <a href="${SAMPLE_SHOP_ORIGIN}/customer-service" style="color:${ACCENT};">Contact customer service</a>.</p>
      </td></tr>
    </table>
  </td></tr>
</table>
</body>
</html>
`;
}
