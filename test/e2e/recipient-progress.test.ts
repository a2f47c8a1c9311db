import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAVY_EVENTS } from '../../lib/db/heavy';
import { FIRST_BATCH } from '../../lib/db/recipient-events';
import { makeDataset, recipientAddress, startFeedServer, type FeedServer } from '../fixtures/feed-server';
import { addFeedSource } from '../bench/store';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore, waitForStore } from './store';

/** In the page: the recipients dictionary id of an address. */
const recipientId = async (address: string): Promise<number> => {
  const req = indexedDB.open('tracking-logs');
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  const chunks = await new Promise<{ name: string; firstId: number; keys: string[] }[]>((ok, fail) => {
    const q = db.transaction('dicts').objectStore('dicts').getAll();
    q.onsuccess = () => ok(q.result as never);
    q.onerror = () => fail(q.error);
  });
  db.close();
  for (const c of chunks) if (c.name === 'recipients' && c.keys.includes(address)) return c.firstId + c.keys.indexOf(address);
  return 0;
};

/** In the page: records the progress lines the recipient tab adds (their text), from before navigation on. */
const watchProgress = (): void => {
  const seen: string[] = [];
  (window as unknown as { __progress: string[] }).__progress = seen;
  new MutationObserver(() => {
    const el = document.querySelector('.rcp-progress');
    const text = el?.textContent ?? '';
    if (text && seen.at(-1) !== text) seen.push(text);
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
};

describe('recipient tab loads a recipient present in many segments progressively', () => {
  let ext: ExtensionHandle;
  let server: FeedServer;
  let page: Page;
  /** Events per recipient address in the dataset. */
  const counts = new Map<string, number>();

  beforeAll(async () => {
    // 3 000 recipients over 120 000 events (~30 segments): the dataset's most active recipient has hundreds of
    // events (heavy, lib/db/heavy.ts), and many have a few dozen spread over more segments than the first batch.
    const dataset = makeDataset({ deliveries: 1, recipients: 3000, events: 120_000, seed: 31, html: false });
    for (const e of dataset.events) counts.set(e.recipient, (counts.get(e.recipient) ?? 0) + 1);
    server = await startFeedServer({ dataset });
    ext = await launchExtension({ locale: 'en' });
    page = await ext.openPage('/options.html#/workflow');
    await page.evaluate(addFeedSource, { id: 'progress-feed', url: server.url('/feed') });
    await page.getByRole('button', { name: 'Run now' }).first().click();
    await waitForStore(() => page, (v) => v.events === 120_000 && v.runs.at(-1)?.status !== 'running', 150_000);
  }, 180_000);
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  it('shows the newest events with a progress line, then the complete state', async () => {
    const store = await readStore(page);
    expect(store.segments).toBeGreaterThan(FIRST_BATCH);
    // A recipient below the heavy threshold with events in more segments than the first batch reads.
    const address = [...counts].find(([, n]) => n >= 40 && n < HEAVY_EVENTS)![0];
    const id = await page.evaluate(recipientId, address);
    expect(id).toBeGreaterThan(0);
    await page.evaluate(watchProgress);
    await page.evaluate((hash) => (location.hash = hash), `#/recipients/${id}`);
    const summary = page.locator('.rcp-summary[data-complete="true"]');
    await summary.waitFor({ timeout: 30_000 });
    const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    // At least one partial state was drawn, saying how far the read had got, before the complete one.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatch(/Loading older events… [\d,]+ of [\d,]+ segments read/);
    const [read, total] = /([\d,]+) of ([\d,]+) segments/.exec(seen[0]!)!.slice(1).map((s) => Number(s.replace(/,/g, '')));
    expect(read).toBeLessThan(total!);
    expect(await page.locator('.rcp-progress').count()).toBe(0);
    expect(await summary.innerText()).toMatch(/tracked events · in 1 delivery · every stored event searched/);
    expect(Number(await page.locator('.vtable').getAttribute('aria-rowcount'))).toBe(counts.get(address)! + 1);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('shows every event of a heavy recipient, read from their own rows', async () => {
    const address = recipientAddress(0);
    expect(counts.get(address)).toBeGreaterThan(HEAVY_EVENTS * 4);
    const id = await page.evaluate(recipientId, address);
    // The workflow made them heavy.
    const heavy = await page.evaluate(async (rcp) => {
      const req = indexedDB.open('tracking-logs');
      const db = await new Promise<IDBDatabase>((ok) => (req.onsuccess = () => ok(req.result)));
      const row = await new Promise((ok) => {
        const q = db.transaction('heavyRcps').objectStore('heavyRcps').get(rcp);
        q.onsuccess = () => ok(q.result);
      });
      db.close();
      return row;
    }, id);
    expect(heavy).toMatchObject({ rcp: id });
    await page.evaluate((hash) => (location.hash = hash), `#/recipients/${id}`);
    const summary = page.locator('.rcp-summary[data-complete="true"]');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.innerText()).toMatch(new RegExp(`^${counts.get(address)!.toLocaleString('en-US')} tracked events · in 1 delivery`));
    expect(Number(await page.locator('.vtable').getAttribute('aria-rowcount'))).toBe(counts.get(address)! + 1);
    expect(ext.errorsOf(page)).toEqual([]);
  });
});
