import DOMPurify from 'dompurify';
import { hostOf, parseRedirect, type AnchorRef } from './match-links';

/**
 * Email HTML made safe to show in the hot-clicks frame (../shared/architecture.md, "Security model": email HTML is
 * untrusted; a preview must never count as an open or a click; remote images off unless asked).
 *
 * Defence in layers, each enough for scripts on its own:
 *  1. DOMPurify (HTML profile only: no SVG/MathML) removes scripts, event handlers, `javascript:` URLs, and here
 *     also forms and their controls, `meta` (refresh), `base`, `link`, frames, media, `srcset`;
 *  2. every link loses its `href` (links cannot navigate; the anchor keeps a `data-tl-link` index for matching), and
 *     the open pixel and any image or CSS `url()` on a tracking host are dropped outright, never requested;
 *  3. the frame document carries a strict CSP (`default-src 'none'`; images from `data:`/`blob:` only, or also `https:`
 *     when the user allows remote images — the tracking hosts are then still gone from the markup by 2.);
 *  4. the frame is `<iframe sandbox="allow-same-origin">` without `allow-scripts`, `allow-forms`,
 *     `allow-popups` or `allow-top-navigation`, under the extension pages' own CSP.
 *
 * The input is parsed with DOMParser first (an inert document: nothing loads, nothing runs) to number the links in
 * the email's own document order, before the sanitiser touches anything.
 */

export interface SanitizeOptions {
  /** Show remote (https) images, except from tracking hosts. Off by default. */
  remoteImages: boolean;
  /** Hosts whose URLs are tracking (the redirect and pixel server); hosts of redirect-form links are added. */
  trackingHosts?: Iterable<string>;
}

export interface SanitizedEmail {
  /**
   * The frame's document without the email: its CSP and base styles, and an empty body. The frame is written with
   * this, then {@link SanitizedEmail.body} goes into its body.
   */
  shell: string;
  /**
   * The sanitised email: a wrapper `div` in the inert document it was parsed into. The frame takes a copy of it
   * (`importNode`), so the email is parsed once, not serialised and parsed again (and no serialise-and-reparse can
   * change what the sanitiser checked).
   */
  body: HTMLElement;
  /** The whole document as markup: the shell with the email in its body (tests read it; the frame does not). */
  readonly html: string;
  /** Every `<a href>`/`<area href>` of the email in document order (index = `data-tl-link`). */
  anchors: AnchorRef[];
  /** Remote images held back until the user allows them. */
  blockedImages: number;
  /** Open pixels and tracking-host images/styles removed for good. */
  removedTracking: number;
  /** Every host treated as tracking (for tests and the legend). */
  trackingHosts: string[];
}

const LINK_ATTR = 'data-tl-link';
const HELD_ATTR = 'data-tl-src';

const FORBID_TAGS = [
  'form', 'input', 'button', 'textarea', 'select', 'option', 'optgroup', 'datalist', 'output', 'fieldset', 'keygen',
  'meta', 'base', 'link', 'script', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'audio', 'video', 'source', 'track', 'picture', 'portal', 'template', 'slot', 'dialog',
];
const FORBID_ATTR = [
  'srcset', 'action', 'formaction', 'ping', 'poster', 'lowsrc', 'dynsrc', 'longdesc', 'usemap', 'target', 'download',
  'autofocus', 'xlink:href', 'http-equiv',
  // The preview takes no focus and no input (entrypoints/options/routes/delivery/hotclicks.tsx: the frame is no Tab
  // stop): an email's own tab stops, editable blocks and access keys would catch the keyboard in an inert page.
  'tabindex', 'accesskey', 'contenteditable',
];

/** A CSS `url(…)` token, quoted or not. */
const CSS_URL = /url\(\s*(['"]?)(.*?)\1\s*\)/gi;
const CSS_IMPORT = /@import[^;]*;?/gi;
/** image-set() takes bare strings as URLs, outside any url(): never kept. */
const CSS_IMAGE_SET = /(-webkit-)?image-set\([^)]*\)/gi;

/** A 1×1 (or 0×0) image is a beacon whatever its host. */
function looksLikePixel(img: Element): boolean {
  const w = img.getAttribute('width');
  const h = img.getAttribute('height');
  const style = (img.getAttribute('style') ?? '').replace(/\s+/g, '').toLowerCase();
  const tiny = (v: string | null) => v !== null && /^[01](px)?$/.test(v.trim());
  return (tiny(w) && tiny(h)) || (/(^|;)width:[01]px/.test(style) && /(^|;)height:[01]px/.test(style));
}

function isPixelPath(src: string): boolean {
  try {
    const u = new URL(src);
    return /\/o\/?$/.test(u.pathname) && u.searchParams.has('id');
  } catch {
    return false;
  }
}

const ACTIVE_TAGS = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'form', 'meta', 'base', 'link', 'svg', 'math']);

/**
 * Fails closed: a DOM implementation where the sanitiser silently does nothing (it happens: DOMPurify returns its
 * input untouched under some test DOMs) must not hand raw email HTML to a frame.
 */
export function assertInert(root: Element, remoteImages: boolean): void {
  for (const el of Array.from(root.querySelectorAll('*'))) {
    const tag = el.nodeName.toLowerCase();
    if (ACTIVE_TAGS.has(tag)) throw new Error(`email sanitiser left a <${tag}>`);
    for (const name of el.getAttributeNames()) {
      const n = name.toLowerCase();
      if (n.startsWith('on') || n === 'href' || n === 'action' || n === 'formaction' || n === 'srcset') {
        throw new Error(`email sanitiser left ${n} on <${tag}>`);
      }
      if (n === 'src' && !(remoteImages ? /^(data:image\/|https:)/i : /^data:image\//i).test(el.getAttribute(name) ?? '')) {
        throw new Error(`email sanitiser left a src on <${tag}>`);
      }
    }
  }
}

type ImageVerdict = 'keep' | 'hold' | 'drop';

export function sanitizeEmail(html: string, win: Window & typeof globalThis, options: SanitizeOptions): SanitizedEmail {
  const parsed = new win.DOMParser().parseFromString(html, 'text/html');

  // Our markers must be ours: an email that ships its own data-tl-* attributes loses them.
  for (const el of Array.from(parsed.querySelectorAll('*'))) {
    for (const name of el.getAttributeNames()) if (name.startsWith('data-tl-')) el.removeAttribute(name);
  }
  const anchors: AnchorRef[] = [];
  const tracking = new Set<string>();
  for (const h of options.trackingHosts ?? []) tracking.add(h.toLowerCase());
  for (const a of Array.from(parsed.querySelectorAll('a[href], area[href]'))) {
    const href = a.getAttribute('href') ?? '';
    const text = (a.textContent ?? '').replace(/\s+/g, ' ').trim() || (a.querySelector('img')?.getAttribute('alt') ?? '');
    a.setAttribute(LINK_ATTR, String(anchors.length));
    anchors.push({ index: anchors.length, href, text: text.slice(0, 200) });
    if (parseRedirect(href)) {
      const host = hostOf(href);
      if (host) tracking.add(host);
    }
  }
  for (const img of Array.from(parsed.querySelectorAll('img[src]'))) {
    const src = img.getAttribute('src') ?? '';
    if (isPixelPath(src)) {
      const host = hostOf(src);
      if (host) tracking.add(host);
    }
  }

  let blockedImages = 0;
  let removedTracking = 0;
  const verdict = (url: string, pixel: boolean): ImageVerdict => {
    const u = url.trim();
    if (/^data:image\//i.test(u)) return 'keep';
    const host = hostOf(u);
    if (!host) return 'drop'; // cid:, blob:, javascript:, relative paths (would resolve to the extension): nothing to show
    if (pixel || tracking.has(host) || isPixelPath(u) || parseRedirect(u)) return 'drop';
    if (!options.remoteImages || !u.toLowerCase().startsWith('https:')) return 'hold';
    return 'keep';
  };
  // CSS escapes could spell `url(` or `@import` past the patterns below (`\75 rl(`): email CSS has no need of them.
  const cleanCss = (css: string): string =>
    css
      .replace(/\\/g, '')
      .replace(CSS_IMPORT, '')
      .replace(CSS_IMAGE_SET, 'none')
      .replace(CSS_URL, (_m, _q: string, url: string) => {
      const v = verdict(url, false);
      if (v === 'keep') return `url("${url.replace(/["\\\n\r]/g, '')}")`;
      if (v === 'drop') removedTracking++;
      else blockedImages++;
      return 'none';
    });

  const purify = DOMPurify(win as unknown as Parameters<typeof DOMPurify>[0]);
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (!el.getAttribute) return;
    const tag = el.nodeName.toLowerCase();
    if (tag === 'a' || tag === 'area') {
      // Inert: no href, so nothing to follow; the index says which link it was.
      el.removeAttribute('href');
      el.removeAttribute('target');
    }
    if (tag === 'img') {
      const src = el.getAttribute('src');
      if (src !== null) {
        const v = verdict(src, looksLikePixel(el));
        if (v === 'drop') {
          removedTracking++;
          el.setAttribute('data-tl-removed', '');
          el.removeAttribute('src');
        } else if (v === 'hold') {
          blockedImages++;
          el.removeAttribute('src');
          el.setAttribute(HELD_ATTR, '');
        }
      }
    }
    const background = el.getAttribute('background');
    if (background !== null) {
      const v = verdict(background, false);
      if (v !== 'keep') {
        el.removeAttribute('background');
        if (v === 'drop') removedTracking++;
        else blockedImages++;
      }
    }
    const style = el.getAttribute('style');
    if (style !== null && /url\(|@import|image-set|\\/i.test(style)) el.setAttribute('style', cleanCss(style));
  });
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && node.textContent) node.textContent = cleanCss(node.textContent);
  });

  // The email's head brings only its styles; its body becomes a wrapper div (as web-mail clients do), keeping the
  // body's colours. Sanitised as one fragment: no whole-document mode (whose <html>/<head> handling differs between
  // DOM implementations).
  const wrapper = parsed.createElement('div');
  wrapper.className = 'tl-email-body';
  const body0 = parsed.body;
  const bodyStyle = body0.getAttribute('style') ?? '';
  const bgcolor = body0.getAttribute('bgcolor');
  const color = body0.getAttribute('text');
  wrapper.setAttribute(
    'style',
    [bgcolor ? `background-color:${bgcolor}` : '', color ? `color:${color}` : '', bodyStyle].filter(Boolean).join(';'),
  );
  if (body0.className) wrapper.className += ` ${body0.className}`;
  wrapper.append(...Array.from(body0.childNodes));
  // The head's styles go first inside the wrapper; the whole wrapper is sanitised where it is, in the inert
  // DOMParser document (no second parse and serialisation of the email).
  wrapper.prepend(...Array.from(parsed.head.querySelectorAll('style')));
  const root = purify.sanitize(wrapper, {
    IN_PLACE: true,
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    FORBID_ATTR,
    ADD_TAGS: ['style'],
    ALLOW_DATA_ATTR: true,
  }) as unknown as HTMLElement;
  // Dropped images go (they had nothing to show); held ones stay as empty boxes with their alt text and size.
  for (const el of Array.from(root.querySelectorAll('img[data-tl-removed]'))) el.remove();
  assertInert(root, options.remoteImages);
  return framed(root, options.remoteImages, { anchors, blockedImages, removedTracking, trackingHosts: [...tracking].sort() });
}

/** What the sanitiser says of an email besides the element itself (kept with it by lib/email/safe-email.ts). */
export type SanitizedFacts = Pick<SanitizedEmail, 'anchors' | 'blockedImages' | 'removedTracking' | 'trackingHosts'>;

/** The frame's document up to its body: the CSP for the policy, and the base styles. */
function frameHead(remoteImages: boolean): string {
  const imgSrc = remoteImages ? 'data: blob: https:' : 'data: blob:';
  const csp = `default-src 'none'; img-src ${imgSrc}; style-src 'unsafe-inline'; font-src data:; form-action 'none'`;
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="tl-frame" content="">' +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<style>html,body{margin:0;overflow:hidden!important}a[${LINK_ATTR}]{cursor:default}img[${HELD_ATTR}]{background:repeating-linear-gradient(45deg,#eee 0 6px,#f7f7f7 6px 12px);outline:1px dashed #bbb}</style>` +
    '</head><body>'
  );
}

/**
 * The frame's document without the email, for a policy: the frame can be made and written with it while the email is
 * still being read (entrypoints/options/routes/delivery/hotclicks.tsx). The same as {@link SanitizedEmail.shell}.
 */
export function frameShell(remoteImages: boolean): string {
  return `${frameHead(remoteImages)}</body></html>`;
}

/** A sanitised wrapper element with its frame's shell. */
function framed(root: HTMLElement, remoteImages: boolean, facts: SanitizedFacts): SanitizedEmail {
  const head = frameHead(remoteImages);
  return {
    shell: `${head}</body></html>`,
    body: root,
    get html() {
      return `${head}${root.outerHTML}</body></html>`;
    },
    ...facts,
  };
}

/**
 * A sanitised email again from the markup of its wrapper element (`body.outerHTML`), as lib/email/safe-email.ts keeps
 * it: parsed in an inert DOMParser document and checked by the same inertness check as a fresh sanitising, which
 * throws if anything active is in it (a stored copy is trusted no more than that).
 */
export function restoreSanitized(
  markup: string,
  win: Window & typeof globalThis,
  remoteImages: boolean,
  facts: SanitizedFacts,
): SanitizedEmail {
  const doc = new win.DOMParser().parseFromString(`<!DOCTYPE html><html><head></head><body>${markup}</body></html>`, 'text/html');
  const root = doc.body.firstElementChild;
  if (!root || doc.body.childElementCount !== 1 || !root.classList.contains('tl-email-body') || doc.head.childNodes.length) {
    throw new Error('a stored sanitised email is not one wrapper element');
  }
  assertInert(root, remoteImages);
  return framed(root as HTMLElement, remoteImages, facts);
}

/** Bumped by hand when the sanitiser's output changes for a reason its code below does not show (a helper's change). */
const SANITIZER_REVISION = 1;
let fingerprint: string | undefined;

/**
 * Names this sanitiser: its revision, DOMPurify's version, and the code and lists of its rules as built (some 10 KB).
 * A stored sanitised email made by another (lib/email/safe-email.ts) is sanitised again, so a change to the rules
 * reaches every email at its next view. Kept whole rather than hashed: comparing strings is native and quick, and
 * hashing them in script took milliseconds in a page's fresh script context.
 */
export function sanitizerFingerprint(): string {
  fingerprint ??= [SANITIZER_REVISION, DOMPurify.version]
    .concat([sanitizeEmail, assertInert, looksLikePixel, isPixelPath, hostOf, parseRedirect, frameHead, framed, restoreSanitized].map(String))
    .concat(FORBID_TAGS, FORBID_ATTR, [...ACTIVE_TAGS], String(CSS_URL), String(CSS_IMPORT), String(CSS_IMAGE_SET))
    .join('\n');
  return fingerprint;
}
