import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore } from './store';

interface Stop {
  what: string;
  x: number;
  y: number;
  width: number;
  height: number;
  scrollY: number;
  view: { width: number; height: number };
}

/** In the page: the focused element, described, and the box its focus should mark (a hidden radio's: its label's). */
const focused = (): Stop | null => {
  const el = document.activeElement as HTMLElement | null;
  if (!el || el === document.body) return null;
  const box = el.closest('label') ?? el;
  const r = box.getBoundingClientRect();
  const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
  return {
    what: `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> "${name}"`,
    x: r.x,
    y: r.y,
    width: r.width,
    height: r.height,
    scrollY,
    view: { width: innerWidth, height: innerHeight },
  };
};

/**
 * Walks a page with Tab and returns its stops and those whose focus shows nothing: the pixels around each focused
 * element are compared with the same pixels once it has lost the focus (WCAG 2.4.7, focus visible).
 */
async function walk(page: Page, max = 80): Promise<{ stops: number; unmarked: string[] }> {
  const seen = new Set<string>();
  const unmarked: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(focused);
    if (!stop) break;
    const key = `${stop.what}@${Math.round(stop.x)},${Math.round(stop.y + stop.scrollY)}`;
    if (seen.has(key)) break; // round the page (or into a frame and back)
    seen.add(key);
    const x = Math.max(0, stop.x - 5);
    const y = Math.max(0, stop.y - 5);
    const clip = { x, y, width: Math.min(stop.width + 10, stop.view.width - x), height: Math.min(stop.height + 10, stop.view.height - y) };
    if (clip.width <= 0 || clip.height <= 0) continue; // out of view (the page scrolls to it only as needed)
    const withFocus = await page.screenshot({ clip });
    // Away and back, by the keyboard's last modality: blur, shoot, focus the same element again.
    await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      (window as unknown as { __stop: HTMLElement }).__stop = el;
      el.blur();
    });
    const moved = await page.evaluate((s) => scrollY !== s, stop.scrollY);
    const without = await page.screenshot({ clip });
    await page.evaluate(() => (window as unknown as { __stop: HTMLElement }).__stop.focus());
    if (!moved && withFocus.equals(without)) unmarked.push(stop.what);
  }
  return { stops: seen.size, unmarked };
}

/** Every Tab stop of every view on the sample data shows that it has the focus. */
describe('focus is visible at every Tab stop', () => {
  let ext: ExtensionHandle;
  let page: Page;
  let id: number;

  beforeAll(async () => {
    ext = await launchExtension({ locale: 'en' });
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Try with sample data' }).click();
    await popup.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 90_000 });
    await popup.close();
    page = await ext.openPage('/options.html#/deliveries');
    await page.setViewportSize({ width: 1280, height: 900 });
    id = (await readStore(page)).deliveries.find((d) => d.trackingEnabled && d.label.startsWith('Sample:'))!.id;
  }, 120_000);
  afterAll(async () => ext?.close());

  const views: [string, () => string, number][] = [
    ['deliveries', () => '#/deliveries', 10],
    ['statistics', () => `#/deliveries/${id}/stats`, 10],
    ['URLs and click streams', () => `#/deliveries/${id}/urls`, 20],
    ['hot clicks', () => `#/deliveries/${id}/hotclicks`, 15],
    ['tracking logs', () => `#/deliveries/${id}/logs`, 10],
    ['recipients', () => '#/recipients', 5],
    ['sources', () => '#/sources', 5],
    ['workflow', () => '#/workflow', 5],
    ['settings', () => '#/settings', 5],
  ];
  for (const [name, hash, least] of views) {
    it(`in ${name}`, async () => {
      await page.goto(page.url().replace(/#.*$/, hash()));
      await page.reload();
      await page.locator('main h1, main h2').first().waitFor();
      await page.waitForTimeout(500); // charts and live reads settle
      const { stops, unmarked } = await walk(page);
      expect(stops).toBeGreaterThanOrEqual(least);
      expect(unmarked).toEqual([]);
      expect(ext.errorsOf(page)).toEqual([]);
    }, 60_000);
  }

  it('in the popup', async () => {
    const popup = await ext.openPage('/popup.html');
    await popup.getByText('Healthy', { exact: true }).first().waitFor();
    const { stops, unmarked } = await walk(popup);
    expect(stops).toBeGreaterThanOrEqual(3);
    expect(unmarked).toEqual([]);
  });
});
