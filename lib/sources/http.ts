import type { RunIssue } from '../workflow/issues';
import { SourceError, type FetchContext } from './source';

/**
 * HTTP for sources: one request at a time, a time limit per request, retries with back-off.
 *
 * - Each attempt is limited to `timeoutMs` (25 s by default) for the answer AND its body: an MV3 service worker is
 *   stopped when a fetch answer takes over 30 s.
 * - 429, 5xx, timeouts and network errors are retried up to `retries` times, waiting 1 s, 2 s, 4 s, 8 s … or what
 *   `Retry-After` asks (seconds or an HTTP date), at most `maxWaitMs` (60 s) of waiting in all. A `Retry-After`
 *   beyond that gives up at once (the next run will try again). Each retry is noted in the run log ('retrying').
 * - Other statuses fail at once. Failures throw a {@link SourceError} whose code the run log translates.
 * - Nothing from the request headers (the Authorization token) or the URL's path and query (which may hold a key)
 *   goes into an error or a note: only the status, the host and waits.
 */

export const DEFAULT_TIMEOUT_MS = 25_000;
export const DEFAULT_RETRIES = 4;
/** Longest total wait across retries, and longest Retry-After honoured. */
export const MAX_TOTAL_WAIT_MS = 60_000;
const BASE_BACKOFF_MS = 1_000;

export interface FetchWithRetryArgs extends Pick<FetchContext, 'fetch' | 'signal' | 'sleep' | 'now' | 'note'> {
  url: string | URL;
  init?: RequestInit | undefined;
  /** Limit for one attempt (answer + body), ms. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt. */
  retries?: number | undefined;
  /** Cap on the total back-off wait, ms. */
  maxWaitMs?: number | undefined;
  /** Called with a successful response as soon as its headers are in, before its body is read. */
  onResponse?: ((response: Response) => void) | undefined;
}

export interface HttpResult {
  /** The successful (2xx) response; its body has been read into `body`. */
  response: Response;
  /** The body decoded as UTF-8 (a leading BOM removed). */
  body: string;
  /** Body size in bytes as received. */
  bytes: number;
}

type Failure =
  | { kind: 'status'; status: number; retryAfterMs: number | undefined }
  | { kind: 'timeout' }
  | { kind: 'network' };

const decoder = new TextDecoder();

/** GET (or `init.method`) `url`, retrying transient failures; resolves with the whole body of a 2xx answer. */
export async function fetchWithRetry(args: FetchWithRetryArgs): Promise<HttpResult> {
  const { fetch, url, init, signal, sleep, now, note } = args;
  const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = args.retries ?? DEFAULT_RETRIES;
  const maxWaitMs = args.maxWaitMs ?? MAX_TOTAL_WAIT_MS;
  const host = hostOf(url);
  let waited = 0;

  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted();
    const timeout = AbortSignal.timeout(timeoutMs);
    let failure: Failure;
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.any([signal, timeout]) });
      if (response.ok) {
        args.onResponse?.(response);
        const buffer = await response.arrayBuffer();
        return { response, body: decoder.decode(buffer), bytes: buffer.byteLength };
      }
      failure = { kind: 'status', status: response.status, retryAfterMs: retryAfterMs(response, now()) };
      discardBody(response);
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      if (timeout.aborted || isTimeoutError(error)) failure = { kind: 'timeout' };
      else if (error instanceof TypeError) failure = { kind: 'network' };
      else throw error;
    }

    const retryable = failure.kind !== 'status' || failure.status === 429 || failure.status >= 500;
    if (!retryable) throw toError(failure, { host, timeoutMs, nextWaitMs: 0, now: now() });
    const asked = failure.kind === 'status' ? failure.retryAfterMs : undefined;
    const wait = asked ?? BASE_BACKOFF_MS * 2 ** (attempt - 1);
    if ((asked !== undefined && asked > maxWaitMs) || attempt > retries || waited + wait > maxWaitMs) {
      throw toError(failure, { host, timeoutMs, nextWaitMs: wait, now: now() });
    }
    const params: RunIssue['params'] =
      failure.kind === 'status' ? { status: failure.status } : { reason: failure.kind };
    params.waitSeconds = Math.ceil(wait / 1000);
    params.attempt = attempt + 1;
    note({ level: 'info', code: 'retrying', params, at: now() });
    await sleep(wait);
    waited += wait;
  }
}

function toError(
  failure: Failure,
  ctx: { host: string; timeoutMs: number; nextWaitMs: number; now: number },
): SourceError {
  if (failure.kind === 'timeout') {
    return new SourceError('timeout', { seconds: Math.round(ctx.timeoutMs / 1000), host: ctx.host }, `timeout (${ctx.host})`);
  }
  if (failure.kind === 'network') return new SourceError('network', { host: ctx.host }, `network error (${ctx.host})`);
  const { status } = failure;
  const message = `HTTP ${status} (${ctx.host})`;
  switch (status) {
    case 401:
      return new SourceError('unauthorized', { status }, message);
    case 403:
      return new SourceError('forbidden', { status }, message);
    case 404:
      return new SourceError('not-found', { status }, message);
    case 429: {
      const retryAfterMs = failure.retryAfterMs ?? ctx.nextWaitMs;
      const retryAfterSeconds = Math.ceil(retryAfterMs / 1000);
      const retryAt = new Date(ctx.now + retryAfterSeconds * 1000).toISOString();
      return new SourceError('rate-limited', { status, retryAfterSeconds, retryAt }, message);
    }
    default:
      if (status >= 500) {
        const params: Record<string, string | number> = { status };
        if (failure.retryAfterMs !== undefined) params.retryAfterSeconds = Math.ceil(failure.retryAfterMs / 1000);
        return new SourceError('server-error', params, message);
      }
      return new SourceError('http-error', { status }, message);
  }
}

/** `Retry-After` in ms from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(response: Response, now: number): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function isTimeoutError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
}

/** Frees the connection of an answer whose body is not wanted (not awaited: a cancel may settle late). */
function discardBody(response: Response): void {
  try {
    response.body?.cancel().catch(() => undefined);
  } catch {
    // Already consumed or locked: nothing to free.
  }
}

function hostOf(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
