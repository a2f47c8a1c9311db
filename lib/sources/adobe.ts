import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { EVENT_TYPE_CODES, type EventTypeCode } from '../event-types';
import { hash53 } from '../workflow/hash';
import { fetchWithRetry } from './http';
import { baseUrlSchema, type ProviderHttpOptions } from './provider-kit';
import {
  parseSourceConfig,
  secretFieldsFor,
  RejectionLog,
  utcDay,
  withNote,
  type ConnectionContext,
  type ConnectionSummary,
} from './pull-common';
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
 * Adobe Campaign Classic (v7, and v8 with a login/password operator) over SOAP, as a pull source
 * (../shared/reference/esp-formats.md §9, adobe-tracking.md §2 and §8).
 *
 * **Secret**: the `login` and `password` fields of FetchContext.secrets (what the source form saves), else
 * FetchContext.secret as `{"login":"…","password":"…"}`; the credentials of an operator allowed to log on through web
 * services. IMS technical accounts (Bearer tokens) are not supported.
 *
 * **Requests**, all `POST <instance>/nl/jsp/soaprouter.jsp` (`text/xml`, `SOAPAction: <urn>#<method>`):
 * 1. `xtk:session#Logon` → session token + security token, kept in memory (not in the cursor or the store) and
 *    used until Campaign says the session is over (then one new Logon and the call again). They are sent as the
 *    body's `sessiontoken`, `X-Session-Token` and `X-Security-Token`; a `Cookie` header cannot be set by `fetch` in
 *    a browser, so the `__sessiontoken` cookie is not relied on.
 * 2. `xtk:queryDef#ExecuteQuery` on `nms:trackingLogRcp`: `@id > <last id>` ordered by `@id`, `lineCount` =
 *    pageSize (keyset paging; the first run takes logs of the last `lookbackDays`). Selects `@id`, `@logDate`,
 *    `[@broadLog-id]`, `[@url-id]`, `[url/@type]`, `[url/@source]`, `[url/@label]`, `[@recipient-id]`,
 *    `[recipient/@email]`, `[@delivery-id]` and, unless `persons` is off, `@sourceId` (the requester UUID, used
 *    for distinct persons).
 * 3. For delivery ids on the page not seen in the last {@link DELIVERY_REFRESH_MS}: `nms:delivery` (`@label`,
 *    `@internalName`, `scheduling/@contactDate` as the send date, `properties/@toDeliver`, `indicators/@success`,
 *    `tracking/@enabled`) and `nms:trackingUrl` (`@id`, `@type`, `@source`, `@label`, `@category`) of those
 *    deliveries, ≤ 100 ids per query.
 *
 * **Cursor**: JSON `{v:1, lastId:"<digits>"|null, known:{<deliveryId>: epoch ms last read}}`. Ids are 64-bit on
 * some instances, so they stay strings and are compared as BigInt.
 *
 * **Event ids**: the tracking log's `@id` (Campaign's own primary key). **Types**: `[url/@type]` is our EventType
 * code as it is (1 email click, 2 open, 3 opt-out, 4 web, 5 transaction, 6 mirror page); a log of another type
 * (push, ACS 10/11) is rejected with its type named. A log without a URL type but with `url-id` 1 is an open (the
 * built-in open URL).
 *
 * SOAP faults come back with HTTP 500; they are read, not retried (a wrong password is not transient).
 * Fault texts are untrusted: kept as plain-text parameters, cut to 200 characters.
 */

export const ADOBE_KIND = 'adobe-campaign';
export const SOAP_PATH = '/nl/jsp/soaprouter.jsp';
/** How long delivery details (counts, labels, tracked URLs) are kept before a new page re-reads them. */
export const DELIVERY_REFRESH_MS = 6 * 60 * 60 * 1000;
/** Deliveries remembered in the cursor (oldest dropped first). */
const MAX_KNOWN = 500;
const IDS_PER_QUERY = 100;

export const adobeConfigSchema = z.object({
  /** The instance's address, e.g. `https://acme.campaign.adobe.com` (tests point it at 127.0.0.1). */
  instanceUrl: baseUrlSchema,
  /** How far back the first run reads. */
  lookbackDays: z.int().min(1).max(365).default(30),
  /** Tracking logs per query (`lineCount`). */
  pageSize: z.int().min(1, 'at least 1').max(10_000, 'at most 10000').default(1000),
  /** Select `@sourceId` (requester UUID) for distinct persons; off for instances whose schema lacks it. */
  persons: z.boolean().default(true),
});
export type AdobeConfig = z.infer<typeof adobeConfigSchema>;

export const adobeSecretSchema = z.object({ login: z.string().min(1).max(200), password: z.string().max(500) });
export type AdobeSecret = z.infer<typeof adobeSecretSchema>;

export function adobeOrigin(config: AdobeConfig): string {
  return new URL(config.instanceUrl).origin;
}

/** Host permissions the source needs: the instance's origin. */
export function adobeHostPermissions(config: unknown): string[] {
  const parsed = adobeConfigSchema.safeParse(config ?? {});
  return parsed.success ? [`${adobeOrigin(parsed.data)}/*`] : [];
}

// ---------------------------------------------------------------------------------------------------------------
// SOAP envelopes

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes text for XML content and attribute values alike. Characters XML 1.0 cannot carry at all (controls other
 * than tab/CR/LF, lone surrogates, U+FFFE/FFFF) are dropped rather than sent as an unparseable document.
 */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A SOAP 1.1 envelope around one method call in namespace `urn`. `inner` is already-escaped XML. */
export function soapEnvelope(urn: string, method: string, inner: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<SOAP-ENV:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
    ` xmlns:ns="http://xml.apache.org/xml-soap" xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<SOAP-ENV:Body><${method} xmlns="${xmlEscape(urn)}" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">` +
    inner +
    `</${method}></SOAP-ENV:Body></SOAP-ENV:Envelope>`
  );
}

export function logonEnvelope(login: string, password: string): string {
  return soapEnvelope(
    'urn:xtk:session',
    'Logon',
    `<sessiontoken xsi:type="xsd:string"/>` +
      `<strLogin xsi:type="xsd:string">${xmlEscape(login)}</strLogin>` +
      `<strPassword xsi:type="xsd:string">${xmlEscape(password)}</strPassword>` +
      `<elemParameters xsi:type="ns:Element" SOAP-ENV:encodingStyle="http://xml.apache.org/xml-soap/literalxml"/>`,
  );
}

/** An ExecuteQuery call; `queryDef` is a `<queryDef>` element built with {@link xmlEscape}d values. */
export function executeQueryEnvelope(sessionToken: string, queryDef: string): string {
  return soapEnvelope(
    'urn:xtk:queryDef',
    'ExecuteQuery',
    `<sessiontoken xsi:type="xsd:string">${xmlEscape(sessionToken)}</sessiontoken>` +
      `<entity xsi:type="ns:Element" SOAP-ENV:encodingStyle="http://xml.apache.org/xml-soap/literalxml">${queryDef}</entity>`,
  );
}

const DIGITS = /^\d{1,20}$/;

function queryDef(schema: string, select: readonly string[], where: readonly string[], extra: { lineCount?: number; orderBy?: string } = {}): string {
  const attrs = extra.lineCount !== undefined ? ` lineCount="${extra.lineCount}"` : '';
  return (
    `<queryDef schema="${xmlEscape(schema)}" operation="select"${attrs} xtkschema="xtk:queryDef">` +
    `<select>${select.map((e) => `<node expr="${xmlEscape(e)}"/>`).join('')}</select>` +
    (where.length ? `<where>${where.map((e) => `<condition expr="${xmlEscape(e)}"/>`).join('')}</where>` : '') +
    (extra.orderBy ? `<orderBy><node expr="${xmlEscape(extra.orderBy)}"/></orderBy>` : '') +
    `</queryDef>`
  );
}

/** The tracking-log query of one page: after `lastId` (keyset), or since `sinceDay` on the first run. */
export function trackingLogQuery(args: { lastId: string | null; sinceDay: string; pageSize: number; persons: boolean }): string {
  const select = [
    '@id',
    '@logDate',
    '[@broadLog-id]',
    '[@url-id]',
    '[url/@type]',
    '[url/@source]',
    '[url/@label]',
    '[@recipient-id]',
    '[recipient/@email]',
    '[@delivery-id]',
  ];
  if (args.persons) select.push('@sourceId');
  if (args.lastId !== null && !DIGITS.test(args.lastId)) throw new Error('lastId must be digits');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(args.sinceDay)) throw new Error('sinceDay must be YYYY-MM-DD');
  const where = args.lastId !== null ? [`@id > ${args.lastId}`] : [`@logDate >= #${args.sinceDay}#`];
  return queryDef('nms:trackingLogRcp', select, where, { lineCount: args.pageSize, orderBy: '@id' });
}

function idList(ids: readonly string[]): string {
  for (const id of ids) if (!DIGITS.test(id)) throw new Error('ids must be digits');
  return ids.join(',');
}

export function deliveriesQuery(ids: readonly string[]): string {
  return queryDef(
    'nms:delivery',
    ['@id', '@label', '@internalName', 'scheduling/@contactDate', 'properties/@toDeliver', 'indicators/@success', 'tracking/@enabled'],
    [`@id IN (${idList(ids)})`],
  );
}

export function trackingUrlsQuery(ids: readonly string[]): string {
  return queryDef(
    'nms:trackingUrl',
    ['@id', '[@delivery-id]', '@type', '@source', '@label', '@category'],
    [`[@delivery-id] IN (${idList(ids)})`],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Answers

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  // Ids are 64-bit: every value stays a string.
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  htmlEntities: true,
  isArray: (name, jpath) => typeof jpath === 'string' && jpath.endsWith(`-collection.${name}`),
});

type XmlNode = Record<string, unknown>;

/** Thrown for a SOAP Fault: its `faultstring` (untrusted, ≤ 200 chars). */
class SoapFault extends Error {
  constructor(readonly fault: string) {
    super(fault);
  }
}

/** Parses a SOAP answer to the object under `Body`; a Fault throws {@link SoapFault}; anything else not SOAP throws. */
export function parseSoapBody(xml: string, host: string): XmlNode {
  if (XMLValidator.validate(xml) !== true) throw new SourceError('wrong-instance', { host }, `not XML (${host})`);
  const doc = parser.parse(xml) as XmlNode;
  const body = (doc.Envelope as XmlNode | undefined)?.Body as XmlNode | undefined;
  if (!body || typeof body !== 'object') throw new SourceError('wrong-instance', { host }, `not a SOAP answer (${host})`);
  const fault = body.Fault as XmlNode | undefined;
  if (fault !== undefined) {
    const text = typeof fault === 'object' ? textOf(fault.faultstring) || textOf(fault.detail) : '';
    throw new SoapFault(text.replace(/\s+/g, ' ').trim().slice(0, 200));
  }
  return body;
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '#text' in v) return String((v as XmlNode)['#text']);
  return '';
}

/** The rows of `<x-collection>` under `ExecuteQueryResponse/pdomOutput`. */
function collectionRows(body: XmlNode, schemaName: string): unknown[] {
  const out = (body.ExecuteQueryResponse as XmlNode | undefined)?.pdomOutput as XmlNode | undefined;
  if (!out || typeof out !== 'object') throw new SourceError('unparseable', { detail: 'Adobe Campaign: no pdomOutput' }, 'unparseable');
  const collection = out[`${schemaName}-collection`];
  if (collection === undefined || collection === '') return [];
  const rows = (collection as XmlNode)[schemaName];
  return Array.isArray(rows) ? rows : rows === undefined ? [] : [rows];
}

const digits = z.string().regex(DIGITS, { error: 'not an id' });
const optDigits = z.string().regex(/^\d{0,20}$/, { error: 'not an id' }).optional();
/** Campaign's XML date-times: `2024-05-02 08:14:51.000Z` (a `T` or an offset also accepted; none means UTC). */
const ADOBE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of a Campaign date-time, or NaN. */
export function parseAdobeTime(text: string): number {
  const m = ADOBE_TIME.exec(text.trim());
  if (!m) return NaN;
  let zone = m[3] ?? 'Z';
  if (zone !== 'Z' && !zone.includes(':')) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return Date.parse(`${m[1]}T${m[2]!.slice(0, 12)}${zone}`);
}
const timeSchema = z.string().refine((s) => Number.isFinite(parseAdobeTime(s)), { error: 'not a date-time' });

const logRowSchema = z.object({
  id: digits,
  logDate: timeSchema,
  'delivery-id': digits.refine((s) => s !== '0', { error: 'no delivery' }),
  'url-id': optDigits,
  'recipient-id': optDigits,
  sourceId: z.string().max(200).optional(),
  url: z.object({ type: z.string().optional(), source: z.string().max(8000).optional(), label: z.string().max(500).optional() }).optional(),
  recipient: z.object({ email: z.string().max(320).optional() }).optional(),
});

const deliveryRowSchema = z.object({
  id: digits,
  label: z.string().max(500).optional(),
  internalName: z.string().max(500).optional(),
  scheduling: z.object({ contactDate: z.string().optional() }).optional(),
  properties: z.object({ toDeliver: optDigits }).optional(),
  indicators: z.object({ success: optDigits }).optional(),
  tracking: z.object({ enabled: z.string().optional() }).optional(),
});

const urlRowSchema = z.object({
  id: digits,
  'delivery-id': digits,
  type: z.string().regex(/^\d{1,3}$/, { error: 'not a URL type' }),
  source: z.string().max(8000).optional(),
  label: z.string().max(500).optional(),
  category: z.string().max(200).optional(),
});

/** `[url/@type]` as our type code, or undefined for types that are not email tracking (push, ACS 10/11, …). */
export function adobeEventType(urlType: string | undefined, urlId: string | undefined): EventTypeCode | undefined {
  if ((urlType === undefined || urlType === '') && urlId === '1') return 2;
  const n = Number(urlType);
  return (EVENT_TYPE_CODES as readonly number[]).includes(n) ? (n as EventTypeCode) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Session and calls

interface Session {
  sessionToken: string;
  securityToken: string;
}

/** Sessions by instance + login + password hash: in memory only (a restarted worker logs on again). */
const sessions = new Map<string, Session>();
export function clearAdobeSessions(): void {
  sessions.clear();
}

const SESSION_OVER = /session|XSV-350008|expired|timed? ?out|security token/i;
const NO_RIGHT = /\bright(s)?\b|\bdroits?\b|not allowed|denied|permission|not authori[sz]ed/i;

class Client {
  readonly host: string;
  private readonly endpoint: string;
  private readonly key: string;

  constructor(
    private readonly ctx: Omit<FetchContext, 'cursor'>,
    config: AdobeConfig,
    private readonly secret: AdobeSecret,
    private readonly options: ProviderHttpOptions = {},
  ) {
    const origin = adobeOrigin(config);
    this.endpoint = `${origin}${SOAP_PATH}`;
    this.host = new URL(origin).host;
    this.key = `${origin}\n${secret.login}\n${hash53(secret.password)}`;
  }

  bytes = 0;

  /** One SOAP call: HTTP errors via fetchWithRetry, SOAP faults (HTTP 500) read rather than retried. */
  private async call(action: string, envelope: string, session?: Session): Promise<XmlNode> {
    const headers: Record<string, string> = { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: action };
    if (session) {
      headers['X-Security-Token'] = session.securityToken;
      headers['X-Session-Token'] = session.sessionToken;
    }
    // A SOAP Fault comes with HTTP 500: hand it over as an answer so it is read, not retried as a server error.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const response = await this.ctx.fetch(input, init);
      if (response.status !== 500) return response;
      const text = await response.text();
      if (/<(?:[\w-]+:)?Fault[\s>]/.test(text)) return new Response(text, { status: 200, headers: { 'content-type': 'text/xml' } });
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
    let result;
    try {
      result = await fetchWithRetry({
        fetch,
        url: this.endpoint,
        init: { method: 'POST', headers, body: envelope, credentials: 'omit', cache: 'no-store' },
        signal: this.ctx.signal,
        sleep: this.ctx.sleep,
        now: this.ctx.now,
        note: this.ctx.note,
        timeoutMs: this.options.timeoutMs,
        retries: this.options.retries,
      });
    } catch (error) {
      if (error instanceof SourceError && (error.code === 'not-found' || error.code === 'http-error')) {
        throw new SourceError('wrong-instance', { host: this.host }, `no SOAP router at ${this.host}`);
      }
      throw error;
    }
    this.bytes += result.bytes;
    return parseSoapBody(result.body, this.host);
  }

  /** Drops this login's session, so the next call logs on afresh. */
  forget(): void {
    sessions.delete(this.key);
  }

  async logon(): Promise<Session> {
    const cached = sessions.get(this.key);
    if (cached) return cached;
    let body: XmlNode;
    try {
      body = await this.call('xtk:session#Logon', logonEnvelope(this.secret.login, this.secret.password));
    } catch (error) {
      if (error instanceof SoapFault) throw new SourceError('login-failed', {}, 'Adobe Campaign Logon refused');
      throw error;
    }
    const r = (body.LogonResponse ?? {}) as XmlNode;
    const session = { sessionToken: textOf(r.pstrSessionToken), securityToken: textOf(r.pstrSecurityToken) };
    if (!session.sessionToken) throw new SourceError('unparseable', { detail: 'Adobe Campaign: Logon gave no session token' }, 'unparseable');
    sessions.set(this.key, session);
    return session;
  }

  /** ExecuteQuery, logging on again once when Campaign says the session is over. */
  async query(def: string, schemaName: string): Promise<unknown[]> {
    for (let attempt = 0; ; attempt++) {
      const session = await this.logon();
      try {
        const body = await this.call('xtk:queryDef#ExecuteQuery', executeQueryEnvelope(session.sessionToken, def), session);
        return collectionRows(body, schemaName);
      } catch (error) {
        if (!(error instanceof SoapFault)) throw error;
        if (attempt === 0 && SESSION_OVER.test(error.fault)) {
          this.forget();
          continue;
        }
        if (NO_RIGHT.test(error.fault)) throw new SourceError('operator-lacks-right', { detail: error.fault }, 'operator lacks a right');
        throw new SourceError('soap-fault', { detail: error.fault }, 'SOAP fault');
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cursor

const cursorSchema = z.object({
  v: z.literal(1),
  lastId: z.string().regex(DIGITS).nullable(),
  known: z.record(z.string(), z.number()),
});
export type AdobeCursor = z.infer<typeof cursorSchema>;

function readCursor(cursor: string | null): AdobeCursor {
  if (cursor) {
    try {
      const r = cursorSchema.safeParse(JSON.parse(cursor));
      if (r.success) return r.data;
    } catch {
      // An unreadable cursor starts over from the lookback (re-read logs are dropped by their ids).
    }
  }
  return { v: 1, lastId: null, known: {} };
}

function maxId(a: string | null, b: string): string {
  return a === null || BigInt(b) > BigInt(a) ? b : a;
}

// ---------------------------------------------------------------------------------------------------------------

function toDelivery(row: z.infer<typeof deliveryRowSchema>): DeliveryInput {
  const d: DeliveryInput = {
    extId: row.id,
    label: row.label || row.internalName || row.id,
    trackingEnabled: row.tracking?.enabled !== undefined ? row.tracking.enabled === 'true' || row.tracking.enabled === '1' : true,
  };
  const sent = row.scheduling?.contactDate ? parseAdobeTime(row.scheduling.contactDate) : NaN;
  if (Number.isFinite(sent) && sent >= 0) d.sentAt = sent;
  if (row.properties?.toDeliver) d.toDeliver = Number(row.properties.toDeliver);
  if (row.indicators?.success) d.delivered = Number(row.indicators.success);
  return d;
}

async function readDeliveries(client: Client, ids: string[], rejects: RejectionLog): Promise<{ deliveries: DeliveryInput[]; urls: TrackedUrlInput[]; fetched: number }> {
  const deliveries: DeliveryInput[] = [];
  const urls: TrackedUrlInput[] = [];
  let fetched = 0;
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    for (const raw of await client.query(deliveriesQuery(chunk), 'delivery')) {
      fetched++;
      const r = deliveryRowSchema.safeParse(raw);
      if (r.success) deliveries.push(toDelivery(r.data));
      else rejects.addZod(r.error, raw, 'delivery: ');
    }
    for (const raw of await client.query(trackingUrlsQuery(chunk), 'trackingUrl')) {
      fetched++;
      const r = urlRowSchema.safeParse(raw);
      if (!r.success) {
        rejects.addZod(r.error, raw, 'tracked URL: ');
        continue;
      }
      const type = adobeEventType(r.data.type, r.data.id);
      if (type === undefined) continue; // push and other channels' URLs: no email event refers to them
      const u: TrackedUrlInput = { deliveryExtId: r.data['delivery-id'], extId: r.data.id, type, url: r.data.source ?? '' };
      if (r.data.label) u.label = r.data.label;
      if (r.data.category) u.category = r.data.category;
      urls.push(u);
    }
  }
  return { deliveries, urls, fetched };
}

async function fetchPage(ctx: FetchContext, options: ProviderHttpOptions): Promise<Page> {
  const config = parseSourceConfig(adobeConfigSchema, ctx.config);
  const secret = secretFieldsFor(adobeSecretSchema, ctx);
  const client = new Client(ctx, config, secret, options);
  const cur = readCursor(ctx.cursor);
  const now = ctx.now();

  const rows = await client.query(
    trackingLogQuery({
      lastId: cur.lastId,
      sinceDay: utcDay(now - config.lookbackDays * 86_400_000),
      pageSize: config.pageSize,
      persons: config.persons,
    }),
    'trackingLogRcp',
  );

  const rejects = new RejectionLog();
  const events: EventInput[] = [];
  let lastId = cur.lastId;
  const deliveryIds = new Set<string>();
  for (const raw of rows) {
    // Every row moves the cursor, a rejected one too: it would be rejected again on every run.
    const rawId = (raw as XmlNode | undefined)?.id;
    if (typeof rawId === 'string' && DIGITS.test(rawId)) lastId = maxId(lastId, rawId);
    const r = logRowSchema.safeParse(raw);
    if (!r.success) {
      rejects.addZod(r.error, raw);
      continue;
    }
    const row = r.data;
    const type = adobeEventType(row.url?.type, row['url-id']);
    if (type === undefined) {
      rejects.add(`url type ${row.url?.type ?? '(none)'} is not an email tracking type`, raw);
      continue;
    }
    const recipient = row.recipient?.email || row['recipient-id'];
    if (!recipient) {
      rejects.add('recipient: no email or recipient id', raw);
      continue;
    }
    const e: EventInput = { id: row.id, deliveryExtId: row['delivery-id'], recipient, type, time: parseAdobeTime(row.logDate) };
    if (row['url-id']) e.urlExtId = row['url-id'];
    if (row.url?.source) e.url = row.url.source;
    if (row.sourceId) e.person = row.sourceId;
    events.push(e);
    deliveryIds.add(row['delivery-id']);
  }

  const known = { ...cur.known };
  const stale = [...deliveryIds].filter((d) => !(known[d]! > now - DELIVERY_REFRESH_MS));
  const details = stale.length ? await readDeliveries(client, stale, rejects) : { deliveries: [], urls: [], fetched: 0 };
  for (const d of stale) known[d] = now;
  const entries = Object.entries(known);
  const keep = entries.length > MAX_KNOWN ? Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_KNOWN)) : known;

  const next: AdobeCursor = { v: 1, lastId, known: keep };
  return {
    records: { deliveries: details.deliveries, urls: details.urls, events },
    rejected: rejects.samples,
    rejectedCount: rejects.count,
    nextCursor: JSON.stringify(next),
    done: rows.length < config.pageSize,
    fetched: rows.length + details.fetched,
    bytes: client.bytes,
  };
}

/** The adapter, with the HTTP limits of its use (a "Test connection" answers fast, a run rides out rate limits). */
export function createAdobeSource(options: ProviderHttpOptions = {}): SourceAdapter {
  return { kind: ADOBE_KIND, fetchPage: (ctx) => fetchPage(ctx, options) };
}

export const adobeSource: SourceAdapter = createAdobeSource();

/**
 * "Test connection": logs on (a fresh Logon, so a changed password is checked) and counts the deliveries with
 * tracking logs in the lookback on a first page. Throws a SourceError: `credentials-missing`/`credentials-invalid`,
 * `login-failed`, `wrong-instance` (404, or an answer that is not SOAP), `operator-lacks-right`, `soap-fault`,
 * `rate-limited`, `network`, …
 */
export async function testAdobeConnection(ctx: ConnectionContext): Promise<ConnectionSummary> {
  const config = parseSourceConfig(adobeConfigSchema, ctx.config);
  const secret = secretFieldsFor(adobeSecretSchema, ctx);
  const client = new Client(withNote(ctx), config, secret);
  client.forget();
  await client.logon();
  const rows = await client.query(
    trackingLogQuery({ lastId: null, sinceDay: utcDay(ctx.now() - config.lookbackDays * 86_400_000), pageSize: 200, persons: false }),
    'trackingLogRcp',
  );
  const deliveries = new Set(rows.map((r) => (r as XmlNode | undefined)?.['delivery-id']).filter((d) => typeof d === 'string' && DIGITS.test(d)));
  return { host: client.host, account: secret.login, deliveries: deliveries.size, events: rows.length };
}

/** The same, under the name every provider module uses (`import * as provider`; `provider.testConnection(ctx)`). */
export const testConnection = testAdobeConnection;
