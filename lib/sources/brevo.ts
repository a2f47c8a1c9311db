import { z } from 'zod';
import { EventType, type EventTypeCode } from '../event-types';
import { fetchWithRetry } from './http';
import {
  capturingFetch,
  parseJsonBody,
  parseSourceConfig,
  RejectionLog,
  secretFieldsFor,
  shortHash,
  urlKey,
  utcDay,
  withNote,
  type ConnectionContext,
  type ConnectionSummary,
} from './pull-common';
import { baseUrlSchema, type ProviderHttpOptions } from './provider-kit';
import { SourceError, type DeliveryInput, type EventInput, type FetchContext, type Page, type SourceAdapter } from './source';

/**
 * Brevo (ex-Sendinblue) transactional email events as a pull source (../shared/reference/esp-formats.md §6).
 *
 * **Secret**: the `apiKey` field of FetchContext.secrets (what the source form saves), else FetchContext.secret as
 * `{"apiKey":"xkeysib-…"}` or the bare API key; sent as the `api-key` header.
 *
 * **Requests**: `GET /v3/smtp/statistics/events?startDate&endDate&sort=asc&limit&offset`. Ascending order (by
 * record creation) keeps offsets stable while new events arrive at the end. The window is whole UTC days, at most
 * 90 (Brevo's limit); the first run starts `lookbackDays` back. A page shorter than `limit` ends the window:
 * - when the window ends today, the cursor keeps its offset and the run ends (the next run reads on from there);
 * - when it ended on an earlier day, the next window starts on that day (re-read from offset 0, so events Brevo
 *   added late that day are seen; the re-read ones are dropped by their ids) and runs to today.
 *
 * **Cursor**: JSON `{v:1, start:"YYYY-MM-DD", end:"YYYY-MM-DD", offset:n}`.
 *
 * **Events kept**: `opened` → open, `loadedByProxy` → open with the proxy flag, `clicks` → click (with `link`),
 * `unsubscribed` → opt-out. Sends, deliveries, bounces etc. are not tracking events and are skipped (counted as
 * fetched, not rejected).
 *
 * **Deliveries**: transactional email has no campaign; events are grouped by template (`template:{templateId}`),
 * else by tag (`tag:{tag}`), else by subject (`subject:{hash}`), labelled with the subject.
 *
 * **Derived event ids** (Brevo's API has none): `brevo:{messageId}:{event}:{epoch ms}:{hash of link, or ''}`.
 */

export const BREVO_KIND = 'brevo';
export const BREVO_ORIGIN = 'https://api.brevo.com';
const DAY_MS = 86_400_000;
/** Brevo accepts windows of at most 90 days. */
export const MAX_WINDOW_DAYS = 90;

export const brevoConfigSchema = z.object({
  /** Replaces `https://api.brevo.com` (tests, the legacy `https://api.sendinblue.com`); `/v3/…` is appended. */
  baseUrl: baseUrlSchema.optional(),
  /** How far back the first run reads (Brevo keeps events for a limited time, and windows are ≤ 90 days). */
  lookbackDays: z.int().min(1).max(MAX_WINDOW_DAYS).default(30),
  /** Events per page (Brevo's documented range is up to 5000; default 2500). */
  pageSize: z.int().min(1, 'at least 1').max(5000, 'at most 5000').default(2500),
});
export type BrevoConfig = z.infer<typeof brevoConfigSchema>;

export const brevoSecretSchema = z.object({ apiKey: z.string().trim().min(10).max(200) });
export type BrevoSecret = z.infer<typeof brevoSecretSchema>;

export function brevoOrigin(config: BrevoConfig): string {
  return (config.baseUrl ?? BREVO_ORIGIN).replace(/\/+$/, '');
}

/** Host permissions the source needs. */
export function brevoHostPermissions(config: unknown): string[] {
  const parsed = brevoConfigSchema.safeParse(config ?? {});
  const base = parsed.success ? brevoOrigin(parsed.data) : BREVO_ORIGIN;
  return [`${new URL(base).origin}/*`];
}

// ---------------------------------------------------------------------------------------------------------------
// Wire schema (esp-formats.md §6.1)

const brevoEventSchema = z.object({
  email: z.string().min(1).max(320),
  date: z.iso.datetime({ offset: true, error: 'not an ISO 8601 date-time' }),
  messageId: z.string().min(1).max(300),
  event: z.string().min(1).max(50),
  subject: z.string().max(1000).optional(),
  tag: z.string().max(200).optional(),
  ip: z.string().max(100).optional(),
  link: z.string().max(8000).optional(),
  templateId: z.int().nonnegative().optional(),
});
type BrevoEvent = z.infer<typeof brevoEventSchema>;

const TYPES: Readonly<Record<string, { type: EventTypeCode; proxy?: true }>> = {
  opened: { type: EventType.open },
  loadedByProxy: { type: EventType.open, proxy: true },
  clicks: { type: EventType.click },
  unsubscribed: { type: EventType.optOut },
};

/** The delivery an event is grouped under, and its label. */
export function brevoDeliveryOf(e: Pick<BrevoEvent, 'templateId' | 'tag' | 'subject'>): { extId: string; label: string } {
  const label = e.subject || e.tag || '';
  if (e.templateId !== undefined) return { extId: `template:${e.templateId}`, label: label || `template:${e.templateId}` };
  if (e.tag) return { extId: `tag:${e.tag}`, label };
  if (e.subject) return { extId: `subject:${shortHash(e.subject)}`, label };
  return { extId: 'transactional', label: 'transactional' };
}

// ---------------------------------------------------------------------------------------------------------------
// Cursor

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const cursorSchema = z.object({
  v: z.literal(1),
  start: z.string().regex(DAY),
  end: z.string().regex(DAY),
  offset: z.int().nonnegative(),
});
export type BrevoCursor = z.infer<typeof cursorSchema>;

const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** The window to read now: the cursor's, else the first one; never over 90 days, never past today. */
export function brevoWindow(cursor: string | null, now: number, config: BrevoConfig): BrevoCursor {
  const today = utcDay(now);
  let cur: BrevoCursor | undefined;
  if (cursor) {
    try {
      const r = cursorSchema.safeParse(JSON.parse(cursor));
      if (r.success) cur = r.data;
    } catch {
      // An unreadable cursor starts over (re-read events are dropped by their ids).
    }
  }
  cur ??= { v: 1, start: utcDay(now - (config.lookbackDays - 1) * DAY_MS), end: today, offset: 0 };
  if (cur.end > today) cur = { ...cur, end: today };
  const earliest = utcDay(dayMs(cur.end) - (MAX_WINDOW_DAYS - 1) * DAY_MS);
  // A window clipped to 90 days reads a different list, so its offset no longer applies.
  if (cur.start < earliest) cur = { ...cur, start: earliest, offset: 0 };
  if (cur.start > cur.end) cur = { ...cur, start: cur.end, offset: 0 };
  return cur;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

function request(ctx: Omit<FetchContext, 'cursor'>, config: BrevoConfig, apiKey: string, options: ProviderHttpOptions = {}) {
  const origin = brevoOrigin(config);
  const host = new URL(origin).host;
  const captured = capturingFetch(ctx.fetch);
  return {
    origin,
    async get(path: string, query: Record<string, string | number>): Promise<{ json: unknown; bytes: number }> {
      const url = new URL(`${origin}/v3${path}`);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
      try {
        const { body, bytes } = await fetchWithRetry({
          fetch: captured.fetch,
          url,
          init: { method: 'GET', headers: { Accept: 'application/json', 'api-key': apiKey }, credentials: 'omit', cache: 'no-store' },
          signal: ctx.signal,
          sleep: ctx.sleep,
          now: ctx.now,
          note: ctx.note,
          timeoutMs: options.timeoutMs,
          retries: options.retries,
        });
        return { json: body.trim() === '' ? {} : parseJsonBody(body, 'Brevo'), bytes };
      } catch (error) {
        throw mapError(error, host, captured.lastErrorBody());
      }
    },
  };
}

/** Brevo's 401 body says whether the key is unknown or the caller's IP address is not authorised. */
function mapError(error: unknown, host: string, body: string): unknown {
  if (!(error instanceof SourceError)) return error;
  if ((error.code === 'unauthorized' || error.code === 'forbidden') && /unrecogni[sz]ed ip|ip address/i.test(body)) {
    return new SourceError('ip-not-allowed', {}, `Brevo refused this IP address (${host})`);
  }
  return error;
}

// ---------------------------------------------------------------------------------------------------------------

async function fetchPage(ctx: FetchContext, options: ProviderHttpOptions): Promise<Page> {
  const config = parseSourceConfig(brevoConfigSchema, ctx.config);
  const { apiKey } = secretFieldsFor(brevoSecretSchema, ctx, 'apiKey');
  const window = brevoWindow(ctx.cursor, ctx.now(), config);
  const { json, bytes } = await request(ctx, config, apiKey, options).get('/smtp/statistics/events', {
    startDate: window.start,
    endDate: window.end,
    sort: 'asc',
    limit: config.pageSize,
    offset: window.offset,
  });
  const body = z.object({ events: z.array(z.unknown()).optional() }).safeParse(json);
  if (!body.success) throw new SourceError('unparseable', { detail: 'Brevo: events' }, 'unparseable: Brevo events');
  const raw = body.data.events ?? [];

  const rejects = new RejectionLog();
  const events: EventInput[] = [];
  const deliveries = new Map<string, DeliveryInput>();
  for (const item of raw) {
    const r = brevoEventSchema.safeParse(item);
    if (!r.success) {
      rejects.addZod(r.error, item);
      continue;
    }
    const e = r.data;
    const kind = TYPES[e.event];
    if (!kind) continue;
    if (kind.type === EventType.click && !e.link) {
      rejects.add('link: a click without link', item);
      continue;
    }
    const time = Date.parse(e.date);
    const delivery = brevoDeliveryOf(e);
    if (!deliveries.has(delivery.extId)) {
      const d: DeliveryInput = { extId: delivery.extId, label: delivery.label, trackingEnabled: true };
      if (e.subject) d.subject = e.subject;
      deliveries.set(delivery.extId, d);
    }
    const out: EventInput = {
      id: `brevo:${e.messageId}:${e.event}:${time}:${e.link ? shortHash(e.link) : ''}`,
      deliveryExtId: delivery.extId,
      recipient: e.email,
      type: kind.type,
      time,
    };
    if (kind.proxy) out.proxy = true;
    if (e.ip) out.ip = e.ip;
    if (e.link && kind.type !== EventType.open) {
      out.url = e.link;
      out.urlExtId = urlKey(e.link);
    }
    events.push(out);
  }

  const today = utcDay(ctx.now());
  const full = raw.length >= config.pageSize;
  let next: BrevoCursor;
  let done: boolean;
  if (full) {
    next = { ...window, offset: window.offset + raw.length };
    done = false;
  } else if (window.end < today) {
    // The window's last day is over: read on from it (again from its start) to today.
    next = { v: 1, start: window.end, end: today, offset: 0 };
    done = false;
  } else {
    next = { ...window, offset: window.offset + raw.length };
    done = true;
  }
  return {
    records: { deliveries: [...deliveries.values()], urls: [], events },
    rejected: rejects.samples,
    rejectedCount: rejects.count,
    nextCursor: JSON.stringify(next),
    done,
    fetched: raw.length,
    bytes,
  };
}

/** The adapter, with the HTTP limits of its use (a "Test connection" answers fast, a run rides out rate limits). */
export function createBrevoSource(options: ProviderHttpOptions = {}): SourceAdapter {
  return { kind: BREVO_KIND, fetchPage: (ctx) => fetchPage(ctx, options) };
}

export const brevoSource: SourceAdapter = createBrevoSource();

/**
 * "Test connection": the account (`GET /v3/account`: company name, else its email) and the events of the last
 * 7 days on a first page of up to 100. Throws a SourceError: `credentials-missing`, `unauthorized` (wrong key),
 * `ip-not-allowed` (Brevo's authorised-IP blocking), `rate-limited`, …
 */
export async function testBrevoConnection(ctx: ConnectionContext): Promise<ConnectionSummary> {
  const config = parseSourceConfig(brevoConfigSchema, ctx.config);
  const { apiKey } = secretFieldsFor(brevoSecretSchema, ctx, 'apiKey');
  const http = request(withNote(ctx), config, apiKey);
  const account = z
    .object({ companyName: z.string().max(500).optional(), email: z.string().max(320).optional() })
    .safeParse((await http.get('/account', {})).json);
  const events = z
    .object({ events: z.array(z.unknown()).optional() })
    .safeParse((await http.get('/smtp/statistics/events', { days: 7, limit: 100, offset: 0, sort: 'desc' })).json);
  return {
    host: new URL(http.origin).host,
    account: account.success ? account.data.companyName || account.data.email : undefined,
    events: events.success ? (events.data.events?.length ?? 0) : undefined,
  };
}

/** The same, under the name every provider module uses (`import * as provider`; `provider.testConnection(ctx)`). */
export const testConnection = testBrevoConnection;
