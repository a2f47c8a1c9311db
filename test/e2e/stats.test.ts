import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { canvasTexts, crowdedTicks, recordCanvasText } from './canvas-text';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore, type StoreView } from './store';

/**
 * The Tracking statistics tab on the sample data, in real Chromium: the indicators shown are the aggregate's, both
 * charts paint, the toggles go into the hash and a reload reopens the same view.
 */
describe('Tracking statistics (sample data)', () => {
  let ext: ExtensionHandle;
  let store: StoreView;
  let target: StoreView['deliveries'][number];

  beforeAll(async () => {
    ext = await launchExtension({ locale: 'en' });
    await recordCanvasText(ext.context);
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Try with sample data' }).click();
    await popup.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 90_000 });
    store = await readStore(popup);
    // The tracked delivery with the most events.
    target = store.deliveries
      .filter((d) => d.trackingEnabled)
      .sort((a, b) => (store.totals[`${b.sourceId}/${b.extId}`]?.events ?? 0) - (store.totals[`${a.sourceId}/${a.extId}`]?.events ?? 0))[0]!;
    await popup.close();
  });
  afterAll(async () => ext?.close());

  const value = (page: Page, label: string): Promise<string> =>
    page.locator('.indicator').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').first().innerText();

  /** Whether the canvas of every chart has painted pixels. */
  const painted = (page: Page): Promise<boolean[]> =>
    page.$$eval('.time-chart canvas', (canvases) =>
      (canvases as HTMLCanvasElement[]).map((c) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
        return false;
      }),
    );

  it('shows the aggregate numbers and draws both charts', async () => {
    const totals = store.totals[`${target.sourceId}/${target.extId}`]!;
    const page = await ext.openPage(`/options.html#/deliveries/${target.id}/stats`);
    await page.locator('.time-chart canvas').nth(1).waitFor();
    const n = (x: number): string => x.toLocaleString('en-US');
    expect(await value(page, 'Distinct opens')).toBe(n(totals.recipientOpen!));
    expect(await value(page, 'Total opens')).toBe(n(totals.totalRecipientOpen!));
    expect(await value(page, 'Recipient clicks')).toBe(n(totals.recipientClick!));
    expect(await value(page, 'Distinct clicks \\(persons\\)')).toBe(n(totals.personClick!));
    expect(await value(page, 'Cumulated clicks')).toBe(n(totals.totalRecipientClick!));
    expect(await value(page, 'Estimated forwards')).toBe(n(totals.personClick! - totals.recipientClick!));
    expect(await value(page, 'Opt-outs')).toBe(n(totals.optOut!));
    expect(await value(page, 'Mirror pages')).toBe(n(totals.mirrorPage!));
    expect(await value(page, 'Open rate')).toMatch(/^\d+(\.\d)?%$/);
    expect(await value(page, 'Estimated reactivity')).toMatch(/^\d+(\.\d)?%$/);

    await page.waitForFunction(() => performance.getEntriesByName('tracking-logs:stats-drawn').length === 1);
    await expect.poll(() => painted(page)).toEqual([true, true]);

    // The time to reach 50, 80 and 90 % of the opens and of the clicks: a time after the send in each cell, growing
    // with the share, and the date it was reached on hover.
    const shares = page.locator('.stats__time-to tbody tr');
    expect(await shares.locator('th').allInnerTexts()).toEqual(['50%', '80%', '90%']);
    const seconds = (text: string): number => {
      const parts = [...text.matchAll(/(\d+) (hr|min|sec)/g)];
      if (!parts.length || parts.map((p) => p[0]).join(' ') !== text.trim()) return NaN;
      return parts.reduce((n, [, v, unit]) => n + Number(v) * (unit === 'hr' ? 3600 : unit === 'min' ? 60 : 1), 0);
    };
    for (const column of [1, 2]) {
      const cells = shares.locator(`td:nth-of-type(${column})`);
      const times = (await cells.allInnerTexts()).map(seconds);
      expect(times.every(Number.isFinite), `${await cells.allInnerTexts()}`).toBe(true);
      expect(times).toEqual([...times].sort((x, y) => x - y));
      expect(await cells.first().getAttribute('title')).toMatch(/\d/);
    }

    // Breakdowns: named mail domains with rates (the sample tells delivered per domain), devices parsed.
    await page.locator('.stats__domains tbody tr').first().waitFor();
    const domains = await page.locator('.stats__domains tbody th').allInnerTexts();
    expect(domains).toContain('Gmail');
    expect(domains.at(-1)).toBe('Others');
    expect(await page.locator('.stats__domains thead').innerText()).toContain('Open rate');
    const devices = await page.locator('.stats__agents tbody th').allInnerTexts();
    expect(devices).toEqual(expect.arrayContaining(['Mobile', 'Desktop']));
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('loads only the statistics code at first, and the other tabs once the page is idle', async () => {
    const page = await ext.context.newPage();
    // The scripts the page parses, as the debugger sees them (extension resources are not in resource timing).
    const cdp = await ext.context.newCDPSession(page);
    const scripts: string[] = [];
    cdp.on('Debugger.scriptParsed', (e) => scripts.push(e.url.split('/').pop()!.replace(/-[\w-]{8}\.js$/, '')));
    await cdp.send('Debugger.enable');
    await page.goto(`${ext.optionsUrl}#/deliveries/${target.id}/stats`);
    await page.waitForFunction(() => performance.getEntriesByName('tracking-logs:stats-drawn').length === 1);
    expect(scripts).toContain('options');
    expect(scripts).not.toContain('hotclicks');
    expect(scripts).not.toContain('logs');
    const deadline = Date.now() + 15_000;
    while (!['hotclicks', 'logs', 'urls'].every((c) => scripts.includes(c)) && Date.now() < deadline) await page.waitForTimeout(100);
    expect(scripts).toEqual(expect.arrayContaining(['hotclicks', 'logs', 'urls']));
    await cdp.detach();
    // Its code already loaded (a preloaded view shows in its first render: test/unit/components/lazy-view.test.tsx).
    await page.getByRole('navigation', { name: 'Delivery tracking' }).getByRole('link', { name: 'Tracking logs' }).click();
    await page.locator('.vtable').waitFor();
    expect(ext.errorsOf(page)).toEqual([]);
    await page.close();
  });

  it('spaces the hourly labels of a delivery sent two hours ago at 900 and 1280 px, and totals the legend', async () => {
    const flash = store.deliveries.find((d) => d.label.startsWith('Sample: Flash sale'))!;
    for (const width of [900, 1280]) {
      const page = await ext.openPage(`/options.html#/deliveries/${flash.id}/stats`);
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      await page.waitForFunction(() => performance.getEntriesByName('tracking-logs:stats-drawn').length === 1);
      await page.waitForTimeout(300); // a resize after the first layout redraws once more
      const charts = await canvasTexts(page, '.time-chart canvas');
      expect(charts).toHaveLength(2);
      for (const chart of charts) {
        const ticks = chart.texts.filter((d) => d.align === 'center' && !/^(Time \(|Opens$|Clicks$)/.test(d.text));
        // The review saw "03:00 PM03:15 PM03:30 PM…" over three hourly points, the last one cut off.
        expect(ticks.length, `${width} px`).toBeGreaterThan(1);
        expect(ticks.every((d) => /^\d{1,2}:00\s[AP]M$|^[A-Z][a-z]{2} \d{1,2}$/.test(d.text)), JSON.stringify(ticks)).toBe(true);
        expect(crowdedTicks(chart, chart.texts.filter((d) => /^(Time \(|Opens$|Clicks$)/.test(d.text)).map((d) => d.text)), `${width} px`).toEqual([]);
      }
      // Away from the chart the legend totals each series (no bare "Time (UTC): Opens:"); on it, it names the hour.
      const legend = page.locator('.time-chart .u-legend').first();
      expect(await legend.innerText()).toMatch(/^Opens:?\s*[\d,]+ in total$/);
      await page.locator('.time-chart .u-over').first().hover();
      await expect.poll(() => legend.innerText()).toMatch(/^Time \(.+\):?\s*\w{3} \d{1,2}, \d{4}/);
      expect(ext.errorsOf(page)).toEqual([]);
      await page.close();
    }
  });

  it('counts humans only on request: fewer opens and clicks, the machines named, kept over a reload', async () => {
    const page = await ext.openPage(`/options.html#/deliveries/${target.id}/stats`);
    await page.locator('.time-chart canvas').nth(1).waitFor();
    const num = async (label: string): Promise<number> => Number((await value(page, label)).replace(/\D/g, ''));
    const all = { opens: await num('Distinct opens'), totalOpens: await num('Total opens'), clicks: await num('Cumulated clicks') };

    await page.getByRole('button', { name: 'Humans only' }).click();
    const note = page.locator('.stats__who-note', { hasText: 'left out' });
    await note.waitFor();
    // The sample has Apple proxy opens, Gmail's image proxy and a link scanner (lib/sources/sample.ts).
    const text = await note.innerText();
    const [, left, total] = /^Humans only: ([\d,]+) of ([\d,]+) events left out/.exec(text) ?? [];
    expect(Number(left?.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(Number(total?.replace(/,/g, ''))).toBe(store.totals[`${target.sourceId}/${target.extId}`]!.events);
    expect(text).toContain('Privacy proxy');
    expect(text).toContain('Link scanner');
    expect(await num('Distinct opens')).toBeLessThan(all.opens);
    expect(await num('Total opens')).toBeLessThan(all.totalOpens);
    expect(await num('Cumulated clicks')).toBeLessThan(all.clicks);
    expect(await page.evaluate(() => location.hash)).toBe(`#/deliveries/${target.id}/stats?who=human`);
    await expect.poll(() => painted(page)).toEqual([true, true]);

    await page.reload();
    await note.waitFor();
    expect(await page.getByRole('button', { name: 'Humans only' }).getAttribute('aria-pressed')).toBe('true');
    expect(await num('Distinct opens')).toBeLessThan(all.opens);
    await page.locator('.stats__agents tbody th').first().waitFor();
    // The device breakdown counts the same human opens as the indicators (its opens column: the 2nd cell of a row).
    const deviceOpens = await page.locator('.stats__agents tbody tr td:nth-of-type(1)').allInnerTexts();
    expect(deviceOpens.reduce((a, s) => a + Number(s.replace(/\D/g, '')), 0)).toBe(await num('Total opens'));
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('reclassifies the whole history when the link-scanner rule changes in Settings', async () => {
    const settings = await ext.openPage('/options.html#/settings');
    const links = settings.getByLabel('A burst clicks at least');
    const gap = settings.getByLabel('each at most');
    expect(await links.inputValue()).toBe('3');
    expect(await gap.inputValue()).toBe('1');
    // A bad value is refused with a message, and nothing is saved.
    await links.fill('1');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Enter a whole number of links from 2 to 50.').waitFor();
    expect(await links.evaluate((el) => el === document.activeElement)).toBe(true);
    // No burst can reach 50 different links in the sample's email: the link scanner is gone from the counts.
    await links.fill('50');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText(/^Settings saved/).waitFor();

    const page = await ext.openPage(`/options.html#/deliveries/${target.id}/stats?who=human`);
    const note = page.locator('.stats__who-note', { hasText: 'left out' });
    await note.waitFor();
    expect(await note.innerText()).not.toContain('Link scanner');
    // The logs' tooltip states the rule in force. A cell takes its title when the pointer comes over it: the
    // "Human or machine" cell of each row drawn, pointed at in turn.
    const logs = await ext.openPage(`/options.html#/deliveries/${target.id}/logs?sort=who&dir=desc`);
    await logs.locator('.vtable__row').first().waitFor();
    const whoTitles = (): Promise<string[]> =>
      logs.evaluate(() => {
        const heads = [...document.querySelectorAll('.vtable__head [role="columnheader"]')];
        const col = heads.findIndex((h) => h.textContent?.includes('Human or machine'));
        return [...document.querySelectorAll('.vtable__body .vtable__row:not([hidden])')].map((row) => {
          const cell = row.children[col]!;
          cell.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
          return cell.getAttribute('title') ?? '';
        });
      });
    const before = await whoTitles();
    expect(before.filter(Boolean).length).toBeGreaterThan(0);
    expect(before.filter((x) => x.startsWith('One of at least'))).toEqual([]);

    // Back to the defaults: the scanner is found again, in the page already open.
    await links.fill('3');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText(/^Settings saved/).waitFor();
    await expect.poll(() => note.innerText()).toContain('Link scanner');
    await expect.poll(async () => (await whoTitles()).filter((x) => x.startsWith('One of at least 3 different links')).length).toBeGreaterThan(0);
    for (const p of [settings, page, logs]) expect(ext.errorsOf(p)).toEqual([]);
  });

  it('keeps the toggles in the hash, and a reload reopens the same view', async () => {
    const page = await ext.openPage(`/options.html#/deliveries/${target.id}/stats`);
    await page.locator('.time-chart canvas').nth(1).waitFor();
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.getByRole('button', { name: 'Since send' }).click();
    await page.getByRole('checkbox', { name: 'Cumulative' }).check();
    await page.getByRole('button', { name: 'Operating system' }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(
      `#/deliveries/${target.id}/stats?unit=day&axis=since&cumulative=1&by=os`,
    );
    await page.getByText('Opens, cumulative').waitFor();

    await page.reload();
    await page.locator('.time-chart canvas').nth(1).waitFor();
    await page.getByText('Opens, cumulative').waitFor();
    expect(await page.getByRole('button', { name: 'Day', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: 'Since send' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('checkbox', { name: 'Cumulative' }).isChecked()).toBe(true);
    // The x axis's title (the legend names the axis only while the pointer is on the chart).
    await expect.poll(async () => (await canvasTexts(page, '.time-chart canvas'))[0]?.texts.map((d) => d.text)).toContain('Days since send');
    await page.locator('.stats__agents tbody th', { hasText: 'iOS' }).first().waitFor();
    await expect.poll(() => painted(page)).toEqual([true, true]);
    expect(ext.errorsOf(page)).toEqual([]);
  });
});
