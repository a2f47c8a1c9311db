import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSparkPostSource, TRAILING_WINDOW_MS } from '../../../../lib/sources/sparkpost';
import { startProviderServer, type ProviderServer } from '../../../fixtures/providers/server';
import { makeSparkPostResults, sparkpostSamples, type SparkPostDataset } from '../../../fixtures/providers/sparkpost';
import { eventsOf, failure, providerContext, readAll, unique } from './provider-helpers';
import { eventList } from '../../../../lib/sources/packed-events';

const KEY = '5f1f0e8b3c2d4a1e9b7c6d5e4f3a2b1c0d9e8f7a';
const sparkpost = createSparkPostSource();

describe('SparkPost adapter against the fixture Events API', () => {
  let server: ProviderServer;
  const data: SparkPostDataset = { apiKey: KEY, results: [] };
  const config = () => ({ region: 'eu', baseUrl: server.origin });

  beforeAll(async () => {
    server = await startProviderServer({ sparkpost: data });
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.clearFaults();
    server.requests.length = 0;
  });

  it('reads the documented click: event_id kept as a string, campaign as the delivery, link name as the label, raw key header', async () => {
    data.results = sparkpostSamples.click().results;
    const { ctx } = providerContext(config(), { apiKey: KEY }, { now: () => Date.UTC(2016, 3, 20) });
    const page = await sparkpost.fetchPage(ctx);
    expect(eventList(page.records.events)).toEqual([
      {
        id: '92356927693813856',
        deliveryExtId: 'campaign:Example Campaign Name',
        recipient: 'recipient@example.com',
        type: 1,
        time: Date.UTC(2016, 3, 18, 14, 25, 7),
        url: 'http://example.com',
        userAgent: expect.stringContaining('Chrome/41'),
        ip: '127.0.0.1',
      },
    ]);
    expect(page.records.urls).toEqual([
      { deliveryExtId: 'campaign:Example Campaign Name', extId: 'http://example.com', type: 1, url: 'http://example.com', label: 'Example Link Name' },
    ]);
    expect(page.records.deliveries[0]).toMatchObject({ label: 'Example Campaign Name', subject: 'Summer deals are here!', trackingEnabled: true });
    expect(page.done).toBe(true);
    expect(server.requests[0]!.authorization).toBe(KEY);
    const q = new URLSearchParams(server.requests[0]!.query);
    expect(q.get('cursor')).toBe('initial');
    expect(q.get('events')).toContain('initial_open');
    expect(q.get('to')).toBe('2016-04-19T23:59:00Z');
  });

  it('follows links.next cursors to the end, and the next sweep starts 30 minutes before the last one ended', async () => {
    const gen = makeSparkPostResults({ seed: 9, recipients: 1500, start: Date.UTC(2026, 10, 20) });
    data.results = gen.results;
    const now = Date.UTC(2026, 10, 24);
    const { ctx } = providerContext(config(), { apiKey: KEY }, { now: () => now });
    const first = await readAll(sparkpost, ctx);
    expect(first.pages.length).toBeGreaterThan(1);
    expect(server.requests.slice(1).every((r) => new URLSearchParams(r.query).get('cursor') !== 'initial')).toBe(true);
    const events = eventsOf(first.pages);
    expect(unique(events).length).toBe(gen.results.length);
    // Both pixels of a view are opens (the store's one-minute rule keeps one); 64-bit ids survive as strings.
    expect(events.filter((e) => e.type === 2).length).toBe(2 * Object.values(gen.expected).reduce((n, d) => n + d.opens, 0));
    expect(events.every((e) => /^\d{17}$/.test(e.id))).toBe(true);
    expect(new Set(events.map((e) => e.id)).has('92356927693813857')).toBe(true);

    server.requests.length = 0;
    await readAll(sparkpost, { ...ctx, cursor: first.cursor, now: () => now + 3_600_000 });
    const q = new URLSearchParams(server.requests[0]!.query);
    expect(Date.parse(q.get('from')!)).toBe(now - 60_000 - TRAILING_WINDOW_MS);
  });

  it('rejects an event_id that arrived as an unsafe JSON number, and a click without its link, with reasons', async () => {
    const [click] = sparkpostSamples.click().results;
    data.results = [
      { ...click!, event_id: 92356927693813856 as never },
      { ...click!, event_id: '1', target_link_url: undefined as never },
      { ...click!, event_id: '2' },
    ];
    const page = await sparkpost.fetchPage(providerContext(config(), { apiKey: KEY }, { now: () => Date.UTC(2016, 3, 20) }).ctx);
    expect(eventList(page.records.events).map((e) => e.id)).toEqual(['2']);
    expect(page.rejected.map((r) => r.reason).sort()).toEqual([
      'event_id: a number beyond 2^53: digits already lost, expected a string',
      'target_link_url: required for a click',
    ]);
  });

  it('maps a refused key, rate limits and server errors', async () => {
    data.results = sparkpostSamples.click().results;
    const at = { now: () => Date.UTC(2016, 3, 20) };
    expect((await failure(sparkpost.fetchPage(providerContext(config(), { apiKey: 'wrong' }, at).ctx))).code).toBe('unauthorized');
    server.setFault({ rateLimit: { count: 2, retryAfter: 2 } });
    const { ctx, waits } = providerContext(config(), { apiKey: KEY }, at);
    expect(eventList((await sparkpost.fetchPage(ctx)).records.events)).toHaveLength(1);
    expect(waits).toEqual([2000, 2000]);
    server.setFault({ serverError: { count: 9 } });
    expect((await failure(sparkpost.fetchPage(providerContext(config(), { apiKey: KEY }, at).ctx))).code).toBe('server-error');
  });
});
