import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventType } from '../../../../lib/event-types';
import {
  adobeEventType,
  adobeHostPermissions,
  adobeSource,
  clearAdobeSessions,
  deliveriesQuery,
  executeQueryEnvelope,
  logonEnvelope,
  parseAdobeTime,
  testAdobeConnection,
  trackingLogQuery,
  xmlEscape,
  type AdobeCursor,
} from '../../../../lib/sources/adobe';
import { SourceError } from '../../../../lib/sources/source';
import {
  ADOBE_LOGIN,
  ADOBE_PASSWORD,
  adobeExpected,
  createAdobeHandler,
  FIRST_BIG_ID,
  makeAdobeDataset,
  type AdobeHandler,
} from '../../../fixtures/providers/adobe';
import { distinctEvents, eventsOf, readPages, serve, testContext, type LoopbackServer } from '../../../fixtures/providers/pull-fixture-util';
import { eventCount } from '../../../../lib/sources/packed-events';

const NOW = Date.UTC(2024, 4, 10, 12);
const SECRET = JSON.stringify({ login: ADOBE_LOGIN, password: ADOBE_PASSWORD });

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected a SourceError');
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false, htmlEntities: true });

describe('SOAP envelopes', () => {
  const hostile = `a</strLogin><strPassword>x</strPassword>]]><!--&amp;"'\u0001\u0000b\uD800`;

  it('escapes hostile logins and passwords so they come back as the same text', () => {
    const xml = logonEnvelope(hostile, `p&<>"'${hostile}`);
    expect(XMLValidator.validate(xml)).toBe(true);
    const logon = (parser.parse(xml) as { Envelope: { Body: { Logon: Record<string, { '#text': string }> } } }).Envelope.Body.Logon;
    // Characters XML cannot carry (NUL, other controls, a lone surrogate) are dropped.
    const clean = (s: string) => [...s].filter((c) => c >= ' ' && c !== '\uD800').join('');
    expect(logon.strLogin!['#text']).toBe(clean(hostile));
    expect(logon.strPassword!['#text']).toBe(clean(`p&<>"'${hostile}`));
    expect(xml).not.toContain('</strLogin><strPassword>x');
    expect(xmlEscape(`<a b="c">&'`)).toBe('&lt;a b=&quot;c&quot;&gt;&amp;&apos;');
  });

  it('builds the keyset query with escaped expressions, and refuses ids that are not digits', () => {
    const def = trackingLogQuery({ lastId: '9007199254740993', sinceDay: '2024-01-01', pageSize: 500, persons: true });
    expect(def).toContain('<condition expr="@id &gt; 9007199254740993"/>');
    expect(def).toContain('lineCount="500"');
    expect(def).toContain('<orderBy><node expr="@id"/></orderBy>');
    expect(def).toContain('<node expr="@sourceId"/>');
    expect(trackingLogQuery({ lastId: null, sinceDay: '2024-01-01', pageSize: 5, persons: false })).toContain('expr="@logDate &gt;= #2024-01-01#"');
    const xml = executeQueryEnvelope('tok"<&', def);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(() => trackingLogQuery({ lastId: '1 OR 1=1', sinceDay: '2024-01-01', pageSize: 5, persons: false })).toThrow();
    expect(() => deliveriesQuery(['12', '3) OR (1=1'])).toThrow();
  });

  it('reads Campaign dates and URL types', () => {
    expect(parseAdobeTime('2024-05-02 08:14:51.000Z')).toBe(Date.UTC(2024, 4, 2, 8, 14, 51));
    expect(parseAdobeTime('2024-05-02T08:14:51+02:00')).toBe(Date.UTC(2024, 4, 2, 6, 14, 51));
    expect(parseAdobeTime('2024-05-02 08:14:51')).toBe(Date.UTC(2024, 4, 2, 8, 14, 51));
    expect(parseAdobeTime('2024-05-02 08:14:51.123456+0100')).toBe(Date.UTC(2024, 4, 2, 7, 14, 51, 123));
    expect(parseAdobeTime('yesterday')).toBeNaN();
    expect([1, 2, 3, 4, 5, 6].map((t) => adobeEventType(String(t), '5'))).toEqual([
      EventType.click,
      EventType.open,
      EventType.optOut,
      EventType.web,
      EventType.transaction,
      EventType.mirror,
    ]);
    expect(adobeEventType(undefined, '1')).toBe(EventType.open);
    expect(adobeEventType('10', '99')).toBeUndefined();
    expect(adobeHostPermissions({ instanceUrl: 'https://acme.campaign.adobe.com/nl/' })).toEqual(['https://acme.campaign.adobe.com/*']);
  });
});

describe('adobeSource against the fixture', () => {
  let server: LoopbackServer;
  let handler: AdobeHandler;
  const config = (extra: Record<string, unknown> = {}) => ({ instanceUrl: server.origin, pageSize: 25, ...extra });

  beforeAll(async () => {
    handler = createAdobeHandler(makeAdobeDataset({ deliveries: 3, logsPerDelivery: 40, invalid: true }));
    server = await serve(handler);
  });
  afterAll(() => server.close());
  beforeEach(() => clearAdobeSessions());
  afterEach(() => {
    handler.state.clear();
    handler.denied.clear();
    handler.htmlPage = false;
  });

  it('pages by @id through all logs with one Logon, keeping 64-bit ids exact', async () => {
    const logonsBefore = handler.logons;
    const { ctx } = testContext(config(), SECRET, NOW);
    const { pages, cursor, done } = await readPages(adobeSource, ctx);
    expect(done).toBe(true);
    expect(handler.logons - logonsBefore).toBe(1);
    const expected = adobeExpected(handler.dataset);
    const events = eventsOf(pages);
    expect(distinctEvents(pages).size).toBe(events.length);
    const byType: Record<string, number> = {};
    for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
    expect(byType).toEqual(expected.byType);
    expect(pages.reduce((n, p) => n + p.rejectedCount, 0)).toBe(expected.rejected);
    expect(events.map((e) => e.id)).toContain(String(FIRST_BIG_ID));
    expect(events.map((e) => e.id)).toContain(String(FIRST_BIG_ID + 1n));
    const last = handler.dataset.logs.at(-1)!.id;
    expect((JSON.parse(cursor!) as AdobeCursor).lastId).toBe(last);

    const queries = handler.state.requests.filter((r) => r.body.includes('nms:trackingLogRcp'));
    expect(queries.length).toBe(Math.ceil(handler.dataset.logs.length / 25) + (handler.dataset.logs.length % 25 === 0 ? 1 : 0));
    expect(queries[0]!.body).toContain('@logDate &gt;= #2024-04-10#');
    expect(queries[1]!.body).toContain(`@id &gt; ${handler.dataset.logs[24]!.id}"`);
    expect(handler.dataset.logs[24]!.id).toMatch(/^90071992547\d{5}$/);
    expect(queries[1]!.headers['x-security-token']).toMatch(/^@security-/);
    expect(queries[1]!.headers.soapaction).toBe('xtk:queryDef#ExecuteQuery');
    // Each delivery's details are read once, not on every page.
    const deliveryQueries = handler.state.requests.filter((r) => r.body.includes('schema="nms:delivery"'));
    expect(deliveryQueries.length).toBeLessThanOrEqual(4);
  });

  it('maps the documented rows verbatim, with deliveries and tracked URLs', async () => {
    const { pages } = await readPages(adobeSource, testContext(config(), SECRET, NOW).ctx);
    const events = eventsOf(pages);
    expect(events.find((e) => e.id === '123456790')).toEqual({
      id: '123456790',
      deliveryExtId: '5551',
      recipient: 'jane@example.com',
      type: EventType.open,
      time: Date.UTC(2024, 4, 2, 8, 14, 51),
      urlExtId: '1',
      person: 'e5155671-7f4e-4f6e-9d7b-1b2c3d4e5f60',
    });
    expect(events.find((e) => e.id === '123456791')).toMatchObject({
      type: EventType.click,
      time: Date.UTC(2024, 4, 2, 8, 15, 7),
      urlExtId: '377',
      url: 'https://example.com/offer',
    });
    expect(events.some((e) => e.recipient === "o'brien&co@example.com")).toBe(true);

    const deliveries = pages.flatMap((p) => p.records.deliveries);
    expect(deliveries.find((d) => d.extId === '5551')).toEqual({
      extId: '5551',
      label: 'Spring offer',
      sentAt: Date.UTC(2024, 4, 2, 7),
      toDeliver: 1000,
      delivered: 990,
      trackingEnabled: true,
    });
    expect(deliveries.find((d) => d.extId === '6000')!.label).toBe('News <b>&amp; "more"</b>');
    const urls = pages.flatMap((p) => p.records.urls);
    expect(urls.find((u) => u.extId === '377')).toEqual({ deliveryExtId: '5551', extId: '377', type: 1, url: 'https://example.com/offer', label: 'Offer CTA', category: 'offer' });
    expect(urls.find((u) => u.extId === '60001')!.url).toBe('https://example.com/d0?a=1&b=<2>');
    expect(urls.filter((u) => u.deliveryExtId === '6001').map((u) => u.type)).toEqual([EventType.click, EventType.optOut, EventType.mirror]);
  });

  it('rejects bad logs with reasons and keeps the rest of the page', async () => {
    const { pages } = await readPages(adobeSource, testContext(config(), SECRET, NOW).ctx);
    const reasons = pages.flatMap((p) => p.rejected.map((r) => r.reason));
    expect(reasons).toEqual(
      expect.arrayContaining(['logDate: not a date-time', 'url type 10 is not an email tracking type', expect.stringMatching(/^delivery-id: /)]),
    );
    const last = pages.find((p) => p.rejectedCount > 0)!;
    expect(eventCount(last.records.events)).toBeGreaterThan(0);
  });

  it('resumes from the cursor, and the next run reads only newer logs', async () => {
    const { ctx } = testContext(config(), SECRET, NOW);
    const first = await readPages(adobeSource, ctx, 2);
    expect(first.done).toBe(false);
    const rest = await readPages(adobeSource, { ...ctx, cursor: first.cursor });
    const whole = await readPages(adobeSource, testContext(config(), SECRET, NOW).ctx);
    expect([...distinctEvents([...first.pages, ...rest.pages]).keys()]).toEqual([...distinctEvents(whole.pages).keys()]);

    const lastId = BigInt(handler.dataset.logs.at(-1)!.id);
    handler.dataset.logs.push({ ...handler.dataset.logs[5]!, id: String(lastId + 1n), logDate: '2024-05-09 10:00:00.000Z' });
    const next = await readPages(adobeSource, { ...ctx, cursor: whole.cursor });
    expect(eventsOf(next.pages).map((e) => e.id)).toEqual([String(lastId + 1n)]);
    handler.dataset.logs.pop();
  });

  it('logs on again once when Campaign says the session is over', async () => {
    const { ctx } = testContext(config(), SECRET, NOW);
    await adobeSource.fetchPage(ctx);
    const before = handler.logons;
    handler.sessions.clear();
    const page = await adobeSource.fetchPage(ctx);
    expect(eventCount(page.records.events)).toBeGreaterThan(0);
    expect(handler.logons).toBe(before + 1);
  });

  it('maps faults and wrong addresses to what the user can fix, without retrying them', async () => {
    const wrong = JSON.stringify({ login: ADOBE_LOGIN, password: 'nope' });
    const login = await failure(adobeSource.fetchPage(testContext(config(), wrong, NOW).ctx));
    expect(login.code).toBe('login-failed');
    expect(handler.state.requests).toHaveLength(1);
    expect(JSON.stringify(login.params) + login.message).not.toContain('nope');

    handler.denied.add('nms:trackingLogRcp');
    const rights = await failure(adobeSource.fetchPage(testContext(config(), SECRET, NOW).ctx));
    expect(rights.code).toBe('operator-lacks-right');
    expect(rights.params.detail).toContain('SCM-120022');

    handler.denied.clear();
    const nothing = await serve(() => false);
    try {
      const e = await failure(adobeSource.fetchPage(testContext(config({ instanceUrl: nothing.origin }), SECRET, NOW).ctx));
      expect(e.code).toBe('wrong-instance');
      expect(e.params).toEqual({ host: new URL(nothing.origin).host });
    } finally {
      await nothing.close();
    }
    handler.htmlPage = true;
    const html = await failure(adobeSource.fetchPage(testContext(config(), SECRET, NOW).ctx));
    expect(html.code).toBe('wrong-instance');
    expect(html.params).toEqual({ host: new URL(server.origin).host });

    expect((await failure(adobeSource.fetchPage(testContext(config(), JSON.stringify({ user: 'x' }), NOW).ctx))).params).toEqual({ field: 'login' });
    expect((await failure(adobeSource.fetchPage(testContext(config(), 'just-a-password', NOW).ctx))).code).toBe('credentials-invalid');
  });

  it('honours Retry-After on 429 and retries a 5xx that is not a SOAP fault', async () => {
    handler.state.setFault({ rateLimit: { count: 1, retryAfter: 5 }, serverError: { count: 1, status: 503 } });
    const t = testContext(config(), SECRET, NOW);
    const page = await adobeSource.fetchPage(t.ctx);
    expect(eventCount(page.records.events)).toBeGreaterThan(0);
    expect(t.waits).toEqual([5000, 2000]);
    handler.state.setFault({ serverError: { count: 20 } });
    expect((await failure(adobeSource.fetchPage(testContext(config(), SECRET, NOW).ctx))).code).toBe('server-error');
  });

  it('tests the connection with a fresh Logon', async () => {
    const summary = await testAdobeConnection(testContext(config(), SECRET, NOW).ctx);
    expect(summary).toEqual({ host: new URL(server.origin).host, account: ADOBE_LOGIN, deliveries: 4, events: 125 });
    const wrong = JSON.stringify({ login: ADOBE_LOGIN, password: 'nope' });
    expect((await failure(testAdobeConnection(testContext(config(), wrong, NOW).ctx))).code).toBe('login-failed');
  });
});
