import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventCount, eventList } from '../../../../lib/sources/packed-events';
import { bodyFormat, createFeedSource, feedSource, pageUrl } from '../../../../lib/sources/feed';
import { SourceError, type EventInput, type FetchContext, type Page } from '../../../../lib/sources/source';
import type { RunIssue } from '../../../../lib/workflow/issues';
import {
  expectedCounts,
  makeDataset,
  ndjsonLines,
  orderRecords,
  startFeedServer,
  type Dataset,
  type FeedServer,
} from '../../../fixtures/feed-server';

const TOKEN = 'feed-token-7f3a9c';

function context(config: unknown, extra: Partial<FetchContext> = {}) {
  const waits: number[] = [];
  const notes: RunIssue[] = [];
  const ctx: FetchContext = {
    config,
    secret: undefined,
    cursor: null,
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
    now: () => Date.UTC(2026, 10, 20, 12),
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    note: (issue) => notes.push(issue),
    ...extra,
  };
  return { ctx, waits, notes };
}

/** Pages through a feed like the workflow does: from the cursor until done or the cursor stops moving. */
async function readAll(ctx: FetchContext): Promise<{ pages: Page[]; cursor: string | null }> {
  const pages: Page[] = [];
  let cursor = ctx.cursor;
  for (let i = 0; i < 1000; i++) {
    const page = await feedSource.fetchPage({ ...ctx, cursor });
    pages.push(page);
    const done = page.done || page.nextCursor === cursor;
    cursor = page.nextCursor;
    if (done) return { pages, cursor };
  }
  throw new Error('feed never ended');
}

const allEvents = (pages: Page[]): EventInput[] => pages.flatMap((p) => eventList(p.records.events));

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected a SourceError');
}

describe('feedSource over loopback HTTP', () => {
  let server: FeedServer;
  let dataset: Dataset;

  beforeAll(async () => {
    dataset = makeDataset({ deliveries: 3, recipients: 500, events: 2000, seed: 7, timeFormat: 'mixed' });
    server = await startFeedServer({ dataset });
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.clearFaults();
    server.requests.length = 0;
  });

  it('pages by cursor to the end and ingests everything', async () => {
    const { ctx } = context({ url: server.url(), pageSize: 700 });
    const { pages, cursor } = await readAll(ctx);
    const total = dataset.deliveries.length + dataset.urls.length + dataset.events.length;
    const sizes = Array.from({ length: Math.ceil(total / 700) }, (_, i) => Math.min(700, total - i * 700));
    expect(pages.map((p) => p.fetched)).toEqual(sizes);
    expect(pages.at(-1)!.done).toBe(true);
    expect(pages.slice(0, -1).every((p) => !p.done)).toBe(true);
    expect(cursor).toBe(String(total));
    expect(pages.every((p) => p.rejectedCount === 0)).toBe(true);
    expect(pages.flatMap((p) => p.records.deliveries).map((d) => d.extId)).toEqual(['D1', 'D2', 'D3']);
    expect(pages.flatMap((p) => p.records.urls)).toHaveLength(dataset.urls.length);
    expect(allEvents(pages)).toHaveLength(dataset.events.length);
    expect(server.requests.map((r) => r.cursor)).toEqual([null, ...sizes.slice(1).map((_, i) => String((i + 1) * 700))]);
    expect(server.requests.every((r) => r.limit === 700 && r.auth === undefined)).toBe(true);
    const bytes = pages.reduce((s, p) => s + (p.bytes ?? 0), 0);
    expect(bytes).toBe(Buffer.byteLength(ndjsonLines(orderRecords(dataset)).join('')));
  });

  it('matches the independent truth per delivery', async () => {
    const { ctx } = context({ url: server.url() });
    const events = allEvents((await readAll(ctx)).pages);
    const got: Record<string, { events: number; byType: Record<number, number>; rcp: Set<string>; clk: Set<string> }> = {};
    for (const e of events) {
      const g = (got[e.deliveryExtId] ??= { events: 0, byType: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0 }, rcp: new Set(), clk: new Set() });
      g.events++;
      g.byType[e.type]!++;
      g.rcp.add(e.recipient);
      if (e.type === 1) g.clk.add(e.recipient);
    }
    const expected = expectedCounts(dataset);
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [d, c] of Object.entries(expected)) {
      const g = got[d]!;
      expect({ events: g.events, byType: g.byType, recipients: g.rcp.size, clickers: g.clk.size }).toEqual(c);
    }
  });

  it('resumes from a cursor and keeps the URL’s own query parameters', async () => {
    const { ctx } = context({ url: server.url('/feed?tenant=acme&limit=5'), pageSize: 100 }, { cursor: '50' });
    const page = await feedSource.fetchPage(ctx);
    expect(page.fetched).toBe(100);
    expect(page.nextCursor).toBe('150');
    expect(page.done).toBe(false);
    const q = new URLSearchParams(server.requests[0]!.query);
    expect(q.get('tenant')).toBe('acme');
    expect(q.get('cursor')).toBe('50');
    expect(q.get('limit')).toBe('100');
    expect(pageUrl({ url: 'https://x.example/f?a=1', format: 'auto' }, null)).toBe('https://x.example/f?a=1&limit=50000');
  });

  it('sends the bearer token when a secret is set, and the Accept header', async () => {
    server.setFault({ token: TOKEN });
    const { ctx } = context({ url: server.url(), pageSize: 10 }, { secret: TOKEN });
    const page = await feedSource.fetchPage(ctx);
    expect(page.fetched).toBe(10);
    expect(server.requests[0]!.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('fails unauthorized on a wrong token, without the token in the error', async () => {
    server.setFault({ token: TOKEN });
    const { ctx, notes } = context({ url: server.url() }, { secret: 'wrong-token-123' });
    const e = await failure(feedSource.fetchPage(ctx));
    expect(e.code).toBe('unauthorized');
    const text = JSON.stringify({ e, params: e.params, message: e.message, stack: e.stack, notes });
    expect(text).not.toContain('wrong-token-123');
    expect(text).not.toContain(TOKEN);
    expect(server.requests).toHaveLength(1);
    // No secret: no Authorization header at all.
    const anon = context({ url: server.url() });
    expect((await failure(feedSource.fetchPage(anon.ctx))).code).toBe('unauthorized');
    expect(server.requests[1]!.auth).toBeUndefined();
  });

  it('reads the CSV pages to the same records', async () => {
    const nd = await readAll(context({ url: server.url(), pageSize: 800 }).ctx);
    const csv = await readAll(context({ url: server.url('/feed.csv'), pageSize: 800 }).ctx);
    expect(csv.pages.every((p) => p.rejectedCount === 0)).toBe(true);
    expect(csv.cursor).toBe(nd.cursor);
    expect(allEvents(csv.pages)).toEqual(allEvents(nd.pages));
    expect(csv.pages.flatMap((p) => p.records.deliveries)).toEqual(nd.pages.flatMap((p) => p.records.deliveries));
    expect(csv.pages.flatMap((p) => p.records.urls)).toEqual(nd.pages.flatMap((p) => p.records.urls));
  });

  it('treats a static file as a feed: everything at once, the cursor stays, done', async () => {
    for (const cursor of [null, 'kept-cursor']) {
      const { ctx } = context({ url: server.url('/static.ndjson') }, { cursor });
      const page = await feedSource.fetchPage(ctx);
      expect(page.done).toBe(true);
      expect(page.nextCursor).toBe(cursor);
      expect(eventList(page.records.events)).toHaveLength(dataset.events.length);
    }
    const csv = await feedSource.fetchPage(context({ url: server.url('/static.csv') }).ctx);
    expect(eventList(csv.records.events)).toHaveLength(dataset.events.length);
  });

  it('quarantines injected bad lines and ingests the rest of the page', async () => {
    const bad = [
      '{"kind":"event","id":"x1","delivery":"D1",', // cut short
      JSON.stringify({ kind: 'event', id: 'x2', delivery: 'D1', recipient: 'a@x.se', type: 'open', time: 'soon' }),
      JSON.stringify({ kind: 'event', id: 'x3', delivery: 'D1', type: 'open', time: 1795165200000 }),
      'not json at all',
    ];
    server.setFault({ inject: { lines: bad, cursor: 0, count: 1 } });
    const { ctx } = context({ url: server.url(), pageSize: 100 });
    const page = await feedSource.fetchPage(ctx);
    expect(page.fetched).toBe(104);
    expect(page.rejectedCount).toBe(4);
    expect(page.records.deliveries.length + page.records.urls.length + eventCount(page.records.events)).toBe(100);
    expect(page.nextCursor).toBe('100');
    expect(page.rejected.map((r) => r.reason)).toEqual([
      'not valid JSON',
      expect.stringMatching(/^time: not a date/),
      'recipient: required',
      'not valid JSON',
    ]);
    expect(page.rejected[0]!.sample).toBe(bad[0]);
    // Only that page had them.
    const next = await feedSource.fetchPage({ ...ctx, cursor: page.nextCursor });
    expect(next.rejectedCount).toBe(0);
  });

  it('fails unparseable on an HTML page', async () => {
    server.setFault({ html: { count: 1 } });
    const e = await failure(feedSource.fetchPage(context({ url: server.url() }).ctx));
    expect(e.code).toBe('unparseable');
    expect(String(e.params.detail)).toMatch(/HTML/);
  });

  it('retries a 429 honouring Retry-After, then reads the page', async () => {
    server.setFault({ rateLimit: { count: 2, retryAfter: 2 } });
    const { ctx, waits, notes } = context({ url: server.url(), pageSize: 10 });
    const page = await feedSource.fetchPage(ctx);
    expect(page.fetched).toBe(10);
    expect(waits).toEqual([2000, 2000]);
    expect(notes.map((n) => [n.code, n.params.status, n.params.waitSeconds])).toEqual([
      ['retrying', 429, 2],
      ['retrying', 429, 2],
    ]);
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('retries 5xx then succeeds; fails server-error when it persists', async () => {
    server.setFault({ serverError: { count: 2 } });
    const first = context({ url: server.url(), pageSize: 10 });
    expect((await feedSource.fetchPage(first.ctx)).fetched).toBe(10);
    expect(first.waits).toEqual([1000, 2000]);

    server.setFault({ serverError: { count: 99, status: 502 } });
    const second = context({ url: server.url(), pageSize: 10 });
    const e = await failure(feedSource.fetchPage(second.ctx));
    expect(e.code).toBe('server-error');
    expect(e.params.status).toBe(502);
    expect(second.waits).toEqual([1000, 2000, 4000, 8000]);
  });

  it('fails not-found on a wrong path', async () => {
    expect((await failure(feedSource.fetchPage(context({ url: server.url('/nope') }).ctx))).code).toBe('not-found');
  });

  it('fails timeout when the server is slower than the limit, after retries', async () => {
    server.setFault({ delayMs: 300 });
    const { ctx, waits, notes } = context({ url: server.url(), pageSize: 10 });
    const e = await failure(createFeedSource({ timeoutMs: 40, retries: 2 }).fetchPage(ctx));
    expect(e.code).toBe('timeout');
    expect(waits).toEqual([1000, 2000]);
    expect(notes.map((n) => n.params.reason)).toEqual(['timeout', 'timeout']);
  });

  it("stops when the caller's signal aborts (the worker is going away)", async () => {
    server.setFault({ delayMs: 300 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stopped')), 30);
    await expect(feedSource.fetchPage(context({ url: server.url() }, { signal: controller.signal }).ctx)).rejects.toThrow(
      'stopped',
    );
  });

  it('fails network when nothing listens', async () => {
    const gone = await startFeedServer();
    const url = gone.url();
    await gone.close();
    const { ctx } = context({ url });
    const e = await failure(feedSource.fetchPage(ctx));
    expect(e.code).toBe('network');
    expect(e.params.host).toBe(new URL(url).host);
  });

  it.each([
    [undefined],
    [{}],
    [{ url: 'ftp://example.com/feed' }],
    [{ url: 'not a url' }],
    [{ url: 'https://x.example/', format: 'xml' }],
    [{ url: 'https://x.example/', pageSize: 0 }],
    [{ url: 'https://user:pw@x.example/feed' }],
  ])('refuses bad config %j with config-invalid', async (config) => {
    const e = await failure(feedSource.fetchPage(context(config).ctx));
    expect(e.code).toBe('config-invalid');
  });
});

describe('feedSource on a growing feed', () => {
  it('a later run reads only what was appended after the committed cursor', async () => {
    const first = makeDataset({ deliveries: 2, recipients: 50, events: 300, seed: 21 });
    const server = await startFeedServer({ dataset: first });
    try {
      const run1 = await readAll(context({ url: server.url(), pageSize: 1000 }).ctx);
      expect(allEvents(run1.pages)).toHaveLength(300);
      // Nothing new: one request, an empty page, the cursor stays.
      const idle = await readAll(context({ url: server.url() }, { cursor: run1.cursor }).ctx);
      expect(idle.pages.map((p) => p.fetched)).toEqual([0]);
      expect(idle.cursor).toBe(run1.cursor);

      const later = makeDataset({ deliveries: 2, recipients: 50, events: 40, seed: 22, start: Date.UTC(2026, 11, 1) });
      server.append({ events: later.events });
      server.setFault({ inject: { lines: ['{"kind":"event"}'], cursor: Number(run1.cursor) } });
      const run2 = await readAll(context({ url: server.url(), pageSize: 1000 }, { cursor: run1.cursor }).ctx);
      expect(allEvents(run2.pages).map((e) => e.id)).toEqual(later.events.map((e) => e.id));
      expect(run2.pages[0]!.rejected).toEqual([{ reason: 'id: required', sample: '{"kind":"event"}' }]);
      expect(Number(run2.cursor)).toBe(Number(run1.cursor) + 40);
      // CSV rendered after the append sees the same records.
      const csv = await readAll(context({ url: server.url('/feed.csv'), pageSize: 1000 }, { cursor: run1.cursor }).ctx);
      expect(allEvents(csv.pages)).toEqual(allEvents(run2.pages));
    } finally {
      await server.close();
    }
  });
});

describe('feedSource response headers and formats (scripted fetch)', () => {
  const body = ndjsonLines(
    orderRecords(makeDataset({ deliveries: 1, recipients: 5, events: 5, seed: 3, html: false })),
  ).join('');

  function answering(headers: Record<string, string>, text = body): typeof fetch {
    return (() => Promise.resolve(new Response(text, { status: 200, headers }))) as typeof fetch;
  }

  it('without X-Has-More, goes on until an empty page', async () => {
    const more = await feedSource.fetchPage(context({ url: 'https://f.example/' }, { fetch: answering({ 'X-Next-Cursor': 'c2' }) }).ctx);
    expect(more).toMatchObject({ nextCursor: 'c2', done: false });
    const empty = await feedSource.fetchPage(
      context({ url: 'https://f.example/' }, { cursor: 'c2', fetch: answering({ 'X-Next-Cursor': 'c2' }, '') }).ctx,
    );
    expect(empty).toMatchObject({ nextCursor: 'c2', done: true, fetched: 0 });
  });

  it('X-Has-More decides when present', async () => {
    const f = (v: string) => answering({ 'X-Next-Cursor': 'n', 'X-Has-More': v });
    expect((await feedSource.fetchPage(context({ url: 'https://f.example/' }, { fetch: f('true') }).ctx)).done).toBe(false);
    expect((await feedSource.fetchPage(context({ url: 'https://f.example/' }, { fetch: f('false') }).ctx)).done).toBe(true);
    expect((await feedSource.fetchPage(context({ url: 'https://f.example/' }, { fetch: f('TRUE') }).ctx)).done).toBe(false);
  });

  it('no X-Next-Cursor: the cursor stays and the run is done even if X-Has-More says true', async () => {
    const page = await feedSource.fetchPage(
      context({ url: 'https://f.example/' }, { cursor: 'old', fetch: answering({ 'X-Has-More': 'true' }) }).ctx,
    );
    expect(page).toMatchObject({ nextCursor: 'old', done: true });
  });

  it('refuses an absurd cursor header', async () => {
    const e = await failure(
      feedSource.fetchPage(context({ url: 'https://f.example/' }, { fetch: answering({ 'X-Next-Cursor': 'c'.repeat(5000) }) }).ctx),
    );
    expect(e.code).toBe('unparseable');
  });

  it('picks the format from config, Content-Type, then the body', () => {
    expect(bodyFormat('csv', 'application/x-ndjson', '{')).toBe('csv');
    expect(bodyFormat('auto', 'text/csv; charset=utf-8', '{')).toBe('csv');
    expect(bodyFormat('auto', 'application/x-ndjson', 'kind,id')).toBe('ndjson');
    expect(bodyFormat('auto', 'application/json', '[')).toBe('ndjson');
    expect(bodyFormat('auto', 'text/plain', '\ufeff  {"kind":"event"}')).toBe('ndjson');
    expect(bodyFormat('auto', null, 'kind,id,label\n')).toBe('csv');
    expect(bodyFormat('auto', 'text/html', '<html>')).toBe('ndjson'); // → refused as HTML by the parser
  });

  it('reads a CSV body served as text/plain, and a CSV forced by config', async () => {
    const csv = 'kind,id,delivery,recipient,type,time\nevent,e1,D1,a@x.se,open,2026-11-20T09:00:00Z\n';
    const plain = await feedSource.fetchPage(context({ url: 'https://f.example/' }, { fetch: answering({ 'Content-Type': 'text/plain' }, csv) }).ctx);
    expect(eventList(plain.records.events)).toHaveLength(1);
    const forced = await feedSource.fetchPage(
      context({ url: 'https://f.example/', format: 'csv' }, { fetch: answering({ 'Content-Type': 'application/x-ndjson' }, csv) }).ctx,
    );
    expect(eventList(forced.records.events)).toHaveLength(1);
  });

  it('sends Accept and no Authorization without a secret; no side effects (test connection)', async () => {
    const seen: Headers[] = [];
    const fetch = ((_u: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers));
      return Promise.resolve(new Response(body, { status: 200 }));
    }) as typeof globalThis.fetch;
    const { ctx, notes } = context({ url: 'https://f.example/' }, { fetch });
    const a = await feedSource.fetchPage(ctx);
    const b = await feedSource.fetchPage(ctx);
    expect(a).toEqual(b);
    expect(notes).toEqual([]);
    expect(seen[0]!.get('accept')).toBe('application/x-ndjson, text/csv');
    expect(seen[0]!.has('authorization')).toBe(false);
  });
});

describe('makeDataset', () => {
  it('is deterministic and realistic', () => {
    const a = makeDataset({ deliveries: 4, recipients: 1000, events: 5000, seed: 11 });
    const b = makeDataset({ deliveries: 4, recipients: 1000, events: 5000, seed: 11 });
    expect(a).toEqual(b);
    expect(a.events).toHaveLength(5000);
    expect(new Set(a.events.map((e) => e.id)).size).toBe(5000);
    const times = a.events.map((e) => (typeof e.time === 'number' ? e.time : Date.parse(e.time)));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    const types = new Set(a.events.map((e) => e.type));
    for (const t of ['open', 'click', 'opt-out', 'mirror', 'web', 'transaction']) expect(types).toContain(t);
    const clicks = a.events.filter((e) => e.type === 'click');
    const urlIds = new Set(a.urls.map((u) => u.id));
    expect(clicks.every((e) => typeof e.url === 'string' && urlIds.has(e.url))).toBe(true);
    const counts = expectedCounts(a);
    expect(Object.values(counts).reduce((s, c) => s + c.events, 0)).toBe(5000);
    for (const c of Object.values(counts)) expect(c.clickers).toBeLessThanOrEqual(c.recipients);
  });
});
