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
 * Mailgun, Events API (../shared/reference/esp-formats.md §2):
 * `GET https://api.mailgun.net/v3/{domain}/events` (EU: api.eu.mailgun.net), HTTP Basic `api:<private key>`.
 *
 * - Asks for opens, clicks and unsubscribes in ascending time from `begin`, 300 per page, and follows the opaque
 *   `paging.next` URL until a page comes back empty. The cursor is that URL (or, between sweeps, the next `begin`).
 * - Mailgun stores events out of order and up to ~30 minutes late (docs "Event Polling"). So when a sweep reaches
 *   the end, the next sweep begins {@link TRAILING_WINDOW_S} before the newest event seen (or before now when that
 *   is earlier): the overlap is re-read every run and dedupe by event id absorbs it.
 * - `id` is only unique within a day, so the event id is `<UTC day number>:<id>` (day = floor(timestamp / 86 400)).
 * - `client-info.bot` marks machine events: `apple` (Mail Privacy Protection) and `gmail` (image proxy) set
 *   `proxy`, `generic` (firewalls, link scanners) sets `machine`.
 * - Deliveries: the first campaign (`campaigns[0]`), else the first tag, else the message (`message-id`).
 */

export const MAILGUN_HOSTS = { us: 'https://api.mailgun.net', eu: 'https://api.eu.mailgun.net' } as const;
/** Events re-read on each sweep before the newest one seen, seconds. */
export const TRAILING_WINDOW_S = 30 * 60;
/** Largest page Mailgun gives. */
export const MAILGUN_PAGE_SIZE = 300;
/** How far back the first sweep begins (plans keep 1 to 30 days; asking further back is harmless). */
export const FIRST_SWEEP_DAYS = 30;
const EVENTS = 'opened OR clicked OR unsubscribed';

export const mailgunConfigSchema = z.object({
  region: z.enum(['us', 'eu']).default('us'),
  domain: z
    .string()
    .trim()
    .min(1, 'required')
    .max(253)
    .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i, 'not a domain name'),
  baseUrl: baseUrlSchema.optional(),
});
export type MailgunConfig = z.infer<typeof mailgunConfigSchema>;

export function mailgunBase(config: Pick<MailgunConfig, 'region' | 'baseUrl'>): string {
  return apiBase(config.baseUrl, MAILGUN_HOSTS[config.region]);
}

/** Between sweeps `{ begin }`; within one, also the `next` page URL and the newest event time seen (epoch s). */
const cursorSchema = z.object({
  begin: z.number(),
  next: z.string().min(1).max(4000).optional(),
  newest: z.number().optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

const envelopeSchema = z.object({
  items: z.array(z.unknown()),
  paging: z.object({ next: z.string().optional() }).loose().optional(),
});

const TYPES: Record<string, EventTypeCode> = {
  opened: EventType.open,
  clicked: EventType.click,
  unsubscribed: EventType.optOut,
};

const itemSchema = z.object({
  event: z.enum(['opened', 'clicked', 'unsubscribed']),
  id: idString(200),
  timestamp: z.number({ error: 'expected epoch seconds' }),
  recipient: idString(FEED_LIMITS.recipient),
  url: z.string().max(FEED_LIMITS.url).optional(),
  ip: z.string().max(FEED_LIMITS.ip).optional(),
  tags: z.array(z.string()).optional(),
  campaigns: z.array(z.object({ id: z.string().min(1), name: z.string().optional() }).loose()).optional(),
  'client-info': z
    .object({ 'user-agent': z.string().optional(), bot: z.string().optional() })
    .loose()
    .optional(),
  message: z.object({ headers: z.object({ 'message-id': z.string().min(1).optional() }).loose() }).loose().optional(),
});
type Item = z.infer<typeof itemSchema>;

/** The delivery an event belongs to: its campaign, else its first tag, else its message. */
function deliveryOf(item: Item): { extId: string; label: string } | undefined {
  const campaign = item.campaigns?.[0];
  if (campaign) return { extId: `campaign:${campaign.id}`, label: campaign.name || campaign.id };
  const tag = item.tags?.find((t) => t !== '');
  if (tag) return { extId: `tag:${tag}`, label: tag };
  const messageId = item.message?.headers['message-id'];
  if (messageId) return { extId: `message:${messageId}`, label: messageId };
  return undefined;
}

function addItem(page: ProviderPage, raw: unknown): number | undefined {
  // Events we did not ask for (a proxy or a future API may add some) are skipped, not rejected.
  const kind = (raw as { event?: unknown } | null)?.event;
  if (typeof kind === 'string' && !(kind in TYPES)) return undefined;
  const r = itemSchema.safeParse(raw);
  if (!r.success) return page.reject(reasonOf(r.error), raw), undefined;
  const item = r.data;
  const time = epochSecondsMs(item.timestamp);
  if (time === undefined) return page.reject('timestamp: out of range', raw), undefined;
  const delivery = deliveryOf(item);
  if (!delivery) return page.reject('no campaign, tag or message-id to file the event under', raw), undefined;
  const type = TYPES[item.event]!;
  if (type === EventType.click && !item.url) return page.reject('url: required for a click', raw), undefined;
  const deliveryExtId = clip(delivery.extId, FEED_LIMITS.id)!;
  page.delivery({ extId: deliveryExtId, label: clip(delivery.label, FEED_LIMITS.label)!, trackingEnabled: true });
  if (item.url && type === EventType.click) page.url({ deliveryExtId, extId: item.url, type, url: item.url });
  const bot = item['client-info']?.bot;
  page.event({
    id: `${Math.floor(item.timestamp / 86_400)}:${item.id}`,
    deliveryExtId,
    recipient: item.recipient.toLowerCase(),
    type,
    time,
    url: type === EventType.click ? item.url : undefined,
    userAgent: clip(item['client-info']?.['user-agent'], FEED_LIMITS.userAgent),
    ip: item.ip,
    machine: bot === 'generic' ? true : undefined,
    proxy: bot === 'apple' || bot === 'gmail' ? true : undefined,
  });
  return item.timestamp;
}

async function fetchPage(ctx: FetchContext, options: ProviderHttpOptions): Promise<Page> {
  const config = parseProviderConfig(mailgunConfigSchema, ctx.config);
  const key = ctx.secrets?.apiKey ?? ctx.secret;
  if (!key) throw new SourceError('config-invalid', { field: 'apiKey' }, 'config-invalid: apiKey');
  const base = mailgunBase(config);
  const nowS = Math.floor(ctx.now() / 1000);
  const cursor: Cursor = readCursor(cursorSchema, ctx.cursor) ?? { begin: nowS - FIRST_SWEEP_DAYS * 86_400 };

  let url: string;
  if (cursor.next) url = sameOriginUrl(cursor.next, base);
  else {
    const u = new URL(`${base}/v3/${encodeURIComponent(config.domain)}/events`);
    u.searchParams.set('begin', String(cursor.begin));
    u.searchParams.set('ascending', 'yes');
    u.searchParams.set('limit', String(MAILGUN_PAGE_SIZE));
    u.searchParams.set('event', EVENTS);
    url = u.href;
  }
  const { json, bytes } = await getJson(ctx, url, { Authorization: `Basic ${btoa(`api:${key}`)}` }, options);
  const envelope = parseEnvelope(envelopeSchema, json, 'Mailgun events');

  const page = new ProviderPage();
  page.fetched = envelope.items.length;
  let newest = cursor.next ? cursor.newest : undefined;
  for (const raw of envelope.items) {
    const ts = addItem(page, raw);
    if (ts !== undefined && (newest === undefined || ts > newest)) newest = ts;
  }

  const next = envelope.paging?.next;
  if (envelope.items.length === 0 || !next) {
    // The end of this sweep: the next one re-reads the trailing window (late and out-of-order events).
    const from = Math.min(newest === undefined ? nowS : Math.floor(newest), nowS) - TRAILING_WINDOW_S;
    return page.page(writeCursor({ begin: Math.max(from, cursor.begin) }), true, bytes);
  }
  sameOriginUrl(next, base); // refuse a next link off the API host before it is stored
  const nextCursor: Cursor = { next, begin: cursor.begin, ...(newest !== undefined ? { newest } : {}) };
  return page.page(writeCursor(nextCursor), false, bytes);
}

export function createMailgunSource(options: ProviderHttpOptions = {}): SourceAdapter {
  return { kind: 'mailgun', fetchPage: (ctx) => fetchPage(ctx, options) };
}
