import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventType } from '../../../../lib/event-types';
import {
  brevoConfigSchema,
  brevoDeliveryOf,
  brevoHostPermissions,
  brevoSource,
  brevoWindow,
  testBrevoConnection,
  type BrevoCursor,
} from '../../../../lib/sources/brevo';
import { shortHash } from '../../../../lib/sources/pull-common';
import { SourceError } from '../../../../lib/sources/source';
import { BREVO_TEST_KEY, brevoExpected, createBrevoHandler, makeBrevoDataset, type BrevoHandler } from '../../../fixtures/providers/brevo';
import { distinctEvents, eventsOf, readPages, serve, testContext, type LoopbackServer } from '../../../fixtures/providers/pull-fixture-util';

const NOW = Date.UTC(2024, 2, 5, 18);
const SECRET = JSON.stringify({ apiKey: BREVO_TEST_KEY });

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected a SourceError');
}

describe('brevo windows and grouping', () => {
  const config = brevoConfigSchema.parse({ lookbackDays: 10 });

  it('starts lookbackDays back, ends today, and clips a window to 90 days', () => {
    expect(brevoWindow(null, NOW, config)).toEqual({ v: 1, start: '2024-02-25', end: '2024-03-05', offset: 0 });
    const old: BrevoCursor = { v: 1, start: '2023-01-01', end: '2024-03-05', offset: 500 };
    expect(brevoWindow(JSON.stringify(old), NOW, config)).toEqual({ v: 1, start: '2023-12-07', end: '2024-03-05', offset: 0 });
    expect(brevoWindow('{not json', NOW, config).start).toBe('2024-02-25');
  });

  it('groups events by template, else tag, else subject', () => {
    expect(brevoDeliveryOf({ templateId: 1834, subject: 'test', tag: '' })).toEqual({ extId: 'template:1834', label: 'test' });
    expect(brevoDeliveryOf({ tag: 'invoice', subject: 'Invoice' })).toEqual({ extId: 'tag:invoice', label: 'Invoice' });
    expect(brevoDeliveryOf({ subject: 'Hi' })).toEqual({ extId: `subject:${shortHash('Hi')}`, label: 'Hi' });
    expect(brevoHostPermissions({})).toEqual(['https://api.brevo.com/*']);
  });
});

describe('brevoSource against the fixture', () => {
  let server: LoopbackServer;
  let handler: BrevoHandler;
  const config = () => ({ baseUrl: server.origin, pageSize: 50, lookbackDays: 5 });

  beforeAll(async () => {
    handler = createBrevoHandler(makeBrevoDataset({ days: 5, perDay: 60, invalid: true }), NOW);
    server = await serve(handler);
  });
  afterAll(() => server.close());
  afterEach(() => {
    handler.state.clear();
    handler.blockIp = false;
  });

  it('pages by offset through the window and keeps opens, proxy opens, clicks and opt-outs', async () => {
    const { ctx } = testContext(config(), SECRET, NOW);
    const { pages, done, cursor } = await readPages(brevoSource, ctx);
    expect(done).toBe(true);
    const expected = brevoExpected(handler.dataset.events);
    const events = eventsOf(pages);
    expect(distinctEvents(pages).size).toBe(events.length);
    expect(events.filter((e) => e.type === EventType.open)).toHaveLength(expected.opens);
    expect(events.filter((e) => e.proxy)).toHaveLength(expected.proxyOpens);
    expect(events.filter((e) => e.type === EventType.click)).toHaveLength(expected.clicks);
    expect(events.filter((e) => e.type === EventType.optOut)).toHaveLength(expected.optOuts);
    expect(pages.reduce((n, p) => n + p.rejectedCount, 0)).toBe(expected.rejected);
    expect(pages.reduce((n, p) => n + p.fetched, 0)).toBe(handler.dataset.events.length);

    const requests = handler.state.requests;
    expect(requests.length).toBe(Math.ceil((handler.dataset.events.length + 1) / 50));
    expect(requests.map((r) => r.query.get('offset')).slice(0, 3)).toEqual(['0', '50', '100']);
    expect(requests[0]!.query.get('sort')).toBe('asc');
    expect(requests[0]!.query.get('startDate')).toBe('2024-03-01');
    expect(requests[0]!.query.get('endDate')).toBe('2024-03-05');
    expect(requests[0]!.headers['api-key']).toBe(BREVO_TEST_KEY);
    expect(JSON.parse(cursor!)).toEqual({ v: 1, start: '2024-03-01', end: '2024-03-05', offset: handler.dataset.events.length });
  });

  it('maps the documented click verbatim, with a derived id', async () => {
    const { pages } = await readPages(brevoSource, testContext(config(), SECRET, NOW).ctx);
    const time = Date.parse('2024-03-01T10:02:11.000+01:00');
    const click = eventsOf(pages).find((e) => e.recipient === 'jane@example.com')!;
    expect(click).toEqual({
      id: `brevo:<202403010901.1234567890@smtp-relay.mailin.fr>:clicks:${time}:${shortHash('https://example.com/pay')}`,
      deliveryExtId: 'tag:invoice',
      recipient: 'jane@example.com',
      type: EventType.click,
      time,
      ip: '203.0.113.7',
      url: 'https://example.com/pay',
      urlExtId: 'https://example.com/pay',
    });
    const deliveries = pages.flatMap((p) => p.records.deliveries);
    expect(deliveries.find((d) => d.extId === 'tag:invoice')).toEqual({ extId: 'tag:invoice', label: 'Invoice', subject: 'Invoice', trackingEnabled: true });
    // The documented "requests" event is a send, not a tracking event: skipped, not rejected.
    expect(eventsOf(pages).some((e) => e.recipient === 'test@sendinblue.com')).toBe(false);
    expect(pages.flatMap((p) => p.rejected).some((r) => r.sample.includes('test@sendinblue.com'))).toBe(false);
  });

  it('rejects bad records with reasons and keeps the rest of the page', async () => {
    const { pages } = await readPages(brevoSource, testContext(config(), SECRET, NOW).ctx);
    const reasons = pages.flatMap((p) => p.rejected.map((r) => r.reason)).sort();
    expect(reasons).toEqual(['date: not an ISO 8601 date-time', 'email: Invalid input: expected string, received undefined', 'link: a click without link']);
  });

  it('reads only new events on the next run, and moves the window on when a day has passed', async () => {
    const first = await readPages(brevoSource, testContext(config(), SECRET, NOW).ctx);
    const added = { email: 'late@example.com', date: new Date(NOW + 60_000).toISOString(), messageId: '<late@x>', event: 'opened', subject: 'Welcome' };
    handler.dataset.events.push(added);
    handler.state.clear();
    const second = await readPages(brevoSource, { ...testContext(config(), SECRET, NOW + 3_600_000).ctx, cursor: first.cursor });
    expect(eventsOf(second.pages).map((e) => e.recipient)).toEqual(['late@example.com']);
    expect(handler.state.requests).toHaveLength(1);

    // The next day: the old window is finished from its offset, then the last day is read again from its start.
    handler.state.clear();
    const nextDay = NOW + 86_400_000;
    const third = await readPages(brevoSource, { ...testContext(config(), SECRET, nextDay).ctx, cursor: second.cursor });
    const lastDay = handler.dataset.events.filter((e) => e.date.startsWith('2024-03-05')).length;
    const pagesOfLastDay = Math.floor(lastDay / 50) + 1;
    expect(handler.state.requests.map((r) => [r.query.get('startDate'), r.query.get('endDate'), r.query.get('offset')])).toEqual([
      ['2024-03-01', '2024-03-05', String(handler.dataset.events.length)],
      ...Array.from({ length: pagesOfLastDay }, (_, i) => ['2024-03-05', '2024-03-06', String(i * 50)]),
    ]);
    expect(third.pages.reduce((n, p) => n + p.fetched, 0)).toBe(lastDay);
    expect(JSON.parse(third.cursor!)).toMatchObject({ start: '2024-03-05', end: '2024-03-06' });
    handler.dataset.events.pop();
  });

  it('tells a wrong key from a blocked IP address, and honours Retry-After', async () => {
    const wrong = await failure(brevoSource.fetchPage(testContext(config(), 'xkeysib-wrong-key-000000', NOW).ctx));
    expect(wrong.code).toBe('unauthorized');
    handler.blockIp = true;
    expect((await failure(brevoSource.fetchPage(testContext(config(), SECRET, NOW).ctx))).code).toBe('ip-not-allowed');
    handler.blockIp = false;
    expect((await failure(brevoSource.fetchPage(testContext(config(), undefined, NOW).ctx))).code).toBe('credentials-missing');

    handler.state.setFault({ rateLimit: { count: 2, retryAfter: 3 } });
    const t = testContext(config(), BREVO_TEST_KEY, NOW);
    const page = await brevoSource.fetchPage(t.ctx);
    expect(page.fetched).toBe(50);
    expect(t.waits).toEqual([3000, 3000]);
    handler.state.setFault({ rateLimit: { count: 1, retryAfter: 3600 } });
    const limited = await failure(brevoSource.fetchPage(testContext(config(), SECRET, NOW).ctx));
    expect(limited.code).toBe('rate-limited');
    expect(limited.params.retryAfterSeconds).toBe(3600);
  });

  it('tests the connection: the account and recent events', async () => {
    const summary = await testBrevoConnection(testContext(config(), SECRET, NOW).ctx);
    expect(summary).toEqual({ host: new URL(server.origin).host, account: 'Example AB', events: 100 });
    handler.blockIp = true;
    expect((await failure(testBrevoConnection(testContext(config(), SECRET, NOW).ctx))).code).toBe('ip-not-allowed');
  });
});
