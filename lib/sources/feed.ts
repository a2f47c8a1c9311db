import { MAX_REJECTED_SAMPLES_PER_PAGE, parseCsv, parseNdjsonAsync, type ParsedBody } from './feed-format';
import type { FeedThread } from './feed-thread';
import { fetchWithRetry } from './http';
import { DEFAULT_PAGE_SIZE, feedConfigSchema, type FeedConfig } from './feed-config';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, feedConfigSchema, type FeedConfig } from './feed-config';
import { SourceError, type FetchContext, type Page, type SourceAdapter } from './source';

/**
 * The project's own source: a tracking log feed over HTTP(S) (format: ./feed-format.ts, documented in the README).
 *
 * `GET <url>?cursor=<cursor>&limit=<pageSize>` with `Authorization: Bearer <secret>` when a secret is set. The
 * answer's body is NDJSON or CSV; `X-Next-Cursor` is where the next page starts and `X-Has-More: true|false` says
 * whether there is one. Without `X-Next-Cursor` the cursor stays as it was and the run ends (a static file works as
 * a feed: each run re-reads it, and dedupe by event id makes the re-read a no-op).
 *
 * fetchPage has no side effects, so "Test connection" is one fetchPage with a null cursor (lib/workflow/run.ts
 * `testSource`).
 */

/** A longer X-Next-Cursor is not believed to be a cursor. */
export const MAX_CURSOR_LENGTH = 2_000;


export const FEED_ACCEPT = 'application/x-ndjson, text/csv';

function parseConfig(config: unknown): FeedConfig {
  const r = feedConfigSchema.safeParse(config);
  if (r.success) return r.data;
  const iss = r.error.issues[0];
  const field = iss ? iss.path.map(String).join('.') : '';
  throw new SourceError('config-invalid', field ? { field } : {}, `config-invalid: ${field || 'config'}`);
}

/** The request URL of a page: the feed URL's own query kept, `cursor` and `limit` set. */
export function pageUrl(config: FeedConfig, cursor: string | null): string {
  const url = new URL(config.url);
  if (cursor !== null) url.searchParams.set('cursor', cursor);
  else url.searchParams.delete('cursor');
  url.searchParams.set('limit', String(config.pageSize ?? DEFAULT_PAGE_SIZE));
  return url.href;
}

type BodyFormat = 'ndjson' | 'csv';

/** The body's format: the configured one, else by Content-Type, else by the first character. */
export function bodyFormat(configured: FeedConfig['format'], contentType: string | null, body: string): BodyFormat {
  if (configured === 'ndjson' || configured === 'csv') return configured;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('csv')) return 'csv';
  if (type.includes('json')) return 'ndjson';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\ufeff') continue;
    // '{' / '[' is JSON; '<' is HTML, which parseNdjson refuses with a clear reason; anything else may be CSV.
    return ch === '{' || ch === '[' || ch === '<' ? 'ndjson' : 'csv';
  }
  return 'ndjson';
}

function hasMoreHeader(value: string | null): boolean | undefined {
  const v = value?.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

export interface FeedSourceOptions {
  /** Per-request limit (default 25 s, under the 30 s an MV3 worker allows a fetch answer). */
  timeoutMs?: number | undefined;
  /** Retries of 429 / 5xx / timeouts / network errors (default 4). */
  retries?: number | undefined;
  /**
   * Another thread to fetch and parse pages on (./feed-thread.ts), in the service worker; when it cannot answer, the
   * page is fetched and parsed here as usual.
   */
  thread?: FeedThread | undefined;
  /**
   * Called with the next page's cursor as soon as this page's headers say there is one (`X-Next-Cursor` and
   * `X-Has-More: true`), before its body is read: the feed thread starts fetching that page meanwhile.
   */
  onNextCursor?: ((cursor: string) => void) | undefined;
}

/** One page of the feed, fetched and parsed on this thread. */
export async function fetchFeedPage(ctx: FetchContext, options: FeedSourceOptions): Promise<Page> {
  const config = parseConfig(ctx.config);
  const headers: Record<string, string> = { Accept: FEED_ACCEPT };
  if (ctx.secret) headers.Authorization = `Bearer ${ctx.secret}`;
  const { response, body, bytes } = await fetchWithRetry({
    fetch: ctx.fetch,
    url: pageUrl(config, ctx.cursor),
    init: { method: 'GET', headers, credentials: 'omit', cache: 'no-store' },
    signal: ctx.signal,
    sleep: ctx.sleep,
    now: ctx.now,
    note: ctx.note,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    onResponse: options.onNextCursor && ((response) => {
      const next = response.headers.get('x-next-cursor');
      if (next && next.length <= MAX_CURSOR_LENGTH && next !== ctx.cursor && hasMoreHeader(response.headers.get('x-has-more')) === true) {
        options.onNextCursor!(next);
      }
    }),
  });

  const format = bodyFormat(config.format, response.headers.get('content-type'), body);
  const parsed: ParsedBody =
    format === 'csv' ? parseCsv(body, MAX_REJECTED_SAMPLES_PER_PAGE) : await parseNdjsonAsync(body, MAX_REJECTED_SAMPLES_PER_PAGE);

  const next = response.headers.get('x-next-cursor');
  if (next !== null && next.length > MAX_CURSOR_LENGTH) {
    throw new SourceError('unparseable', { detail: 'X-Next-Cursor is too long' }, 'unparseable: cursor too long');
  }
  let nextCursor: string | null;
  let done: boolean;
  if (next === null || next === '') {
    nextCursor = ctx.cursor;
    done = true;
  } else {
    nextCursor = next;
    const hasMore = hasMoreHeader(response.headers.get('x-has-more'));
    // Without X-Has-More, paging goes on until a page comes back empty.
    done = hasMore === undefined ? parsed.fetched === 0 : !hasMore;
  }

  return {
    records: parsed.records,
    rejected: parsed.rejected,
    rejectedCount: parsed.rejectedCount,
    nextCursor,
    done,
    fetched: parsed.fetched,
    bytes,
  };
}

/** A feed adapter with other HTTP limits (tests, benchmarks). */
export function createFeedSource(options: FeedSourceOptions = {}): SourceAdapter {
  const { thread } = options;
  return {
    kind: 'feed',
    fetchPage: async (ctx) => (thread ? await thread.fetchPage(ctx, options) : undefined) ?? fetchFeedPage(ctx, options),
  };
}

export const feedSource: SourceAdapter = createFeedSource();
