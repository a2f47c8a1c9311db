import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectedCounts, makeDataset, startFeedServer, type Dataset, type FeedServer } from '../fixtures/feed-server';
import { FEED_CHANNEL } from '../../lib/sources/feed-thread';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore, waitForStore, type StoreView } from './store';

const TOKEN = 'e2e-secret-token-123';

/** The store's totals per delivery agree with counts computed from the fixture data alone. */
function expectStoreMatches(store: StoreView, dataset: Dataset): void {
  const expected = expectedCounts(dataset);
  let events = 0;
  for (const [deliveryExtId, counts] of Object.entries(expected)) {
    const key = Object.keys(store.totals).find((k) => k.endsWith(`/${deliveryExtId}`));
    expect(key, `totals of ${deliveryExtId}`).toBeDefined();
    const totals = store.totals[key!]!;
    expect(totals.events).toBe(counts.events);
    expect(totals.recipientOpen).toBe(counts.recipients);
    expect(totals.recipientClick).toBe(counts.clickers);
    expect(totals.totalRecipientClick).toBe(counts.byType[1]);
    expect(totals.rawOpens).toBe(counts.byType[2]);
    expect(totals.optOut).toBe(counts.byType[3]);
    expect(totals.mirrorPage).toBe(counts.byType[6]);
    events += counts.events;
  }
  expect(store.events).toBe(events);
}

async function addFeedThroughForm(ext: ExtensionHandle, url: string, label: string): Promise<void> {
  const page = await ext.openPage('/options.html#/sources/new');
  await page.getByLabel('Name', { exact: true }).fill(label);
  await page.getByLabel('Feed URL').fill(url);
  await page.getByLabel(/token/i).fill(TOKEN);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.getByText(/^Found /).waitFor();
  await page.getByRole('button', { name: 'Add source' }).click();
  await page.getByText(`“${label}” was added`, { exact: false }).waitFor();
}

describe('tracking log feed', () => {
  let ext: ExtensionHandle;
  let server: FeedServer;
  const dataset = makeDataset({ deliveries: 3, recipients: 1500, events: 12_000, seed: 7 });

  beforeAll(async () => {
    server = await startFeedServer({ dataset, maxLimit: 2_000, faults: { token: TOKEN } });
    ext = await launchExtension({ locale: 'en' });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });
  afterEach(() => server.clearFaults());

  it('is added in the tracking view, tested, fetched page by page with the token, and the popup shows it', async () => {
    server.setFault({ token: TOKEN });
    // Every target the browser opens from now on: the feed thread's offscreen document should be one.
    const watcher = await ext.openPage('/popup.html');
    const cdp = await ext.context.newCDPSession(watcher);
    const targets: string[] = [];
    // A target is announced before it has its address: its later changes say where it went.
    cdp.on('Target.targetCreated', (e: { targetInfo: { url: string } }) => targets.push(e.targetInfo.url));
    cdp.on('Target.targetInfoChanged', (e: { targetInfo: { url: string } }) => targets.push(e.targetInfo.url));
    await cdp.send('Target.setDiscoverTargets', { discover: true });
    // What crosses the extension's BroadcastChannel: the service worker and the thread should talk over their own
    // MessageChannel instead (lib/sources/feed-thread.ts), so nothing at all.
    await watcher.evaluate((name) => {
      const seen: string[] = [];
      (globalThis as { feedChannelSeen?: string[] }).feedChannelSeen = seen;
      new BroadcastChannel(name).onmessage = ({ data }: MessageEvent<{ kind?: string }>) => seen.push(String(data?.kind));
    }, FEED_CHANNEL);
    await addFeedThroughForm(ext, server.url('/feed'), 'Fixture ESP');
    const popup = await ext.openPage('/popup.html');
    const store = await waitForStore(() => popup, (s) => s.runs.some((r) => r.status !== 'running' && r.sources[0]?.stored));
    const run = store.runs.at(-1)!;
    expect(run.status).toBe('ok');
    expect(run.sources[0]).toMatchObject({ stored: 12_000, duplicates: 0, rejected: 0 });
    expectStoreMatches(store, dataset);
    expect(server.requests.filter((r) => r.path === '/feed').every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
    // The pages were fetched and parsed on the feed thread: its offscreen document was opened, and closed once the
    // feed had nothing more.
    expect(targets.some((u) => u.endsWith('/offscreen.html'))).toBe(true);
    expect(await watcher.evaluate(() => (globalThis as { feedChannelSeen?: string[] }).feedChannelSeen)).toEqual([]);
    await expect
      .poll(() => popup.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length))
      .toBe(0);
    await cdp.detach();
    await watcher.close();
    await popup.getByText('Healthy', { exact: true }).first().waitFor();
    await popup.getByText('Fixture ESP').first().waitFor();
  });

  it('rides out a rate limit with Retry-After, and quarantines bad records with their reasons', async () => {
    const more = makeDataset({ deliveries: 1, recipients: 200, events: 500, seed: 8 });
    server.append({ events: more.events.map((e) => ({ ...e, delivery: dataset.deliveries[0]!.id })) });
    server.setFault({
      token: TOKEN,
      rateLimit: { count: 1, retryAfter: 1 },
      inject: { lines: ['{"kind":"event","id":"bad-1","delivery":"D","recipient":"x@y.z","type":"open","time":"yesterday"}', 'not json at all'] },
    });
    const page = await ext.openPage('/options.html#/workflow');
    const before = (await readStore(page)).runs.length;
    await page.getByRole('button', { name: 'Run now' }).first().click();
    const store = await waitForStore(() => page, (s) => s.runs.length > before && s.runs.at(-1)!.status !== 'running');
    const run = store.runs.at(-1)!;
    expect(run.status).toBe('warning');
    expect(run.sources[0]).toMatchObject({ stored: 500, rejected: 2 });
    expect(run.log.map((i) => i.code)).toEqual(expect.arrayContaining(['retrying', 'rejected']));
    expect(run.rejectedSamples.length).toBe(2);
    // The run's page shows the reasons as text.
    const runPage = await ext.openPage(`/options.html#/workflow/runs/${store.runs.at(-1)!.id}`);
    await runPage.getByText('not json at all').first().waitFor();
  });

  it('fails the source with a message a marketer understands when the token is refused', async () => {
    server.setFault({ token: 'another-token' });
    const popup = await ext.openPage('/popup.html');
    const before = (await readStore(popup)).runs.length;
    await popup.getByRole('button', { name: 'Run now' }).click();
    await waitForStore(() => popup, (s) => s.runs.length > before && s.runs.at(-1)!.status === 'error');
    await popup.getByText('Failing', { exact: true }).first().waitFor();
    await popup.getByText(/refused the credentials/).first().waitFor();
    expect(await popup.locator('body').innerText()).not.toContain(TOKEN);
    // The toolbar badge says so too.
    await expect.poll(() => ext.evalInWorker(() => chrome.action.getBadgeText({}), null), { timeout: 10_000 }).toBe('!');
  });
});

describe('a service worker stopped in the middle of a run', () => {
  let ext: ExtensionHandle;
  let server: FeedServer;
  const dataset = makeDataset({ deliveries: 2, recipients: 1000, events: 8_000, seed: 11 });

  beforeAll(async () => {
    // Small, slow pages so the stop lands between commits and inside fetches.
    server = await startFeedServer({ dataset, maxLimit: 500, faults: { delayMs: 300 } });
    ext = await launchExtension({ locale: 'en' });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  it('is marked interrupted on wake, and the store ends equal to one clean run', async () => {
    await addFeedThroughForm(ext, server.url('/feed'), 'Slow feed');
    const page = await ext.openPage('/options.html#/workflow');
    // Let a few pages commit, then stop the worker as Chrome does.
    await waitForStore(() => page, (s) => s.events >= 1500, 60_000);
    await ext.stopServiceWorker();
    const cut = await readStore(page);
    expect(cut.events).toBeLessThan(8_000);
    expect(cut.runs.at(-1)!.status).toBe('running'); // nobody could say otherwise yet
    // Waking the worker (a message from a page) marks the dead run and resumes from the committed cursor.
    server.setFault({ delayMs: 0 });
    await page.reload();
    await page.getByRole('button', { name: 'Run now' }).first().click();
    const store = await waitForStore(
      () => page,
      (s) => s.runs.length >= 2 && s.runs.every((r) => r.status !== 'running') && s.events === 8_000,
      90_000,
    );
    expect(store.runs[0]!.status).toBe('interrupted');
    expect(store.runs.slice(1).every((r) => r.status === 'ok')).toBe(true);
    expect(store.runs.reduce((n, r) => n + (r.sources[0]?.duplicates ?? 0), 0)).toBe(0);
    expectStoreMatches(store, dataset);
    await page.getByText('Interrupted').first().waitFor();
  });
});
