import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventType } from '../../../../lib/event-types';
import {
  mailchimpConfigSchema,
  mailchimpHostPermissions,
  mailchimpOrigin,
  mailchimpSource,
  SINCE_OVERLAP_MS,
  testMailchimpConnection,
  type MailchimpCursor,
} from '../../../../lib/sources/mailchimp';
import { shortHash } from '../../../../lib/sources/pull-common';
import { SourceError } from '../../../../lib/sources/source';
import {
  createMailchimpHandler,
  MAILCHIMP_TEST_KEY,
  mailchimpExpected,
  makeMailchimpDataset,
  type MailchimpHandler,
} from '../../../fixtures/providers/mailchimp';
import { distinctEvents, eventsOf, readPages, serve, testContext, type LoopbackServer } from '../../../fixtures/providers/pull-fixture-util';
import { eventCount } from '../../../../lib/sources/packed-events';

const NOW = Date.UTC(2024, 0, 20, 12);
const SECRET = JSON.stringify({ apiKey: MAILCHIMP_TEST_KEY });

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected a SourceError');
}

describe('mailchimp config and secret', () => {
  it('takes the host from the key’s data centre, unless a base URL is set', () => {
    const config = mailchimpConfigSchema.parse({});
    expect(config).toEqual({ lookbackDays: 30, pageSize: 1000 });
    expect(mailchimpOrigin(config, 'abc123abc123-us19')).toBe('https://us19.api.mailchimp.com');
    expect(mailchimpOrigin({ ...config, baseUrl: 'http://127.0.0.1:9/' }, 'abc123abc123-us19')).toBe('http://127.0.0.1:9');
    expect(mailchimpHostPermissions({}, JSON.stringify({ apiKey: MAILCHIMP_TEST_KEY }))).toEqual(['https://us6.api.mailchimp.com/*']);
    expect(mailchimpHostPermissions({}, MAILCHIMP_TEST_KEY)).toEqual(['https://us6.api.mailchimp.com/*']);
    expect(mailchimpHostPermissions({}, undefined)).toEqual(['https://*.api.mailchimp.com/*']);
    expect(mailchimpHostPermissions({ baseUrl: 'http://127.0.0.1:8080/x' })).toEqual(['http://127.0.0.1:8080/*']);
  });

  it('refuses a missing secret, a key without its data centre and unreadable JSON, without echoing the secret', async () => {
    const run = (secret: string | undefined) => failure(mailchimpSource.fetchPage(testContext({}, secret, NOW).ctx));
    expect((await run(undefined)).code).toBe('credentials-missing');
    const noDc = await run(JSON.stringify({ apiKey: '0123456789abcdef0123456789abcdef' }));
    expect(noDc.code).toBe('credentials-invalid');
    expect(noDc.params).toEqual({ field: 'apiKey' });
    expect(noDc.message).not.toContain('0123456789abcdef');
    expect((await run('{"apiKey":')).code).toBe('credentials-invalid');
    expect((await failure(mailchimpSource.fetchPage(testContext({ pageSize: 0 }, SECRET, NOW).ctx))).params).toEqual({ field: 'pageSize' });
  });
});

describe('mailchimpSource against the fixture', () => {
  let server: LoopbackServer;
  let handler: MailchimpHandler;
  const config = () => ({ baseUrl: server.origin, pageSize: 7 });

  beforeAll(async () => {
    handler = createMailchimpHandler(makeMailchimpDataset({ campaigns: 3, members: 30, seed: 5, invalid: true }));
    server = await serve(handler);
  });
  afterAll(() => server.close());
  afterEach(() => handler.state.clear());

  it('reads campaigns, their content and links, then clicks and opens page by page, with the proxy flag', async () => {
    const { ctx } = testContext(config(), SECRET, NOW);
    const { pages, done } = await readPages(mailchimpSource, ctx);
    expect(done).toBe(true);
    const expected = mailchimpExpected(handler.dataset);
    const events = [...distinctEvents(pages).values()];
    expect(eventsOf(pages)).toHaveLength(events.length); // one pass reads each event once
    expect(events.filter((e) => e.type === EventType.click)).toHaveLength(expected.clicks);
    expect(events.filter((e) => e.type === EventType.open)).toHaveLength(expected.opens);
    expect(events.filter((e) => e.proxy)).toHaveLength(expected.proxyOpens);
    expect(expected.proxyOpens).toBeGreaterThan(1);
    expect(pages.reduce((n, p) => n + p.rejectedCount, 0)).toBe(expected.rejected);

    // Several activity pages per campaign (30 members, 7 a page), each asked with Basic auth and the key.
    const activity = handler.state.requests.filter((r) => r.path.endsWith('/email-activity'));
    expect(activity.length).toBeGreaterThanOrEqual(3 * 5);
    expect(activity.map((r) => r.query.get('offset')).slice(0, 5)).toEqual(['0', '7', '14', '21', '28']);
    const auth = handler.state.requests[0]!.headers.authorization!;
    expect(Buffer.from(auth.replace('Basic ', ''), 'base64').toString()).toMatch(new RegExp(`:${MAILCHIMP_TEST_KEY}$`));
    // Content and click-details are read once per campaign.
    expect(handler.state.requests.filter((r) => r.path.endsWith('/content'))).toHaveLength(3);
  });

  it('maps the documented member verbatim: ids, times, URL, IP, proxy open', async () => {
    const { ctx } = testContext(config(), SECRET, NOW);
    const { pages } = await readPages(mailchimpSource, ctx);
    const mine = eventsOf(pages).filter((e) => e.recipient === 'urist.mcvankab@freddiesjokes.com');
    const click = mine.find((e) => e.type === EventType.click)!;
    const clickTime = Date.parse('2024-01-15T09:31:12+00:00');
    expect(click).toEqual({
      id: `mc:42694e9e57:62eeb292278cc15f5817cb78f7790b08:click:${clickTime}:${shortHash('https://example.com/offer')}`,
      deliveryExtId: '42694e9e57',
      recipient: 'urist.mcvankab@freddiesjokes.com',
      type: EventType.click,
      time: clickTime,
      url: 'https://example.com/offer',
      urlExtId: 'https://example.com/offer',
      ip: '198.2.191.34',
    });
    const open = mine.find((e) => e.type === EventType.open)!;
    expect(open.id).toBe(`mc:42694e9e57:62eeb292278cc15f5817cb78f7790b08:open:${Date.UTC(2024, 0, 15, 9, 30)}`);
    expect(open.proxy).toBe(true);
  });

  it('makes each campaign a delivery with its HTML, and its clicked URLs tracked URLs placed among the HTML links', async () => {
    const { ctx } = testContext(config(), SECRET, NOW);
    const { pages } = await readPages(mailchimpSource, ctx);
    const withHtml = pages.flatMap((p) => p.records.deliveries).filter((d) => d.html);
    expect(withHtml).toHaveLength(3);
    expect(withHtml[0]).toMatchObject({
      extId: '42694e9e57',
      label: 'Campaign 1',
      subject: 'Subject 1',
      sentAt: Date.UTC(2024, 0, 15, 8),
      toDeliver: 300,
      delivered: 300,
      trackingEnabled: true,
    });
    const urls = pages.flatMap((p) => p.records.urls).filter((u) => u.deliveryExtId === '42694e9e57');
    expect(urls.map((u) => [u.url, u.occurrence, u.type])).toEqual([
      ['https://example.com/offer', 0, EventType.click],
      ['https://example.com/news?a=1&b=2', 1, EventType.click], // matched through &amp; in the href
      ['https://shop.example/cart', 2, EventType.click],
    ]);
    // Click events name the same URL ids.
    const ids = new Set(urls.map((u) => u.extId));
    for (const e of eventsOf(pages).filter((x) => x.deliveryExtId === '42694e9e57' && x.type === EventType.click)) {
      expect(ids.has(e.urlExtId!)).toBe(true);
    }
  });

  it('keeps rejected records with a reason and stores the rest of the page', async () => {
    const { ctx } = testContext(config(), SECRET, NOW);
    const { pages } = await readPages(mailchimpSource, ctx);
    const reasons = pages.flatMap((p) => p.rejected.map((r) => r.reason));
    expect(reasons).toContain('activity: timestamp: not an ISO 8601 date-time');
    expect(reasons).toContain('open: timestamp: not an ISO 8601 date-time');
    expect(reasons.some((r) => r.startsWith('member: email_address'))).toBe(true);
    const page = pages.find((p) => p.rejectedCount > 0 && eventCount(p.records.events) > 0);
    expect(page).toBeDefined();
  });

  it('resumes from the cursor mid-pass, and a later run asks only for activity since the last pass', async () => {
    const { ctx } = testContext(config(), SECRET, NOW);
    const first = await readPages(mailchimpSource, ctx, 6);
    expect(first.done).toBe(false);
    const cursor = JSON.parse(first.cursor!) as MailchimpCursor;
    expect(cursor.pass).toBeDefined();
    const rest = await readPages(mailchimpSource, { ...ctx, cursor: first.cursor });
    const whole = await readPages(mailchimpSource, testContext(config(), SECRET, NOW).ctx);
    const resumed = distinctEvents([...first.pages, ...rest.pages]);
    expect([...resumed.keys()].sort()).toEqual([...distinctEvents(whole.pages).keys()].sort());

    // New activity after the pass; the next run (an hour later) reads it with `since`.
    const member = handler.dataset.campaigns[1]!.members[3]!;
    const later = NOW + 30 * 60_000;
    member.activity.push({ action: 'click', timestamp: new Date(later).toISOString(), url: 'https://example.com/offer' });
    member.opens.push({ timestamp: new Date(later - 1000).toISOString(), is_proxy_open: false });
    handler.state.clear();
    const next = await readPages(mailchimpSource, { ...testContext(config(), SECRET, NOW + 3_600_000).ctx, cursor: whole.cursor });
    const sinces = handler.state.requests.filter((r) => r.path.includes('/reports/') && !r.path.endsWith('click-details')).map((r) => r.query.get('since'));
    expect(sinces.every((s) => s === new Date(NOW - SINCE_OVERLAP_MS).toISOString())).toBe(true);
    const fresh = eventsOf(next.pages).filter((e) => e.recipient === member.email_address && e.time >= later - 1000);
    expect(fresh.map((e) => e.type).sort()).toEqual([EventType.click, EventType.open]);
    // Content is not read again.
    expect(handler.state.requests.filter((r) => r.path.endsWith('/content'))).toHaveLength(0);
    member.activity.pop();
    member.opens.pop();
  });

  it('waits as Retry-After asks on 429, retries 5xx, and gives up with server-error', async () => {
    handler.state.setFault({ rateLimit: { count: 1, retryAfter: 2 } });
    const t = testContext(config(), SECRET, NOW);
    const page = await mailchimpSource.fetchPage(t.ctx);
    expect(page.records.deliveries).toHaveLength(3);
    expect(t.waits).toEqual([2000]);
    expect(t.notes.map((n) => n.code)).toEqual(['retrying']);

    handler.state.setFault({ serverError: { count: 10 } });
    const e = await failure(mailchimpSource.fetchPage(testContext(config(), SECRET, NOW).ctx));
    expect(e.code).toBe('server-error');
  });

  it('says the key or its data centre was refused on 401, naming the host', async () => {
    const wrong = JSON.stringify({ apiKey: 'ffffffffffffffffffffffffffffffff-us6' });
    const e = await failure(mailchimpSource.fetchPage(testContext(config(), wrong, NOW).ctx));
    expect(e.code).toBe('key-or-region-rejected');
    expect(e.params).toEqual({ host: new URL(server.origin).host });
    expect(e.message).not.toContain('ffffffff');
  });

  it('skips a campaign deleted mid-pass instead of failing every run', async () => {
    const { ctx } = testContext(config(), SECRET, NOW);
    const list = await mailchimpSource.fetchPage(ctx);
    const cursor = JSON.parse(list.nextCursor!) as MailchimpCursor;
    const gone = { ...cursor, pass: { ...cursor.pass!, queue: ['deleted0001', ...cursor.pass!.queue] } };
    const page = await mailchimpSource.fetchPage({ ...ctx, cursor: JSON.stringify(gone) });
    expect(page.done).toBe(false);
    expect((JSON.parse(page.nextCursor!) as MailchimpCursor).pass!.queue[0]).toBe('42694e9e57');
  });

  it('tests the connection: account name and sent campaigns', async () => {
    const summary = await testMailchimpConnection(testContext(config(), MAILCHIMP_TEST_KEY, NOW).ctx);
    expect(summary).toEqual({ host: new URL(server.origin).host, account: 'Freddie’s Jokes', deliveries: 3 });
    handler.state.setFault({ rateLimit: { count: 10, retryAfter: 120 } });
    expect((await failure(testMailchimpConnection(testContext(config(), SECRET, NOW).ctx))).code).toBe('rate-limited');
  });
});
