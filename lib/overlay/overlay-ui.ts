import type { HotClickBasis } from '../hotclicks/shares';
import type { Who } from '../indicators/human';
import { formatNumber, formatPercent, t, tn } from '../i18n';
import { BADGE_HEIGHT, badgeWidth, placeBadges, unionRect, type Rect } from './layout';
import type { Badge, Legend, OverlayDraw } from './protocol';

/**
 * The overlay in one document: a custom element holding a closed shadow root, with one fixed layer of badges above
 * the page and (top frame) the legend. Nothing is written into the page's own DOM but that empty host element, so
 * page scripts see no number; the closed root keeps them out of the badges; `:host` rules with !important keep the
 * page's CSS out of the host (shadow !important beats page rules), and `all: initial` inside resets inheritance.
 * Positions come from getBoundingClientRect, redone once per animation frame after scroll, resize and DOM changes.
 */

export const HOST_TAG = 'tracking-logs-hot-clicks';

export interface OverlayCallbacks {
  onSelect(deliveryId: number): void;
  onBasis(basis: HotClickBasis): void;
  onWho(who: Who): void;
  onOff(): void;
}

export interface OverlayUi {
  draw(data: OverlayDraw): void;
  destroy(): void;
  /** Resolves after the next positioning pass (the bench waits on it). */
  drawn(): Promise<void>;
}

/**
 * The page's links in document order, as reported to the background. Links within the page (`#top`, an empty
 * href) are left out: they resolve to the page's own address, which is never a tracked link.
 */
export function collectLinks(doc: Document): (HTMLAnchorElement | HTMLAreaElement)[] {
  return [...doc.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>('a[href], area[href]')].filter((a) => {
    const raw = a.getAttribute('href')?.trim() ?? '';
    return raw !== '' && !raw.startsWith('#');
  });
}

/**
 * Where a link shows: its box together with the images and blocks it holds. An inline `<a>` around an image (a
 * block image, or one with `align`) reports only a line box at the image's foot, so the image counts too.
 */
export function linkRect(el: Element): Rect | undefined {
  const own = el.getBoundingClientRect();
  const inner = el.firstElementChild ? [...el.querySelectorAll('img, table, div')].map((x) => x.getBoundingClientRect()) : [];
  return unionRect([own, ...inner]) ?? (own.width > 0 || own.height > 0 ? own : undefined);
}

const HEAT = ['#7a8590', '#2f6db5', '#2b8a8a', '#c98a00', '#d9631e', '#c4162a'];

const STYLE = `
:host { all: initial !important; position: fixed !important; top: 0 !important; left: 0 !important; width: 0 !important;
  height: 0 !important; overflow: visible !important; z-index: 2147483647 !important; display: block !important;
  pointer-events: none !important; contain: style !important; }
.root { all: initial; font: 11px/1 system-ui, -apple-system, "Segoe UI", sans-serif; color-scheme: light dark; }
.badge { all: initial; position: fixed; top: 0; left: 0; box-sizing: border-box; height: ${BADGE_HEIGHT}px; padding: 0 5px;
  border-radius: 9px; font: 600 11px/${BADGE_HEIGHT}px system-ui, -apple-system, "Segoe UI", sans-serif; color: #fff;
  white-space: nowrap; pointer-events: auto; cursor: default; box-shadow: 0 0 0 1px rgba(255,255,255,.85), 0 1px 3px rgba(0,0,0,.35);
  will-change: transform; }
.badge[hidden] { display: none; }
.legend { all: initial; position: fixed; right: 12px; bottom: 12px; box-sizing: border-box; width: 320px; max-height: 70vh;
  overflow: auto; padding: 12px 14px; border-radius: 10px; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  background: #fff; color: #1d2327; border: 1px solid #c3c9ce; box-shadow: 0 6px 24px rgba(0,0,0,.25); pointer-events: auto; }
.legend * { font: inherit; color: inherit; box-sizing: border-box; }
.legend h2 { margin: 0; font-weight: 700; font-size: 14px; }
.head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.actions { display: flex; gap: 6px; }
.body { margin-top: 8px; }
.body[hidden] { display: none; }
.legend p { margin: 6px 0; }
.legend select, .legend button { padding: 4px 8px; border-radius: 6px; border: 1px solid #8c959c; background: #f6f7f8; cursor: pointer; }
.legend select { width: 100%; }
.legend label { display: block; margin: 4px 0; }
.legend fieldset { border: 0; padding: 0; margin: 8px 0; display: flex; gap: 12px; }
.legend legend { padding: 0; font-weight: 600; margin-bottom: 2px; }
.legend :focus-visible { outline: 2px solid #2f6db5; outline-offset: 2px; }
.muted { color: #5b646b !important; }
.warn { color: #9a4a00 !important; }
.legend ul { margin: 4px 0 0; padding-left: 18px; }
.legend li { word-break: break-all; margin: 2px 0; }
.legend details summary { cursor: pointer; }
@media (prefers-color-scheme: dark) {
  .legend { background: #1f2428; color: #e8eaed; border-color: #4a5258; }
  .legend select, .legend button { background: #2b3136; border-color: #6b747b; }
  .muted { color: #a9b1b7 !important; }
  .warn { color: #f0a35e !important; }
}
`;

/** A group of radio buttons (`name-value` is each one's focus key, kept across redraws). */
function radios<V extends string>(
  doc: Document,
  name: string,
  legendText: string,
  options: readonly (readonly [V, string])[],
  checked: V,
  onChange: (value: V) => void,
): HTMLFieldSetElement {
  const group = el(doc, 'fieldset');
  group.append(el(doc, 'legend', undefined, legendText));
  for (const [value, text] of options) {
    const label = el(doc, 'label');
    const radio = el(doc, 'input');
    radio.type = 'radio';
    radio.name = name;
    radio.value = value;
    radio.checked = checked === value;
    radio.dataset.focus = `${name}-${value}`;
    radio.addEventListener('change', () => radio.checked && onChange(value));
    label.append(radio, ` ${text}`);
    group.append(label);
  }
  return group;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Badge text: the share on the chosen basis and its count ("12.3 % · 456"). */
export function badgeText(b: Badge, basis: HotClickBasis): string {
  const share = b.share === null ? '–' : formatPercent(b.share, true); // as the tracking view's badges
  return `${share} · ${formatNumber(basis === 'clicks' ? b.clicks : b.clickers)}`;
}

function reasonText(reason: Legend['unmatched'][number]['reason']): string {
  if (reason === 'other-delivery') return t('overlay_reason_other_delivery');
  if (reason === 'opaque-redirect') return t('overlay_reason_opaque');
  return t('overlay_reason_no_match');
}

export function createOverlayUi(
  doc: Document,
  links: readonly Element[],
  callbacks: OverlayCallbacks,
  win: Window & typeof globalThis = doc.defaultView as Window & typeof globalThis,
): OverlayUi {
  const host = doc.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = el(doc, 'style');
  style.textContent = STYLE;
  const root = el(doc, 'div', 'root');
  const layer = el(doc, 'div');
  root.append(layer);
  shadow.append(style, root);
  doc.documentElement.append(host);

  let badges: { badge: Badge; node: HTMLElement; width: number }[] = [];
  let frame = 0;
  let waiters: (() => void)[] = [];
  let destroyed = false;

  const position = (): void => {
    frame = 0;
    const rects = badges.map((b) => linkRect(links[b.badge.i] ?? host));
    const boxes = placeBadges(
      rects,
      badges.map((b) => ({ width: b.width, height: BADGE_HEIGHT })),
      { width: doc.documentElement.clientWidth || win.innerWidth, height: doc.documentElement.clientHeight || win.innerHeight },
    );
    for (let i = 0; i < badges.length; i++) {
      const box = boxes[i]!;
      const node = badges[i]!.node;
      node.hidden = !box.visible;
      if (box.visible) node.style.transform = `translate(${Math.round(box.x)}px, ${Math.round(box.y)}px)`;
    }
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const schedule = (): void => {
    if (!frame && !destroyed) frame = win.requestAnimationFrame(position);
  };

  const onScroll = (): void => schedule();
  win.addEventListener('scroll', onScroll, { capture: true, passive: true });
  win.addEventListener('resize', onScroll, { passive: true });
  const resize = typeof win.ResizeObserver === 'function' ? new win.ResizeObserver(schedule) : undefined;
  resize?.observe(doc.documentElement);
  if (doc.body) resize?.observe(doc.body);
  const mutations = new win.MutationObserver(schedule);
  // The host sits outside <body> and its content in a shadow root, so our own writes never trigger this.
  if (doc.body) mutations.observe(doc.body, { subtree: true, childList: true, attributes: true, characterData: true });

  let legendNode: HTMLElement | undefined;
  let lastFocus: string | undefined;
  let collapsed = false;

  const drawLegend = (legend: Legend): void => {
    const box = el(doc, 'section', 'legend');
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', t('overlay_legend_title'));
    const head = el(doc, 'div', 'head');
    head.append(el(doc, 'h2', undefined, t('overlay_legend_title')));
    const actions = el(doc, 'div', 'actions');
    // Folds the legend to its title bar, for when it covers the part of the email being looked at.
    const fold = el(doc, 'button', undefined, t(collapsed ? 'overlay_expand' : 'overlay_collapse'));
    fold.type = 'button';
    fold.dataset.focus = 'fold';
    fold.setAttribute('aria-expanded', String(!collapsed));
    const off = el(doc, 'button', 'off', t('overlay_off'));
    off.type = 'button';
    off.dataset.focus = 'off';
    off.addEventListener('click', () => callbacks.onOff());
    actions.append(fold, off);
    head.append(actions);
    box.append(head);
    const body = el(doc, 'div', 'body');
    body.hidden = collapsed;
    fold.addEventListener('click', () => {
      collapsed = !collapsed;
      body.hidden = collapsed;
      fold.textContent = t(collapsed ? 'overlay_expand' : 'overlay_collapse');
      fold.setAttribute('aria-expanded', String(!collapsed));
    });

    if (legend.state === 'no-match') {
      body.append(el(doc, 'p', undefined, t('overlay_no_match')));
    } else {
      const pickLabel = el(doc, 'label', undefined, t('overlay_delivery'));
      const select = el(doc, 'select');
      select.dataset.focus = 'select';
      for (const c of legend.candidates) {
        const option = el(doc, 'option', undefined, t('overlay_candidate', [c.label || t('delivery_untitled'), formatNumber(c.matched), formatNumber(c.total)]));
        option.value = String(c.deliveryId);
        option.selected = c.deliveryId === legend.deliveryId;
        select.append(option);
      }
      select.addEventListener('change', () => callbacks.onSelect(Number(select.value)));
      pickLabel.append(select);
      body.append(pickLabel);
      body.append(el(doc, 'p', undefined, t('overlay_matched', [formatNumber(legend.matched), formatNumber(legend.total)])));

      body.append(
        radios(doc, 'basis', t('overlay_basis'), [['clicks', t('overlay_basis_clicks')], ['clickers', t('overlay_basis_clickers')]], legend.basis, callbacks.onBasis),
        radios(doc, 'who', t('stats_toggle_who'), [['all', t('stats_who_all')], ['human', t('stats_who_human')]], legend.who, callbacks.onWho),
      );
      body.append(el(doc, 'p', undefined, t('overlay_totals', [formatNumber(legend.totalClicks), formatNumber(legend.totalClickers)])));
      if (legend.missing > 0) body.append(el(doc, 'p', 'muted', tn('overlay_missing', legend.missing)));
      if (legend.unmatched.length > 0) {
        const details = el(doc, 'details');
        details.append(el(doc, 'summary', undefined, tn('overlay_unmatched', legend.unmatched.length)));
        const list = el(doc, 'ul');
        for (const u of legend.unmatched) {
          const li = el(doc, 'li');
          li.append(el(doc, 'span', undefined, u.href), el(doc, 'span', 'muted', ` (${reasonText(u.reason)})`));
          list.append(li);
        }
        details.append(list);
        body.append(details);
      }
    }
    if (legend.framesUnreached > 0) body.append(el(doc, 'p', 'warn', tn('overlay_frames_unreached', legend.framesUnreached)));

    box.append(body);

    // Keep keyboard focus across a redraw (choosing a delivery or a basis redraws the legend).
    const active = shadow.activeElement as HTMLElement | null;
    lastFocus = active?.dataset.focus ?? lastFocus;
    const hadFocus = active !== null;
    legendNode?.remove();
    legendNode = box;
    root.append(box);
    if (hadFocus && lastFocus) box.querySelector<HTMLElement>(`[data-focus="${lastFocus}"]`)?.focus();
  };

  return {
    draw(data) {
      if (destroyed) return;
      const basis = data.legend?.basis ?? 'clicks';
      layer.replaceChildren();
      badges = data.badges.map((b) => {
        const node = el(doc, 'span', 'badge', badgeText(b, basis));
        node.style.background = HEAT[b.heat] ?? HEAT[0]!;
        node.hidden = true;
        const counts = t('overlay_badge_title', [formatNumber(b.clicks), formatNumber(b.clickers)]);
        node.title = b.label ? `${b.label}\n${counts}` : counts;
        layer.append(node);
        return { badge: b, node, width: badgeWidth(node.textContent ?? '') };
      });
      if (data.legend) drawLegend(data.legend);
      schedule();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (frame) win.cancelAnimationFrame(frame);
      win.removeEventListener('scroll', onScroll, { capture: true });
      win.removeEventListener('resize', onScroll);
      resize?.disconnect();
      mutations.disconnect();
      host.remove();
      badges = [];
      for (const f of waiters) f();
      waiters = [];
    },
    drawn() {
      return new Promise((resolve) => {
        if (destroyed || !frame) resolve();
        else waiters.push(resolve);
      });
    },
  };
}
