import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '../lib/i18n';
import { sendMessage, type OverlayShowResult } from '../lib/messaging';

type Phase = { name: 'idle' } | { name: 'working' } | { name: 'done'; result: OverlayShowResult } | { name: 'failed' };

/**
 * "Show hot clicks on this page": the popup's opening granted activeTab on the current tab, so the background may
 * inject the overlay into it now. The popup closes once the overlay is drawn; it stays to say why when not.
 */
export function ShowHotClicksButton(): JSX.Element {
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });

  async function onClick(): Promise<void> {
    setPhase({ name: 'working' });
    try {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id === undefined) {
        setPhase({ name: 'done', result: { ok: false, reason: 'no-access', framesReached: 0, framesUnreached: 0, matched: 0, total: 0 } });
        return;
      }
      const result = await sendMessage('overlayShow', { tabId: tab.id });
      setPhase({ name: 'done', result });
      if (result.ok && result.deliveryId !== undefined) window.close();
    } catch (error) {
      console.error('Tracking Logs: overlayShow failed', error);
      setPhase({ name: 'failed' });
    }
  }

  let message: JSX.Element | null = null;
  if (phase.name === 'failed' || (phase.name === 'done' && !phase.result.ok)) {
    message = (
      <p class="notice notice--error" role="alert">
        {t('overlay_popup_no_access')}
      </p>
    );
  } else if (phase.name === 'done') {
    message = (
      <p class="muted" role="status">
        {phase.result.deliveryId === undefined
          ? t('overlay_popup_no_match')
          : t('overlay_popup_shown', [phase.result.matched, phase.result.total])}
      </p>
    );
  }

  return (
    <section class="popup-section" aria-labelledby="overlay-title">
      <h2 id="overlay-title" class="visually-hidden">
        {t('overlay_legend_title')}
      </h2>
      <button type="button" class="button" onClick={() => void onClick()} disabled={phase.name === 'working'}>
        {t('overlay_popup_show')}
      </button>
      <p class="muted">{t('overlay_popup_hint')}</p>
      {message}
    </section>
  );
}
