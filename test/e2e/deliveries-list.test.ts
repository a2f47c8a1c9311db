import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataset, startFeedServer, type FeedServer } from '../fixtures/feed-server';
import { addFeedSource } from '../bench/store';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore, waitForStore } from './store';

const DELIVERIES = 250;

/**
 * A long deliveries list is drawn a page at a time (entrypoints/options/routes/deliveries.tsx): the first 100 rows in
 * the search's order, more on request; searching and sorting still cover every delivery.
 */
describe('a list of many deliveries', () => {
  let ext: ExtensionHandle;
  let server: FeedServer;
  let page: Page;

  beforeAll(async () => {
    const dataset = makeDataset({ deliveries: DELIVERIES, recipients: 400, events: 20_000, seed: 51, html: false });
    server = await startFeedServer({ dataset });
    ext = await launchExtension({ locale: 'en' });
    page = await ext.openPage('/options.html#/workflow');
    await page.evaluate(addFeedSource, { id: 'many-feed', url: server.url('/feed') });
    await page.getByRole('button', { name: 'Run now' }).first().click();
    await waitForStore(() => page, (v) => v.deliveries.length === DELIVERIES && v.runs.at(-1)?.status === 'ok', 120_000);
  }, 150_000);
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  const rows = (): ReturnType<Page['locator']> => page.locator('table tbody tr');

  it('draws the first 100, says so, and adds more on request until all are listed', async () => {
    await page.goto(page.url().replace(/#.*$/, '#/deliveries'));
    await rows().first().waitFor();
    expect(await rows().count()).toBe(100);
    expect(await page.getByText(`${DELIVERIES} of ${DELIVERIES} deliveries`).count()).toBe(1);
    await expect.poll(() => page.getByText('The first 100 are listed.').count()).toBe(1);
    const more = page.getByRole('button', { name: 'Show 100 more' });
    await more.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows().count()).toBe(200);
    expect(await page.getByText('The first 200 are listed.').count()).toBe(1);
    // The last page: as many as are left; then no button.
    await page.getByRole('button', { name: 'Show 50 more' }).click();
    await expect.poll(() => rows().count()).toBe(DELIVERIES);
    expect(await page.getByRole('button', { name: /^Show \d+ more$/ }).count()).toBe(0);
    expect(await page.locator('.list-more').count()).toBe(0);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('sorts and searches every delivery, not only those drawn, and starts again from the first page', async () => {
    const store = await readStore(page);
    // Most distinct opens first: the top row has the store's most, wherever that delivery was in the first order.
    const opens = store.deliveries.map((d) => store.totals[`${d.sourceId}/${d.extId}`]?.recipientOpen ?? 0);
    const firstDrawn = new Set((await rows().locator('th a').allInnerTexts()).slice(0, 100));
    const most = Math.max(...opens);
    await page.getByRole('button', { name: 'Distinct opens' }).click();
    await page.locator('th[aria-sort="descending"]', { hasText: 'Distinct opens' }).waitFor();
    await expect.poll(() => rows().count()).toBe(100);
    const digits = (s: string): number => Number(s.replace(/[^\d]/g, ''));
    expect(digits(await rows().first().locator('td:nth-child(5)').innerText())).toBe(most);
    // Some rows now drawn were not among the first 100 of the default order.
    const nowDrawn = await rows().locator('th a').allInnerTexts();
    expect(nowDrawn.some((label) => !firstDrawn.has(label))).toBe(true);
    // A search for one label: found though it was not among the rows drawn.
    const last = store.deliveries.find((d) => d.label.endsWith(` ${DELIVERIES}`))!;
    await page.getByRole('searchbox', { name: 'Search deliveries' }).fill(last.label);
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().locator('th a').innerText()).toBe(last.label);
    expect(await page.locator('.list-more').count()).toBe(0);
    expect(ext.errorsOf(page)).toEqual([]);
  });
});
