import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataset, startFeedServer, type Dataset, type FeedServer } from '../fixtures/feed-server';
import { launchExtension, type ExtensionHandle } from './harness';
import { waitForStore } from './store';

/**
 * What looks wrong at a glance, in real Chromium: a delivery whose clicks came in without a single open (the open
 * pixel is missing) and one whose events the source mostly flags as a machine's (a wave of security scanners). The
 * popup names both under the recent deliveries, the tracking view's list in a few words under each label; the first one's "Verify tracking data collection" says why.
 */
describe('anomalies in the popup and the checklist', () => {
  let ext: ExtensionHandle;
  let server: FeedServer;
  let dataset: Dataset;

  beforeAll(async () => {
    const base = makeDataset({ deliveries: 2, recipients: 500, events: 3_000, seed: 21 });
    const [noPixel, scanned] = base.deliveries;
    dataset = {
      ...base,
      events: base.events
        .filter((e) => !(e.delivery === noPixel!.id && e.type === 'open'))
        .map((e, i) => (e.delivery === scanned!.id && i % 10 < 7 ? { ...e, machine: true } : e)),
    };
    server = await startFeedServer({ dataset });
    ext = await launchExtension({ locale: 'en' });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  it('names the missing pixel and the machines in the popup, and the checklist explains the first', async () => {
    const page = await ext.openPage('/options.html#/sources/new');
    await page.getByLabel('Name', { exact: true }).fill('Anomalies feed');
    await page.getByLabel('Feed URL').fill(server.url('/feed'));
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByText('“Anomalies feed” was added', { exact: false }).waitFor();

    const popup = await ext.openPage('/popup.html');
    const store = await waitForStore(() => popup, (s) => s.runs.some((r) => r.status === 'ok'));
    const [noPixel, scanned] = dataset.deliveries.map((d) => store.deliveries.find((x) => x.extId === d.id)!);
    const share = store.totals[`${scanned!.sourceId}/${scanned!.extId}`]!;
    expect(share.machine! / share.events!).toBeGreaterThanOrEqual(0.5);

    await popup.reload();
    const item = (label: string) => popup.locator('.recent-delivery', { hasText: label });
    await item(noPixel!.label).getByText('Clicks but no opens: is the open pixel missing?').waitFor();
    const pct = `${((share.machine! / share.events!) * 100).toFixed(1)}%`;
    await item(scanned!.label).getByText(`${pct} of its events are flagged as machines’ by the source`, { exact: false }).waitFor();
    expect(await item(noPixel!.label).locator('.anomaly').count()).toBe(1);
    expect(await item(scanned!.label).locator('.anomaly').count()).toBe(1);

    // The tracking view's list of deliveries says the same under each label.
    const list = await ext.openPage('/options.html#/deliveries');
    const row = (label: string) => list.locator('tbody tr', { hasText: label });
    await row(noPixel!.label).getByText('Clicks, no opens').waitFor();
    expect(await row(noPixel!.label).locator('.anomaly').getAttribute('title')).toBe('Clicks but no opens: is the open pixel missing?');
    await row(scanned!.label).getByText(`${pct} machine events`).waitFor();

    const view = await ext.openPage(`/options.html#/deliveries/${noPixel!.id}/stats`);
    await view.getByText('Verify tracking data collection').click();
    await view.getByText('Clicks came in but not one open', { exact: false }).waitFor();
    for (const p of [page, popup, list, view]) expect(ext.errorsOf(p)).toEqual([]);
  });
});
