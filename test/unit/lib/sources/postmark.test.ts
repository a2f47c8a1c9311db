import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostmarkSource, POSTMARK_ROW_CEILING } from '../../../../lib/sources/postmark';
import { makePostmarkRows, postmarkSamples, postmarkTime, type PostmarkDataset } from '../../../fixtures/providers/postmark';
import { startProviderServer, type ProviderServer } from '../../../fixtures/providers/server';
import { countsOf, eventsOf, failure, providerContext, readAll, unique } from './provider-helpers';
import { eventList } from '../../../../lib/sources/packed-events';

const TOKEN = 'f5d5c3a2-0000-4000-8000-postmarktoken';
const postmark = createPostmarkSource();

describe('Postmark adapter against the fixture opens and clicks APIs', () => {
  let server: ProviderServer;
  const data: PostmarkDataset = { token: TOKEN, opens: [], clicks: [] };
  const config = () => ({ baseUrl: server.origin });

  beforeAll(async () => {
    server = await startProviderServer({ postmark: data });
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.clearFaults();
    server.requests.length = 0;
  });

  it('reads the documented samples: 7-digit times with offsets exact to the ms, derived ids, tags as deliveries, click URLs', async () => {
    data.opens = postmarkSamples.opens().Opens;
    data.clicks = postmarkSamples.clicks().Clicks;
    const { ctx } = providerContext(config(), { serverToken: TOKEN });
    const { pages } = await readAll(postmark, ctx);
    const events = eventsOf(pages);
    const openAt = Date.UTC(2014, 3, 30, 9, 4, 23, 876); // 05:04:23.8768746-04:00
    const clickAt = Date.UTC(2014, 1, 14, 16, 13, 10, 805); // 11:13:10.8054242-05:00
    expect(events.map((e) => [e.id, e.type, e.time, e.deliveryExtId])).toEqual([
      [`open:927e56d4-dc66-4070-bbf0-1db76c2ae14b:john.doe@yahoo.com:${openAt}`, 2, openAt, 'tag:welcome-user'],
      // Newest first, as Postmark answers.
      [
        `click:927e56d4-dc66-4c01-a0be-645b4b6f5fd7:jane.doe@gmail.com:${clickAt + 120_000}:http://example.com/another-link`,
        1,
        clickAt + 120_000,
        'tag:Invitation',
      ],
      [`click:927e56d4-dc66-4c01-a0be-645b4b6f5fd7:john.doe@yahoo.com:${clickAt}:http://example.com/click-me`, 1, clickAt, 'tag:Invitation'],
    ]);
    expect(events[0]).toMatchObject({ ip: '188.2.95.4', userAgent: expect.stringContaining('Chrome/34') });
    expect(events[2]!.url).toBe('http://example.com/click-me');
    expect(pages.flatMap((p) => p.records.urls).map((u) => u.url)).toEqual(['http://example.com/another-link', 'http://example.com/click-me']);
    expect(pages.flatMap((p) => p.records.deliveries).map((d) => d.extId)).toEqual(['tag:welcome-user', 'tag:Invitation']);
    expect(server.requests.map((r) => [r.path, r.postmarkToken])).toEqual([
      ['/messages/outbound/opens', TOKEN],
      ['/messages/outbound/clicks', TOKEN],
    ]);
    expect(pages.at(-1)!.done).toBe(true);
  });

  it('parses 7 fractional digits exactly: truncates, never rounds into the next second', async () => {
    const row = { ...postmarkSamples.opens().Opens[0]!, ReceivedAt: '2026-11-18T23:59:59.9999999+01:00' };
    data.opens = [row];
    data.clicks = [];
    const page = await postmark.fetchPage(providerContext(config(), { serverToken: TOKEN }).ctx);
    expect(eventList(page.records.events)[0]!.time).toBe(Date.UTC(2026, 10, 18, 22, 59, 59, 999));
  });

  it('pages 500 at a time newest first, and a later sweep stops once it reaches what the last one saw', async () => {
    const gen = makePostmarkRows({ seed: 4, recipients: 700 });
    data.opens = gen.opens;
    data.clicks = gen.clicks;
    expect(gen.opens.length).toBeGreaterThan(500);
    const { ctx } = providerContext(config(), { serverToken: TOKEN });
    const first = await readAll(postmark, ctx);
    const events = eventsOf(first.pages);
    expect(unique(events).length).toBe(events.length);
    expect(countsOf(events)).toEqual(gen.expected);
    expect(server.requests.every((r) => Number(new URLSearchParams(r.query).get('count')) <= 500)).toBe(true);

    // New opens arrive; the next sweep reads from the top and stops after passing the previous newest (less 30 min).
    server.requests.length = 0;
    const newest = Math.max(...gen.opens.map((o) => Date.parse(o.ReceivedAt.replace(/(\.\d{3})\d+/, '$1'))));
    const fresh = { ...postmarkSamples.opens().Opens[0]!, Recipient: 'new@example.se', Tag: 'welcome-user', ReceivedAt: postmarkTime(newest + 3_600_000, 5) };
    data.opens.push(fresh);
    const second = await readAll(postmark, { ...ctx, cursor: first.cursor });
    expect(server.requests.filter((r) => r.path.endsWith('/opens'))).toHaveLength(1);
    const seen = new Set(events.map((e) => e.id));
    expect(eventsOf(second.pages).filter((e) => !seen.has(e.id)).map((e) => e.recipient)).toEqual(['new@example.se']);
  });

  it('stops at the 10 000-row ceiling with a warning instead of asking beyond it', async () => {
    const template = postmarkSamples.opens().Opens[0]!;
    const start = Date.UTC(2026, 10, 1);
    data.opens = Array.from({ length: POSTMARK_ROW_CEILING + 700 }, (_, i) => ({
      ...template,
      Recipient: `r${i}@example.se`,
      ReceivedAt: postmarkTime(start + i * 1000),
    }));
    data.clicks = [];
    const { ctx, notes } = providerContext(config(), { serverToken: TOKEN });
    const { pages } = await readAll(postmark, ctx);
    expect(eventsOf(pages)).toHaveLength(POSTMARK_ROW_CEILING);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
    expect(notes.map((n) => n.code)).toEqual(['row-ceiling']);
  });

  it('quarantines rows without a recipient or with a time it cannot read exactly, with the reason', async () => {
    const [good] = postmarkSamples.opens().Opens;
    const noRecipient = { ...good!, Recipient: undefined };
    const noOffset = { ...good!, Recipient: 'x@example.se', ReceivedAt: '2014-04-30T05:04:23.8768746' };
    data.opens = [good!, noRecipient as never, noOffset];
    data.clicks = [];
    const page = await postmark.fetchPage(providerContext(config(), { serverToken: TOKEN }).ctx);
    expect(eventList(page.records.events)).toHaveLength(1);
    expect(page.rejected.map((r) => r.reason).sort()).toEqual(['ReceivedAt: not an ISO date-time with an offset', 'Recipient: Invalid input: expected string, received undefined']);
  });

  it('maps a refused token, rate limits and server errors, and filters by message stream', async () => {
    data.opens = postmarkSamples.opens().Opens;
    expect((await failure(postmark.fetchPage(providerContext(config(), { serverToken: 'nope' }).ctx))).code).toBe('unauthorized');
    server.setFault({ rateLimit: { count: 1, retryAfter: 1 }, serverError: { count: 1, status: 500 } });
    const { ctx, waits } = providerContext({ ...config(), messageStream: 'outbound' }, { serverToken: TOKEN });
    await postmark.fetchPage(ctx);
    expect(waits).toEqual([1000, 2000]);
    expect(new URLSearchParams(server.requests.at(-1)!.query).get('messagestream')).toBe('outbound');
  });
});
