import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpectedDelivery } from '../fixtures/providers/common';
import { MAILCHIMP_TEST_KEY, makeMailchimpDataset, type MailchimpDataset } from '../fixtures/providers/mailchimp';
import { startProviderServer, type ProviderServer } from '../fixtures/providers/server';
import { launchExtension, type ExtensionHandle } from './harness';
import { expectIndicators, readStore, waitForStore } from './store';

/** A campaign title that would run script if it were ever put into the page as HTML. */
const HOSTILE = '<img src=x onerror="window.__pwned=1">Spring <b>sale</b>';

/** What each campaign must add up to in the store, from the fixture data alone (Mailchimp has no opt-outs here). */
function expectedOf(dataset: MailchimpDataset): Record<string, ExpectedDelivery> {
  const out: Record<string, ExpectedDelivery> = {};
  for (const c of dataset.campaigns) {
    const e: ExpectedDelivery = { opens: 0, clicks: 0, optOuts: 0, recipients: 0, clickers: 0 };
    for (const m of c.members) {
      const opens = m.opens.filter((o) => !Number.isNaN(Date.parse(o.timestamp))).length;
      const clicks = m.activity.filter((a) => a.action === 'click' && a.url && !Number.isNaN(Date.parse(a.timestamp))).length;
      e.opens += opens;
      e.clicks += clicks;
      if (opens + clicks > 0) e.recipients++;
      if (clicks > 0) e.clickers++;
    }
    out[c.id] = e;
  }
  return out;
}

describe('a Mailchimp source through the real options UI', () => {
  let ext: ExtensionHandle;
  let server: ProviderServer;
  // Campaigns sent in the last days, so the default 30-day lookback follows them all.
  const dataset = makeMailchimpDataset({ seed: 41, campaigns: 3, members: 40, firstSend: Date.now() - 5 * 86_400_000 });
  dataset.campaigns[1]!.settings.title = HOSTILE;
  const expected = expectedOf(dataset);
  // Every campaign has opens and clicks to count, so a count that is wrong cannot pass as zero.
  if (!Object.values(expected).every((e) => e.opens > 0 && e.clicks > 0)) throw new Error('fixture has an empty campaign');

  beforeAll(async () => {
    server = await startProviderServer({ mailchimp: dataset });
    ext = await launchExtension({ locale: 'en' });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  it('adds Mailchimp with its key and a base URL, runs, and the indicators match the fixture; labels stay text', async () => {
    const page = await ext.openPage('/options.html#/sources/new');
    await page.getByLabel('Source type').selectOption('mailchimp');
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('Mailchimp');
    await page.getByText('Opens and clicks of the campaigns sent in the last days', { exact: false }).waitFor();
    await page.getByText('Advanced', { exact: true }).click();
    await page.getByLabel('API base URL').fill(server.origin);
    await page.getByLabel('Page size').fill('15');

    // A key without its data centre is refused in the form, before anything is sent.
    await page.getByLabel('API key', { exact: true }).fill('0123456789abcdef0123456789abcdef');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/ending with its data centre/).waitFor();
    // A whole key the account does not know: Mailchimp refuses it, and the form says what to check.
    await page.getByLabel('API key', { exact: true }).fill('ffffffffffffffffffffffffffffffff-us6');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Check the API key: paste the whole key', { exact: false }).waitFor();
    // The right key: the test finds the campaigns.
    await page.getByLabel('API key', { exact: true }).fill(MAILCHIMP_TEST_KEY);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/^Found 3 deliveries/).waitFor();
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByText('“Mailchimp” was added', { exact: false }).waitFor();

    // The add started a run; one more once it is over, which must find nothing new.
    const workflow = await ext.openPage('/options.html#/workflow');
    await waitForStore(() => workflow, (s) => s.runs.length > 0 && s.runs.every((r) => r.status !== 'running'), 90_000);
    const before = (await readStore(workflow)).runs.length;
    await workflow.getByRole('button', { name: 'Run now' }).first().click();
    const store = await waitForStore(
      () => workflow,
      (s) => s.runs.length > before && s.runs.every((r) => r.status !== 'running'),
      90_000,
    );
    expect(store.runs.map((r) => r.status)).toEqual(store.runs.map(() => 'ok'));
    expect(store.runs.at(-1)!.sources.reduce((n, s) => n + s.stored, 0)).toBe(0);

    expectIndicators(store, 'mailchimp', expected);
    // The campaign title is stored as it came.
    expect(store.deliveries.find((d) => d.extId === dataset.campaigns[1]!.id)?.label).toBe(HOSTILE);

    // The key went as HTTP Basic to the fixture, and every request after the refused test was answered.
    const ok = server.handlers.mailchimp!.state.requests.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.every((r) => r.headers.authorization === `Basic ${Buffer.from(`tracking-logs:${MAILCHIMP_TEST_KEY}`).toString('base64')}`)).toBe(true);

    // The hostile title is shown as text in the deliveries list and on its delivery page, never as markup.
    const deliveries = await ext.openPage('/options.html#/deliveries');
    await deliveries.getByRole('link', { name: HOSTILE }).waitFor();
    expect(await deliveries.locator('img[src="x"]').count()).toBe(0);
    await deliveries.getByRole('link', { name: HOSTILE }).click();
    await deliveries.getByRole('heading', { name: HOSTILE }).waitFor();
    expect(await deliveries.locator('img[src="x"], b:text("sale")').count()).toBe(0);
    expect(await deliveries.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // The sources list names the account's host; the key is never shown back.
    const sources = await ext.openPage('/options.html#/sources');
    await sources.getByText(new URL(server.origin).host, { exact: false }).first().waitFor();
    await sources.getByRole('link', { name: /Edit Mailchimp/ }).click();
    await sources.getByText('Saved — leave empty to keep it').waitFor();
    expect(await sources.getByLabel('API key', { exact: true }).inputValue()).toBe('');
    for (const p of [page, workflow, deliveries, sources]) {
      expect(await p.locator('body').innerText()).not.toContain(MAILCHIMP_TEST_KEY);
      expect(ext.errorsOf(p).filter((e) => !e.includes('401'))).toEqual([]);
    }
  });
});
