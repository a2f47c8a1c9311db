import { z } from 'zod';
import { EventType } from '../event-types';
import { fetchWithRetry } from './http';
import {
  anchorHrefs,
  capturingFetch,
  parseJsonBody,
  parseSourceConfig,
  readSecret,
  RejectionLog,
  secretFieldsFor,
  shortHash,
  urlKey,
  withNote,
  type ConnectionContext,
  type ConnectionSummary,
} from './pull-common';
import { baseUrlSchema, type ProviderHttpOptions } from './provider-kit';
import {
  SourceError,
  type DeliveryInput,
  type EventInput,
  type FetchContext,
  type Page,
  type SourceAdapter,
  type TrackedUrlInput,
} from './source';

/**
 * Mailchimp Marketing API (v3.0) as a pull source (../shared/reference/esp-formats.md §7).
 *
 * **Secret**: the `apiKey` field of FetchContext.secrets (what the source form saves), else FetchContext.secret as
 * `{"apiKey":"<key>-<dc>"}` or the bare API key. The key ends with its data
 * centre (`…-us6`), which names the host: `https://us6.api.mailchimp.com/3.0`. Sent as HTTP Basic (any user name,
 * the key as password).
 *
 * **What a run reads**, as a series of pages (each page is one or a few requests, so a run can stop between any two
 * and resume from the cursor):
 * 1. `GET /campaigns?status=sent&since_send_time=<now − lookbackDays>`: the campaigns still followed. Each becomes
 *    a delivery (title as label, subject line, send time, `emails_sent` as messages to deliver and delivered,
 *    tracking on when open or click tracking is on).
 * 2. Per campaign, once: `GET /campaigns/{id}` + `/campaigns/{id}/content` (the HTML, for hot clicks) +
 *    `/reports/{id}/click-details` (its tracked URLs, with their position among the HTML's links).
 * 3. Per campaign, every run: `GET /reports/{id}/email-activity?since=…` paged by offset → clicks, then
 *    `GET /reports/{id}/open-details?since=…` → opens, with `is_proxy_open` as the proxy flag. Opens are taken from
 *    open-details only (email-activity has no proxy flag, and both list the same opens).
 *
 * **Cursor**: JSON `{v:1, seen:{<campaign>:{since?,meta?}}, pass?:{startedAt,queue,step,offset}}`. `since` is when
 * the last complete pass over that campaign began, less {@link SINCE_OVERLAP_MS} for activity Mailchimp records
 * late; re-read events are dropped by their ids.
 *
 * **Derived event ids** (Mailchimp has none): `mc:{campaign_id}:{email_id}:open:{epoch ms}` and
 * `mc:{campaign_id}:{email_id}:click:{epoch ms}:{hash of the URL}`.
 *
 * Tracked URLs get the URL itself as their id (a hash when over 200 characters, see `urlKey`), and click events
 * name the same id, since email-activity gives the URL but not click-details' link id.
 */

export const MAILCHIMP_KIND = 'mailchimp';
/** The pattern to ask for as an optional host permission when the data centre is not known yet. */
export const MAILCHIMP_HOST_PATTERN = 'https://*.api.mailchimp.com/*';
/** Activity looked at again on the next pass (Mailchimp records some activity minutes late). */
export const SINCE_OVERLAP_MS = 60 * 60 * 1000;

export const mailchimpConfigSchema = z.object({
  /** Replaces `https://{dc}.api.mailchimp.com` (tests, proxies); `/3.0/…` is appended. */
  baseUrl: baseUrlSchema.optional(),
  /**
   * The key's data centre (`us6`), saved by the source form from the key's suffix so the host permission can be
   * asked for before the key is read (providers.ts). Requests still go to the data centre the key names.
   */
  dc: z
    .string()
    .regex(/^[a-z]{2,4}\d{1,3}$/, 'not a data centre')
    .optional(),
  /** Campaigns sent within this many days are followed (their new opens and clicks read every run). */
  lookbackDays: z.int().min(1).max(365).default(30),
  /** Members per activity page (Mailchimp's maximum is 1000). */
  pageSize: z.int().min(1, 'at least 1').max(1000, 'at most 1000').default(1000),
});
export type MailchimpConfig = z.infer<typeof mailchimpConfigSchema>;

/** The secret's fields. */
export const mailchimpSecretSchema = z.object({
  apiKey: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{8,64}-[a-z]{2,4}\d{1,3}$/, { error: 'expected the whole key, ending with its data centre (-us6)' }),
});
export type MailchimpSecret = z.infer<typeof mailchimpSecretSchema>;

/** The data centre named by a key's suffix (`…-us6` → `us6`). */
export function dataCentreOf(apiKey: string): string {
  return apiKey.slice(apiKey.lastIndexOf('-') + 1);
}

/** Origin requests go to: the config's base URL, else the key's data centre. */
export function mailchimpOrigin(config: MailchimpConfig, apiKey: string): string {
  if (config.baseUrl) return config.baseUrl.replace(/\/+$/, '');
  return `https://${dataCentreOf(apiKey)}.api.mailchimp.com`;
}

/** Host permissions the source needs: its exact origin when the key (or base URL) is known, else all data centres. */
export function mailchimpHostPermissions(config: unknown, secret?: string): string[] {
  const parsed = mailchimpConfigSchema.safeParse(config ?? {});
  if (parsed.success && parsed.data.baseUrl) return [`${new URL(parsed.data.baseUrl).origin}/*`];
  try {
    const { apiKey } = readSecret(mailchimpSecretSchema, secret, 'apiKey');
    return [`https://${dataCentreOf(apiKey)}.api.mailchimp.com/*`];
  } catch {
    if (parsed.success && parsed.data.dc) return [`https://${parsed.data.dc}.api.mailchimp.com/*`];
    return [MAILCHIMP_HOST_PATTERN];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Wire schemas (esp-formats.md §7.2–7.4)

const isoTime = z.iso.datetime({ offset: true, error: 'not an ISO 8601 date-time' });
const id = z.string().min(1).max(200);

const campaignSchema = z.object({
  id,
  send_time: isoTime,
  emails_sent: z.int().nonnegative().optional(),
  settings: z
    .object({ title: z.string().max(500).optional(), subject_line: z.string().max(1000).optional() })
    .optional(),
  tracking: z
    .object({ opens: z.boolean().optional(), html_clicks: z.boolean().optional(), text_clicks: z.boolean().optional() })
    .optional(),
});
type Campaign = z.infer<typeof campaignSchema>;

const memberSchema = z.object({
  email_id: z.string().min(1).max(200),
  email_address: z.string().min(1).max(320),
  activity: z.array(z.unknown()).optional(),
  opens: z.array(z.unknown()).optional(),
});
const activitySchema = z.object({
  action: z.string().max(50),
  timestamp: isoTime,
  url: z.string().max(8000).optional(),
  ip: z.string().max(100).optional(),
});
const openSchema = z.object({ timestamp: isoTime, is_proxy_open: z.boolean().optional() });
const clickedUrlSchema = z.object({ id, url: z.string().min(1).max(8000) });

const totalItems = z.object({ total_items: z.int().nonnegative().optional() });
/** A list answer: the items under `key` (validated one by one later) and `total_items`. */
function readList(json: unknown, key: string): { items: unknown[]; total: number | undefined } | undefined {
  const items = z.object({ [key]: z.array(z.unknown()) }).safeParse(json);
  const total = totalItems.safeParse(json);
  if (!items.success || !total.success) return undefined;
  return { items: items.data[key] as unknown[], total: total.data.total_items };
}

// ---------------------------------------------------------------------------------------------------------------
// Cursor

const cursorSchema = z.object({
  v: z.literal(1),
  seen: z.record(z.string(), z.object({ since: z.string().optional(), meta: z.literal(1).optional() })),
  pass: z
    .object({
      startedAt: z.string(),
      queue: z.array(z.string()),
      step: z.enum(['meta', 'clicks', 'opens']),
      offset: z.int().nonnegative(),
    })
    .optional(),
});
export type MailchimpCursor = z.infer<typeof cursorSchema>;

function readCursor(cursor: string | null): MailchimpCursor {
  if (cursor) {
    try {
      const r = cursorSchema.safeParse(JSON.parse(cursor));
      if (r.success) return r.data;
    } catch {
      // An unreadable cursor starts over: events already stored are dropped by their ids.
    }
  }
  return { v: 1, seen: {} };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

interface Api {
  origin: string;
  get(path: string, query?: Record<string, string | number | undefined>): Promise<{ json: unknown; bytes: number }>;
}

function api(ctx: Omit<FetchContext, 'cursor'>, config: MailchimpConfig, apiKey: string, options: ProviderHttpOptions = {}): Api {
  const origin = mailchimpOrigin(config, apiKey);
  const host = new URL(origin).host;
  const captured = capturingFetch(ctx.fetch);
  const authorization = `Basic ${btoa(`tracking-logs:${apiKey}`)}`;
  return {
    origin,
    async get(path, query = {}) {
      const url = new URL(`${origin}/3.0${path}`);
      for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
      try {
        const { body, bytes } = await fetchWithRetry({
          fetch: captured.fetch,
          url,
          init: { method: 'GET', headers: { Accept: 'application/json', Authorization: authorization }, credentials: 'omit', cache: 'no-store' },
          signal: ctx.signal,
          sleep: ctx.sleep,
          now: ctx.now,
          note: ctx.note,
          timeoutMs: options.timeoutMs,
          retries: options.retries,
        });
        return { json: parseJsonBody(body, 'Mailchimp'), bytes };
      } catch (error) {
        throw mapError(error, host, captured.lastErrorBody());
      }
    },
  };
}

/**
 * Mailchimp's errors (RFC 7807 JSON: `title`, `detail`): a 401 is "API Key Invalid … or the wrong datacenter",
 * so it names the host; "API key has been disabled" is the same to the user.
 */
function mapError(error: unknown, host: string, body: string): unknown {
  if (!(error instanceof SourceError)) return error;
  if (error.code === 'unauthorized') {
    return new SourceError('key-or-region-rejected', { host }, `Mailchimp refused the key (${host})`);
  }
  if (error.code === 'forbidden' && /exceeded|too many|limit/i.test(body)) {
    // Mailchimp answers a bare 403 rather than 429 under heavy load (esp-formats.md §7.1).
    return new SourceError('rate-limited', { status: 403, retryAfterSeconds: 60 }, `Mailchimp throttled (${host})`);
  }
  return error;
}

// ---------------------------------------------------------------------------------------------------------------
// Records

const CAMPAIGN_FIELDS =
  'id,send_time,emails_sent,settings.title,settings.subject_line,tracking.opens,tracking.html_clicks,tracking.text_clicks';

function toDelivery(c: Campaign, html?: string): DeliveryInput {
  const subject = c.settings?.subject_line || undefined;
  const d: DeliveryInput = {
    extId: c.id,
    label: c.settings?.title || subject || c.id,
    sentAt: Date.parse(c.send_time),
    trackingEnabled: c.tracking ? c.tracking.opens !== false || c.tracking.html_clicks !== false : true,
  };
  if (subject !== undefined) d.subject = subject;
  if (c.emails_sent !== undefined) {
    d.toDeliver = c.emails_sent;
    d.delivered = c.emails_sent;
  }
  if (html !== undefined) d.html = html;
  return d;
}

function emptyPage(nextCursor: string | null, done: boolean, fetched = 0, bytes = 0): Page {
  return { records: { deliveries: [], urls: [], events: [] }, rejected: [], rejectedCount: 0, nextCursor, done, fetched, bytes };
}

export function campaignListQuery(now: number, config: MailchimpConfig): Record<string, string | number> {
  return {
    status: 'sent',
    since_send_time: new Date(now - config.lookbackDays * 86_400_000).toISOString(),
    sort_field: 'send_time',
    sort_dir: 'ASC',
    count: 1000,
    fields: `total_items,${CAMPAIGN_FIELDS.split(',')
      .map((f) => `campaigns.${f}`)
      .join(',')}`,
  };
}

async function listCampaigns(http: Api, ctx: FetchContext, config: MailchimpConfig, cur: MailchimpCursor): Promise<Page> {
  const { json, bytes } = await http.get('/campaigns', campaignListQuery(ctx.now(), config));
  const list = readList(json, 'campaigns');
  if (!list) throw new SourceError('unparseable', { detail: 'Mailchimp: campaigns list' }, 'unparseable');
  const rejects = new RejectionLog();
  const deliveries: DeliveryInput[] = [];
  for (const raw of list.items) {
    const c = campaignSchema.safeParse(raw);
    if (c.success) deliveries.push(toDelivery(c.data));
    else rejects.addZod(c.error, raw, 'campaign: ');
  }
  const queue = deliveries.map((d) => d.extId);
  // Campaigns past the lookback are no longer followed: their progress is forgotten.
  const seen: MailchimpCursor['seen'] = {};
  for (const c of queue) if (cur.seen[c]) seen[c] = cur.seen[c];
  const next: MailchimpCursor = { v: 1, seen };
  if (queue.length) {
    next.pass = {
      startedAt: new Date(ctx.now()).toISOString(),
      queue,
      step: seen[queue[0]!]?.meta ? 'clicks' : 'meta',
      offset: 0,
    };
  }
  return {
    records: { deliveries, urls: [], events: [] },
    rejected: rejects.samples,
    rejectedCount: rejects.count,
    nextCursor: JSON.stringify(next),
    done: queue.length === 0,
    fetched: list.items.length,
    bytes,
  };
}

/** Moves the pass to the next campaign (or ends it) after `campaign` is read through. */
function finishCampaign(cur: MailchimpCursor, campaign: string, completed: boolean): MailchimpCursor {
  const pass = cur.pass!;
  const seen = { ...cur.seen };
  if (completed) {
    const since = new Date(Date.parse(pass.startedAt) - SINCE_OVERLAP_MS).toISOString();
    seen[campaign] = { ...seen[campaign], since };
  }
  const queue = pass.queue.slice(1);
  if (!queue.length) return { v: 1, seen };
  return { v: 1, seen, pass: { ...pass, queue, step: seen[queue[0]!]?.meta ? 'clicks' : 'meta', offset: 0 } };
}

async function readMeta(http: Api, cur: MailchimpCursor, campaign: string): Promise<Page> {
  const path = `/campaigns/${encodeURIComponent(campaign)}`;
  const [meta, content, clicks] = [
    await http.get(path, { fields: CAMPAIGN_FIELDS }),
    await http.get(`${path}/content`, { fields: 'html' }),
    await http.get(`/reports/${encodeURIComponent(campaign)}/click-details`, { count: 1000, fields: 'total_items,urls_clicked.id,urls_clicked.url' }),
  ];
  const bytes = meta.bytes + content.bytes + clicks.bytes;
  const rejects = new RejectionLog();
  const c = campaignSchema.safeParse(meta.json);
  const htmlParsed = z.object({ html: z.string().max(5_000_000).optional() }).safeParse(content.json);
  const html = htmlParsed.success ? htmlParsed.data.html : undefined;
  const deliveries: DeliveryInput[] = [];
  if (c.success) deliveries.push(toDelivery(c.data, html || undefined));
  else rejects.addZod(c.error, meta.json, 'campaign: ');

  const urls: TrackedUrlInput[] = [];
  const list = readList(clicks.json, 'urls_clicked');
  const hrefs = html ? anchorHrefs(html) : [];
  const rawUrls = list?.items ?? [];
  for (const raw of rawUrls) {
    const u = clickedUrlSchema.safeParse(raw);
    if (!u.success) {
      rejects.addZod(u.error, raw, 'tracked URL: ');
      continue;
    }
    const url: TrackedUrlInput = { deliveryExtId: campaign, extId: urlKey(u.data.url), type: EventType.click, url: u.data.url };
    const occurrence = hrefs.indexOf(u.data.url);
    if (occurrence >= 0) url.occurrence = occurrence;
    urls.push(url);
  }
  const seen = { ...cur.seen, [campaign]: { ...cur.seen[campaign], meta: 1 as const } };
  const next: MailchimpCursor = { v: 1, seen, pass: { ...cur.pass!, step: 'clicks', offset: 0 } };
  return {
    records: { deliveries, urls, events: [] },
    rejected: rejects.samples,
    rejectedCount: rejects.count,
    nextCursor: JSON.stringify(next),
    done: false,
    fetched: 1 + rawUrls.length,
    bytes,
  };
}

async function readActivity(http: Api, config: MailchimpConfig, cur: MailchimpCursor, campaign: string): Promise<Page> {
  const pass = cur.pass!;
  const opens = pass.step === 'opens';
  const since = cur.seen[campaign]?.since;
  const key = opens ? 'members' : 'emails';
  const path = `/reports/${encodeURIComponent(campaign)}/${opens ? 'open-details' : 'email-activity'}`;
  const { json, bytes } = await http.get(path, {
    count: config.pageSize,
    offset: pass.offset,
    since,
    fields: opens
      ? 'total_items,members.email_id,members.email_address,members.opens'
      : 'total_items,emails.email_id,emails.email_address,emails.activity',
  });
  const list = readList(json, key);
  if (!list) throw new SourceError('unparseable', { detail: `Mailchimp: ${opens ? 'open-details' : 'email-activity'}` }, 'unparseable');
  const members = list.items;
  const rejects = new RejectionLog();
  const events: EventInput[] = [];
  let fetched = 0;
  for (const raw of members) {
    const m = memberSchema.safeParse(raw);
    if (!m.success) {
      fetched++;
      rejects.addZod(m.error, raw, 'member: ');
      continue;
    }
    const { email_id: emailId, email_address: recipient } = m.data;
    for (const rawItem of (opens ? m.data.opens : m.data.activity) ?? []) {
      fetched++;
      if (opens) {
        const o = openSchema.safeParse(rawItem);
        if (!o.success) {
          rejects.addZod(o.error, { email_address: recipient, ...(rawItem as object) }, 'open: ');
          continue;
        }
        const time = Date.parse(o.data.timestamp);
        const e: EventInput = { id: `mc:${campaign}:${emailId}:open:${time}`, deliveryExtId: campaign, recipient, type: EventType.open, time };
        if (o.data.is_proxy_open) e.proxy = true;
        events.push(e);
        continue;
      }
      const a = activitySchema.safeParse(rawItem);
      if (!a.success) {
        rejects.addZod(a.error, { email_address: recipient, ...(rawItem as object) }, 'activity: ');
        continue;
      }
      // Opens come from open-details (with the proxy flag); bounces are not tracking events.
      if (a.data.action !== 'click') continue;
      if (!a.data.url) {
        rejects.add('activity: a click without url', { email_address: recipient, ...a.data });
        continue;
      }
      const time = Date.parse(a.data.timestamp);
      const e: EventInput = {
        id: `mc:${campaign}:${emailId}:click:${time}:${shortHash(a.data.url)}`,
        deliveryExtId: campaign,
        recipient,
        type: EventType.click,
        time,
        urlExtId: urlKey(a.data.url),
        url: a.data.url,
      };
      if (a.data.ip) e.ip = a.data.ip;
      events.push(e);
    }
  }
  const offset = pass.offset + members.length;
  const total = list.total;
  const last = members.length < config.pageSize || (total !== undefined && offset >= total);
  let next: MailchimpCursor;
  if (!last) next = { ...cur, pass: { ...pass, offset } };
  else if (!opens) next = { ...cur, pass: { ...pass, step: 'opens', offset: 0 } };
  else next = finishCampaign(cur, campaign, true);
  return {
    records: { deliveries: [], urls: [], events },
    rejected: rejects.samples,
    rejectedCount: rejects.count,
    nextCursor: JSON.stringify(next),
    done: !next.pass,
    fetched,
    bytes,
  };
}

async function fetchPage(ctx: FetchContext, options: ProviderHttpOptions): Promise<Page> {
  const config = parseSourceConfig(mailchimpConfigSchema, ctx.config);
  const { apiKey } = secretFieldsFor(mailchimpSecretSchema, ctx, 'apiKey');
  const http = api(ctx, config, apiKey, options);
  const cur = readCursor(ctx.cursor);
  if (!cur.pass) return listCampaigns(http, ctx, config, cur);
  const campaign = cur.pass.queue[0];
  if (campaign === undefined) return emptyPage(JSON.stringify({ v: 1, seen: cur.seen }), true);
  try {
    return cur.pass.step === 'meta' ? await readMeta(http, cur, campaign) : await readActivity(http, config, cur, campaign);
  } catch (error) {
    // A campaign deleted since the list was read: skip it rather than fail the source on every run.
    if (error instanceof SourceError && error.code === 'not-found') {
      const next = finishCampaign(cur, campaign, false);
      return emptyPage(JSON.stringify(next), !next.pass);
    }
    throw error;
  }
}

/** The adapter, with the HTTP limits of its use (a "Test connection" answers fast, a run rides out rate limits). */
export function createMailchimpSource(options: ProviderHttpOptions = {}): SourceAdapter {
  return { kind: MAILCHIMP_KIND, fetchPage: (ctx) => fetchPage(ctx, options) };
}

export const mailchimpSource: SourceAdapter = createMailchimpSource();

/**
 * "Test connection": the account name (`GET /3.0/`) and the number of sent campaigns. Throws a SourceError:
 * `credentials-missing`/`credentials-invalid` (no key, or a key without its `-dc` ending), `key-or-region-rejected`
 * (401: wrong or revoked key, or a data centre that is not the account's), `forbidden`, `rate-limited`, …
 */
export async function testMailchimpConnection(ctx: ConnectionContext): Promise<ConnectionSummary> {
  const config = parseSourceConfig(mailchimpConfigSchema, ctx.config);
  const { apiKey } = secretFieldsFor(mailchimpSecretSchema, ctx, 'apiKey');
  const http = api(withNote(ctx), config, apiKey);
  const root = z.object({ account_name: z.string().max(500).optional() }).safeParse((await http.get('/', { fields: 'account_name' })).json);
  const campaigns = z
    .object({ total_items: z.int().nonnegative() })
    .safeParse((await http.get('/campaigns', { status: 'sent', count: 1, fields: 'total_items' })).json);
  return {
    host: new URL(http.origin).host,
    account: root.success ? root.data.account_name : undefined,
    deliveries: campaigns.success ? campaigns.data.total_items : undefined,
  };
}

/** The same, under the name every provider module uses (`import * as provider`; `provider.testConnection(ctx)`). */
export const testConnection = testMailchimpConnection;
