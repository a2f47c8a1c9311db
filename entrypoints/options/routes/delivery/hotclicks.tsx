import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Dialog } from '../../../../components/Dialog';
import { Spinner } from '../../../../components/Spinner';
import { useLiveQuery } from '../../../../components/use-live-query';
import { WhoSwitch } from '../../../../components/WhoSwitch';
import { removeDroppedHtml, storeDroppedHtml } from '../../../../lib/db/contents';
import { db } from '../../../../lib/db/instance';
import type { ContentRow, SafeEmailRow, UrlRow } from '../../../../lib/db/schema';
import { MAX_DROPPED_BYTES, readDroppedFile, type DroppedFileError } from '../../../../lib/email/dropped-file';
import { matchAnchors, type LinkMatch } from '../../../../lib/email/match-links';
import { emailForView, keepSafeEmail, readSafeEmail, type ViewEmail } from '../../../../lib/email/safe-email';
import { frameShell, type SanitizedEmail } from '../../../../lib/email/sanitize';
import { EventType } from '../../../../lib/event-types';
import { loadHumanAggregate, type Who } from '../../../../lib/indicators/human';
import type { MachineRules } from '../../../../lib/indicators/machine';
import {
  HEAT_STEPS,
  heatStep,
  hotClicks,
  linkStats,
  loadLinkStats,
  shareOf,
  type HotClickMerge,
  mergeHotClicks,
  type MergedHotClick,
  type LinkStat,
  type HotClickBasis,
  type HotClicks,
} from '../../../../lib/hotclicks/shares';
import { formatNumber, formatPercent, t, tn, type MessageKey } from '../../../../lib/i18n';
import { BADGE_HEIGHT, badgeWidth, placeBadges } from '../../../../lib/overlay/layout';
import type { DeliveryTabProps } from './tab';
import './urls.css';

/**
 * Hot clicks (../shared/reference/adobe-tracking.md §4): the email as sent, rendered safely, with each link's share of
 * the delivery's clicks on a badge. The HTML goes through lib/email/sanitize.ts (no scripts, inert links, no pixel or
 * tracked redirect ever requested, remote images held back) into `<iframe sandbox="allow-same-origin">` — same origin
 * only so this page can measure the links; no `allow-scripts`, so nothing in the email runs. Badges are drawn in a
 * layer above the frame, by Preact, as text.
 */

const WIDTHS = { desktop: 800, mobile: 375 } as const;
type Width = keyof typeof WIDTHS;

/** Marks for the benchmark (test/bench/hotclicks.ts): the tab's first render → badges drawn. */
export const MARK_START = 'hotclicks-start';
export const MARK_DRAWN = 'hotclicks-drawn';
/** Intermediate marks, for the benchmark's breakdown: link stats read, HTML sanitised, frame written. */
export const MARK_DATA = 'hotclicks-data';
export const MARK_SANITIZED = 'hotclicks-sanitized';
export const MARK_FRAME = 'hotclicks-frame-written';
export const MARK_MEASURED = 'hotclicks-measured';

interface HotData {
  content: ContentRow | undefined;
  urls: (UrlRow & { id: number })[];
}

export function HotClicksTab({ item, ctx, params, setParams }: DeliveryTabProps): JSX.Element {
  const id = item.delivery.id;
  // In the first render, before anything of the tab exists (the frame included).
  useMemo(() => {
    for (const m of [MARK_START, MARK_DATA, MARK_SANITIZED, MARK_FRAME, MARK_MEASURED, MARK_DRAWN]) performance.clearMarks(m);
    performance.mark(MARK_START);
  }, [id]);
  // Three reads: the email and its tracked URLs (live: a new copy from the source shows) and the email as last
  // sanitised (lib/email/safe-email.ts; not live, or keeping a copy would read everything again) start the
  // sanitising while the per-link stats are read; the badges wait for all.
  const data = useLiveQuery<HotData>(async () => {
    const [content, urls] = await Promise.all([db.contents.get(id), db.urls.where('deliveryId').equals(id).toArray()]);
    return { content, urls: urls.filter((u): u is UrlRow & { id: number } => u.id !== undefined) };
  }, [id]);
  const kept = useKeptEmail(id);
  const who: Who = params.who === 'human' ? 'human' : 'all';
  // Read once per change of the delivery's totals (the shell's live query follows them), from the light totals row;
  // humans only, from the delivery's events (lib/indicators/human.ts).
  const stats = useLinkStats(id, item.totals?.events, who, ctx.rules);
  const hot = useMemo(
    () => (data.status === 'ready' && stats.status === 'ready' ? hotClicks(data.value.urls, stats.value) : undefined),
    [data, stats],
  );
  const basis: HotClickBasis = params.basis === 'clickers' ? 'clickers' : 'clicks';
  const width: Width = params.width === 'mobile' ? 'mobile' : 'desktop';
  const merge: HotClickMerge = params.merge === 'url' || params.merge === 'label' ? params.merge : 'link';

  if (data.status === 'error' || stats.status === 'error') {
    return (
      <p class="notice notice--error" role="alert">
        {t('store_error')}
      </p>
    );
  }
  if (data.status === 'ready' && !data.value.content) return <DropZone deliveryId={id} />;
  // A delivery known to have its HTML gets the view (and its frame) while the reads run; one without waits to know.
  if (data.status === 'loading' && !item.delivery.hasHtml) return <Spinner />;
  const ready = data.status === 'ready' && kept !== 'loading' ? data.value : undefined;
  return (
    <HotClicksView
      key={`${id}`}
      deliveryId={id}
      content={ready?.content}
      kept={kept === 'loading' ? undefined : kept}
      urls={ready?.urls ?? NO_URLS}
      hot={hot}
      basis={basis}
      width={width}
      merge={merge}
      setMerge={(m) => setParams({ merge: m === 'link' ? '' : m })}
      setBasis={(b) => setParams({ basis: b === 'clicks' ? '' : b })}
      setWidth={(w) => setParams({ width: w === 'desktop' ? '' : w })}
      who={who}
      setWho={(w) => setParams({ who: w === 'all' ? '' : w })}
    />
  );
}

const NO_URLS: (UrlRow & { id: number })[] = [];

/** The delivery's email as last sanitised, read once per delivery (lib/email/safe-email.ts). */
function useKeptEmail(id: number): SafeEmailRow | undefined | 'loading' {
  const [state, setState] = useState<{ id: number; row: SafeEmailRow | undefined } | undefined>(undefined);
  useLayoutEffect(() => {
    let live = true;
    void readSafeEmail(db, id).then((row) => {
      if (live) setState({ id, row });
    });
    return () => {
      live = false;
    };
  }, [id]);
  return state?.id === id ? state.row : 'loading';
}

type StatsState = { status: 'loading' } | { status: 'ready'; value: Map<number, LinkStat> } | { status: 'error' };

function useLinkStats(id: number, version: number | undefined, who: Who, rules: MachineRules): StatsState {
  const [state, setState] = useState<StatsState>({ status: 'loading' });
  // Asked for before the first paint, not after it.
  useLayoutEffect(() => {
    let live = true;
    setState((s) => (s.status === 'loading' ? s : { status: 'loading' }));
    (who === 'human' ? loadHumanAggregate(db, id, rules).then((h) => linkStats(h.row)) : loadLinkStats(db, id)).then(
      (value) => {
        performance.mark(MARK_DATA);
        if (live) setState({ status: 'ready', value });
      },
      (error: unknown) => {
        console.error('Tracking Logs: the link counts of the delivery could not be read', error);
        if (live) setState({ status: 'error' });
      },
    );
    return () => {
      live = false;
    };
  }, [id, version, who, rules]);
  return state;
}

interface Badge {
  anchor: number;
  link: MergedHotClick;
  left: number;
  top: number;
  width: number;
  height: number;
  /** Where the badge itself goes (lib/overlay/layout.ts placeBadges): above the link, clear of the other badges. */
  x: number;
  y: number;
}

/** Every badge is placed as if it read "100.0%", the widest it can: the places then do not depend on the basis. */
const BADGE_SIZE = { width: badgeWidth('100.0%'), height: BADGE_HEIGHT };

/** An anchor's box; a link around a block image has an empty inline box, so its first child's box is used then. */
function boxOf(a: Element): DOMRect {
  const r = a.getBoundingClientRect();
  if (r.width * r.height > 0) return r;
  for (const child of Array.from(a.children)) {
    const c = child.getBoundingClientRect();
    if (c.width * c.height > 0) return c;
  }
  return r;
}

export function HotClicksView({
  deliveryId,
  content,
  kept,
  urls,
  hot,
  basis,
  width,
  merge,
  setMerge,
  setBasis,
  setWidth,
  who,
  setWho,
}: {
  deliveryId: number;
  /** Undefined while the email is still being read: the frame is made and waits for it. */
  content: ContentRow | undefined;
  /** The email as last sanitised (lib/email/safe-email.ts), if kept. */
  kept?: SafeEmailRow | undefined;
  urls: (UrlRow & { id: number })[];
  /** Undefined while the link stats are still being read: the email shows, the badges follow. */
  hot: HotClicks | undefined;
  basis: HotClickBasis;
  width: Width;
  merge: HotClickMerge;
  setMerge: (m: HotClickMerge) => void;
  setBasis: (b: HotClickBasis) => void;
  setWidth: (w: Width) => void;
  who: Who;
  setWho: (w: Who) => void;
}): JSX.Element {
  const [remoteImages, setRemoteImages] = useState(false);
  const html = content?.html;
  const prepared = useMemo((): { email?: ViewEmail; error?: string } => {
    if (html === undefined) return {};
    try {
      const email = emailForView(deliveryId, html, kept, window, remoteImages);
      performance.mark(MARK_SANITIZED);
      return { email };
    } catch (e) {
      console.error('Tracking Logs: the email could not be made safe to show', e);
      return { error: t('hot_sanitize_error') };
    }
    // `kept` is read once per delivery, before the first sanitising: not a reason to sanitise again.
  }, [deliveryId, html, remoteImages]);
  const { error } = prepared;
  const sanitized = prepared.email?.sanitized;
  // Sanitised now: kept for the next view (after the frame is drawn; a failure only costs the next view the time).
  useEffect(() => {
    const row = prepared.email?.keep;
    if (row) keepSafeEmail(db, row).catch((e: unknown) => console.warn('Tracking Logs: the sanitised email could not be kept', e));
  }, [prepared]);
  const match: LinkMatch | undefined = useMemo(
    () => (sanitized ? matchAnchors(sanitized.anchors, urls) : undefined),
    [sanitized, urls],
  );
  const merged = useMemo(() => (hot ? mergeHotClicks(hot, merge) : []), [hot, merge]);
  const byUrl = useMemo(() => new Map(merged.map((l) => [l.url.id, l])), [merged]);
  const maxShare = useMemo(
    () => merged.reduce((m, l) => (l.drawn ? Math.max(m, shareOf(l, basis) ?? 0) : m), 0),
    [merged, basis],
  );

  const frame = useRef<HTMLIFrameElement>(null);
  // The frame is made in a task of its own just after the view mounts: its creation (~10 ms of the main thread) then
  // overlaps the reads the tab has just asked for, instead of delaying them.
  const [frameWanted, setFrameWanted] = useState(false);
  useLayoutEffect(() => {
    const timer = setTimeout(() => setFrameWanted(true));
    return () => clearTimeout(timer);
  }, []);
  /** The email now in the frame (none while the frame holds only its shell: nothing to measure then). */
  const shown = useRef<SanitizedEmail | undefined>(undefined);
  const [badges, setBadges] = useState<Badge[] | undefined>(undefined);
  const [height, setHeight] = useState(600);
  const [hover, setHover] = useState<number | undefined>(undefined);

  // Bumped when the frame's document is ready, finishes loading, or changes size: the badges are measured again.
  const [layoutTick, setLayoutTick] = useState(0);

  // Measured in a layout effect: the badges are placed before the browser paints, not a frame later.
  useLayoutEffect(() => {
    const doc = frame.current?.contentDocument;
    if (!layoutTick || !doc?.body || !shown.current || !match || !hot) return;
    // The body's own height (the document's would never drop below the frame's current height, so the frame could
    // only grow when switching between desktop and mobile widths).
    setHeight(Math.max(100, Math.ceil(doc.body.scrollHeight)));
    const out: Badge[] = [];
    for (const a of Array.from(doc.querySelectorAll('[data-tl-link]'))) {
      const index = Number(a.getAttribute('data-tl-link'));
      const urlId = match.urlIdOf[index];
      const link = urlId === undefined ? undefined : byUrl.get(urlId);
      if (!link?.drawn) continue;
      const r = boxOf(a);
      if (r.width * r.height === 0) continue; // hidden (a preheader, a mobile-only block at desktop width)
      out.push({ anchor: index, link, left: r.left, top: r.top, width: r.width, height: r.height, x: 0, y: 0 });
    }
    // The same placement as the overlay on a web page: links side by side (a menu, social icons) get badges side by
    // side instead of one covering the next, and no badge covers its own link's text.
    const view = { width: doc.documentElement.clientWidth, height: Math.max(100, Math.ceil(doc.body.scrollHeight)) };
    placeBadges(out, out.map(() => BADGE_SIZE), view).forEach((box, i) => {
      out[i]!.x = box.x;
      out[i]!.y = box.y;
    });
    performance.mark(MARK_MEASURED);
    setBadges(out);
  }, [layoutTick, match, byUrl, hot]);

  // The frame: created with its sandbox (no scripts) when the view mounts, while the email is still being read; its
  // initial about:blank is written by this page (same origin thanks to allow-same-origin) with the shell: the CSP
  // meta, which the frame adds to the policy it inherits from this page, and the base styles. A new frame is made
  // when the policy changes (remote images allowed: the frame's key), since a CSP cannot be taken back from a
  // document.
  useLayoutEffect(() => {
    const el = frame.current;
    const doc = el?.contentDocument;
    // Refuse rather than write into a frame that is not the sandboxed one (should never happen).
    if (!el || !doc || el.getAttribute('sandbox') !== 'allow-same-origin') return undefined;
    doc.open();
    doc.write(frameShell(remoteImages));
    doc.close();
    shown.current = undefined;
    // Many images finishing at once make one re-measure per frame, not one each; nothing to measure before the
    // email is in.
    let raf = 0;
    const bump = (): void => {
      if (raf || !shown.current) return;
      raf = requestAnimationFrame(() => {
        raf = 0;
        setLayoutTick((n) => n + 1);
      });
    };
    // Links are already inert; this also stops any default action (an <area>, a label) in the frame.
    const stop = (e: Event): void => e.preventDefault();
    doc.addEventListener('click', stop, true);
    doc.addEventListener('submit', stop, true);
    // Images decode after the email goes in: their boxes come from width/height, but re-measure when one loads or
    // the content changes size.
    doc.addEventListener('load', bump, true);
    const observer = typeof ResizeObserver === 'function' && doc.body ? new ResizeObserver(bump) : undefined;
    if (observer && doc.body) observer.observe(doc.body);
    return () => {
      cancelAnimationFrame(raf);
      observer?.disconnect();
      doc.removeEventListener('click', stop, true);
      doc.removeEventListener('submit', stop, true);
      doc.removeEventListener('load', bump, true);
    };
  }, [remoteImages, error === undefined, frameWanted]);

  // The email: a copy of the sanitised element goes into the frame's body, under the CSP already in force (images
  // load under it); no second parse of the email, and the document is measured at once.
  useLayoutEffect(() => {
    const doc = frame.current?.contentDocument;
    if (!sanitized || !doc?.body || doc.querySelector('meta[name="tl-frame"]') === null) return;
    setBadges(undefined);
    doc.body.replaceChildren(doc.importNode(sanitized.body, true));
    shown.current = sanitized;
    performance.mark(MARK_FRAME);
    // The first measure right away: the document is parsed and its boxes are known.
    setLayoutTick((n) => n + 1);
  }, [sanitized, frameWanted]);

  useEffect(() => {
    if (badges && performance.getEntriesByName(MARK_DRAWN).length === 0) performance.mark(MARK_DRAWN);
  }, [badges]);

  const hidden = (hot?.links ?? []).filter((l) => !l.drawn);
  const optOutClicks = hidden.filter((l) => l.url.type === EventType.optOut).reduce((s, l) => s + l.clicks, 0);
  const mirrorClicks = hidden.filter((l) => l.url.type === EventType.mirror).reduce((s, l) => s + l.clicks, 0);
  const drawnIds = new Set(match?.urlIdOf.filter((x): x is number => x !== undefined));
  const missing = hot ? hot.links.filter((l) => l.drawn && !drawnIds.has(l.url.id)) : [];
  const px = WIDTHS[width];

  return (
    <div class="hot-tab">
      <div class="hot-controls">
        <WhoSwitch name="hot-who" value={who} onChange={setWho} />
        <fieldset class="segmented">
          <legend>{t('hot_basis')}</legend>
          {(['clicks', 'clickers'] as const).map((b) => (
            <label key={b} class={basis === b ? 'segmented__on' : undefined}>
              <input type="radio" name="hot-basis" checked={basis === b} onChange={() => setBasis(b)} />
              {t(b === 'clicks' ? 'hot_basis_clicks' : 'hot_basis_clickers')}
            </label>
          ))}
        </fieldset>
        <fieldset class="segmented">
          <legend>{t('hot_merge')}</legend>
          {(['link', 'url', 'label'] as const).map((m) => (
            <label key={m} class={merge === m ? 'segmented__on' : undefined}>
              <input type="radio" name="hot-merge" value={m} checked={merge === m} onChange={() => setMerge(m)} />
              {t(m === 'link' ? 'hot_merge_link' : m === 'url' ? 'hot_merge_url' : 'hot_merge_label')}
            </label>
          ))}
        </fieldset>
        <fieldset class="segmented">
          <legend>{t('hot_width')}</legend>
          {(['desktop', 'mobile'] as const).map((w) => (
            <label key={w} class={width === w ? 'segmented__on' : undefined}>
              <input type="radio" name="hot-width" checked={width === w} onChange={() => setWidth(w)} />
              {t(w === 'desktop' ? 'hot_width_desktop' : 'hot_width_mobile')}
            </label>
          ))}
        </fieldset>
        {sanitized && (sanitized.blockedImages > 0 || remoteImages) && (
          <button
            type="button"
            class="button button--small"
            aria-pressed={remoteImages}
            onClick={() => setRemoteImages(!remoteImages)}
          >
            {remoteImages ? t('hot_block_remote_images') : t('hot_load_remote_images')}
          </button>
        )}
      </div>
      {error !== undefined && (
        <p class="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <div class="hot-layout">
        <div>
          {error === undefined && (
            <div class="hot-stage" style={{ width: `${px}px`, maxWidth: '100%' }} onMouseLeave={() => setHover(undefined)}>
              {!sanitized && (
                <div class="hot-stage__loading">
                  <Spinner />
                </div>
              )}
              {frameWanted && (
                // No Tab stop: nothing in it can take the focus (its links are inert), so the keyboard would land on
                // nothing visible; it goes from the controls to the badges, each outlining its link. Screen readers
                // still read the email.
                <iframe
                  key={remoteImages ? 'remote-images' : 'no-remote-images'}
                  ref={frame}
                  tabIndex={-1}
                  sandbox="allow-same-origin"
                  title={t('hot_frame_title')}
                  referrerpolicy="no-referrer"
                  style={{ height: `${height}px` }}
                />
              )}
              <div class="hot-layer" aria-label={t('hot_badges_label')} role="list">
                {hover !== undefined &&
                  badges
                    ?.filter((b) => b.anchor === hover)
                    .map((b) => (
                      <div
                        key={`o${b.anchor}`}
                        aria-hidden="true"
                        class="hot-outline"
                        style={{ left: `${b.left - 2}px`, top: `${b.top - 2}px`, width: `${b.width + 4}px`, height: `${b.height + 4}px` }}
                      />
                    ))}
                {badges?.map((b) => {
                  const share = shareOf(b.link, basis);
                  const pct = share === undefined ? '–' : formatPercent(share, true); // one decimal on every badge, so they compare at a glance
                  const name = b.link.url.label || b.link.url.url;
                  const detail =
                    t('hot_badge_detail', [name, pct, formatNumber(b.link.clicks), formatNumber(b.link.clickers)]) +
                    (b.link.merged > 1 ? ` (${tn('hot_badge_merged', b.link.merged)})` : '');
                  return (
                    <span
                      key={b.anchor}
                      role="listitem"
                      tabIndex={0}
                      class={`hot-badge heat-${heatStep(share, maxShare)}`}
                      style={{ left: `${b.x}px`, top: `${b.y}px` }}
                      title={detail}
                      aria-label={detail}
                      data-url-id={b.link.url.id}
                      data-anchor={b.anchor}
                      onMouseEnter={() => setHover(b.anchor)}
                      onFocus={() => setHover(b.anchor)}
                      onBlur={() => setHover(undefined)}
                    >
                      {pct}
                    </span>
                  );
                })}
              </div>
            </div>
          )}
        </div>
        <aside class="hot-side" aria-labelledby="hot-legend-title">
          <h2 id="hot-legend-title">{t('hot_legend')}</h2>
          <dl class="facts">
            <div>
              <dt>{t('hot_total_clicks')}</dt>
              <dd data-total="clicks">{hot ? formatNumber(hot.totalClicks) : '…'}</dd>
            </div>
            <div>
              <dt>{t('hot_total_clickers')}</dt>
              <dd data-total="clickers">{hot ? formatNumber(hot.totalClickers) : '…'}</dd>
            </div>
          </dl>
          <p class="muted">{t(basis === 'clicks' ? 'hot_basis_clicks_explain' : 'hot_basis_clickers_explain')}</p>
          <div class="hot-legend__scale" aria-hidden="true">
            {Array.from({ length: HEAT_STEPS }, (_, i) => (
              <span key={i} class={`heat-${i}`}>
                {i === 0 ? '0' : i === HEAT_STEPS - 1 ? t('hot_scale_most') : ''}
              </span>
            ))}
          </div>
          <p class="muted">{t('hot_scale_explain')}</p>
          <p class="muted">
            {t('hot_not_drawn_note', [formatNumber(optOutClicks), formatNumber(mirrorClicks)])}
          </p>
          {sanitized && (
            <p class="muted">
              {tn('hot_tracking_removed', sanitized.removedTracking)}{' '}
              {!remoteImages && sanitized.blockedImages > 0 && tn('hot_images_blocked', sanitized.blockedImages)}
            </p>
          )}
          {match && match.unmatchedAnchors.length > 0 && (
            <>
              <h3>{tn('hot_unmatched_title', match.unmatchedAnchors.length)}</h3>
              <p class="muted">{t('hot_unmatched_explain')}</p>
              <ul class="hot-unmatched">
                {match.unmatchedAnchors.slice(0, 50).map((a) => (
                  <li key={a.index}>
                    {a.text || t('hot_no_text')} — <code>{a.href.slice(0, 300)}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
          {missing.length > 0 && (
            <>
              <h3>{tn('hot_missing_title', missing.length)}</h3>
              <ul>
                {missing.slice(0, 50).map((l) => (
                  <li key={l.url.id}>
                    {l.url.label || l.url.url} — {formatPercent(shareOf(byUrl.get(l.url.id) ?? l, basis) ?? 0, true)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {content?.dropped && <RemoveDropped deliveryId={deliveryId} />}
        </aside>
      </div>
    </div>
  );
}

function RemoveDropped({ deliveryId }: { deliveryId: number }): JSX.Element {
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <>
      <h3>{t('hot_dropped_title')}</h3>
      <p class="muted">{t('hot_dropped_note')}</p>
      <button type="button" class="button button--danger-quiet button--small" onClick={() => setOpen(true)}>
        {t('hot_remove_dropped')}
      </button>
      {failed && <p class="text-error">{t('store_error')}</p>}
      <Dialog
        open={open}
        title={t('hot_remove_dropped_confirm_title')}
        onClose={() => setOpen(false)}
        actions={
          <>
            <button type="button" class="button" onClick={() => setOpen(false)}>
              {t('hot_cancel')}
            </button>
            <button
              type="button"
              class="button button--danger"
              onClick={() => {
                setOpen(false);
                removeDroppedHtml(db, deliveryId).catch(() => setFailed(true));
              }}
            >
              {t('hot_remove_dropped')}
            </button>
          </>
        }
      >
        <p>{t('hot_remove_dropped_confirm_body')}</p>
      </Dialog>
    </>
  );
}

const DROP_ERRORS: Record<DroppedFileError, MessageKey> = {
  'too-large': 'hot_drop_too_large',
  unsupported: 'hot_drop_unsupported',
  'no-html': 'hot_drop_no_html',
  unreadable: 'hot_drop_unreadable',
};

/** No HTML for this delivery: the user can drop (or choose) the .html or .eml file of it. */
export function DropZone({ deliveryId }: { deliveryId: number }): JSX.Element {
  const [over, setOver] = useState(false);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [pending, setPending] = useState<{ name: string; size: number; html: string } | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);

  const take = async (file: File | undefined): Promise<void> => {
    setMessage(undefined);
    if (!file) return;
    const res = await readDroppedFile(file);
    if (!res.ok) {
      setMessage(t(DROP_ERRORS[res.error], formatNumber(Math.round(MAX_DROPPED_BYTES / 1024 / 1024))));
      return;
    }
    setPending({ name: file.name, size: file.size, html: res.html });
  };

  return (
    <section class="hot-drop" aria-labelledby="hot-drop-title">
      <h2 id="hot-drop-title">{t('hot_no_html_title')}</h2>
      <p>{t('hot_no_html_body')}</p>
      <div
        class={over ? 'drop-zone drop-zone--over' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void take(e.dataTransfer?.files[0]);
        }}
      >
        <p>{t('hot_drop_here')}</p>
        <input
          ref={input}
          type="file"
          accept=".html,.htm,.eml,text/html,message/rfc822"
          class="visually-hidden"
          id="hot-drop-input"
          onChange={(e) => {
            const el = e.target as HTMLInputElement;
            void take(el.files?.[0]).finally(() => {
              el.value = '';
            });
          }}
        />
        <button type="button" class="button" onClick={() => input.current?.click()}>
          {t('hot_choose_file')}
        </button>
        <p class="muted">{t('hot_drop_limit', formatNumber(Math.round(MAX_DROPPED_BYTES / 1024 / 1024)))}</p>
      </div>
      {message !== undefined && (
        <p class="notice notice--error" role="alert">
          {message}
        </p>
      )}
      <Dialog
        open={pending !== undefined}
        title={t('hot_drop_confirm_title')}
        onClose={() => setPending(undefined)}
        actions={
          <>
            <button type="button" class="button" onClick={() => setPending(undefined)}>
              {t('hot_cancel')}
            </button>
            <button
              type="button"
              class="button button--primary"
              onClick={() => {
                const p = pending;
                setPending(undefined);
                if (p) storeDroppedHtml(db, deliveryId, p.html).catch(() => setMessage(t('store_error')));
              }}
            >
              {t('hot_drop_confirm')}
            </button>
          </>
        }
      >
        <p>
          {pending &&
            t('hot_drop_confirm_body', [pending.name, formatNumber(Math.max(1, Math.round(pending.size / 1024)))])}
        </p>
      </Dialog>
    </section>
  );
}
