import { describe, expect, it } from 'vitest';
import { eventCount, eventList } from '../../../../lib/sources/packed-events';
import { EventType } from '../../../../lib/event-types';
import {
  SAMPLE_PAGE_SIZE,
  generateSampleStream,
  sampleSource,
  sampleStream,
} from '../../../../lib/sources/sample';
import { SAMPLE_TRACKING_ORIGIN, buildSampleEmail } from '../../../../lib/sources/sample-email';
import {
  SourceError,
  deliveryInputSchema,
  trackedUrlInputSchema,
  type EventInput,
  type FetchContext,
  type Page,
} from '../../../../lib/sources/source';

const ANCHOR = Date.UTC(2026, 10, 20, 13, 37, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function ctx(cursor: string | null, now: number, config: unknown = { anchor: ANCHOR }): FetchContext {
  return {
    config,
    secret: undefined,
    cursor,
    fetch: () => Promise.reject(new Error('the sample source must not use the network')),
    signal: new AbortController().signal,
    now: () => now,
    sleep: async () => undefined,
    note: () => undefined,
  };
}

/** Fetches pages from `cursor` until the source says it is done, as the workflow does. */
async function drain(cursor: string | null, now: number): Promise<{ pages: Page[]; cursor: string | null }> {
  const pages: Page[] = [];
  for (;;) {
    const page = await sampleSource.fetchPage(ctx(cursor, now));
    pages.push(page);
    cursor = page.nextCursor;
    if (page.done) return { pages, cursor };
    if (pages.length > 100) throw new Error('the source never said done');
  }
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

const stream = sampleStream(ANCHOR);
const trackedDeliveries = stream.deliveries.filter((d) => d.trackingEnabled);
const eventsOf = (extId: string): EventInput[] => stream.events.filter((e) => e.deliveryExtId === extId);

describe('sample source: data set', () => {
  it('is deterministic: the same anchor gives the same records', () => {
    const again = generateSampleStream(ANCHOR);
    expect(again).toEqual(stream);
    const other = generateSampleStream(ANCHOR + DAY);
    expect(other.events.length).toBeGreaterThan(0);
    expect(other.deliveries[0]!.extId).not.toBe(stream.deliveries[0]!.extId);
  });

  it('has at least 4 deliveries, all labelled as sample data and sent before the anchor', () => {
    expect(stream.deliveries.length).toBeGreaterThanOrEqual(4);
    for (const d of stream.deliveries) {
      expect(deliveryInputSchema.safeParse(d).success).toBe(true);
      expect(d.label.startsWith('Sample: ')).toBe(true);
      expect(d.sentAt).toBeLessThan(ANCHOR);
      expect(d.delivered).toBeLessThan(d.toDeliver!);
      expect(d.delivered).toBeGreaterThan(d.toDeliver! * 0.95);
    }
    expect(new Set(stream.deliveries.map((d) => d.extId)).size).toBe(stream.deliveries.length);
  });

  it('has a delivery without tracking, with no tracked URLs and no events', () => {
    const untracked = stream.deliveries.filter((d) => !d.trackingEnabled);
    expect(untracked.length).toBeGreaterThanOrEqual(1);
    for (const d of untracked) {
      expect(stream.urls.some((u) => u.deliveryExtId === d.extId)).toBe(false);
      expect(eventsOf(d.extId)).toHaveLength(0);
    }
  });

  it('has a delivery with text-only messages, whose recipients never open', () => {
    const withText = stream.deliveries.find((d) => (d.textOnly ?? 0) > 0);
    expect(withText).toBeDefined();
    expect(withText!.textOnly).toBeLessThan(withText!.toDeliver!);
  });

  it('tells the delivered messages per recipient domain, summing to the delivered count', () => {
    for (const d of stream.deliveries) {
      const byDomain = d.deliveredByDomain ?? {};
      expect(Object.values(byDomain).reduce((a, b) => a + b, 0)).toBe(d.delivered);
      if ((d.delivered ?? 0) > 1000) expect(byDomain['gmail.com']).toBeGreaterThan(0);
    }
  });

  it('has at least 5 000 distinct, realistic recipient addresses', () => {
    const recipients = new Set(stream.events.map((e) => e.recipient));
    expect(recipients.size).toBeGreaterThanOrEqual(5_000);
    for (const r of recipients) expect(r).toMatch(/^[a-z]+(\.[a-z]+)*\d*@[a-z]+(\.[a-z]+)+$/);
    const domains = new Set([...recipients].map((r) => r.split('@')[1]));
    for (const d of ['gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'icloud.com', 'telia.com', 'live.se']) {
      expect(domains.has(d)).toBe(true);
    }
    expect([...domains].some((d) => d!.endsWith('.example'))).toBe(true);
  });

  it('sends each tracked delivery to most of the list', () => {
    const recipients = new Set(stream.events.map((e) => e.recipient));
    for (const d of trackedDeliveries) expect(d.toDeliver).toBeGreaterThan(recipients.size * 0.8);
  });

  it('gives each tracked delivery an email with ≥ 20 tracked links, repeated destinations, a pixel, opt-out and mirror links', () => {
    expect(trackedDeliveries.length).toBeGreaterThanOrEqual(3);
    for (const d of trackedDeliveries) {
      const urls = stream.urls.filter((u) => u.deliveryExtId === d.extId).sort((a, b) => a.occurrence! - b.occurrence!);
      for (const u of urls) expect(trackedUrlInputSchema.safeParse(u).success).toBe(true);
      const links = hrefs(d.html!);
      expect(links.length).toBeGreaterThanOrEqual(20);
      // The HTML as sent carries tracked redirects in Adobe's form, in occurrence order.
      expect(links).toEqual(urls.map((u) => `${SAMPLE_TRACKING_ORIGIN}/r/?id=h0,${d.extId},${u.extId}`));
      expect(urls.map((u) => u.occurrence)).toEqual(urls.map((_, i) => i));
      expect(new Set(urls.map((u) => u.extId)).size).toBe(urls.length);
      expect(new Set(urls.map((u) => u.url)).size).toBeLessThan(urls.length);
      expect(urls.filter((u) => u.type === EventType.optOut)).toHaveLength(1);
      expect(urls.filter((u) => u.type === EventType.mirror)).toHaveLength(1);
      expect(urls.some((u) => u.url.includes('utm_campaign='))).toBe(true);
      expect(d.html).toContain(`<img src="${SAMPLE_TRACKING_ORIGIN}/o/?id=h0,${d.extId},1"`);
      expect(d.html).toMatch(/View in browser/);
      expect(d.html).toMatch(/Unsubscribe/);
    }
  });

  it('builds the email links in document order, image links included', () => {
    const email = buildSampleEmail({ deliveryHex: 'abc', firstUrlId: 0x100, content: sampleContent() });
    const links = hrefs(email.html);
    expect(links).toEqual(email.links.map((l) => `${SAMPLE_TRACKING_ORIGIN}/r/?id=h0,abc,${l.extId}`));
    expect(email.html).toMatch(/<a href="[^"]+"><img /);
    const home = email.links.filter((l) => l.url === 'https://shop.nordhem.example/');
    expect(home.map((l) => l.label)).toEqual(['Logo (header)', 'Logo (footer)']);
  });

  it('refers every URL event to a tracked URL of its delivery with the same type; opens carry none', () => {
    const urlType = new Map(stream.urls.map((u) => [`${u.deliveryExtId}/${u.extId}`, u.type]));
    for (const e of stream.events) {
      if (e.type === EventType.open) {
        expect(e.urlExtId).toBeUndefined();
      } else {
        expect(urlType.get(`${e.deliveryExtId}/${e.urlExtId}`)).toBe(e.type);
      }
    }
  });

  it('has unique ids and is sorted by time, then id', () => {
    expect(new Set(stream.events.map((e) => e.id)).size).toBe(stream.events.length);
    for (let i = 1; i < stream.events.length; i++) {
      const a = stream.events[i - 1]!;
      const b = stream.events[i]!;
      expect(a.time < b.time || (a.time === b.time && a.id < b.id)).toBe(true);
    }
    for (const e of stream.events.slice(0, 50)) expect(e.id).toMatch(new RegExp(`^sample:${e.deliveryExtId}:\\d+$`));
  });

  it('has realistic rates: opens 35–50 %, clicks 5–12 % of delivered, popular links clicked most', () => {
    for (const d of trackedDeliveries) {
      const events = eventsOf(d.extId);
      const openers = new Set(events.map((e) => e.recipient));
      const clickers = new Set(events.filter((e) => e.type === EventType.click).map((e) => e.recipient));
      expect(openers.size / d.delivered!).toBeGreaterThan(0.35);
      expect(openers.size / d.delivered!).toBeLessThan(0.5);
      expect(clickers.size / d.delivered!).toBeGreaterThan(0.05);
      expect(clickers.size / d.delivered!).toBeLessThan(0.12);
      const perLink = new Map<string, number>();
      for (const e of events) if (e.type === EventType.click) perLink.set(e.urlExtId!, (perLink.get(e.urlExtId!) ?? 0) + 1);
      const urls = stream.urls.filter((u) => u.deliveryExtId === d.extId);
      const button = urls.find((u) => u.label?.startsWith('Button: '))!;
      const footerLogo = urls.find((u) => u.label === 'Logo (footer)')!;
      expect(perLink.get(button.extId)!).toBeGreaterThan(5 * perLink.get(footerLogo.extId)!);
    }
  });

  it('decays over days: most opens in the first day, a tail up to a week', () => {
    const d = trackedDeliveries[0]!;
    const opens = eventsOf(d.extId).filter((e) => e.type === EventType.open);
    const firstDay = opens.filter((e) => e.time - d.sentAt! < DAY).length;
    const afterThreeDays = opens.filter((e) => e.time - d.sentAt! > 3 * DAY).length;
    expect(firstDay / opens.length).toBeGreaterThan(0.5);
    expect(afterThreeDays).toBeGreaterThan(0);
    expect(Math.max(...opens.map((e) => e.time)) - d.sentAt!).toBeLessThan(11 * DAY);
  });

  it('has repeat opens within a minute (dropped by the repeat-open rule) and days later', () => {
    const last = new Map<string, number>();
    let withinMinute = 0;
    let daysLater = 0;
    for (const e of stream.events) {
      if (e.type !== EventType.open || e.proxy) continue;
      const key = `${e.deliveryExtId}/${e.recipient}`;
      const previous = last.get(key);
      if (previous !== undefined && e.time - previous < 60_000) withinMinute++;
      if (previous !== undefined && e.time - previous > DAY) daysLater++;
      last.set(key, e.time);
    }
    expect(withinMinute).toBeGreaterThan(100);
    expect(daysLater).toBeGreaterThan(100);
  });

  it('has Apple Mail Privacy Protection proxy opens, seconds to minutes after the send, from iCloud recipients', () => {
    const proxied = stream.events.filter((e) => e.proxy);
    expect(proxied.length).toBeGreaterThan(1_000);
    for (const e of proxied) {
      expect(e.type).toBe(EventType.open);
      expect(e.userAgent).toBe('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)');
      expect(e.recipient).toMatch(/@(icloud|me)\.com$/);
    }
    const d = trackedDeliveries[0]!;
    const early = proxied.filter((e) => e.deliveryExtId === d.extId && e.time - d.sentAt! < 40 * 60_000);
    const mppRecipients = new Set(proxied.filter((e) => e.deliveryExtId === d.extId).map((e) => e.recipient));
    expect(early.length / mppRecipients.size).toBeGreaterThan(0.9);
    expect(mppRecipients.size / d.delivered!).toBeGreaterThan(0.1);
    expect(mppRecipients.size / d.delivered!).toBeLessThan(0.2);
  });

  it('has link-scanner bursts (every link within ~1 s, seconds after the send) and provider-flagged machine events', () => {
    const d = trackedDeliveries[0]!;
    const links = stream.urls.filter((u) => u.deliveryExtId === d.extId).length;
    const byRecipient = new Map<string, number[]>();
    for (const e of eventsOf(d.extId)) {
      if (e.type === EventType.open) continue;
      const times = byRecipient.get(e.recipient) ?? [];
      times.push(e.time);
      byRecipient.set(e.recipient, times);
    }
    const bursts = [...byRecipient.values()].filter((times) =>
      times.some((t, i) => i + links - 1 < times.length && times[i + links - 1]! - t <= 1_000),
    );
    expect(bursts.length).toBeGreaterThan(5);
    const machine = stream.events.filter((e) => e.machine);
    expect(machine.length).toBeGreaterThan(0);
    expect(machine.length).toBeLessThan(stream.events.length * 0.1);
  });

  it('has opt-outs and mirror-page views', () => {
    for (const d of trackedDeliveries) {
      const events = eventsOf(d.extId);
      expect(events.filter((e) => e.type === EventType.optOut).length).toBeGreaterThan(0);
      expect(events.filter((e) => e.type === EventType.mirror).length).toBeGreaterThan(0);
    }
  });

  it('has forwards: a recipient whose clicks come from two or more persons', () => {
    const persons = new Map<string, Set<string>>();
    for (const e of stream.events) {
      if (e.type !== EventType.click || !e.person) continue;
      const key = `${e.deliveryExtId}/${e.recipient}`;
      const set = persons.get(key) ?? new Set();
      set.add(e.person);
      persons.set(key, set);
    }
    expect([...persons.values()].some((s) => s.size >= 2)).toBe(true);
    const userAgents = new Set(stream.events.map((e) => e.userAgent));
    expect(userAgents.size).toBeGreaterThanOrEqual(20);
    expect(userAgents).toContain('Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)');
  });
});

describe('sample source: paging and trickle', () => {
  it('rejects a bad config', async () => {
    for (const config of [null, 'anchor', {}, { anchor: 'yesterday' }, { anchor: -1 }, { anchor: 1.5 }]) {
      const error = await sampleSource.fetchPage(ctx(null, ANCHOR, config)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).code).toBe('config-invalid');
    }
  });

  it('pages the stream up to now without gaps or duplicates; the first page carries deliveries and URLs', async () => {
    const { pages, cursor } = await drain(null, ANCHOR);
    const expected = stream.events.filter((e) => e.time <= ANCHOR);
    expect(expected.length).toBeGreaterThan(SAMPLE_PAGE_SIZE);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[0]!.records.deliveries).toEqual(stream.deliveries);
    expect(pages[0]!.records.urls).toEqual(stream.urls);
    for (const page of pages.slice(1)) {
      expect(page.records.deliveries).toHaveLength(0);
      expect(page.records.urls).toHaveLength(0);
    }
    for (const page of pages) {
      expect(eventCount(page.records.events)).toBeLessThanOrEqual(SAMPLE_PAGE_SIZE);
      expect(page.fetched).toBe(page.records.deliveries.length + page.records.urls.length + eventCount(page.records.events));
      expect(page.rejected).toEqual([]);
      expect(page.rejectedCount).toBe(0);
    }
    const got = pages.flatMap((p) => eventList(p.records.events));
    expect(got).toEqual(expected);
    expect(cursor).toBe(String(expected.length));
  });

  it('continues from the cursor at a later now with only newer events: the newest delivery trickles in', async () => {
    const first = await drain(null, ANCHOR);
    const later = ANCHOR + 3 * DAY;
    const second = await drain(first.cursor, later);
    const got = second.pages.flatMap((p) => eventList(p.records.events));
    expect(got).toEqual(stream.events.filter((e) => e.time > ANCHOR && e.time <= later));
    expect(got.length).toBeGreaterThan(0);
    expect(second.pages[0]!.records.deliveries).toHaveLength(0);
    const newest = stream.deliveries.reduce((a, b) => (b.sentAt! > a.sentAt! ? b : a));
    expect(ANCHOR - newest.sentAt!).toBeLessThanOrEqual(3 * HOUR);
    expect(got.some((e) => e.deliveryExtId === newest.extId)).toBe(true);
    // Every event the stream will ever have is eventually delivered, then the source stays done.
    const end = await drain(second.cursor, ANCHOR + 30 * DAY);
    const all = [...first.pages, ...second.pages, ...end.pages].flatMap((p) => eventList(p.records.events));
    expect(all).toEqual(stream.events);
    const idle = await sampleSource.fetchPage(ctx(end.cursor, ANCHOR + 31 * DAY));
    expect(eventList(idle.records.events)).toHaveLength(0);
    expect(idle.done).toBe(true);
    expect(idle.nextCursor).toBe(end.cursor);
  });

  it('returns the same pages for the same anchor and now', async () => {
    const a = await sampleSource.fetchPage(ctx(null, ANCHOR + HOUR));
    const b = await sampleSource.fetchPage(ctx(null, ANCHOR + HOUR));
    expect(a).toEqual(b);
  });

  it('starts over with deliveries when the cursor cannot be read (dedupe makes it harmless)', async () => {
    const page = await sampleSource.fetchPage(ctx('not-a-number', ANCHOR));
    expect(page.records.deliveries).toHaveLength(stream.deliveries.length);
    expect(eventList(page.records.events)[0]).toEqual(stream.events[0]);
  });
});

function sampleContent(): Parameters<typeof buildSampleEmail>[0]['content'] {
  const product = (name: string) => ({ name, price: '100 kr', path: `/p/${name.toLowerCase()}`, color: '#888888' });
  return {
    campaign: 'test',
    title: 'Test',
    preheader: 'Preheader',
    heroTitle: 'Hero',
    heroText: 'Text',
    heroButton: 'Go',
    heroPath: '/hero',
    heroImageText: 'Hero',
    heroColor: '#333333',
    productsTitle: 'Products',
    products: [product('A'), product('B'), product('C')],
    articles: [
      { title: 'One', text: 'First', path: '/one' },
      { title: 'Two', text: 'Second', path: '/two' },
    ],
    banner: { text: 'Banner', path: '/banner' },
  };
}
