import { z } from 'zod';
import { EventType } from '../event-types';
import { FEED_LIMITS } from './record-limits';
import {
  ProviderPage,
  apiBase,
  baseUrlSchema,
  clip,
  getJson,
  idString,
  isoMs,
  parseEnvelope,
  parseProviderConfig,
  readCursor,
  reasonOf,
  writeCursor,
  type ProviderHttpOptions,
} from './provider-kit';
import { SourceError, type FetchContext, type Page, type SourceAdapter } from './source';

/**
 * Postmark, message opens and clicks APIs (../shared/reference/esp-formats.md §1):
 * `GET https://api.postmarkapp.com/messages/outbound/opens|clicks?count=&offset=`, header `X-Postmark-Server-Token`.
 *
 * - Results come newest first with `count` (≤ 500) + `offset` paging, and Postmark serves at most 10 000 rows of
 *   one listing (`count + offset ≤ 10 000`). These two endpoints have no date filter (only recipient, tag, client,
 *   OS, geo and stream filters), so a window cannot be narrowed by date: a sweep reads down from the newest until it
 *   passes the newest event of the previous sweep (less {@link OVERLAP_MS}, for events stored late) or reaches the
 *   ceiling, where it stops and logs `row-ceiling` (hourly runs keep a sweep far below it; a first import of a busy
 *   server only gets its newest 10 000 opens and 10 000 clicks).
 * - New events arriving during a sweep push older rows to higher offsets, so a sweep sees some rows twice (dedupe
 *   drops them) and never skips one.
 * - Each sweep reads opens, then clicks. The cursor (opaque JSON) holds the listing, the offset, and the newest
 *   time seen per listing.
 * - Postmark has no event id. The derived id is `open:<MessageID>:<Recipient>:<ReceivedAt ms>` and
 *   `click:<MessageID>:<Recipient>:<ReceivedAt ms>:<OriginalLink>`; Postmark keeps one open per recipient and
 *   message and one click per recipient and link, and a stored row never changes, so the id is stable across reads.
 * - `ReceivedAt` has 7 fractional digits and a local offset (`2014-04-30T05:04:23.8768746-04:00`); it is read
 *   exactly to the millisecond (provider-kit `isoMs`).
 * - Deliveries: the `Tag`, else the message stream (`MessageStream`, default "outbound"). No machine flag exists
 *   (Apple MPP opens are not marked); user agents are kept for classification on read.
 */

export const POSTMARK_HOST = 'https://api.postmarkapp.com';
export const POSTMARK_PAGE_SIZE = 500;
/** Postmark serves at most this many rows of one listing (count + offset). */
export const POSTMARK_ROW_CEILING = 10_000;
/** A sweep reads this far past the previous sweep's newest event. */
export const OVERLAP_MS = 30 * 60_000;
const LISTINGS = ['opens', 'clicks'] as const;
type Listing = (typeof LISTINGS)[number];

export const postmarkConfigSchema = z.object({
  /** Only this message stream (Postmark `messagestream` filter); all streams when empty. */
  messageStream: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z0-9_-]*$/i, 'letters, digits, - and _ only')
    .optional(),
  baseUrl: baseUrlSchema.optional(),
});
export type PostmarkConfig = z.infer<typeof postmarkConfigSchema>;

export function postmarkBase(config: Pick<PostmarkConfig, 'baseUrl'>): string {
  return apiBase(config.baseUrl, POSTMARK_HOST);
}

const cursorSchema = z.object({
  listing: z.enum(LISTINGS),
  offset: z.int().nonnegative(),
  /** Newest time (ms) of each listing's last whole sweep. */
  since: z.object({ opens: z.number().optional(), clicks: z.number().optional() }),
  /** Newest time (ms) seen so far in this sweep, per listing. */
  newest: z.object({ opens: z.number().optional(), clicks: z.number().optional() }),
});
type Cursor = z.infer<typeof cursorSchema>;

const geoSchema = z.object({ IP: z.string().max(FEED_LIMITS.ip).optional() }).loose().nullable().optional();
const common = {
  MessageID: idString(200),
  Recipient: idString(FEED_LIMITS.recipient),
  ReceivedAt: z.string().refine((s) => isoMs(s) !== undefined, 'not an ISO date-time with an offset'),
  Tag: z.string().max(FEED_LIMITS.label).nullable().optional(),
  MessageStream: z.string().max(100).nullable().optional(),
  UserAgent: z.string().nullable().optional(),
  Geo: geoSchema,
};
const openSchema = z.object(common);
const clickSchema = z.object({ ...common, OriginalLink: idString(FEED_LIMITS.url) });
type Open = z.infer<typeof openSchema>;

const envelopes = {
  opens: z.object({ TotalCount: z.number().optional(), Opens: z.array(z.unknown()).nullable() }),
  clicks: z.object({ TotalCount: z.number().optional(), Clicks: z.array(z.unknown()).nullable() }),
};

function deliveryOf(row: Open, config: PostmarkConfig): { extId: string; label: string } {
  if (row.Tag) return { extId: `tag:${row.Tag}`, label: row.Tag };
  const stream = row.MessageStream || config.messageStream || 'outbound';
  return { extId: `stream:${stream}`, label: stream };
}

/** Adds one row; its time when it went in. */
function addRow(page: ProviderPage, listing: Listing, raw: unknown, config: PostmarkConfig): number | undefined {
  const r = (listing === 'opens' ? openSchema : clickSchema).safeParse(raw);
  if (!r.success) return page.reject(reasonOf(r.error), raw), undefined;
  const row = r.data;
  const time = isoMs(row.ReceivedAt)!;
  const delivery = deliveryOf(row, config);
  page.delivery({ extId: delivery.extId, label: delivery.label, trackingEnabled: true });
  const recipient = row.Recipient.toLowerCase();
  const base = {
    deliveryExtId: delivery.extId,
    recipient,
    time,
    userAgent: clip(row.UserAgent ?? undefined, FEED_LIMITS.userAgent),
    ip: row.Geo?.IP || undefined,
  };
  if (listing === 'opens') {
    page.event({ ...base, id: `open:${row.MessageID}:${recipient}:${time}`, type: EventType.open });
  } else {
    const link = (row as z.infer<typeof clickSchema>).OriginalLink;
    page.url({ deliveryExtId: delivery.extId, extId: link, type: EventType.click, url: link });
    page.event({ ...base, id: `click:${row.MessageID}:${recipient}:${time}:${link}`, type: EventType.click, url: link });
  }
  return time;
}

async function fetchPage(ctx: FetchContext, options: ProviderHttpOptions): Promise<Page> {
  const config = parseProviderConfig(postmarkConfigSchema, ctx.config);
  const token = ctx.secrets?.serverToken ?? ctx.secret;
  if (!token) throw new SourceError('config-invalid', { field: 'serverToken' }, 'config-invalid: serverToken');
  const cursor: Cursor = readCursor(cursorSchema, ctx.cursor) ?? { listing: 'opens', offset: 0, since: {}, newest: {} };
  const { listing, offset } = cursor;

  const count = Math.min(POSTMARK_PAGE_SIZE, POSTMARK_ROW_CEILING - offset);
  const url = new URL(`${postmarkBase(config)}/messages/outbound/${listing}`);
  url.searchParams.set('count', String(count));
  url.searchParams.set('offset', String(offset));
  if (config.messageStream) url.searchParams.set('messagestream', config.messageStream);
  const { json, bytes } = await getJson(ctx, url.href, { 'X-Postmark-Server-Token': token }, options);
  const rows =
    listing === 'opens'
      ? (parseEnvelope(envelopes.opens, json, 'Postmark opens').Opens ?? [])
      : (parseEnvelope(envelopes.clicks, json, 'Postmark clicks').Clicks ?? []);

  const page = new ProviderPage();
  page.fetched = rows.length;
  let newest = cursor.newest[listing];
  let oldest: number | undefined;
  for (const raw of rows) {
    const time = addRow(page, listing, raw, config);
    if (time === undefined) continue;
    if (newest === undefined || time > newest) newest = time;
    if (oldest === undefined || time < oldest) oldest = time;
  }

  const since = cursor.since[listing];
  const reachedKnown = since !== undefined && oldest !== undefined && oldest < since - OVERLAP_MS;
  const atEnd = rows.length < count;
  const atCeiling = !atEnd && !reachedKnown && offset + count >= POSTMARK_ROW_CEILING;
  if (atCeiling) {
    ctx.note({ level: 'warning', code: 'row-ceiling', params: { count: POSTMARK_ROW_CEILING, listing }, at: ctx.now() });
  }
  const newestAll = { ...cursor.newest, ...(newest !== undefined ? { [listing]: newest } : {}) };
  if (!atEnd && !reachedKnown && !atCeiling) {
    return page.page(writeCursor({ ...cursor, offset: offset + rows.length, newest: newestAll }), false, bytes);
  }
  // This listing's sweep is over. The next listing, or (after clicks) the next sweep, starting at the newest rows.
  const i = LISTINGS.indexOf(listing);
  if (i + 1 < LISTINGS.length) {
    return page.page(writeCursor({ ...cursor, listing: LISTINGS[i + 1]!, offset: 0, newest: newestAll }), false, bytes);
  }
  const nextSince = { ...cursor.since };
  for (const l of LISTINGS) {
    const n = newestAll[l];
    if (n !== undefined) nextSince[l] = Math.max(n, nextSince[l] ?? n);
  }
  return page.page(writeCursor({ listing: LISTINGS[0], offset: 0, since: nextSince, newest: {} }), true, bytes);
}

export function createPostmarkSource(options: ProviderHttpOptions = {}): SourceAdapter {
  return { kind: 'postmark', fetchPage: (ctx) => fetchPage(ctx, options) };
}
