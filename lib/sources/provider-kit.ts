import { z } from 'zod';
import { FEED_MAX_TIME, FEED_MIN_TIME, MAX_REJECTED_SAMPLES_PER_PAGE, SAMPLE_CHARS, isoToMs } from './record-limits';
import { fetchWithRetry } from './http';
import {
  SourceError,
  type DeliveryInput,
  type EventInput,
  type FetchContext,
  type Page,
  type Rejection,
  type TrackedUrlInput,
} from './source';

/**
 * What the pull adapters of email providers (mailgun.ts, postmark.ts, sparkpost.ts …) share: reading their
 * settings, the API base URL (a region's host, or an override for tests and proxies), JSON over fetchWithRetry
 * (429 + Retry-After and 5xx back-off), opaque JSON cursors, exact timestamps, and a page builder that keeps
 * deliveries and tracked URLs unique per page and rejected records with their reason.
 */

/** HTTP limits of an adapter instance: a "Test connection" answers fast, a run rides out rate limits. */
export interface ProviderHttpOptions {
  timeoutMs?: number | undefined;
  retries?: number | undefined;
}

/** An optional base-URL override: an http(s) origin (with an optional path prefix), no credentials in it. */
export const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
  .max(2000)
  .refine((u) => !/^[a-z]+:\/\/[^/?#]*@/i.test(u), 'no user or password in the URL');

/** Parses a source's config, or throws `config-invalid` naming the first wrong field. */
export function parseProviderConfig<S extends z.ZodType>(schema: S, config: unknown): z.output<S> {
  const r = schema.safeParse(config);
  if (r.success) return r.data;
  const iss = r.error.issues[0];
  const field = iss ? iss.path.map(String).join('.') : '';
  throw new SourceError('config-invalid', field ? { field } : {}, `config-invalid: ${field || 'config'}`);
}

/** The API base without a trailing slash: the override when set, else the region's default. */
export function apiBase(override: string | undefined, fallback: string): string {
  return (override?.trim() || fallback).replace(/\/+$/, '');
}

/** `<origin>/*`, the optional host permission a base URL needs. */
export function originPatternOf(base: string): string {
  return `${new URL(base).origin}/*`;
}

/**
 * A URL the provider handed back for the next page (Mailgun `paging.next`, SparkPost `links.next`), resolved against
 * the API base. It must stay on the base's origin: the key goes with the request, and a forged or odd answer must
 * not send it anywhere else.
 */
export function sameOriginUrl(next: string, base: string): string {
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    throw new SourceError('unparseable', { detail: 'next page link is not a URL' }, 'unparseable: next link');
  }
  if (url.origin !== new URL(base).origin) {
    throw new SourceError('unparseable', { detail: 'next page link leaves the API host' }, 'unparseable: next link host');
  }
  return url.href;
}

export interface JsonResult {
  json: unknown;
  bytes: number;
}

/** GET `url` as JSON with the adapter's headers; HTTP failures become SourceErrors (lib/sources/http.ts). */
export async function getJson(
  ctx: FetchContext,
  url: string,
  headers: Record<string, string>,
  options: ProviderHttpOptions,
): Promise<JsonResult> {
  const { body, bytes } = await fetchWithRetry({
    fetch: ctx.fetch,
    url,
    init: { method: 'GET', headers: { Accept: 'application/json', ...headers }, credentials: 'omit', cache: 'no-store' },
    signal: ctx.signal,
    sleep: ctx.sleep,
    now: ctx.now,
    note: ctx.note,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
  });
  try {
    return { json: JSON.parse(body) as unknown, bytes };
  } catch {
    const detail = body.trimStart().startsWith('<') ? 'an HTML page, not JSON' : 'not JSON';
    throw new SourceError('unparseable', { detail }, `unparseable: ${detail}`);
  }
}

/** Validates a response envelope; a wrong shape fails the source's run with what was wrong. */
export function parseEnvelope<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const detail = `${what}: ${reasonOf(r.error)}`.slice(0, 200);
  throw new SourceError('unparseable', { detail }, `unparseable: ${detail}`);
}

/** "path: message" of a zod error's first issue. */
export function reasonOf(error: z.ZodError): string {
  const iss = error.issues[0];
  if (!iss) return 'invalid record';
  const path = iss.path.map(String).join('.');
  return path ? `${path}: ${iss.message}` : iss.message;
}

/** Reads an adapter's cursor (JSON written by {@link writeCursor}); a foreign or broken one starts over. */
export function readCursor<S extends z.ZodType>(schema: S, cursor: string | null): z.output<S> | undefined {
  if (cursor === null) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(cursor));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeCursor(value: unknown): string {
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Time

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch ms of an ISO 8601 date-time with an offset, exact to the millisecond whatever the number of fractional
 * digits (Postmark sends 7: `2014-04-30T05:04:23.8768746-04:00` is 09:04:23.876 UTC; the fraction is truncated,
 * never rounded, so 0.9999999 s stays in its second). Undefined when it is not such a string or out of range.
 */
export function isoMs(text: string): number | undefined {
  if (!ISO.test(text)) return undefined;
  const ms = isoToMs(text);
  return Number.isFinite(ms) && ms >= FEED_MIN_TIME && ms <= FEED_MAX_TIME ? ms : undefined;
}

/** Epoch ms of epoch seconds with a fraction (Mailgun's `1377047343.042277`): µs first, so 0.1 + 0.2 cannot bite. */
export function epochSecondsMs(seconds: number): number | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  const ms = Math.floor(Math.round(seconds * 1e6) / 1000);
  return ms >= FEED_MIN_TIME && ms <= FEED_MAX_TIME ? ms : undefined;
}

/** `YYYY-MM-DDTHH:MM:SSZ` (no fraction), as SparkPost's `from`/`to` want. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// ---------------------------------------------------------------------------------------------------------------
// Page building

/** Shortens a string for a record field (labels and user agents longer than the store allows are cut, not lost). */
export function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  return text.length > max ? text.slice(0, max) : text;
}

/**
 * One page's records as they are built: each delivery and tracked URL once, events in order, rejected records
 * counted with a few samples (the run log shows them with their reason).
 */
export class ProviderPage {
  private readonly deliveries = new Map<string, DeliveryInput>();
  private readonly urls = new Map<string, TrackedUrlInput>();
  readonly events: EventInput[] = [];
  private readonly rejected: Rejection[] = [];
  private rejectedCount = 0;
  fetched = 0;

  delivery(d: DeliveryInput): void {
    const known = this.deliveries.get(d.extId);
    if (!known) this.deliveries.set(d.extId, d);
    else if (d.subject && !known.subject) known.subject = d.subject;
  }

  url(u: TrackedUrlInput): void {
    const key = `${u.deliveryExtId}\u0000${u.extId}`;
    if (!this.urls.has(key)) this.urls.set(key, u);
  }

  event(e: EventInput): void {
    this.events.push(e);
  }

  reject(reason: string, record: unknown): void {
    this.rejectedCount++;
    if (this.rejected.length >= MAX_REJECTED_SAMPLES_PER_PAGE) return;
    let sample: string;
    try {
      sample = JSON.stringify(record) ?? String(record);
    } catch {
      sample = String(record);
    }
    this.rejected.push({ reason: reason.slice(0, 300), sample: sample.slice(0, SAMPLE_CHARS) });
  }

  page(nextCursor: string | null, done: boolean, bytes: number): Page {
    return {
      records: { deliveries: [...this.deliveries.values()], urls: [...this.urls.values()], events: this.events },
      rejected: this.rejected,
      rejectedCount: this.rejectedCount,
      nextCursor,
      done,
      fetched: this.fetched,
      bytes,
    };
  }
}

/** A string field, capped; longer values are rejected with the reason (ids, recipients). */
export const idString = (max: number) => z.string().min(1, 'empty').max(max, `longer than ${max}`);
