import { browser } from 'wxt/browser';
import { openDb } from '../../lib/db/schema';
import { t } from '../../lib/i18n';
import { onMessage, sendMessage, type OverlayShowResult } from '../../lib/messaging';
import { contentScriptTab, isExtensionPage, MessageRejected, parseMessage } from '../../lib/messaging-guard';
import { createOverlayController } from '../../lib/overlay/controller';
import { machineRules } from '../../lib/settings';
import { loadSettings } from '../../lib/settings-store';

/** The hot-click overlay's background side: the context-menu item, the messages, the injection. Logic in lib/overlay. */

export const OVERLAY_MENU_ID = 'overlay-show';
/** The bundle WXT builds from entrypoints/hotclicks.content (registration: 'runtime', so no manifest entry). */
const OVERLAY_SCRIPT = '/content-scripts/hotclicks.js';
const stateKey = (tabId: number): string => `overlay:${tabId}`;

export function createOverlayBackground(): ReturnType<typeof createOverlayController> {
  const db = openDb();
  return createOverlayController({
    db,
    async inject(tabId) {
      // activeTab (granted by the popup or the context menu) opens the tab's top frame; frames of other origins are
      // only reached when a host permission covers them, and executeScript then just leaves them out.
      const results = await browser.scripting.executeScript({ target: { tabId, allFrames: true }, files: [OVERLAY_SCRIPT] });
      return results.map((r) => ({ frameId: r.frameId, result: r.result }));
    },
    async send(tabId, frameId, message) {
      try {
        if (message === 'remove') await sendMessage('overlayRemove', {}, { tabId, frameId });
        else await sendMessage('overlayDraw', message, { tabId, frameId });
      } catch {
        // The frame navigated or closed: nothing left to draw on.
      }
    },
    async load(tabId) {
      return (await browser.storage.session.get(stateKey(tabId)))[stateKey(tabId)];
    },
    async save(tabId, state) {
      if (state) await browser.storage.session.set({ [stateKey(tabId)]: state });
      else await browser.storage.session.remove(stateKey(tabId));
    },
    rules: async () => machineRules(await loadSettings()),
  });
}

/** Registers the overlay's listeners; call synchronously from defineBackground. */
export function registerOverlay(): ReturnType<typeof createOverlayController> {
  const overlay = createOverlayBackground();
  const origin = browser.runtime.getURL('/');

  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus.removeAll().then(() =>
      browser.contextMenus.create({ id: OVERLAY_MENU_ID, title: t('overlay_menu_show'), contexts: ['page', 'frame', 'link', 'image'] }),
    );
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === OVERLAY_MENU_ID && tab?.id !== undefined) void overlay.show(tab.id);
  });
  // A tab that navigates or closes takes its overlay with it; forget its state.
  browser.tabs.onRemoved.addListener((tabId) => void browser.storage.session.remove(stateKey(tabId)));

  onMessage('overlayShow', async ({ data, sender }): Promise<OverlayShowResult> => {
    if (!isExtensionPage(sender, browser.runtime.id, origin)) throw new MessageRejected('sender not allowed');
    const { tabId } = parseMessage('overlayShow', data);
    return overlay.show(tabId);
  });
  onMessage('overlaySelect', async ({ data, sender }) => {
    const tabId = contentScriptTab(sender, browser.runtime.id, origin);
    if (tabId === undefined || sender.frameId !== 0) throw new MessageRejected('sender not allowed');
    await overlay.select(tabId, parseMessage('overlaySelect', data));
  });
  onMessage('overlayOff', async ({ data, sender }) => {
    const tabId = contentScriptTab(sender, browser.runtime.id, origin);
    if (tabId === undefined) throw new MessageRejected('sender not allowed');
    parseMessage('overlayOff', data);
    await overlay.off(tabId);
  });
  return overlay;
}
