import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinesCanvas } from '../../components/VirtualTable';
import { makeDataset, startFeedServer, type FeedServer } from '../fixtures/feed-server';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore, waitForStore } from './store';

const TOKEN = 'e2e-logs-token-42';
const HOSTILE_LABEL = '<img src=x onerror="window.__xss=1">';
const HOSTILE_UA = '=HYPERLINK("http://evil.example")<img src=x onerror="window.__xss=2">';

/** The "N of M events" line of the logs table. */
async function shownCount(page: Page): Promise<{ shown: number; total: number }> {
  const text = await page.locator('.logs-summary p').first().innerText();
  const m = /([\d\s,. ]+) of ([\d\s,. ]+) events/.exec(text);
  if (!m) throw new Error(`no count in ${JSON.stringify(text)}`);
  const num = (s: string): number => Number(s.replace(/[^\d]/g, ''));
  return { shown: num(m[1]!), total: num(m[2]!) };
}

/** Data rows of an exported CSV (after the `#` header block and the column row). */
function csvRows(text: string): { header: string; columns: string[]; rows: string[][] } {
  const split = text.indexOf('\r\n\r\n');
  const header = text.slice(0, split);
  const parsed = Papa.parse<string[]>(text.slice(split + 4).trim()).data;
  return { header, columns: parsed[0]!, rows: parsed.slice(1) };
}

describe('tracking logs and recipients', () => {
  let ext: ExtensionHandle;
  let server: FeedServer;

  beforeAll(async () => {
    // A feed whose labels and user agents are hostile, next to the sample data.
    const dataset = makeDataset({ deliveries: 1, recipients: 200, events: 1500, seed: 21, html: false });
    const clickUrl = dataset.urls.find((u) => u.type === 'click')!;
    clickUrl.label = HOSTILE_LABEL;
    clickUrl.url = 'javascript:window.__xss=3';
    for (const e of dataset.events) if (e.type === 'click' && e.url === clickUrl.id) e.userAgent = HOSTILE_UA;
    dataset.deliveries[0]!.label = 'Hostile feed';
    server = await startFeedServer({ dataset, faults: { token: TOKEN } });
    ext = await launchExtension({ locale: 'en' });
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Try with sample data' }).click();
    await popup.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 90_000 });
  }, 120_000);
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  async function sampleDelivery(page: Page): Promise<number> {
    const store = await readStore(page);
    return store.deliveries.find((d) => d.trackingEnabled && d.label.startsWith('Sample:'))!.id;
  }

  it('filters by type into the hash, keeps the filter on reload, and exports the filtered rows as CSV', async () => {
    const page = await ext.openPage('/options.html#/deliveries');
    const id = await sampleDelivery(page);
    await page.goto(page.url().replace(/#.*$/, `#/deliveries/${id}/logs`));
    await page.getByRole('table', { name: /Tracking logs of/ }).waitFor();
    const all = await shownCount(page);
    expect(all.shown).toBe(all.total);
    expect(all.total).toBeGreaterThan(100);
    // Body cells are fixed-width flex cells sized from the header's grid: each starts and ends under its header,
    // also after the window narrows.
    const columnEdges = (): Promise<{ head: number[][]; body: number[][] }> =>
      page.evaluate(() => {
        const edges = (row: Element): number[][] => [...row.children].map((c) => [Math.round(c.getBoundingClientRect().left), Math.round(c.getBoundingClientRect().right)]);
        return { head: edges(document.querySelector('.vtable__head [role="row"]')!), body: edges(document.querySelector('.vtable__body [role="row"]')!) };
      });
    for (const width of [1280, 900]) {
      await page.setViewportSize({ width, height: 800 });
      // The widths follow the header within a frame of the resize (a ResizeObserver); poll until then.
      await expect
        .poll(async () => {
          const { head, body } = await columnEdges();
          if (body.length !== head.length) return Infinity;
          return Math.max(...body.map(([left, right], i) => Math.max(Math.abs(left! - head[i]![0]!), Math.abs(right! - head[i]![1]!))));
        })
        .toBeLessThanOrEqual(1);
    }

    await page.getByRole('checkbox', { name: 'Open', exact: true }).uncheck();
    await page.waitForFunction(() => location.hash.includes('type='));
    expect(page.url()).toContain('type=click%2Copt-out%2Cweb%2Ctransaction%2Cmirror');
    const filtered = await shownCount(page);
    expect(filtered.shown).toBeLessThan(all.total);
    expect(filtered.shown).toBeGreaterThan(0);
    const types = await page.locator('.vtable__body .type-tag').allInnerTexts();
    expect(types.length).toBeGreaterThan(0);
    expect(types).not.toContain('Open');

    await page.reload();
    await page.getByRole('table', { name: /Tracking logs of/ }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Open', exact: true }).isChecked()).toBe(false);
    expect(await shownCount(page)).toEqual(filtered);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^tracking-logs-.*\.csv$/);
    const csv = csvRows(readFileSync((await download.path())!, 'utf8'));
    expect(csv.header).toContain('# time zone,');
    expect(csv.header).toContain('# filters,"type=click,opt-out,web,transaction,mirror"');
    expect(csv.columns.slice(0, 3)).toEqual(['time', 'time_utc', 'type']);
    expect(csv.rows).toHaveLength(filtered.shown);
    expect(csv.rows.every((r) => r[2] !== 'open')).toBe(true);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('sorts by a column through the hash', async () => {
    const page = await ext.openPage('/options.html#/deliveries');
    const id = await sampleDelivery(page);
    await page.goto(page.url().replace(/#.*$/, `#/deliveries/${id}/logs`));
    await page.getByRole('button', { name: 'Recipient' }).click();
    await page.waitForFunction(() => location.hash.includes('sort=rcp'));
    // The recipients' links, named by the text the column's lines draw.
    const names = await page.locator('.vtable__body [role="row"] [role="cell"]:nth-child(3) a').evaluateAll((as) => as.map((a) => a.getAttribute('aria-label') ?? ''));
    expect(names.length).toBeGreaterThan(5);
    expect([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))).toEqual(names);
  });

  it('finds a sample recipient by prefix and lists their events with links to the deliveries', async () => {
    const page = await ext.openPage('/options.html#/recipients');
    const address = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const req = indexedDB.open('tracking-logs');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const get = req.result.transaction('dicts').objectStore('dicts').getAll();
            get.onsuccess = () => {
              const chunk = (get.result as { name: string; keys: string[] }[]).find((c) => c.name === 'recipients')!;
              resolve(chunk.keys[3]!);
              req.result.close();
            };
          };
        }),
    );
    // A prefix: the local part and '@' (a shorter one like "pablo." can match more addresses than the list shows,
    // and which ones the sample data has depends on the day it is laid out around).
    const prefix = address.slice(0, address.indexOf('@') + 1);
    await page.getByLabel('Email address or id').fill(prefix);
    await page.waitForFunction((q) => decodeURIComponent(location.hash).includes(`q=${q}`), prefix);
    await page.getByRole('link', { name: address, exact: true }).click();
    await page.getByRole('heading', { name: address }).waitFor();
    await page.getByRole('table', { name: /Tracked events of/ }).waitFor();
    const links = page.locator('.vtable__body a[href^="#/deliveries/"]');
    expect(await links.count()).toBeGreaterThan(0);
    expect(await page.locator('svg.timeline rect').count()).toBeGreaterThan(0);
    // The table is as tall as its rows (no blank band under a few events), up to 60 % of the window.
    const fit = await page.evaluate(() => {
      const body = document.querySelector('.vtable__body')!;
      const rows = Number(document.querySelector('[role="table"]')!.getAttribute('aria-rowcount')) - 1;
      return { rows, height: body.getBoundingClientRect().height, cap: window.innerHeight * 0.6 };
    });
    expect(Math.abs(fit.height - Math.min(fit.rows * 30 + 2, fit.cap))).toBeLessThanOrEqual(1);
    // The search is in the hash: reload reopens the results.
    await page.goBack();
    await page.getByRole('link', { name: address, exact: true }).waitFor();
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('shows hostile labels and user agents as text, and neutralises them in the CSV', async () => {
    const form = await ext.openPage('/options.html#/sources/new');
    await form.getByLabel('Name', { exact: true }).fill('Hostile feed');
    await form.getByLabel('Feed URL').fill(server.url('/feed'));
    await form.getByLabel(/token/i).fill(TOKEN);
    await form.getByRole('button', { name: 'Add source' }).click();
    const store = await waitForStore(() => form, (s) => s.deliveries.some((d) => d.label === 'Hostile feed') && s.runs.at(-1)?.status !== 'running', 90_000);
    const id = store.deliveries.find((d) => d.label === 'Hostile feed')!.id;
    const page = await ext.openPage(`/options.html#/deliveries/${id}/logs?url=img`);
    await page.getByRole('table', { name: /Tracking logs of/ }).waitFor();
    // As text: the cells' names, and the lines drawn on the table's canvas.
    await page.getByRole('cell', { name: HOSTILE_LABEL, exact: true }).first().waitFor();
    await page.getByRole('cell', { name: HOSTILE_UA, exact: true }).first().waitFor();
    const drawn = await page.evaluate(() =>
      (document.querySelector<LinesCanvas>('.vtable__canvas')!.drawnLines ?? []).flatMap((c) => c ?? []),
    );
    expect(drawn).toContain(HOSTILE_LABEL);
    expect(drawn).toContain(HOSTILE_UA);
    expect(await page.locator('.vtable img, .vtable script').count()).toBe(0);
    expect(await page.locator('.vtable a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = csvRows(readFileSync((await download.path())!, 'utf8'));
    const ua = csv.columns.indexOf('user_agent');
    expect(csv.rows.length).toBe((await shownCount(page)).shown);
    expect(csv.rows.length).toBeGreaterThan(0);
    expect(csv.rows.every((r) => r[ua] === `'${HOSTILE_UA}`)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });
});
