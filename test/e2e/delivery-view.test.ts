import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore } from './store';

/** The deliveries list (search, sort in the hash), a delivery's tabs and its "Verify tracking data collection" list. */
describe('deliveries and a delivery', () => {
  let ext: ExtensionHandle;
  beforeAll(async () => {
    ext = await launchExtension({ locale: 'en' });
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Try with sample data' }).click();
    await popup.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 60_000 });
  });
  afterAll(async () => ext?.close());

  it('searches and sorts the list through the hash, and a reload keeps both', async () => {
    const page = await ext.openPage('/options.html#/deliveries');
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    const all = await rows.count();
    await page.getByRole('searchbox', { name: 'Search deliveries' }).fill('newsletter');
    await expect.poll(() => rows.count()).toBeLessThan(all);
    expect(page.url()).toContain('q=newsletter');
    for (const label of await rows.locator('th').allInnerTexts()) expect(label.toLowerCase()).toContain('newsletter');

    await page.getByRole('searchbox', { name: 'Search deliveries' }).fill('');
    await page.getByRole('button', { name: 'Distinct opens' }).click();
    await expect.poll(() => page.url()).toContain('sort=opens');
    // The hash changes at once; the table redraws on the hashchange event after it: wait for the drawn header.
    await page.locator('th[aria-sort="descending"]', { hasText: 'Distinct opens' }).waitFor();
    const opens = async (): Promise<number[]> =>
      (await page.locator('table tbody tr td:nth-child(5)').allInnerTexts())
        .map((s) => Number(s.replace(/[^\d]/g, '')))
        .filter((n) => Number.isFinite(n) && n > 0);
    const desc = await opens();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain('Distinct opens');

    await page.getByRole('button', { name: 'Distinct opens' }).click();
    await expect.poll(() => page.url()).toContain('dir=asc');
    await page.reload();
    await rows.first().waitFor();
    const asc = await opens();
    expect(asc).toEqual([...desc].sort((a, b) => a - b));
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('opens a tracked delivery on its statistics tab, moves between tabs by URL, and says all is well', async () => {
    const page = await ext.openPage('/options.html#/deliveries');
    const store = await readStore(page);
    const tracked = store.deliveries.find((d) => d.trackingEnabled && (store.totals[`${d.sourceId}/${d.extId}`]?.totalRecipientClick ?? 0) > 0)!;
    await page.getByRole('link', { name: tracked.label }).click();
    await page.getByRole('heading', { name: tracked.label }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Delivery tracking' });
    expect(await tabs.getByRole('link').allInnerTexts()).toEqual([
      'Tracking statistics',
      'URLs and click streams',
      'Hot clicks',
      'Tracking logs',
    ]);
    expect(await tabs.locator('[aria-current="page"]').innerText()).toBe('Tracking statistics');
    await tabs.getByRole('link', { name: 'Tracking logs' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/deliveries\/\d+\/logs$/);
    expect(await tabs.locator('[aria-current="page"]').innerText()).toBe('Tracking logs');

    // The checklist: closed with "All good" when every check passes.
    const verify = page.locator('details.verify');
    await verify.waitFor();
    expect(await verify.locator('summary').innerText()).toContain('All good');
    expect(await verify.getAttribute('open')).toBeNull();
    await verify.locator('summary').click();
    expect(await verify.locator('.check--ok').count()).toBe(5);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('gives a delivery sent without tracking no tabs, and an open checklist that says why and what to do', async () => {
    const page = await ext.openPage('/options.html#/deliveries');
    const store = await readStore(page);
    const untracked = store.deliveries.find((d) => !d.trackingEnabled)!;
    await page.getByRole('link', { name: untracked.label }).click();
    await page.getByRole('heading', { name: 'Tracking not activated' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Delivery tracking' }).count()).toBe(0);
    const verify = page.locator('details.verify');
    expect(await verify.getAttribute('open')).not.toBeNull();
    expect(await verify.locator('.check--fail').first().innerText()).toContain('Turn on open and click (link) tracking');
  });
});
