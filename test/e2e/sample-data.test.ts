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
});
