import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { onMessage, sendMessage } from '../../lib/messaging';
import { isFromBackground } from '../../lib/messaging-guard';
import { collectLinks, createOverlayUi } from '../../lib/overlay/overlay-ui';
import { MAX_HREF, MAX_OVERLAY_LINKS, overlayDrawSchema, type FrameReport } from '../../lib/overlay/protocol';

/**
 * The hot-click overlay, injected on demand (registration 'runtime': no manifest entry, no host permission) by the
 * background with scripting.executeScript into every frame it may reach. It answers with the frame's links, then
 * draws what the background sends. Data only arrives through the extension's messaging, checked against its schema
 * and sender; nothing is put on the page's window or in its DOM but the empty shadow host (lib/overlay/overlay-ui.ts).
 */
export default defineContentScript({
  registration: 'runtime',
  main(ctx): FrameReport {
    const links = collectLinks(document).slice(0, MAX_OVERLAY_LINKS);
    const isTop = window === window.top;
    let selected: number | undefined;
    let currentBasis: 'clicks' | 'clickers' = 'clicks';
    let currentWho: 'all' | 'human' = 'all';
    const select = (): void => {
      const choice = { ...(selected !== undefined ? { deliveryId: selected } : {}), basis: currentBasis, who: currentWho };
      void sendMessage('overlaySelect', choice).catch(() => undefined);
    };
    const ui = createOverlayUi(document, links, {
      onSelect: (deliveryId) => {
        selected = deliveryId;
        select();
      },
      onBasis: (basis) => {
        currentBasis = basis;
        select();
      },
      onWho: (who) => {
        currentWho = who;
        select();
      },
      onOff: () => {
        // Remove here at once; the background tells the other frames.
        stop();
        void sendMessage('overlayOff', {}).catch(() => undefined);
      },
    });

    const offDraw = onMessage('overlayDraw', ({ data, sender }) => {
      const arrived = performance.now();
      if (!isFromBackground(sender, browser.runtime.id)) return;
      const parsed = overlayDrawSchema.safeParse(data);
      if (!parsed.success) return;
      if (parsed.data.legend) {
        currentBasis = parsed.data.legend.basis;
        currentWho = parsed.data.legend.who;
        selected = parsed.data.legend.deliveryId;
      }
      ui.draw(isTop ? parsed.data : { badges: parsed.data.badges });
      // The e2e build times data arrival → badges placed, and → the next frame (painted), for test/bench/overlay.ts.
      // Durations only; release builds leave nothing in the page's performance timeline.
      if (import.meta.env.MODE === 'e2e') {
        void ui.drawn().then(() => {
          performance.measure('tracking-logs:overlay-drawn', { start: arrived });
          requestAnimationFrame(() => performance.measure('tracking-logs:overlay-painted', { start: arrived }));
        });
      }
    });
    const offRemove = onMessage('overlayRemove', ({ sender }) => {
      if (isFromBackground(sender, browser.runtime.id)) stop();
    });
    function stop(): void {
      offDraw();
      offRemove();
      ui.destroy();
    }
    // Injected again (the user asked once more): the new copy takes over, this one leaves no trace.
    ctx.onInvalidated(stop);

    return {
      links: links.map((a) => a.href.slice(0, MAX_HREF)),
      iframes: document.querySelectorAll('iframe, frame').length,
    };
  },
});
