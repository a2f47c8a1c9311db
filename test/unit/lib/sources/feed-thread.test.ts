import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFeedSource, fetchFeedPage } from '../../../../lib/sources/feed';
import { createFeedThread, serveFeedThread, type ThreadChannel } from '../../../../lib/sources/feed-thread';
import { eventCount, eventList, packEvents, unpackEvents } from '../../../../lib/sources/packed-events';
import { SourceError, type EventInput, type FetchContext, type Page } from '../../../../lib/sources/source';
import type { RunIssue } from '../../../../lib/workflow/issues';
import { makeDataset, startFeedServer, type Dataset, type FeedServer } from '../../../fixtures/feed-server';

/** Two ends of a channel: what one posts reaches the other's onmessage later, as a structured clone (as BroadcastChannel). */
function channelPair(): [ThreadChannel, ThreadChannel] {
  const a: ThreadChannel = { onmessage: null, postMessage: (m) => setTimeout(() => b.onmessage?.({ data: structuredClone(m) })) };
  const b: ThreadChannel = { onmessage: null, postMessage: (m) => setTimeout(() => a.onmessage?.({ data: structuredClone(m) })) };
  return [a, b];
}

function context(config: unknown, cursor: string | null = null): { ctx: FetchContext; notes: RunIssue[] } {
  const notes: RunIssue[] = [];
  return {
    notes,
    ctx: {
      config,
      secret: undefined,
      cursor,
      fetch: globalThis.fetch,
      signal: new AbortController().signal,
      now: () => Date.now(),
      sleep: () => Promise.resolve(),
      note: (issue) => notes.push(issue),
    },
  };
}

async function readAll(fetchPage: (ctx: FetchContext) => Promise<Page>, config: unknown): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await fetchPage(context(config, cursor).ctx);
    pages.push(page);
    if (page.done || page.nextCursor === cursor) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('the feed never ended');
}

/** The flags as the store reads them: false and absent alike. */
const normal = (events: EventInput[]): EventInput[] =>
  events.map((e) => ({ ...e, machine: e.machine ? true : undefined, proxy: e.proxy ? true : undefined }));

describe('packed events', () => {
  it('come back equal to what was packed, field by field, with shared strings for repeated agents', () => {
    const events: EventInput[] = [
      { id: 'e1', deliveryExtId: 'D1', recipient: 'a@x.se', type: 2, time: 1_700_000_000_000, userAgent: 'UA 1', proxy: true },
      { id: 'e2', deliveryExtId: 'D1', recipient: 'b@x.se', type: 1, time: 1_700_000_001_000, userAgent: 'UA 1', urlExtId: 'U1', person: 'p9', ip: '192.0.2.1' },
      { id: 'e3', deliveryExtId: 'D2', recipient: 'ö@x.se', type: 1, time: 1_700_000_002_000, url: 'https://x.se/å?q=1', machine: true, person: '' },
      { id: '', deliveryExtId: 'D2', recipient: '', type: 3, time: 0 },
    ];
    const back = unpackEvents(structuredClone(packEvents(events)));
    expect(back).toEqual(
      events.map((e) => ({ urlExtId: undefined, url: undefined, userAgent: undefined, ip: undefined, person: undefined, machine: undefined, proxy: undefined, ...e })),
    );
    expect(unpackEvents(packEvents([]))).toEqual([]);
  });
});

describe('the feed thread', () => {
  let server: FeedServer;
  let dataset: Dataset;

  beforeAll(async () => {
    dataset = makeDataset({ deliveries: 3, recipients: 400, events: 1500, seed: 5, timeFormat: 'mixed' });
    server = await startFeedServer({ dataset });
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.clearFaults();
    server.requests.length = 0;
  });

  it('gives the same pages as parsing here, and fetches the next page before it is asked for', async () => {
    const [here, there] = channelPair();
    const fetchPage = vi.fn(fetchFeedPage);
    serveFeedThread(there, fetchPage);
    const ensure = vi.fn(async () => true);
    const close = vi.fn(async () => undefined);
    const thread = createFeedThread({ ensure, close, channel: here });
    const config = { url: server.url(), pageSize: 400 };

    const threaded = await readAll(createFeedSource({ thread }).fetchPage, config);
    const inline = await readAll(createFeedSource().fetchPage, config);
    expect(threaded.length).toBeGreaterThan(3);
    expect(threaded.map((p) => p.nextCursor)).toEqual(inline.map((p) => p.nextCursor));
    expect(threaded.map((p) => p.records.deliveries)).toEqual(inline.map((p) => p.records.deliveries));
    expect(threaded.map((p) => p.records.urls)).toEqual(inline.map((p) => p.records.urls));
    expect(normal(threaded.flatMap((p) => eventList(p.records.events)))).toEqual(normal(inline.flatMap((p) => eventList(p.records.events))));
    // Each page was fetched once on the thread: every page after the first was already on its way when asked for.
    const cursors = fetchPage.mock.calls.map(([ctx]) => ctx.cursor);
    expect(cursors).toEqual(threaded.map((_, i) => (i === 0 ? null : threaded[i - 1]!.nextCursor)));
    // Its document was opened once and closed when the feed had nothing more; the next run opens it again.
    expect(ensure).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledTimes(1);
    await createFeedSource({ thread }).fetchPage(context(config).ctx);
    expect(ensure).toHaveBeenCalledTimes(2);
  });

  it('starts the next pages as soon as their cursors are in the headers, at most two ahead of the one asked for', async () => {
    const [here, there] = channelPair();
    const fetchPage = vi.fn(fetchFeedPage);
    serveFeedThread(there, fetchPage);
    const thread = createFeedThread({ ensure: async () => true, channel: here });
    const source = createFeedSource({ thread });
    const config = { url: server.url(), pageSize: 200 };
    const cursors = () => fetchPage.mock.calls.map(([ctx]) => ctx.cursor);

    const first = await source.fetchPage(context(config).ctx);
    await new Promise((r) => setTimeout(r, 200));
    // Pages 2 and 3 are on their way (page 3 from page 2's headers), page 4 waits for room.
    expect(cursors()).toHaveLength(3);
    expect(cursors()[1]).toBe(first.nextCursor);
    const second = await source.fetchPage(context(config, first.nextCursor).ctx);
    await new Promise((r) => setTimeout(r, 200));
    expect(cursors()).toHaveLength(4);
    // Asked for in turn, every page comes from the ones fetched ahead, once each, and equals a page read here.
    const third = await source.fetchPage(context(config, second.nextCursor).ctx);
    expect(cursors()[2]).toBe(second.nextCursor);
    const inline = await createFeedSource().fetchPage(context(config, second.nextCursor).ctx);
    expect(eventList(third.records.events)).toEqual(eventList(inline.records.events));
    expect(new Set(cursors()).size).toBe(cursors().length);
  });

  it('hands over the run-log notes, and the source error with its code', async () => {
    const [here, there] = channelPair();
    serveFeedThread(there, fetchFeedPage);
    const source = createFeedSource({ thread: createFeedThread({ ensure: async () => true, channel: here }), retries: 1 });
    server.setFault({ serverError: { count: 5, status: 503 } });
    const { ctx, notes } = context({ url: server.url() });
    const error = await source.fetchPage(ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('server-error');
    expect(notes.map((n) => n.code)).toContain('retrying');
  });

  it('parses here when the thread cannot be had or does not answer', async () => {
    const config = { url: server.url(), pageSize: 5000 };
    // No offscreen document: not even a ping is sent.
    const [here] = channelPair();
    const post = vi.spyOn(here, 'postMessage');
    const none = createFeedSource({ thread: createFeedThread({ ensure: async () => false, channel: here }) });
    expect(eventCount((await none.fetchPage(context(config).ctx)).records.events)).toBeGreaterThan(0);
    expect(post).not.toHaveBeenCalled();
    // A thread that never answers its pings.
    const [silent] = channelPair();
    const mute = createFeedSource({ thread: createFeedThread({ ensure: async () => true, channel: silent, readyMs: 300 }) });
    expect(eventCount((await mute.fetchPage(context(config).ctx)).records.events)).toBeGreaterThan(0);
  });

  it('gives up on a thread that goes silent, but waits for one that says it is still working', async () => {
    const config = { url: server.url(), pageSize: 5000 };
    // Answers pings, then never a page.
    const [here, there] = channelPair();
    there.onmessage = ({ data }) => {
      const m = data as { kind: string; id: string };
      if (m.kind === 'ping') there.postMessage({ kind: 'pong', id: m.id });
    };
    const silent = createFeedSource({ thread: createFeedThread({ ensure: async () => true, channel: here, silenceMs: 200 }) });
    const started = Date.now();
    expect(eventCount((await silent.fetchPage(context(config).ctx)).records.events)).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(2000);

    // A page that takes three times the silence allowed, with a heartbeat meanwhile: answered by the thread.
    const [here2, there2] = channelPair();
    const slow = vi.fn(async (ctx: FetchContext, options: { timeoutMs?: number; retries?: number }) => {
      await new Promise((r) => setTimeout(r, 600));
      return fetchFeedPage(ctx, options);
    });
    serveFeedThread(there2, slow, { heartbeatMs: 50 });
    const patient = createFeedSource({ thread: createFeedThread({ ensure: async () => true, channel: here2, silenceMs: 200 }) });
    server.requests.length = 0;
    const asked = Date.now();
    expect(eventCount((await patient.fetchPage(context(config).ctx)).records.events)).toBeGreaterThan(0);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(550); // the thread's answer, not an inline fetch at ~200 ms
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.filter((r) => r.path === '/feed')).toHaveLength(1);
  });
});
