import { describe, expect, it } from 'vitest';
import {
  FEED_LIMITS,
  FEED_MAX_TIME,
  FEED_MIN_TIME,
  PageCollector,
  eventFromSchema,
  feedEventSchema,
  isoToMs,
  parseCsv,
  plainEvent,
  parseNdjson,
  parseNdjsonAsync,
  NDJSON_LINES_PER_TURN,
  scanEventLine,
} from '../../../../lib/sources/feed-format';
import { SourceError } from '../../../../lib/sources/source';
import { eventCount, eventList } from '../../../../lib/sources/packed-events';

const nd = (...records: unknown[]): string => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

const delivery = {
  kind: 'delivery',
  id: 'D42',
  label: 'Winter sale',
  subject: 'Up to 50% off',
  sentAt: '2026-11-20T09:00:00Z',
  tracking: true,
  toDeliver: 5200,
  delivered: 5113,
  textOnly: 600,
  html: '<html><body><a href="https://shop.example.com/">Shop</a></body></html>',
};
const url = {
  kind: 'url',
  delivery: 'D42',
  id: 'U7',
  type: 'click',
  url: 'https://shop.example.com/',
  label: 'Shop',
  category: 'product',
  occurrence: 3,
};
const event = {
  kind: 'event',
  id: 'evt-1',
  delivery: 'D42',
  recipient: 'anna@example.se',
  type: 'click',
  time: '2026-11-20T10:15:30.250+01:00',
  url: 'U7',
  href: 'https://shop.example.com/',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)',
  ip: '203.0.113.9',
  person: 'v123',
  machine: false,
  proxy: false,
};

function expectUnparseable(fn: () => unknown, detail?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    expect((e as SourceError).code).toBe('unparseable');
    if (detail) expect(String((e as SourceError).params.detail)).toMatch(detail);
    return;
  }
  throw new Error('expected SourceError unparseable');
}

describe('parseNdjson', () => {
  it('reads delivered-per-domain counts, and rejects a malformed map with its reason', () => {
    const page = parseNdjson(
      nd(
        { ...delivery, deliveredByDomain: { 'gmail.com': 1200, 'telia.com': 300 } },
        { ...delivery, id: 'D43', deliveredByDomain: { 'gmail.com': -1 } },
      ),
    );
    expect(page.records.deliveries).toHaveLength(1);
    expect(page.records.deliveries[0]!.deliveredByDomain).toEqual({ 'gmail.com': 1200, 'telia.com': 300 });
    expect(page.rejectedCount).toBe(1);
    expect(page.rejected[0]!.reason).toContain('deliveredByDomain');
  });

  it('maps the three record kinds to the normalised inputs', () => {
    const page = parseNdjson(nd(delivery, url, event));
    expect(page.fetched).toBe(3);
    expect(page.rejectedCount).toBe(0);
    expect(page.records.deliveries).toEqual([
      {
        extId: 'D42',
        label: 'Winter sale',
        subject: 'Up to 50% off',
        sentAt: Date.UTC(2026, 10, 20, 9),
        trackingEnabled: true,
        toDeliver: 5200,
        delivered: 5113,
        textOnly: 600,
        html: delivery.html,
      },
    ]);
    expect(page.records.urls).toEqual([
      {
        deliveryExtId: 'D42',
        extId: 'U7',
        type: 1,
        url: 'https://shop.example.com/',
        label: 'Shop',
        category: 'product',
        occurrence: 3,
      },
    ]);
    expect(eventList(page.records.events)).toEqual([
      {
        id: 'evt-1',
        deliveryExtId: 'D42',
        recipient: 'anna@example.se',
        type: 1,
        time: Date.UTC(2026, 10, 20, 9, 15, 30, 250),
        urlExtId: 'U7',
        url: 'https://shop.example.com/',
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)',
        ip: '203.0.113.9',
        person: 'v123',
        machine: false,
        proxy: false,
      },
    ]);
  });

  it('takes the minimal records, and null for absent optional fields', () => {
    const page = parseNdjson(
      nd(
        { kind: 'delivery', id: 'D1', label: 'L', tracking: false },
        { kind: 'url', delivery: 'D1', id: 'U1', type: 3, url: 'https://x.example/unsub' },
        { kind: 'event', id: 'e1', delivery: 'D1', recipient: 'r1', type: 'open', time: 1795165200000 },
        { kind: 'event', id: 'e2', delivery: 'D1', recipient: 'r1', type: 'open', time: 1795165200000, url: null, ip: null, machine: null },
        { kind: 'delivery', id: 'D2', label: 'M', tracking: true, subject: null, sentAt: null, html: null },
      ),
    );
    expect(page.rejectedCount).toBe(0);
    expect(page.records.deliveries).toEqual([
      { extId: 'D1', label: 'L', trackingEnabled: false },
      { extId: 'D2', label: 'M', trackingEnabled: true },
    ]);
    expect(page.records.urls).toEqual([{ deliveryExtId: 'D1', extId: 'U1', type: 3, url: 'https://x.example/unsub' }]);
    const [e1, e2] = eventList(page.records.events);
    expect(e1).toMatchObject({ id: 'e1', type: 2, time: 1795165200000, urlExtId: undefined, ip: undefined });
    // The null-bearing record takes the schema path; it must come out exactly like the plain one.
    expect(e2).toEqual({ ...e1, id: 'e2' });
  });

  it('reads every type name and code', () => {
    const names = ['click', 'open', 'opt-out', 'web', 'transaction', 'mirror'];
    const lines = [
      ...names.map((type, i) => ({ ...event, id: `n${i}`, type })),
      ...[1, 2, 3, 4, 5, 6].map((type) => ({ ...event, id: `c${type}`, type })),
    ];
    const page = parseNdjson(nd(...lines));
    expect(page.rejectedCount).toBe(0);
    expect(eventList(page.records.events).map((e) => e.type)).toEqual([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
    const urls = parseNdjson(nd(...names.map((type, i) => ({ ...url, id: `U${i}`, type }))));
    expect(urls.records.urls.map((u) => u.type)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects unknown types with a reason naming the field', () => {
    const page = parseNdjson(nd({ ...event, type: 'bounce' }, { ...event, type: 7 }, { ...event, type: '2' }, { ...event, type: 'Open' }));
    expect(page.rejectedCount).toBe(4);
    for (const r of page.rejected) expect(r.reason).toBe('type: expected click, open, opt-out, web, transaction, mirror or 1-6');
  });

  it('reads ISO times with offsets and fractional seconds, and epoch ms', () => {
    const cases: [string | number, number][] = [
      ['2026-11-20T09:00:00Z', Date.UTC(2026, 10, 20, 9)],
      ['2026-11-20T10:00:00+01:00', Date.UTC(2026, 10, 20, 9)],
      ['2026-11-20T04:30:00-04:30', Date.UTC(2026, 10, 20, 9)],
      ['2026-11-20T09:00:00.5Z', Date.UTC(2026, 10, 20, 9, 0, 0, 500)],
      ['2026-11-20T10:00:00.123+01:00', Date.UTC(2026, 10, 20, 9, 0, 0, 123)],
      ['2026-11-20T09:00:00.123456789Z', Date.UTC(2026, 10, 20, 9, 0, 0, 123)],
      ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
      [1795165200000, 1795165200000],
      [FEED_MIN_TIME, FEED_MIN_TIME],
    ];
    const page = parseNdjson(nd(...cases.map(([time], i) => ({ ...event, id: `t${i}`, time }))));
    expect(page.rejected).toEqual([]);
    expect(eventList(page.records.events).map((e) => e.time)).toEqual(cases.map(([, ms]) => ms));
  });

  it('rejects times that are not dates, lack an offset or are out of range', () => {
    const bad: [unknown, RegExp][] = [
      ['yesterday', /^time: not a date/],
      ['2026-11-20T09:00:00', /^time: not a date/], // no offset: ambiguous
      ['2026-11-20', /^time: not a date/],
      ['2026-11-20 09:00:00Z', /^time: not a date/],
      ['2026-02-30T09:00:00Z', /^time: not a date/],
      ['2026-11-20T24:00:00Z', /^time: not a date/],
      ['1999-12-31T23:59:59Z', /^time: out of range/],
      [1795165200, /^time: before 2000 \(epoch seconds/],
      [FEED_MAX_TIME + 1, /^time: after 2099/],
      [1795165200000.5, /^time: not a date/],
      [true, /^time: not a date/],
      [undefined, /^time: required$/],
    ];
    const page = parseNdjson(nd(...bad.map(([time], i) => ({ ...event, id: `b${i}`, time }))));
    expect(eventList(page.records.events)).toEqual([]);
    expect(page.rejected.map((r) => r.reason)).toHaveLength(bad.length);
    page.rejected.forEach((r, i) => expect(r.reason).toMatch(bad[i]![1]));
  });

  it('ignores unknown fields', () => {
    const page = parseNdjson(nd({ ...event, campaign: 'X', extra: { nested: [1, 2] } }, { ...delivery, folder: 'f' }));
    expect(page.rejectedCount).toBe(0);
    expect(eventList(page.records.events)[0]).not.toHaveProperty('campaign');
    expect(page.records.deliveries).toHaveLength(1);
  });

  it('quarantines bad records with short reasons and the raw line, and takes the rest', () => {
    const long = 'x'.repeat(FEED_LIMITS.id + 1);
    const lines = [
      nd(event).trim(),
      '{"kind":"event","id":"e2",', // not JSON
      JSON.stringify({ ...event, id: 'e3', recipient: undefined }),
      JSON.stringify({ ...event, id: long }),
      JSON.stringify({ ...event, id: 'e5', machine: 'yes' }),
      JSON.stringify({ ...event, kind: 'bounce' }),
      JSON.stringify({ ...event, kind: undefined }),
      '[1,2,3]',
      '42',
      JSON.stringify({ ...delivery, tracking: undefined }),
      JSON.stringify({ ...delivery, toDeliver: -1 }),
      JSON.stringify({ ...url, occurrence: 1.5 }),
      JSON.stringify({ ...event, id: 'e6', recipient: '' }),
      JSON.stringify({ ...event, id: 'e7' }),
    ];
    const page = parseNdjson(lines.join('\n'));
    expect(page.fetched).toBe(lines.length);
    expect(eventList(page.records.events).map((e) => e.id)).toEqual(['evt-1', 'e7']);
    expect(page.rejectedCount).toBe(lines.length - 2);
    expect(page.rejected.map((r) => r.reason)).toEqual([
      'not valid JSON',
      'recipient: required',
      'id: too long (max 200 characters)',
      'machine: expected boolean, got string',
      'kind: expected event, url or delivery',
      'kind: required',
      'not a JSON object',
      'not a JSON object',
      'tracking: required',
      'toDeliver: too small (min 0)',
      'occurrence: expected whole number, got number',
      'recipient: empty',
    ]);
    expect(page.rejected[0]!.sample).toBe(lines[1]);
    expect(page.rejected[2]!.sample).toBe(lines[3]!.slice(0, 300));
    expect(page.rejected[2]!.sample).toHaveLength(300);
  });

  it('reads a body over several turns of the event loop to the same result as at once', async () => {
    // Bad lines, blank lines and CRLF spread over more lines than one turn reads.
    const lines: string[] = [];
    for (let i = 0; i < NDJSON_LINES_PER_TURN * 2 + 7; i++) {
      if (i % 1000 === 3) lines.push('{not json');
      else if (i % 1000 === 5) lines.push('');
      else if (i % 1000 === 7) lines.push(JSON.stringify({ ...event, id: `bad${i}`, time: 'never' }));
      else lines.push(JSON.stringify({ ...event, id: `e${i}` }) + (i % 2 ? '\r' : ''));
    }
    const body = lines.join('\n');
    const later = await parseNdjsonAsync(body);
    const now = parseNdjson(body);
    expect(later).toEqual(now);
    expect(eventCount(now.records.events)).toBe(lines.length - 3 * 17);
    expect(now.rejectedCount).toBe(2 * 17);
    expect(now.fetched).toBe(lines.length - 17);
    // A JSON array body is read at once, as before.
    expect(await parseNdjsonAsync(JSON.stringify([event, { ...event, id: 'x' }]))).toEqual(parseNdjson(JSON.stringify([event, { ...event, id: 'x' }])));
  });

  it('keeps at most 20 samples but counts every rejection', () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({ ...event, id: `e${i}`, time: 'never' }));
    const page = parseNdjson(nd(event, ...lines));
    expect(page.rejectedCount).toBe(30);
    expect(page.rejected).toHaveLength(20);
    expect(eventList(page.records.events)).toHaveLength(1);
  });

  it('handles CRLF, blank lines, a BOM, a missing final newline and an empty body', () => {
    const body = '\ufeff' + JSON.stringify(event) + '\r\n\r\n   \r\n' + JSON.stringify({ ...event, id: 'e2' });
    const page = parseNdjson(body);
    expect(page.rejected).toEqual([]);
    expect(page.fetched).toBe(2);
    expect(eventList(page.records.events).map((e) => e.id)).toEqual(['evt-1', 'e2']);
    expect(parseNdjson('')).toMatchObject({ fetched: 0, rejectedCount: 0 });
    expect(parseNdjson('\n\n')).toMatchObject({ fetched: 0, rejectedCount: 0 });
  });

  it('accepts one JSON array of records', () => {
    const page = parseNdjson(JSON.stringify([delivery, url, event, { ...event, id: 'bad', type: 'bounce' }], null, 2));
    expect(page.fetched).toBe(4);
    expect(eventList(page.records.events)).toHaveLength(1);
    expect(page.records.urls).toHaveLength(1);
    expect(page.rejected[0]!.reason).toMatch(/^type:/);
  });

  it('refuses an HTML page and a body that is mostly not JSON', () => {
    expectUnparseable(() => parseNdjson('<!DOCTYPE html><html><body>Sign in</body></html>'), /HTML/);
    expectUnparseable(() => parseNdjson('\n  <html>\n<body>oops</body>\n</html>'), /HTML/);
    expectUnparseable(() => parseNdjson(nd(event, 'a,b,c', 'd,e,f')), /2 of 3 lines are not JSON/);
    // Half is not more than half: the good line goes in.
    expect(eventList(parseNdjson(nd(event, 'garbage')).records.events)).toHaveLength(1);
  });
});

describe('parseCsv', () => {
  const header = 'kind,id,delivery,label,subject,sentAt,tracking,toDeliver,delivered,textOnly,type,url,category,occurrence,recipient,time,href,userAgent,ip,person,machine,proxy';

  it('reads the three kinds, empty cells as absent, booleans and numbers', () => {
    const body = [
      header,
      'delivery,D42,,Winter sale,"Sale, 50% off",2026-11-20T09:00:00Z,true,5200,5113,600,,,,,,,,,,,,',
      'url,U7,D42,Shop,,,,,,,click,https://shop.example.com/?a=1&b=2,product,3,,,,,,,,',
      'event,evt-1,D42,,,,,,,,1,U7,,,anna@example.se,2026-11-20T10:15:30.250+01:00,https://shop.example.com/,"Mozilla/5.0 (X11; Linux x86_64) ""quoted""",203.0.113.9,v1,0,FALSE',
      'event,evt-2,D42,,,,,,,,open,,,,bo@example.se,1795165200000,,,,,1,true',
    ].join('\r\n');
    const page = parseCsv(body);
    expect(page.rejected).toEqual([]);
    expect(page.fetched).toBe(4);
    expect(page.records.deliveries).toEqual([
      {
        extId: 'D42',
        label: 'Winter sale',
        subject: 'Sale, 50% off',
        sentAt: Date.UTC(2026, 10, 20, 9),
        trackingEnabled: true,
        toDeliver: 5200,
        delivered: 5113,
        textOnly: 600,
      },
    ]);
    expect(page.records.urls).toEqual([
      {
        deliveryExtId: 'D42',
        extId: 'U7',
        type: 1,
        url: 'https://shop.example.com/?a=1&b=2',
        label: 'Shop',
        category: 'product',
        occurrence: 3,
      },
    ]);
    expect(eventList(page.records.events)).toEqual([
      {
        id: 'evt-1',
        deliveryExtId: 'D42',
        recipient: 'anna@example.se',
        type: 1,
        time: Date.UTC(2026, 10, 20, 9, 15, 30, 250),
        urlExtId: 'U7',
        url: 'https://shop.example.com/',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) "quoted"',
        ip: '203.0.113.9',
        person: 'v1',
        machine: false,
        proxy: false,
      },
      {
        id: 'evt-2',
        deliveryExtId: 'D42',
        recipient: 'bo@example.se',
        type: 2,
        time: 1795165200000,
        urlExtId: undefined,
        url: undefined,
        userAgent: undefined,
        ip: undefined,
        person: undefined,
        machine: true,
        proxy: true,
      },
    ]);
  });

  it('takes any column order, ignores unknown columns, reads ; and tab delimiters', () => {
    const rows = ['time,recipient,type,id,kind,delivery,campaign', '2026-11-20T09:00:00Z,a@x.se,open,e1,event,D1,ignored'];
    expect(eventList(parseCsv(rows.join('\n')).records.events)).toMatchObject([{ id: 'e1', type: 2, recipient: 'a@x.se' }]);
    expect(eventList(parseCsv(rows.map((r) => r.replaceAll(',', ';')).join('\n')).records.events)).toHaveLength(1);
    expect(eventList(parseCsv(rows.map((r) => r.replaceAll(',', '\t')).join('\n')).records.events)).toHaveLength(1);
  });

  it('quotes cells with newlines', () => {
    const body = 'kind,id,label,tracking,html\ndelivery,D1,"Two\nlines",1,"<p>a,b</p>\n<p>c</p>"\n';
    expect(parseCsv(body).records.deliveries).toEqual([
      { extId: 'D1', label: 'Two\nlines', trackingEnabled: true, html: '<p>a,b</p>\n<p>c</p>' },
    ]);
  });

  it('rejects bad rows with reasons and keeps the rest', () => {
    const body = [
      'kind,id,delivery,recipient,type,time,machine',
      'event,e1,D1,a@x.se,open,2026-11-20T09:00:00Z,',
      'event,e2,D1,a@x.se,open,not-a-time,',
      'event,e3,D1,a@x.se,open,2026-11-20T09:00:00Z,maybe',
      'event,e4,D1,a@x.se,open,2026-11-20T09:00:00Z,,surplus',
      'event,e5,D1,,open,2026-11-20T09:00:00Z,',
    ].join('\n');
    const page = parseCsv(body);
    expect(page.fetched).toBe(5);
    expect(eventList(page.records.events).map((e) => e.id)).toEqual(['e1']);
    expect(page.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^time: not a date/),
      'machine: expected boolean, got string',
      'wrong number of cells for the header',
      'recipient: required',
    ]);
    expect(page.rejected[1]!.sample).toBe('event,e3,D1,a@x.se,open,2026-11-20T09:00:00Z,maybe');
  });

  it('refuses a CSV without a kind column, and HTML', () => {
    expectUnparseable(() => parseCsv('id,recipient\ne1,a@x.se\n'), /kind/);
    expectUnparseable(() => parseCsv('<html><body>502 Bad Gateway</body></html>'), /HTML/);
  });
});

describe('plainEvent (the fast path) accepts only what feedEventSchema accepts, with the same result', () => {
  const base: Record<string, unknown> = {
    kind: 'event',
    id: 'e1',
    delivery: 'D1',
    recipient: 'a@x.se',
    type: 'open',
    time: '2026-11-20T09:00:00Z',
  };
  const strings = (max: number): unknown[] => ['', 'x', 'x'.repeat(max), 'x'.repeat(max + 1)];
  const others: unknown[] = [undefined, null, 0, 1, 2, 6, 7, -1, 1.5, Number.NaN, true, false, [], {}, '2'];
  const times: unknown[] = [
    '2026-11-20T09:00:00Z',
    '2026-11-20T09:00:00.123+01:00',
    '2026-11-20T09:00:00.9999-23:59',
    '2026-11-20T09:00:00',
    '2026-11-20T09:00Z',
    '2026-02-29T09:00:00Z',
    '2028-02-29T09:00:00Z',
    '2026-11-20T09:00:00+24:00',
    '1999-12-31T23:59:59Z',
    '2000-01-01T00:30:00+01:00',
    '2099-12-31T23:59:59.999Z',
    '2099-12-31T23:30:00-01:00',
    FEED_MIN_TIME,
    FEED_MIN_TIME - 1,
    FEED_MAX_TIME,
    FEED_MAX_TIME + 1,
    1795165200000.5,
  ];
  const fields: Record<string, unknown[]> = {
    id: strings(FEED_LIMITS.id),
    delivery: strings(FEED_LIMITS.id),
    recipient: strings(FEED_LIMITS.recipient),
    type: ['click', 'open', 'opt-out', 'web', 'transaction', 'mirror', 'Open', 'optOut', 3, 3.5],
    time: times,
    url: strings(FEED_LIMITS.id),
    href: strings(FEED_LIMITS.url),
    userAgent: strings(FEED_LIMITS.userAgent),
    ip: strings(FEED_LIMITS.ip),
    person: strings(FEED_LIMITS.person),
    machine: [],
    proxy: [],
  };

  it('never accepts a record the schema rejects, and gives the same EventInput', () => {
    let fast = 0;
    let checked = 0;
    for (const [field, specific] of Object.entries(fields)) {
      for (const value of [...specific, ...others, ...times]) {
        const o = { ...base, [field]: value };
        if (value === undefined) delete o[field];
        checked++;
        const label = `${field} = ${JSON.stringify(value)}`;
        const viaSchema = eventFromSchema(o);
        const viaFast = plainEvent(o);
        if (viaFast !== undefined) {
          fast++;
          expect(viaSchema, label).toEqual(viaFast);
        } else if (typeof viaSchema !== 'string' && value !== null) {
          // Only nulls may take the slow path among valid values.
          throw new Error(`fast path refused a plain valid value: ${label}`);
        }
        if (typeof viaSchema === 'string' && feedEventSchema.safeParse(o).success) {
          // Only the range check after converting the time may refuse what the schema lets through.
          expect(viaSchema, label).toMatch(/^time: out of range/);
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(fast).toBeGreaterThan(50);
  });

  it('converts ISO times exactly as Date.parse does', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    for (let k = 0; k < 5000; k++) {
      const ms = Date.UTC(2000, 0, 1) + rnd(2147483647) * 1000 * 2 + rnd(1000);
      const iso = new Date(ms).toISOString();
      const frac = ['', '.' + iso.slice(20, 23), '.' + iso.slice(20, 21), '.' + iso.slice(20, 23) + String(rnd(1000))][rnd(4)]!;
      const off = rnd(3) === 0 ? 'Z' : `${rnd(2) ? '+' : '-'}${pad(rnd(24))}:${pad(rnd(60))}`;
      const s = iso.slice(0, 19) + frac + off;
      expect(isoToMs(s), s).toBe(Date.parse(s));
    }
    expect(isoToMs('2028-02-29T23:59:59.999999+05:30')).toBe(Date.parse('2028-02-29T23:59:59.999+05:30'));
  });

  it('gives the same EventInput on both paths through the collector', () => {
    const plain = { ...base, url: 'U1', href: 'https://x/', userAgent: 'UA', ip: '::1', person: 'p', machine: true, proxy: false };
    const c = new PageCollector();
    expect(c.add(plain)).toBeUndefined();
    // An extra null field sends the same record through the schema.
    expect(c.add({ ...plain, person: null })).toBeUndefined();
    const [a, b] = c.events;
    expect(b).toEqual({ ...a, person: undefined });
  });
});

describe('scanEventLine (an event line read without JSON.parse) agrees with JSON.parse and the collector', () => {
  type Outcome = { event: unknown } | { reason: string };
  /** The general way: JSON.parse, then the collector decides. */
  const reference = (line: string): Outcome => {
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      return { reason: 'not valid JSON' };
    }
    const c = new PageCollector();
    const why = c.add(rec);
    return why === undefined ? { event: c.events[0] } : { reason: why };
  };
  /** The scanner's answer (undefined: it leaves the line to JSON.parse). */
  const scanned = (line: string): unknown => scanEventLine(line, 0, line.length);
  const agrees = (line: string): boolean => {
    const fast = scanned(line);
    if (fast === undefined) return false;
    expect(reference(line), line).toEqual({ event: fast });
    return true;
  };

  const full = {
    kind: 'event',
    id: 'e-1795165200000-42',
    delivery: 'D1',
    recipient: 'anna.lindqvist@example.se',
    type: 'click',
    time: '2026-11-20T09:00:00.250+01:00',
    url: 'D1-U3',
    href: 'https://shop.example.com/sale?utm_source=email',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)',
    ip: '192.0.2.7',
    person: 'p-77',
    machine: false,
    proxy: true,
  };

  it('reads every field of a plain event line as JSON.parse does, in any order, ignoring unknown keys', () => {
    expect(agrees(JSON.stringify(full))).toBe(true);
    const keys = Object.keys(full);
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 200; k++) {
      const o: Record<string, unknown> = {};
      const shuffled = [...keys].sort(() => rnd(3) - 1);
      for (const key of shuffled) if (['kind', 'id', 'delivery', 'recipient', 'type', 'time'].includes(key) || rnd(2)) o[key] = full[key as keyof typeof full];
      if (rnd(3) === 0) o.extra = ['x', 12, true, false, 'åäö ✓ 😀'][rnd(5)];
      if (rnd(4) === 0) o.time = 1795165200000 + rnd(1000);
      if (rnd(4) === 0) o.type = 1 + rnd(6);
      expect(agrees(JSON.stringify(o)), JSON.stringify(o)).toBe(true);
    }
  });

  it('never accepts a line the general way rejects, nor reads one differently, over every field value', () => {
    const values: unknown[] = ['', 'x', 'x'.repeat(300), '1', 'åäö', null, 0, 1, 6, 7, -1, 1.5, 1e21, 2 ** 60, true, false, [], {}, [1], { a: 1 }];
    let fast = 0;
    for (const field of [...Object.keys(full), 'other', '__proto__']) {
      for (const value of [...values, ...Object.values(full)]) {
        const line = JSON.stringify({ ...full, [field]: value });
        if (agrees(line)) fast++;
      }
    }
    expect(fast).toBeGreaterThan(100);
  });

  it('leaves to JSON.parse whatever it does not fully understand, so broken lines stay rejected', () => {
    const line = JSON.stringify(full);
    const numeric = JSON.stringify({ ...full, type: 1, time: 1795165200000 });
    const variants = new Set<string>();
    const inserts = [' ', '\t', '\\', '"', '{', '}', '[', ',', ':', '0', '-', '.', 'e', 'x', 'null', 'true', '\u00e5', '\ud83d'];
    for (const base of [line, numeric]) {
      for (let i = 0; i <= base.length; i++) {
        variants.add(base.slice(0, i)); // cut short
        variants.add(base.slice(0, i) + base.slice(i + 1)); // a character lost
        for (const ins of inserts) variants.add(base.slice(0, i) + ins + base.slice(i)); // a character too many
      }
    }
    variants.add(line.replace('"id":', '"id":"again","id":')); // a key twice: JSON.parse keeps the last
    variants.add(line.replace('"kind":"event"', '"kind":"event","kind":"url"'));
    variants.add(numeric.replace('1795165200000', '01795165200000'));
    variants.add(numeric.replace('1795165200000', '1795165200000.0'));
    variants.add(numeric.replace('1795165200000', '17951652e5'));
    variants.add(numeric.replace('"type":1', '"type":01'));
    variants.add(JSON.stringify({ ...full, recipient: 'tab\there' }));
    variants.add(JSON.stringify({ ...full, recipient: 'quote"here' }));
    variants.add(line + ' ');
    variants.add(line + '\r');
    variants.add('{}');
    let fast = 0;
    let rejected = 0;
    for (const v of variants) {
      if (agrees(v)) fast++;
      else if ('reason' in reference(v)) rejected++;
    }
    expect(fast).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(1000);
  });

  it('reads every date-time as the schema does, the common UTC shape without the regular expression', () => {
    const times: string[] = [];
    for (const y of ['2000', '2024', '2026', '2099', '2100', '1999']) {
      for (const m of ['00', '01', '02', '04', '12', '13']) {
        for (const d of ['00', '01', '28', '29', '30', '31', '32']) times.push(`${y}-${m}-${d}T09:00:00Z`);
      }
    }
    for (const t of ['00:00:00', '23:59:59', '24:00:00', '23:60:00', '23:59:60', '9:00:00', '09:0a:00']) times.push(`2026-11-20T${t}Z`);
    for (const f of ['.', '.5', '.123', '.9999999', '.123456789012', '.12a', '.-1']) times.push(`2026-11-20T09:00:00${f}Z`);
    times.push('2026-11-20T09:00:00z', '2026-11-20t09:00:00Z', '2026-11-20 09:00:00Z', '2026-11-20T09:00:00', '2026-11-20T09:00Z');
    times.push('2026-11-20T09:00:00+01:00', '2026-11-20T09:00:00.25-05:30', '2026-11-20T09:00:00+24:00', '+2026-11-20T09:00:00Z');
    times.push('2026-11-20T09:00:00ZZ', '2026-11-20T09:00:00.Z', '20261120T090000Z', '2026-1-20T09:00:00Z');
    let taken = 0;
    for (const time of times) if (agrees(JSON.stringify({ ...full, time }))) taken++;
    // Out-of-range years and invalid dates are left to the general way, which rejects them; valid ones are taken.
    expect(taken).toBeGreaterThan(60);
    expect(scanned(JSON.stringify({ ...full, time: '2024-02-29T09:00:00Z' }))).toMatchObject({ time: Date.parse('2024-02-29T09:00:00Z') });
    expect(scanned(JSON.stringify({ ...full, time: '2026-02-29T09:00:00Z' }))).toBeUndefined();
    expect(scanned(JSON.stringify({ ...full, time: '2026-11-20T09:00:00.9999999Z' }))).toMatchObject({ time: Date.parse('2026-11-20T09:00:00.999Z') });
  });

  it('leaves escapes and control characters anywhere in a string to JSON.parse, in known and unknown keys alike', () => {
    const line = JSON.stringify(full);
    const variants = [
      line.replace('"id":"e-1795165200000-42"', '"id":"e-1","\\u0069d":"e-2"'), // the key is "id": JSON.parse takes e-2
      line.replace('"id":"e-1795165200000-42"', '"id":"e-1","\\\\u0069d":"e-2"'), // a key the format ignores
      line.replace(/}$/, ',"note":"a\\"b"}'),
      line.replace(/}$/, ',"note":"tab\\there"}'),
      line.replace(/}$/, ',"no\\"te":1}'),
      line.replace(/}$/, ',"note":"raw\u0001ctl"}'),
      line.replace(/}$/, ',"note\u0001":1}'),
      line.replace('"userAgent":"Mozilla', '"userAgent":"Moz\\u0069lla'),
      line.replace('"href":"https:', '"href":"https:\\/\\/x'),
      line.replace('"delivery":"D1"', '"delivery":"D\\u0031"'),
      line.replace('"url":"D1-U3"', '"url":"D1\\u002dU3"'),
      line.replace('"person":"p-77"', '"person":"p\\n77"'),
      line.replace('"ip":"192.0.2.7"', '"ip":"192.0.2.\u00077"'),
      line.replace('"recipient":"anna', '"recipient":"an\u007fna\\u0000'),
    ];
    for (const v of variants) {
      expect(v, 'the variant changed the line').not.toBe(line);
      expect(scanned(v), v).toBeUndefined();
    }
    expect(reference(variants[0]!)).toMatchObject({ event: { id: 'e-2' } });
    expect(reference(variants[1]!)).toMatchObject({ event: { id: 'e-1' } });
    expect(reference(variants[5]!)).toEqual({ reason: 'not valid JSON' });
  });

  it('checks a repeated agent, URL and delivery once per page, and still takes a new value with an escape the general way', () => {
    const lines = [
      JSON.stringify({ ...full, id: 'a1' }),
      JSON.stringify({ ...full, id: 'a2' }),
      JSON.stringify({ ...full, id: 'a3', userAgent: 'Agent\\with "quotes"' }),
      JSON.stringify({ ...full, id: 'a4' }),
    ];
    const page = parseNdjson(lines.join('\n'));
    expect(eventList(page.records.events).map((e) => [e.id, e.userAgent])).toEqual([
      ['a1', full.userAgent],
      ['a2', full.userAgent],
      ['a3', 'Agent\\with "quotes"'],
      ['a4', full.userAgent],
    ]);
  });

  it('reads a body of mixed lines to the same records and rejections as JSON.parse line by line', () => {
    const lines = [
      JSON.stringify(full),
      JSON.stringify({ ...full, id: 'e2', recipient: 'tab\tin\\name@example.se' }), // escapes: the general way
      JSON.stringify({ ...full, id: 'e3' }).replace('"recipient":"', '"recipient":"raw\ttab'), // invalid JSON
      JSON.stringify(delivery),
      JSON.stringify({ ...full, id: 'e4', time: 'yesterday' }),
      JSON.stringify({ ...full, id: 'e5', ip: null }),
      JSON.stringify({ ...full, id: 'e6' }) + '\r',
      '',
      JSON.stringify({ ...full, id: 'e7', userAgent: 'x'.repeat(FEED_LIMITS.userAgent + 1) }),
      JSON.stringify({ ...full, id: 'e8', type: 4 }),
    ];
    const body = lines.join('\n');
    const got = parseNdjson(body);
    const want = new PageCollector();
    let fetched = 0;
    for (const line of lines) {
      if (line.trim() === '') continue;
      fetched++;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        want.reject('not valid JSON', line);
        continue;
      }
      const why = want.add(rec);
      if (why !== undefined) want.reject(why, line);
    }
    expect(eventList(got.records.events)).toEqual(want.events);
    expect(eventList(got.records.events).map((e) => e.id)).toEqual(['e-1795165200000-42', 'e2', 'e5', 'e6', 'e8']);
    expect(got.records.deliveries).toEqual(want.deliveries);
    expect(got.rejected).toEqual(want.rejected);
    expect(got.rejectedCount).toBe(3);
    expect(got.fetched).toBe(fetched);
  });
});
