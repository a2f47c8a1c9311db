import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore, waitForStore } from './store';

/** The first-use path of the issue: a new user chooses sample data and sees a healthy workflow with real numbers. */
describe('sample data, first use (English)', () => {
  let ext: ExtensionHandle;
  beforeAll(async () => {
    ext = await launchExtension({ locale: 'en' });
  });
  afterAll(async () => ext?.close());

  it('offers sample data in the popup, runs the workflow and shows a healthy state with numbers', async () => {
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Try with sample data' }).click();
    await popup.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 60_000 });
    const store = await readStore(popup);
    expect(store.runs.at(-1)?.status).toBe('ok');
    expect(store.deliveries.length).toBeGreaterThanOrEqual(4);
    expect(store.deliveries.every((d) => d.label.startsWith('Sample:'))).toBe(true);
    expect(store.recipients).toBeGreaterThanOrEqual(5000);
    expect(store.events).toBeGreaterThan(20_000);
    // The delivery without tracking has no events; every other one has opens and clicks.
    const untracked = store.deliveries.filter((d) => !d.trackingEnabled);
    expect(untracked).toHaveLength(1);
    for (const d of store.deliveries.filter((x) => x.trackingEnabled)) {
      const totals = store.totals[`${d.sourceId}/${d.extId}`];
      expect(totals?.recipientOpen).toBeGreaterThan(0);
      expect(totals?.recipientClick).toBeGreaterThan(0);
    }
    // Recent deliveries are listed with the sample tag.
    await expect(popup.getByText('Sample', { exact: true }).first().isVisible()).resolves.toBe(true);
    expect(ext.errorsOf(popup)).toEqual([]);
  });

  it('lists the deliveries with headline numbers in the tracking view', async () => {
    const page = await ext.openPage('/options.html#/deliveries');
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    await page.getByText('Tracking not activated').first().waitFor();
    const text = await page.locator('table').innerText();
    expect(text).toMatch(/\d+(\.\d+)?\s?%/); // open and click rates are drawn
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('tells machines from people in the tracking logs: the link scanner, image proxies, Apple privacy opens', async () => {
    const page = await ext.openPage('/options.html#/deliveries');
    const store = await readStore(page);
    // The first send of the sample data: its scanner clicks every link at once, and iCloud's proxy opens it at once.
    const first = store.deliveries.filter((d) => d.trackingEnabled).sort((a, b) => (a.sentAt ?? 0) - (b.sentAt ?? 0))[0]!;
    const whoColumn = async (hash: string): Promise<string[]> => {
      await page.goto(page.url().replace(/#.*$/, `#/deliveries/${first.id}/logs${hash}`));
      await page.waitForFunction((h) => location.hash.endsWith(h) && document.querySelector('.vtable__body [role="row"]') !== null, hash);
      const col = await page.evaluate(() =>
        [...document.querySelectorAll('.vtable__head [role="columnheader"]')].findIndex((h) => h.textContent?.startsWith('Human or machine')),
      );
      expect(col).toBeGreaterThan(0);
      return page.evaluate(
        // The cell's name: a plain column's text is drawn in the column's lines, not in the cell.
        (c) => [...document.querySelectorAll('.vtable__body [role="row"]')].map((r) => r.children[c]!.getAttribute('aria-label') ?? ''),
        col,
      );
    };
    expect((await whoColumn('?sort=who&dir=desc'))[0]).toBe('Link scanner');
    expect((await whoColumn('?type=open&sort=who&dir=desc'))[0]).toBe('Image proxy');
    expect(await whoColumn('?type=open')).toContain('Privacy proxy');
    expect((await whoColumn('?sort=who'))[0]).toBe('Human');
    // The scanner follows the opt-out and mirror-page links with the rest: those clicks are its too, not people's.
    expect((await whoColumn('?type=opt-out&sort=who&dir=desc'))[0]).toBe('Link scanner');
    expect((await whoColumn('?type=mirror&sort=who&dir=desc'))[0]).toBe('Link scanner');
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('runs again on "Run now" without counting anything twice', async () => {
    const page = await ext.openPage('/options.html#/workflow');
    const before = await readStore(page);
    await page.getByRole('button', { name: 'Run now' }).first().click();
    const after = await waitForStore(
      () => page,
      (s) => s.runs.length === before.runs.length + 1 && s.runs.at(-1)?.status !== 'running',
    );
    const last = after.runs.at(-1)!;
    expect(last.status).toBe('ok');
    // Only events that "happened" since the first run (the newest delivery trickles) may be added.
    expect(after.events - before.events).toBe(last.sources[0]!.stored);
    expect(last.sources[0]!.duplicates).toBe(0);
  });

  it('runs on "Run now" when the click wakes a stopped service worker, every time', async () => {
    // Chrome stops the worker after ~30 s idle, so this is how most clicks reach it. The worker's wake takes the run
    // lock for a moment (to mark runs a stopped worker left behind), and the click's run must wait for it rather
    // than be refused as "already running" with nothing running.
    const page = await ext.openPage('/options.html#/deliveries');
    for (let i = 0; i < 3; i++) {
      const before = await readStore(page);
      await ext.stopServiceWorker();
      await page.getByRole('button', { name: 'Run now' }).click();
      const after = await waitForStore(
        () => page,
        (s) => s.runs.length === before.runs.length + 1 && s.runs.at(-1)?.status !== 'running',
      );
      expect(after.runs.at(-1)).toMatchObject({ trigger: 'manual', status: 'ok' });
      expect(await page.locator('.run-now__message').innerText()).toBe('');
    }
    expect(ext.errorsOf(page)).toEqual([]);
  });
});

describe('Swedish', () => {
  let ext: ExtensionHandle;
  beforeAll(async () => {
    ext = await launchExtension({ locale: 'sv' });
  });
  afterAll(async () => ext?.close());

  it('speaks Swedish in the popup and the tracking view', async () => {
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Prova med exempeldata' }).waitFor();
    const view = await ext.openPage('/options.html');
    await view.getByRole('link', { name: 'Leveranser' }).first().waitFor();
    expect(await view.locator('html').getAttribute('lang')).toMatch(/^sv/);
  });

  it('shows every event type whole in the tracking logs, and a narrow window scrolls the table sideways', async () => {
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Prova med exempeldata' }).click();
    await popup.getByText('Fungerar', { exact: true }).first().waitFor({ timeout: 90_000 });
    const page = await ext.openPage('/options.html#/deliveries');
    await page.setViewportSize({ width: 1280, height: 800 });
    const store = await readStore(page);
    const id = store.deliveries.find((d) => d.trackingEnabled && d.label.startsWith('Sample:'))!.id;
    // Swedish type names are the longest ("Klick i e-post", "Avregistrering"): each type's tag fits its column.
    const seen: string[] = [];
    const names = { click: 'Klick i e-post', open: 'Öppning', 'opt-out': 'Avregistrering', web: 'Webb', transaction: 'Transaktion', mirror: 'Spegelsida' };
    for (const [type, name] of Object.entries(names)) {
      await page.goto(page.url().replace(/#.*$/, `#/deliveries/${id}/logs?type=${type}`));
      // Filtered: the rows drawn are of this type, or there are none (an empty state instead of the table).
      await page.waitForFunction((name) => {
        if (!document.querySelector('.logs-summary')) return false;
        const first = document.querySelector('.vtable__body [role="row"] .type-tag');
        return first ? first.textContent === name : !document.querySelector('.vtable__body [role="row"]');
      }, name);
      const cells = await page.evaluate(() =>
        [...document.querySelectorAll('.vtable__body [role="row"]')].map((r) => {
          const cell = r.children[1] as HTMLElement;
          return { text: cell.textContent ?? '', cut: cell.scrollWidth > cell.clientWidth };
        }),
      );
      if (cells.length === 0) continue;
      seen.push(cells[0]!.text);
      expect(cells.filter((c) => c.cut).map((c) => c.text)).toEqual([]);
    }
    expect(seen).toEqual(expect.arrayContaining(['Klick i e-post', 'Öppning', 'Avregistrering', 'Spegelsida']));

    // Narrower than the columns' least widths: header and body scroll sideways together, each column under its header.
    const edges = (): Promise<{ scroll: number; client: number; head: number[]; body: number[] }> =>
      page.evaluate(() => {
        const table = document.querySelector<HTMLElement>('.vtable')!;
        const rights = (row: Element): number[] => [...row.children].map((c) => Math.round(c.getBoundingClientRect().right));
        return {
          scroll: table.scrollWidth,
          client: table.clientWidth,
          head: rights(document.querySelector('.vtable__head [role="row"]')!),
          body: rights(document.querySelector('.vtable__body [role="row"]')!),
        };
      });
    await page.goto(page.url().replace(/#.*$/, `#/deliveries/${id}/logs`));
    await page.getByRole('table', { name: /Spårningsloggar för/ }).waitFor();
    await page.setViewportSize({ width: 900, height: 800 });
    await expect.poll(async () => { const e = await edges(); return e.scroll - e.client; }).toBeLessThanOrEqual(0);
    // Every header is whole ("Enhet / webbläsare / OS" wraps rather than being cut).
    const cutHeads = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.vtable__head [role="columnheader"]')]
        .filter((h) => h.scrollWidth > h.clientWidth)
        .map((h) => h.textContent),
    );
    expect(cutHeads).toEqual([]);
    await page.setViewportSize({ width: 600, height: 800 });
    await expect.poll(async () => { const e = await edges(); return e.scroll - e.client; }).toBeGreaterThan(100);
    await page.evaluate(() => {
      document.querySelector('.vtable')!.scrollLeft = 1e6;
    });
    await expect
      .poll(async () => {
        const { head, body } = await edges();
        return body.length === head.length ? Math.max(...body.map((r, i) => Math.abs(r - head[i]!))) : Infinity;
      })
      .toBeLessThanOrEqual(1);
    const last = await page.evaluate(() => {
      const table = document.querySelector('.vtable')!.getBoundingClientRect();
      const cell = document.querySelector('.vtable__body [role="row"]')!.lastElementChild!.getBoundingClientRect();
      return { cellRight: cell.right, tableRight: table.right };
    });
    expect(last.cellRight).toBeLessThanOrEqual(last.tableRight);
  });
});
