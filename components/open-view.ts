import { browser } from 'wxt/browser';
import { hrefFor, type Route } from '../lib/routes';

/**
 * Opens the tracking view (the options page), at `route` when given. openOptionsPage() cannot take a hash, so a deep
 * link opens a tab on the page's URL instead.
 */
export async function openTrackingView(route?: Route): Promise<void> {
  if (!route) {
    await browser.runtime.openOptionsPage();
    return;
  }
  await browser.tabs.create({ url: browser.runtime.getURL(`/options.html${hrefFor(route)}`) });
}
