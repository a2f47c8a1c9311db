import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeMailgunItems } from '../fixtures/providers/mailgun';
import { makePostmarkRows } from '../fixtures/providers/postmark';
import { startProviderServer, type ProviderServer } from '../fixtures/providers/server';
import { launchExtension, type ExtensionHandle } from './harness';
import { expectIndicators, readStore, waitForStore } from './store';

const MAILGUN_KEY = 'key-e2e-mailgun-5b1c9d';
const POSTMARK_TOKEN = 'e2e-postmark-server-token-77';
const DOMAIN = 'mg.example.com';

async function openAdvanced(page: Page): Promise<void> {
  await page.getByText('Advanced', { exact: true }).click();
}

describe('provider sources through the real options UI', () => {
  let ext: ExtensionHandle;
  let server: ProviderServer;
  // Mailgun items in the last days, so the first sweep (30 days back) takes them all.
  const mailgun = makeMailgunItems({ seed: 31, recipients: 250, start: Math.floor(Date.now() / 1000) - 3 * 86_400 });
  const postmark = makePostmarkRows({ seed: 32, recipients: 400 });

  beforeAll(async () => {
    server = await startProviderServer({
      mailgun: { domain: DOMAIN, apiKey: MAILGUN_KEY, items: mailgun.items },
      postmark: { token: POSTMARK_TOKEN, opens: postmark.opens, clicks: postmark.clicks },
    });
    ext = await launchExtension({ locale: 'en' });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  it('adds Mailgun (after a refused key is explained) and Postmark, runs, and the indicators match the fixture', async () => {
    const page = await ext.openPage('/options.html#/sources/new');
    await page.getByLabel('Source type').selectOption('mailgun');
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('Mailgun');
    await page.getByLabel('Name', { exact: true }).fill('Mailgun newsletters');
    await page.getByLabel('Region').selectOption('eu');
    await page.getByLabel('Sending domain').fill(DOMAIN);
    await openAdvanced(page);
    await page.getByLabel('API base URL').fill(server.origin);
    // A wrong key: the test says what happened and what to check.
    await page.getByLabel('Private API key').fill('key-wrong');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/refused the credentials/).waitFor();
    await page.getByText('Check the API key or token').waitFor();
    // A wrong domain: not found, check the domain and region.
    await page.getByLabel('Private API key').fill(MAILGUN_KEY);
    await page.getByLabel('Sending domain').fill('other.example.com');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Check the domain and the region').waitFor();
    await page.getByLabel('Sending domain').fill(DOMAIN);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/^Found /).waitFor();
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByText('“Mailgun newsletters” was added', { exact: false }).waitFor();

    const pm = await ext.openPage('/options.html#/sources/new');
    await pm.getByLabel('Source type').selectOption('postmark');
    await pm.getByLabel('Name', { exact: true }).fill('Postmark transactional');
    await pm.getByLabel('Server API token').fill(POSTMARK_TOKEN);
    await openAdvanced(pm);
    await pm.getByLabel('API base URL').fill(server.origin);
    await pm.getByRole('button', { name: 'Test connection' }).click();
    await pm.getByText(/^Found /).waitFor();
    await pm.getByRole('button', { name: 'Add source' }).click();
    await pm.getByText('“Postmark transactional” was added', { exact: false }).waitFor();

    // Each add started a run; one more after both are in, so both have been read whatever the overlap was.
    const workflow = await ext.openPage('/options.html#/workflow');
    await waitForStore(() => workflow, (s) => s.runs.length > 0 && s.runs.every((r) => r.status !== 'running'));
    const before = (await readStore(workflow)).runs.length;
    await workflow.getByRole('button', { name: 'Run now' }).first().click();
    const store = await waitForStore(
      () => workflow,
      (s) => s.runs.length > before && s.runs.every((r) => r.status !== 'running'),
      90_000,
    );
    const last = store.runs.at(-1)!;
    expect(last.status).toBe('ok');
    expect(last.sources).toHaveLength(2);
    expectIndicators(store, 'mailgun', mailgun.expected);
    expectIndicators(store, 'postmark', postmark.expected);
    // The last run re-read Mailgun's trailing window and Postmark's newest rows: nothing stored twice.
    expect(last.sources.reduce((n, s) => n + s.stored, 0)).toBe(0);

    // Keys went as each provider wants them, and never show up in the pages.
    const mg = server.requests.filter((r) => r.path.startsWith('/v3/') && r.status === 200);
    expect(mg.length).toBeGreaterThan(0);
    expect(mg.every((r) => r.authorization === `Basic ${Buffer.from(`api:${MAILGUN_KEY}`).toString('base64')}`)).toBe(true);
    expect(server.requests.filter((r) => r.path.startsWith('/messages/')).every((r) => r.postmarkToken === POSTMARK_TOKEN)).toBe(true);

    const sources = await ext.openPage('/options.html#/sources');
    await sources.getByText(`${DOMAIN} · 127.0.0.1`, { exact: false }).waitFor();
    await sources.getByRole('link', { name: /Edit Mailgun newsletters/ }).click();
    await sources.getByText('Saved — leave empty to keep it').waitFor();
    expect(await sources.getByLabel('Private API key').inputValue()).toBe('');
    for (const p of [page, pm, workflow, sources]) {
      const text = await p.locator('body').innerText();
      expect(text).not.toContain(MAILGUN_KEY);
      expect(text).not.toContain(POSTMARK_TOKEN);
      expect(ext.errorsOf(p).filter((e) => !e.includes('401') && !e.includes('404'))).toEqual([]);
    }
  });
});
