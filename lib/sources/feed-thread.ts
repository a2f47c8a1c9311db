import type { RunIssue } from '../workflow/issues';
import { packedOf, transferablesOf, type PackedEvents } from './packed-events';
import { SourceError, type FetchContext, type Page } from './source';

/**
 * Fetching and parsing a feed's pages on another thread than the service worker's.
 *
 * Why: a 1 M-event ingest kept the worker's thread busy end to end, and about a third of that was reading the pages
 * (decoding, scanning the lines, checking the fields). An MV3 service worker cannot start a worker of its own, so an
 * offscreen document (reason WORKERS) runs a dedicated worker (entrypoints/feed-worker.ts) that fetches and parses
 * while the service worker stores the page before. Measured with the parsing taken away altogether (pages served from
 * memory), the service worker stored a million events in ~3 s instead of ~5.5 s.
 *
 * The two talk over a MessageChannel whose ends the service worker hands out (FEED_PORT: one end to the offscreen
 * document, which passes it on to its worker): a request names the source's config, secret and cursor; the answer is
 * the page with its events packed in columns (./packed-events.ts), their buffers transferred rather than copied, or
 * the SourceError to throw, and the run-log notes (retries, rate limits) either way; while it works on a request the
 * thread says so every HEARTBEAT_MS. Where no port can be handed over, a BroadcastChannel of the extension's origin
 * (FEED_CHANNEL) carries the same messages. Measured in Chromium with a million events' pages: posting them over a
 * BroadcastChannel took the worker's thread 165–250 ms (every message is copied and relayed through the browser
 * process, and received at more cost again), over a port 86 ms, with the buffers transferred 43 ms.
 * Anything that goes wrong with the thread itself (no offscreen API, no answer to a ping, ten seconds without a word)
 * makes the caller parse on its own thread instead (lib/sources/feed.ts), so a run never depends on it.
 */

export const FEED_CHANNEL = 'tracking-logs:feed-thread';

export { FEED_PORT } from './feed-port';

export interface ThreadRequest {
  kind: 'parse';
  id: string;
  config: unknown;
  secret: string | undefined;
  cursor: string | null;
  timeoutMs?: number | undefined;
  retries?: number | undefined;
}

type PackedPage = Omit<Page, 'records'> & { records: Omit<Page['records'], 'events'> & { events: PackedEvents } };

/** What the thread answers a request with (the request's id added). */
type Answer =
  | { kind: 'page'; page: PackedPage; notes: RunIssue[] }
  | { kind: 'error'; error: { code: string; params: Record<string, string | number>; message: string }; notes: RunIssue[] };

export type ThreadMessage =
  | ThreadRequest
  | { kind: 'ping'; id: string }
  | { kind: 'pong'; id: string }
  /** Still on it (a slow server, a Retry-After wait): sent every HEARTBEAT_MS while a request is open. */
  | { kind: 'working'; id: string }
  | (Answer & { id: string });

/** How often the thread says it is still working on a request. */
export const HEARTBEAT_MS = 2000;

/** The channel's ends: a MessagePort (or the BroadcastChannel) in the extension, a pair of fakes in unit tests. */
export interface ThreadChannel {
  /** `transfer`: buffers to move rather than copy (a BroadcastChannel ignores it and copies). */
  postMessage(message: ThreadMessage, transfer?: Transferable[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close?(): void;
}

/**
 * The worker's side: answers pings, and fetches and parses each requested page with `fetchPage` (the feed adapter's
 * own, so the HTTP limits, retries and rejections are the ones of the inline path).
 */
export function serveFeedThread(
  channel: ThreadChannel,
  fetchPage: (
    ctx: FetchContext,
    options: { timeoutMs?: number | undefined; retries?: number | undefined; onNextCursor?: ((cursor: string) => void) | undefined },
  ) => Promise<Page>,
  { aheadMs = AHEAD_MS, heartbeatMs = HEARTBEAT_MS, maxAhead = MAX_AHEAD }: { aheadMs?: number; heartbeatMs?: number; maxAhead?: number } = {},
): void {
  const answer = (m: ThreadRequest): Promise<Answer> => {
    const notes: RunIssue[] = [];
    const ctx: FetchContext = {
      config: m.config,
      secret: m.secret,
      cursor: m.cursor,
      fetch: (input, init) => fetch(input, init),
      signal: new AbortController().signal,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      note: (issue) => notes.push(issue),
    };
    // The next page is started as soon as this one's headers name it, so that its download overlaps this one's.
    const onNextCursor = (cursor: string): void => lookAhead({ ...m, cursor });
    return fetchPage(ctx, { timeoutMs: m.timeoutMs, retries: m.retries, onNextCursor }).then(
      (page): Answer => ({ kind: 'page', page: { ...page, records: { ...page.records, events: packedOf(page.records.events) } }, notes }),
      (e: unknown): Answer => {
        const error =
          e instanceof SourceError
            ? { code: e.code, params: e.params, message: e.message }
            : { code: 'internal', params: { message: String(e instanceof Error ? e.message : e).slice(0, 300) }, message: String(e) };
        return { kind: 'error', error, notes };
      },
    );
  };

  /**
   * Pages after the last one asked for, being fetched and parsed (or done) before they are asked for: at most
   * `maxAhead`, each forgotten when not asked for within `aheadMs` (the run ended or stopped).
   */
  const ahead = new Map<string, { answer: Promise<Answer>; timer: ReturnType<typeof setTimeout> }>();
  /** The page after the last one started, known but not started for want of room ahead. */
  let waiting: ThreadRequest | undefined;
  const keyOf = (m: ThreadRequest): string => JSON.stringify([m.config, m.secret ?? '', m.cursor, m.timeoutMs ?? 0, m.retries ?? -1]);
  const lookAhead = (next: ThreadRequest): void => {
    const key = keyOf(next);
    if (ahead.has(key)) return;
    if (ahead.size >= maxAhead) {
      waiting = next;
      return;
    }
    const timer = setTimeout(() => ahead.delete(key), aheadMs);
    ahead.set(key, { answer: answer(next), timer });
  };
  const forgetAhead = (): void => {
    for (const entry of ahead.values()) clearTimeout(entry.timer);
    ahead.clear();
    waiting = undefined;
  };

  channel.onmessage = ({ data }) => {
    const m = data as ThreadMessage;
    if (m?.kind === 'ping') channel.postMessage({ kind: 'pong', id: m.id });
    if (m?.kind !== 'parse') return;
    const key = keyOf(m);
    const found = ahead.get(key);
    let pending: Promise<Answer>;
    if (found) {
      clearTimeout(found.timer);
      ahead.delete(key);
      pending = found.answer;
      if (waiting && ahead.size < maxAhead) {
        const next = waiting;
        waiting = undefined;
        lookAhead(next);
      }
    } else {
      // Not a page looked ahead for: what was ahead belongs to another run or source.
      forgetAhead();
      pending = answer(m);
    }
    const beat = setInterval(() => channel.postMessage({ kind: 'working', id: m.id }), heartbeatMs);
    void pending
      .then((a) => {
        // The page's columns are moved, not copied: nothing here reads them again.
        channel.postMessage({ ...a, id: m.id }, a.kind === 'page' ? transferablesOf(a.page.records.events) : undefined);
        // A server that does not say X-Has-More: the next page is known once this one is parsed.
        if (a.kind === 'page' && !a.page.done && a.page.nextCursor !== null && a.page.nextCursor !== m.cursor) {
          lookAhead({ ...m, cursor: a.page.nextCursor });
        }
      })
      .catch((e: unknown) => {
        // Never leave a request without an answer (a page that cannot be sent, say): the caller then parses inline.
        channel.postMessage({ kind: 'error', id: m.id, error: { code: 'thread', params: {}, message: String(e) }, notes: [] });
      })
      .finally(() => clearInterval(beat));
  };
}

/** Pages fetched ahead at most: with the one being answered, three pages' text and columns in memory. */
const MAX_AHEAD = 2;

/** How long a page fetched ahead waits to be asked for. */
const AHEAD_MS = 30_000;

export interface FeedThread {
  /** The page from the thread, or undefined when the thread is not to be had (then parse inline). */
  fetchPage(ctx: FetchContext, options: { timeoutMs?: number | undefined; retries?: number | undefined }): Promise<Page | undefined>;
}

export interface FeedThreadDeps {
  /** Makes sure the thread's document exists (the offscreen document); false when it cannot. */
  ensure(): Promise<boolean>;
  /**
   * Closes the thread's document once a feed has nothing more for now (its memory goes with it; the next run opens a
   * new one). Optional: without it the thread stays.
   */
  close?: () => Promise<void>;
  /**
   * One end of a new MessageChannel whose other end the thread now has (see FEED_PORT), or undefined when none can be
   * handed over: then `channel` carries the messages. Asked each time the thread is (re)opened.
   */
  connect?: () => Promise<ThreadChannel | undefined>;
  /** The channel to use when `connect` gives none. */
  channel: ThreadChannel;
  /** How long to wait for the thread to answer a ping (it may be starting). */
  readyMs?: number;
  /** Longest silence from the thread while it has a page to answer, past which the caller parses inline (gone or stuck). */
  silenceMs?: number;
}

/** The service worker's side. */
export function createFeedThread(deps: FeedThreadDeps): FeedThread {
  const pending = new Map<string, (m: ThreadMessage) => void>();
  const base = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  let seq = 0;
  const nextId = (): string => `${base}-${++seq}`;
  const receive = ({ data }: { data: unknown }): void => {
    const m = data as ThreadMessage;
    if (m && typeof m.id === 'string') pending.get(m.id)?.(m);
  };
  let channel = deps.channel;
  channel.onmessage = receive;
  /** Sends `message` and resolves with the answer, or undefined after `ms` without a word (a heartbeat restarts it). */
  const ask = (message: ThreadMessage, ms: number): Promise<ThreadMessage | undefined> =>
    new Promise((resolve) => {
      const expire = (): ReturnType<typeof setTimeout> =>
        setTimeout(() => {
          pending.delete(message.id);
          resolve(undefined);
        }, ms);
      let timer = expire();
      pending.set(message.id, (reply) => {
        clearTimeout(timer);
        if (reply.kind === 'working') {
          timer = expire();
          return;
        }
        pending.delete(message.id);
        resolve(reply);
      });
      channel.postMessage(message);
    });

  let ready: Promise<boolean> | undefined;
  const whenReady = (): Promise<boolean> => {
    ready ??= (async () => {
      if (!(await deps.ensure().catch(() => false))) return false;
      const port = await deps.connect?.().catch(() => undefined);
      if (channel !== deps.channel) channel.close?.();
      channel = port ?? deps.channel;
      channel.onmessage = receive;
      const deadline = Date.now() + (deps.readyMs ?? 5000);
      // The worker may still be loading: ping until it answers.
      while (Date.now() < deadline) {
        if ((await ask({ kind: 'ping', id: nextId() }, 100))?.kind === 'pong') return true;
      }
      return false;
    })().then((ok) => {
      if (!ok) ready = undefined; // try again on a later page or run
      return ok;
    });
    return ready;
  };

  return {
    async fetchPage(ctx, options) {
      if (!(await whenReady())) return undefined;
      const request: ThreadRequest = {
        kind: 'parse',
        id: nextId(),
        config: ctx.config,
        secret: ctx.secret,
        cursor: ctx.cursor,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
      };
      const reply = await ask(request, deps.silenceMs ?? 5 * HEARTBEAT_MS);
      if (!reply || (reply.kind === 'error' && reply.error.code === 'thread')) {
        ready = undefined;
        return undefined;
      }
      if (reply.kind !== 'page' && reply.kind !== 'error') return undefined;
      for (const n of reply.notes) ctx.note(n);
      if (reply.kind === 'error') throw new SourceError(reply.error.code, reply.error.params, reply.error.message);
      const { page } = reply;
      if (page.done && deps.close) {
        ready = undefined;
        void deps.close().catch(() => undefined);
      }
      // Still in columns: the store reads them so (lib/workflow/store-writer.ts).
      return page;
    },
  };
}

