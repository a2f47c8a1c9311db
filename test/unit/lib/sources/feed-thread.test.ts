import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFeedSource, fetchFeedPage } from '../../../../lib/sources/feed';
import { createFeedThread, serveFeedThread, type ThreadChannel, type ThreadMessage } from '../../../../lib/sources/feed-thread';
import { eventCount, eventList, packEvents, unpackEvents } from '../../../../lib/sources/packed-events';
import { SourceError, type EventInput, type FetchContext, type Page } from '../../../../lib/sources/source';
import type { RunIssue } from '../../../../lib/workflow/issues';
import { makeDataset, startFeedServer, type Dataset, type FeedServer } from '../../../fixtures/feed-server';

/**
 * Two ends of a channel: what one posts reaches the other's onmessage later, as a structured clone with the buffers
 * named in `transfer` moved (as a MessagePort; they are empty on the sender's side afterwards).
 */
function channelPair(): [ThreadChannel, ThreadChannel] {
  const send = (to: () => ThreadChannel) => (m: unknown, transfer?: Transferable[]) => {
    const data: unknown = structuredClone(m, { transfer });
    setTimeout(() => to().onmessage?.({ data }));
  };
  const a: ThreadChannel = { onmessage: null, postMessage: send(() => b), close: vi.fn() };
  const b: ThreadChannel = { onmessage: null, postMessage: send(() => a), close: vi.fn() };
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

  it("moves each page's columns to the caller instead of copying them", async () => {
    const [here, there] = channelPair();
    const sent: { data: ThreadMessage; transfer: Transferable[] | undefined }[] = [];
    const post = there.postMessage.bind(there);
    there.postMessage = (data, transfer) => {
      sent.push({ data, transfer });
      post(data, transfer);
    };
    serveFeedThread(there, fetchFeedPage);
    const config = { url: server.url(), pageSize: 5000 };
    const page = await createFeedSource({ thread: createFeedThread({ ensure: async () => true, channel: here }) }).fetchPage(context(config).ctx);
    const inline = await createFeedSource().fetchPage(context(config).ctx);
    expect(eventList(page.records.events)).toEqual(eventList(inline.records.events));
    const answer = sent.find((x) => x.data.kind === 'page')!;
    // Every column's buffer went in the transfer list, once: the thread's copy of the page is left empty.
    const events = (answer.data as Extract<ThreadMessage, { kind: 'page' }>).page.records.events;
    expect(answer.transfer).toHaveLength(11);
    expect(new Set(answer.transfer).size).toBe(11);
    expect([events.time.byteLength, events.id.ends.byteLength, events.userAgent.index.byteLength]).toEqual([0, 0, 0]);
  });

  it('talks over the port it is handed when there is one, and asks for a new one when it opens the thread again', async () => {
    const fallback: ThreadChannel = { onmessage: null, postMessage: vi.fn() };
    const ports: ThreadChannel[] = [];
    const connect = vi.fn(async () => {
      const [here, there] = channelPair();
      serveFeedThread(there, fetchFeedPage);
      ports.push(here);
      return here;
    });
    const close = vi.fn(async () => undefined);
    const thread = createFeedThread({ ensure: async () => true, close, connect, channel: fallback });
    const config = { url: server.url(), pageSize: 700 };
    const pages = await readAll(createFeedSource({ thread }).fetchPage, config);
    const inline = await readAll(createFeedSource().fetchPage, config);
    expect(normal(pages.flatMap((p) => eventList(p.records.events)))).toEqual(normal(inline.flatMap((p) => eventList(p.records.events))));
    expect(fallback.postMessage).not.toHaveBeenCalled();
    expect(connect).toHaveBeenCalledTimes(1);
    // The feed ended, so the thread's document was closed; the next run opens it and gets a new port, and the old
    // one is closed.
    expect(close).toHaveBeenCalledTimes(1);
    await createFeedSource({ thread }).fetchPage(context(config).ctx);
    expect(connect).toHaveBeenCalledTimes(2);
    expect(ports[0]!.close).toHaveBeenCalled();
    expect(ports[1]!.close).not.toHaveBeenCalled();
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
