import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailgunSource, TRAILING_WINDOW_S } from '../../../../lib/sources/mailgun';
import { makeMailgunItems, mailgunSamples, type MailgunDataset, type MailgunItem } from '../../../fixtures/providers/mailgun';
import { startProviderServer, type ProviderServer } from '../../../fixtures/providers/server';
import { countsOf, eventsOf, failure, providerContext, readAll, unique } from './provider-helpers';

const KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
const DOMAIN = 'samples.mailgun.org';
const mailgun = createMailgunSource();

describe('Mailgun adapter against the fixture Events API', () => {
  let server: ProviderServer;
  const data: MailgunDataset = { domain: DOMAIN, apiKey: KEY, items: [] };
  const config = () => ({ region: 'eu', domain: DOMAIN, baseUrl: server.origin });

  beforeAll(async () => {
    server = await startProviderServer({ mailgun: data });
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.clearFaults();
    server.requests.length = 0;
  });

  it('reads the documented sample events verbatim: ids per day, µs timestamps to ms, bot flags, rejections with reasons', async () => {
    const noId = mailgunSamples.botOpen(); // verbatim: the docs' bot sample has no id and no message
    data.items = [mailgunSamples.opened(), mailgunSamples.clicked(), mailgunSamples.unsubscribed(), mailgunSamples.delivered(), noId];
    const { ctx } = providerContext(config(), { apiKey: KEY }, { now: () => Date.UTC(2013, 7, 25) });
    const { pages } = await readAll(mailgun, ctx);
    const events = eventsOf(pages);
    expect(events.map((e) => [e.id, e.type, e.time])).toEqual([
      [`15938:-laxIqj9QWubsjY_3pTq_g`, 2, 1377047343042],
      [`15938:G5zMz2ysS6OxZ2C8xb2Tqg`, 1, 1377075564094],
      [`15939:W3X4JOhFT-OZidZGKKr9iA`, 3, 1377213791421],
    ]);
    expect(events[0]).toMatchObject({
      deliveryExtId: 'message:20130821005614.19826.35976@samples.mailgun.org',
      recipient: 'recipient@example.com',
      ip: '111.111.111.111',
      userAgent: expect.stringContaining('iPhone'),
    });
    expect(events[0]!.machine).toBeUndefined();
    expect(events[0]!.proxy).toBeUndefined();
    expect(events[1]!.url).toBe('http://example.com/signup');
    const records = pages[0]!.records;
    expect(records.urls).toEqual([
      { deliveryExtId: 'message:20130821085807.30688.67706@samples.mailgun.org', extId: 'http://example.com/signup', type: 1, url: 'http://example.com/signup' },
    ]);
    expect(records.deliveries.every((d) => d.trackingEnabled)).toBe(true);
    // `delivered` was not asked for; the id-less bot open is quarantined with its reason.
    expect(pages.reduce((n, p) => n + p.rejectedCount, 0)).toBe(1);
    expect(pages[0]!.rejected[0]!.reason).toMatch(/^id: /);
    // The key went as HTTP Basic api:<key>, and the query asked for ascending opens, clicks and unsubscribes.
    const first = server.requests[0]!;
    expect(first.authorization).toBe(`Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`);
    expect(new URLSearchParams(first.query).get('event')).toBe('opened OR clicked OR unsubscribed');
    expect(new URLSearchParams(first.query).get('ascending')).toBe('yes');
  });

  it('marks Apple and Gmail proxy opens as proxy, generic bots as machine', async () => {
    const withBot = (item: MailgunItem, id: string, bot: string): MailgunItem => {
      (item['client-info'] as Record<string, string>).bot = bot;
      return { ...item, id };
    };
    const apple = withBot(mailgunSamples.opened(), 'a1', 'apple');
    const gmail = withBot(mailgunSamples.opened(), 'g1', 'gmail');
    const scanner = withBot(mailgunSamples.clicked(), 's1', 'generic');
    data.items = [apple, gmail, scanner];
    const { ctx } = providerContext(config(), { apiKey: KEY }, { now: () => Date.UTC(2013, 7, 25) });
    const events = eventsOf((await readAll(mailgun, ctx)).pages);
    expect(events.map((e) => [e.id.split(':')[1], e.proxy, e.machine])).toEqual([
      ['a1', true, undefined],
      ['g1', true, undefined],
      ['s1', undefined, true],
    ]);
  });

  it('derives the event id from the day: the same id on another day is another event', async () => {
    const a = { ...mailgunSamples.opened(), id: 'same', timestamp: 1377047343.042277 };
    const b = { ...mailgunSamples.opened(), id: 'same', timestamp: 1377047343.042277 + 86_400 };
    data.items = [a, b];
    const { ctx } = providerContext(config(), { apiKey: KEY }, { now: () => Date.UTC(2013, 7, 25) });
    const events = eventsOf((await readAll(mailgun, ctx)).pages);
    expect(events.map((e) => e.id)).toEqual(['15938:same', '15939:same']);
  });

  it('follows paging.next across pages, then re-reads a trailing window where dedupe absorbs the overlap and late events are found', async () => {
    const gen = makeMailgunItems({ seed: 5, recipients: 300, start: 1_795_000_000 });
    data.items = gen.items;
    const now = (1_795_000_000 + 3 * 86_400) * 1000;
    const { ctx } = providerContext(config(), { apiKey: KEY }, { now: () => now });
    const first = await readAll(mailgun, ctx);
    expect(first.pages.length).toBeGreaterThan(2);
    expect(server.requests.slice(1).every((r) => /^\/v3\/[^/]+\/events\/[A-Za-z0-9_-]+$/.test(r.path))).toBe(true);
    const events = eventsOf(first.pages);
    expect(unique(events).length).toBe(events.length);
    expect(countsOf(events)).toEqual(gen.expected);
    const proxied = gen.items.filter((i) => (i['client-info'] as { bot?: string }).bot === 'apple').length;
    expect(events.filter((e) => e.proxy).length).toBe(proxied);

    // A late event, stored after the sweep with a time 10 minutes before the newest one.
    const newest = Math.max(...gen.items.map((i) => i.timestamp));
    const late = { ...mailgunSamples.opened(), id: 'late-one', timestamp: newest - 600, recipient: 'late@example.se', tags: ['winter-sale'] };
    data.items.push(late);
    const second = await readAll(mailgun, { ...ctx, cursor: first.cursor });
    const again = eventsOf(second.pages);
    const begin = Number(new URLSearchParams(server.requests.at(-second.pages.length)!.query).get('begin'));
    expect(begin).toBe(Math.floor(newest) - TRAILING_WINDOW_S);
    expect(again.some((e) => e.id.endsWith(':late-one'))).toBe(true);
    const seen = new Set(events.map((e) => e.id));
    expect(again.filter((e) => !seen.has(e.id)).map((e) => e.recipient)).toEqual(['late@example.se']);
  });

  it('rejects a click without a URL and an event without a usable time, keeping the rest of the page', async () => {
    const click = { ...mailgunSamples.clicked() };
    delete (click as Record<string, unknown>).url;
    // Epoch seconds as a string (the server's range filter lets it through by coercion, as a sloppy proxy might).
    const badTime = { ...mailgunSamples.opened(), id: 'bt', timestamp: '1377047343.042277' };
    data.items = [click, mailgunSamples.opened(), badTime as never];
    const { ctx } = providerContext(config(), { apiKey: KEY }, { now: () => Date.UTC(2013, 7, 25) });
    const page = await mailgun.fetchPage(ctx);
    expect(page.records.events).toHaveLength(1);
    expect(page.rejected.map((r) => r.reason).sort()).toEqual(['timestamp: expected epoch seconds', 'url: required for a click']);
    expect(page.rejectedCount).toBe(2);
    expect(page.fetched).toBe(3);
    expect(page.rejected.find((r) => r.reason.startsWith('url'))!.sample).toContain('G5zMz2ysS6OxZ2C8xb2Tqg');
  });

  it('maps failures to what a user can act on: wrong key, wrong domain, unreachable host, rate limits, server errors', async () => {
    data.items = [mailgunSamples.opened()];
    const at = { now: () => Date.UTC(2013, 7, 25) };
    expect((await failure(mailgun.fetchPage(providerContext(config(), { apiKey: 'wrong' }, at).ctx))).code).toBe('unauthorized');
    expect(
      (await failure(mailgun.fetchPage(providerContext({ ...config(), domain: 'other.example.com' }, { apiKey: KEY }, at).ctx))).code,
    ).toBe('not-found');
    expect(
      (await failure(mailgun.fetchPage(providerContext({ ...config(), baseUrl: 'http://127.0.0.1:1' }, { apiKey: KEY }, at).ctx))).code,
    ).toBe('network');
    expect((await failure(mailgun.fetchPage(providerContext(config(), {}, at).ctx))).params).toEqual({ field: 'apiKey' });

    server.setFault({ rateLimit: { count: 1, retryAfter: 3 }, serverError: { count: 1 } });
    const { ctx, waits, notes } = providerContext(config(), { apiKey: KEY }, at);
    const page = await mailgun.fetchPage(ctx);
    expect(page.records.events).toHaveLength(1);
    expect(waits).toEqual([3000, 2000]);
    expect(notes.map((n) => [n.code, n.params.status])).toEqual([
      ['retrying', 429],
      ['retrying', 503],
    ]);
    server.setFault({ rateLimit: { count: 10, retryAfter: 120 } });
    const limited = await failure(mailgun.fetchPage(providerContext(config(), { apiKey: KEY }, at).ctx));
    expect(limited.code).toBe('rate-limited');
    expect(limited.params.retryAfterSeconds).toBe(120);
  });

  it('never sends the key to a next link on another host', async () => {
    const cursor = JSON.stringify({ begin: 0, next: 'https://evil.example/v3/x/events/abc' });
    const { ctx } = providerContext(config(), { apiKey: KEY }, { cursor });
    const error = await failure(mailgun.fetchPage(ctx));
    expect(error.code).toBe('unparseable');
    expect(server.requests).toHaveLength(0);
  });
});
