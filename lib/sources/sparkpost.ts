import { z } from 'zod';
import { EventType, type EventTypeCode } from '../event-types';
import { FEED_LIMITS } from './record-limits';
import {
  ProviderPage,
  apiBase,
  baseUrlSchema,
  clip,
  epochSecondsMs,
  getJson,
  idString,
  isoMs,
  isoSeconds,
  parseEnvelope,
  parseProviderConfig,
  readCursor,
  reasonOf,
  sameOriginUrl,
  writeCursor,
  type ProviderHttpOptions,
} from './provider-kit';
import { SourceError, type FetchContext, type Page, type SourceAdapter } from './source';

/**
 * SparkPost (Bird Email), Events API (../shared/reference/esp-formats.md §3):
 * `GET https://api.sparkpost.com/api/v1/events/message` (EU: api.eu.sparkpost.com), header `Authorization: <key>`
 * (the raw key, no "Bearer"; the key needs "Events Search: Read-only").
 *
 * - A sweep asks for opens, clicks and unsubscribes between `from` and `to` (to = 1 minute ago, as SparkPost's own
 *   default), starting with `cursor=initial`, and follows `links.next` (a relative URL holding the cursor) until a
 *   page has none. The cursor is that link, or between sweeps the next `from`.
 * - The next sweep starts {@link TRAILING_WINDOW_MS} before the previous `to`: events are searchable a little after
 *   they happen, and the overlap is absorbed by dedupe on `event_id`.
 * - `event_id` is a 64-bit number sent as a string: it stays a string (a JSON number beyond 2^53 has already lost
 *   digits and is rejected).
 * - `initial_open` (top pixel) and `open` (bottom pixel) both fire for one view; both are opens, and the store's
 *   one-minute repeat-open rule (Adobe `dedupOpenPeriodMin`) keeps the pair from counting twice in total opens.
 * - Deliveries: `campaign_id`, else the transmission. No machine flag exists in event data.
 */

export const SPARKPOST_HOSTS = { us: 'https://api.sparkpost.com', eu: 'https://api.eu.sparkpost.com' } as const;
export const SPARKPOST_PAGE_SIZE = 1000;
/** SparkPost keeps events 10 days; the first sweep starts just inside that. */
export const RETENTION_MS = 10 * 86_400_000 - 10 * 60_000;
export const TRAILING_WINDOW_MS = 30 * 60_000;
const EVENTS_PATH = '/api/v1/events/message';

const TYPES: Record<string, EventTypeCode> = {
  open: EventType.open,
  initial_open: EventType.open,
  amp_open: EventType.open,
  amp_initial_open: EventType.open,
  click: EventType.click,
  amp_click: EventType.click,
  list_unsubscribe: EventType.optOut,
  link_unsubscribe: EventType.optOut,
};

export const sparkpostConfigSchema = z.object({
  region: z.enum(['us', 'eu']).default('us'),
  baseUrl: baseUrlSchema.optional(),
});
export type SparkPostConfig = z.infer<typeof sparkpostConfigSchema>;

export function sparkpostBase(config: Pick<SparkPostConfig, 'region' | 'baseUrl'>): string {
  return apiBase(config.baseUrl, SPARKPOST_HOSTS[config.region]);
}

/** Between sweeps `{ from }`; within one, the `next` link and the sweep's `to` (epoch ms). */
const cursorSchema = z.object({
  from: z.number(),
  next: z.string().min(1).max(4000).optional(),
  to: z.number().optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

const envelopeSchema = z.object({
  results: z.array(z.unknown()),
  total_count: z.number().optional(),
  links: z.object({ next: z.string().optional() }).loose().optional(),
});

const eventId = z.unknown().transform((v, ctx) => {
  if (typeof v === 'string' && /^[0-9A-Za-z_-]{1,64}$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  ctx.addIssue({
    code: 'custom',
    message:
      typeof v === 'number' ? 'a number beyond 2^53: digits already lost, expected a string' : 'expected an id string',
  });
  return z.NEVER;
});
const timestamp = z.union([
  z.string().refine((s) => isoMs(s) !== undefined || /^\d{9,11}$/.test(s), 'not an ISO date-time or epoch seconds'),
  z.number(),
]);
const resultSchema = z.object({
  type: z.enum(Object.keys(TYPES) as [string, ...string[]]),
  event_id: eventId,
  timestamp,
  rcpt_to: idString(FEED_LIMITS.recipient),
  campaign_id: z.string().max(FEED_LIMITS.id - 9).nullable().optional(),
  transmission_id: z.union([z.string(), z.number().transform(String)]).nullable().optional(),
  message_id: z.string().max(150).nullable().optional(),
  subject: z.string().nullable().optional(),
  target_link_url: z.string().max(FEED_LIMITS.url).nullable().optional(),
  target_link_name: z.string().nullable().optional(),
  user_agent: z.string().nullable().optional(),
  ip_address: z.string().max(FEED_LIMITS.ip).nullable().optional(),
});
type Result = z.infer<typeof resultSchema>;

function timeOf(t: string | number): number | undefined {
  if (typeof t === 'number') return epochSecondsMs(t);
  return isoMs(t) ?? epochSecondsMs(Number(t));
}

function deliveryOf(r: Result): { extId: string; label: string } | undefined {
  if (r.campaign_id) return { extId: `campaign:${r.campaign_id}`, label: r.campaign_id };
  if (r.transmission_id) return { extId: `transmission:${r.transmission_id}`, label: r.subject || r.transmission_id };
  if (r.message_id) return { extId: `message:${r.message_id}`, label: r.subject || r.message_id };
  return undefined;
}

function addResult(page: ProviderPage, raw: unknown): void {
  const kind = (raw as { type?: unknown } | null)?.type;
  if (typeof kind === 'string' && !(kind in TYPES)) return; // not asked for: skipped, not rejected
  const r = resultSchema.safeParse(raw);
  if (!r.success) return page.reject(reasonOf(r.error), raw);
  const res = r.data;
  const time = timeOf(res.timestamp);
  if (time === undefined) return page.reject('timestamp: out of range', raw);
  const delivery = deliveryOf(res);
  if (!delivery) return page.reject('no campaign_id, transmission_id or message_id', raw);
  const type = TYPES[res.type]!;
  const link = res.target_link_url || undefined;
  if (type === EventType.click && !link) return page.reject('target_link_url: required for a click', raw);
  page.delivery({
    extId: delivery.extId,
    label: clip(delivery.label, FEED_LIMITS.label)!,
    subject: clip(res.subject ?? undefined, FEED_LIMITS.subject),
    trackingEnabled: true,
  });
  if (type === EventType.click && link) {
    page.url({
      deliveryExtId: delivery.extId,
      extId: link,
      type,
      url: link,
      label: clip(res.target_link_name ?? undefined, FEED_LIMITS.label),
    });
  }
  page.event({
    id: res.event_id,
    deliveryExtId: delivery.extId,
    recipient: res.rcpt_to.toLowerCase(),
    type,
    time,
    url: type === EventType.click ? link : undefined,
    userAgent: clip(res.user_agent ?? undefined, FEED_LIMITS.userAgent),
    ip: res.ip_address ?? undefined,
  });
}

async function fetchPage(ctx: FetchContext, options: ProviderHttpOptions): Promise<Page> {
  const config = parseProviderConfig(sparkpostConfigSchema, ctx.config);
  const key = ctx.secrets?.apiKey ?? ctx.secret;
  if (!key) throw new SourceError('config-invalid', { field: 'apiKey' }, 'config-invalid: apiKey');
  const base = sparkpostBase(config);
  const now = ctx.now();
  const cursor: Cursor = readCursor(cursorSchema, ctx.cursor) ?? { from: now - RETENTION_MS };

  let url: string;
  let to: number;
  if (cursor.next && cursor.to !== undefined) {
    url = sameOriginUrl(cursor.next, base);
    to = cursor.to;
  } else {
    to = Math.floor((now - 60_000) / 1000) * 1000;
    // Never ask for more than SparkPost keeps (a source left off for weeks), nor an empty or reversed window.
    const from = Math.min(Math.max(cursor.from, now - RETENTION_MS), to - 1000);
    const u = new URL(`${base}${EVENTS_PATH}`);
    u.searchParams.set('events', Object.keys(TYPES).join(','));
    u.searchParams.set('from', isoSeconds(from));
    u.searchParams.set('to', isoSeconds(to));
    u.searchParams.set('per_page', String(SPARKPOST_PAGE_SIZE));
    u.searchParams.set('cursor', 'initial');
    url = u.href;
  }
  const { json, bytes } = await getJson(ctx, url, { Authorization: key }, options);
  const envelope = parseEnvelope(envelopeSchema, json, 'SparkPost events');

  const page = new ProviderPage();
  page.fetched = envelope.results.length;
  for (const raw of envelope.results) addResult(page, raw);

  const next = envelope.links?.next;
  if (!next) return page.page(writeCursor({ from: to - TRAILING_WINDOW_MS }), true, bytes);
  sameOriginUrl(next, base);
  return page.page(writeCursor({ from: cursor.from, next, to }), false, bytes);
}

export function createSparkPostSource(options: ProviderHttpOptions = {}): SourceAdapter {
  return { kind: 'sparkpost', fetchPage: (ctx) => fetchPage(ctx, options) };
}
