import Papa from 'papaparse';
import { z } from 'zod';
import { regexes, type $ZodRawIssue } from 'zod/v4/core';
import type { EventTypeCode } from '../event-types';
import {
  FEED_LIMITS,
  FEED_MAX_TIME,
  FEED_MIN_TIME,
  MAX_REJECTED_SAMPLES_PER_PAGE,
  SAMPLE_CHARS,
  isoToMs,
  plainUtcIsoAt,
} from './record-limits';
import { detached } from '../workflow/strings';
import { yieldToEventLoop } from '../workflow/yield';
import { deliveryInputSchema, SourceError, type DeliveryInput, type EventInput, type PageRecords, type Rejection, type TrackedUrlInput } from './source';
import {
  MACHINE,
  MACHINE_GIVEN,
  PackedEventsBuilder,
  plainJsonText,
  PROXY,
  PROXY_GIVEN,
  SPAN_DELIVERY,
  SPAN_FIELDS,
  SPAN_HREF,
  SPAN_ID,
  SPAN_IP,
  SPAN_PERSON,
  SPAN_RECIPIENT,
  SPAN_URL,
  SPAN_USER_AGENT,
  unpackEvents,
} from './packed-events';

/**
 * # Tracking log feed: the wire format
 *
 * This module is the single source of truth for the feed format (the README describes it
 * from here). A feed body is either
 *
 * - **NDJSON**: one JSON object per line (`\n` or `\r\n`; blank lines are skipped), or one JSON array of objects;
 * - **CSV**: a header row naming the fields, one record per row (see {@link parseCsv}).
 *
 * Every record has a `kind`: `"delivery"` (one send of one email), `"url"` (a tracked link of a delivery) or
 * `"event"` (one open, click, …). Records of all kinds may be mixed in any order; an event may come before its
 * delivery (a placeholder delivery is made and filled in later).
 *
 * - Fields not listed here are ignored, so a feed may carry more.
 * - An optional field may be left out or be `null` (in CSV: an empty cell).
 * - Times are ISO 8601 / RFC 3339 date-times with seconds and an offset (`2026-11-20T09:00:00Z`,
 *   `2026-11-20T10:00:00.250+01:00`) or epoch **milliseconds** (`1795165200000`), between 2000 and 2100.
 * - Event and tracked-URL types are names (`click`, `open`, `opt-out`, `web`, `transaction`, `mirror`) or their
 *   codes 1–6 (Adobe Campaign's `nms:trackingUrl/@type`), see {@link FEED_TYPE_NAMES}.
 * - Strings are capped ({@link FEED_LIMITS}); a record that breaks any rule is rejected on its own (counted, a few
 *   kept as samples with the reason, e.g. `time: not a date`), and the rest of the page is ingested.
 */

// Limits, time range and the ISO parser live in record-limits.ts (shared with the provider adapters without
// pulling papaparse into every page); re-exported here, where the feed format is defined.
export {
  FEED_LIMITS,
  FEED_MAX_TIME,
  FEED_MIN_TIME,
  MAX_REJECTED_SAMPLES_PER_PAGE,
  SAMPLE_CHARS,
  isoToMs,
} from './record-limits';

/** Type names in the feed, by code (the store keeps the code). */
export const FEED_TYPE_NAMES = ['click', 'open', 'opt-out', 'web', 'transaction', 'mirror'] as const;
export type FeedTypeName = (typeof FEED_TYPE_NAMES)[number];
const TYPE_CODES: ReadonlyMap<string, EventTypeCode> = new Map(
  FEED_TYPE_NAMES.map((name, i) => [name, (i + 1) as EventTypeCode]),
);

// ---------------------------------------------------------------------------------------------------------------
// Field schemas (built once; the per-record path must not allocate schemas or closures)

const required = (what: string) => (iss: $ZodRawIssue) => (iss.input === undefined ? 'required' : what);

const extId = z.string().min(1).max(FEED_LIMITS.id);
const count = z.int().nonnegative();
const typeSchema = z
  .union([z.enum(FEED_TYPE_NAMES), z.literal([1, 2, 3, 4, 5, 6])], {
    error: required('expected click, open, opt-out, web, transaction, mirror or 1-6'),
  })
  .describe('Type: click, open, opt-out, web, transaction, mirror, or the code 1-6.');
const timeSchema = z
  .union(
    [
      z.iso.datetime({ offset: true, error: 'not a date (ISO 8601 with seconds and Z or ±hh:mm, or epoch ms)' }),
      z
        .int({ error: 'not a date (epoch ms must be a whole number)' })
        .min(FEED_MIN_TIME, { error: 'before 2000 (epoch seconds instead of milliseconds?)' })
        .max(FEED_MAX_TIME, { error: 'after 2099' }),
    ],
    { error: required('not a date (ISO 8601 with offset, or epoch ms)') },
  )
  .describe('ISO 8601 date-time with seconds and Z or ±hh:mm, or epoch milliseconds.');

// ---------------------------------------------------------------------------------------------------------------
// Record schemas

/** `kind: "delivery"`: one send of one email. Maps to {@link DeliveryInput}. */
export const feedDeliverySchema = z.object({
  kind: z.literal('delivery'),
  id: extId.describe("The feed's delivery id; events and URLs refer to it."),
  label: z.string().max(FEED_LIMITS.label).describe('Name shown in lists.'),
  subject: z.string().max(FEED_LIMITS.subject).nullish(),
  sentAt: timeSchema.nullish().describe('Send date.'),
  tracking: z.boolean().describe('Whether opens and clicks are tracked for this delivery.'),
  toDeliver: count.nullish().describe('Messages to deliver.'),
  delivered: count.nullish().describe('Messages delivered.'),
  textOnly: count.nullish().describe('Text-only messages (no open pixel: their opens cannot be seen).'),
  deliveredByDomain: deliveryInputSchema.shape.deliveredByDomain
    .nullish()
    .describe('Messages delivered per recipient domain: the base of the per-domain open and click-through rates.'),
  html: z.string().max(FEED_LIMITS.html).nullish().describe('The HTML as sent (hot clicks). Never rendered unsandboxed.'),
});

/** `kind: "url"`: a tracked URL of a delivery. Maps to {@link TrackedUrlInput}. */
export const feedUrlSchema = z.object({
  kind: z.literal('url'),
  delivery: extId.describe('The delivery id.'),
  id: extId.describe("The feed's URL id, unique within the delivery; events refer to it in `url`."),
  type: typeSchema,
  url: z.string().max(FEED_LIMITS.url).describe('The target URL.'),
  label: z.string().max(FEED_LIMITS.label).nullish(),
  category: z.string().max(FEED_LIMITS.category).nullish(),
  occurrence: count.nullish().describe('0-based index of this link among the links of the HTML.'),
});

/** `kind: "event"`: one tracking event. Maps to {@link EventInput}. */
export const feedEventSchema = z.object({
  kind: z.literal('event'),
  id: extId.describe('Unique event id within the feed: re-sent events with the same id are stored once.'),
  delivery: extId.describe('The delivery id.'),
  recipient: z.string().min(1).max(FEED_LIMITS.recipient).describe('Email address or recipient id.'),
  type: typeSchema,
  time: timeSchema,
  url: extId.nullish().describe('Id of the tracked URL (a `url` record), for clicks, opt-outs, mirror pages.'),
  href: z.string().max(FEED_LIMITS.url).nullish().describe('The clicked URL, when there is no URL id (or as well).'),
  userAgent: z.string().max(FEED_LIMITS.userAgent).nullish(),
  ip: z.string().max(FEED_LIMITS.ip).nullish(),
  person: z.string().max(FEED_LIMITS.person).nullish().describe('Browser/visitor id, for distinct persons.'),
  machine: z.boolean().nullish().describe('The provider says a machine made this event.'),
  proxy: z.boolean().nullish().describe('A privacy proxy fetched the pixel (Apple Mail Privacy Protection, …).'),
});

/** Any feed record (for documentation and slow paths; the parser dispatches on `kind` itself). */
export const feedRecordSchema = z.discriminatedUnion('kind', [feedDeliverySchema, feedUrlSchema, feedEventSchema]);

/** A record as written in a feed (what a feed producer, or the test fixture, writes). */
export type FeedDelivery = z.input<typeof feedDeliverySchema>;
export type FeedUrl = z.input<typeof feedUrlSchema>;
export type FeedEvent = z.input<typeof feedEventSchema>;
export type FeedRecord = FeedDelivery | FeedUrl | FeedEvent;

// ---------------------------------------------------------------------------------------------------------------
// Normalising

type EventOut = z.output<typeof feedEventSchema>;

/** Epoch ms of a schema-valid time, NaN when out of range. */
function timeOf(t: string | number): number {
  const ms = typeof t === 'number' ? t : isoToMs(t);
  return ms >= FEED_MIN_TIME && ms <= FEED_MAX_TIME ? ms : Number.NaN;
}

function codeOf(type: FeedTypeName | number): EventTypeCode {
  return typeof type === 'number' ? (type as EventTypeCode) : TYPE_CODES.get(type)!;
}

/** A validated event record as an {@link EventInput}, or a rejection reason. */
function toEventInput(o: EventOut): EventInput | string {
  const time = timeOf(o.time);
  if (Number.isNaN(time)) return 'time: out of range (2000-2099)';
  return {
    id: o.id,
    deliveryExtId: o.delivery,
    recipient: o.recipient,
    type: codeOf(o.type),
    time,
    urlExtId: o.url ?? undefined,
    url: o.href ?? undefined,
    userAgent: o.userAgent ?? undefined,
    ip: o.ip ?? undefined,
    person: o.person ?? undefined,
    machine: o.machine ?? undefined,
    proxy: o.proxy ?? undefined,
  };
}

function toDeliveryInput(o: z.output<typeof feedDeliverySchema>): DeliveryInput | string {
  const out: DeliveryInput = { extId: o.id, label: o.label, trackingEnabled: o.tracking };
  if (o.subject != null) out.subject = o.subject;
  if (o.sentAt != null) {
    const sentAt = timeOf(o.sentAt);
    if (Number.isNaN(sentAt)) return 'sentAt: out of range (2000-2099)';
    out.sentAt = sentAt;
  }
  if (o.toDeliver != null) out.toDeliver = o.toDeliver;
  if (o.delivered != null) out.delivered = o.delivered;
  if (o.textOnly != null) out.textOnly = o.textOnly;
  if (o.deliveredByDomain != null) out.deliveredByDomain = o.deliveredByDomain;
  if (o.html != null) out.html = o.html;
  return out;
}

function toUrlInput(o: z.output<typeof feedUrlSchema>): TrackedUrlInput {
  const out: TrackedUrlInput = { deliveryExtId: o.delivery, extId: o.id, type: codeOf(o.type), url: o.url };
  if (o.label != null) out.label = o.label;
  if (o.category != null) out.category = o.category;
  if (o.occurrence != null) out.occurrence = o.occurrence;
  return out;
}

// The hot path. `feedEventSchema.safeParse` costs ~0.8 µs per event when zod cannot compile its parsers (an MV3
// extension forbids eval, so zod runs "jitless" there), as much as JSON.parse itself. So an event first meets
// `plainEvent`, a hand-written check-and-convert that accepts a strict SUBSET of what feedEventSchema accepts (no
// nulls, nothing to coerce) and builds the EventInput in the same pass (each field of a JSON-parsed object is read
// once: with records of varying shapes those reads are megamorphic, the main cost). Whatever it does not accept
// goes through the schema (`eventFromSchema`), which decides and words the reason.
// test/unit/lib/sources/feed-format.test.ts checks that the two agree.
const ISO_DATETIME: RegExp = regexes.datetime({ offset: true });

function optString(v: unknown, max: number): boolean {
  return v === undefined || (typeof v === 'string' && v.length <= max);
}
function optBoolean(v: unknown): boolean {
  return v === undefined || typeof v === 'boolean';
}

/**
 * The EventInput of `o` (a record with `kind: "event"`) when it is a plain valid event, else undefined, meaning
 * "ask the schema" (it may still be valid, e.g. with nulls, or not: the schema says why).
 */
export function plainEvent(o: Record<string, unknown>): EventInput | undefined {
  const { id, delivery, recipient, type, time, url, href, userAgent, ip, person, machine, proxy } = o;
  if (!checkEvent(id, delivery, recipient, type, time, url, href, userAgent, ip, person, machine, proxy)) return undefined;
  return {
    id: id as string,
    deliveryExtId: delivery as string,
    recipient: recipient as string,
    type: checked.code,
    time: checked.time,
    urlExtId: url as string | undefined,
    url: href as string | undefined,
    userAgent: userAgent as string | undefined,
    ip: ip as string | undefined,
    person: person as string | undefined,
    machine: machine as boolean | undefined,
    proxy: proxy as boolean | undefined,
  };
}

/** What {@link checkEvent} found valid: the event's type code and time (epoch ms). */
const checked = { code: 0 as EventTypeCode, time: 0 };

/**
 * Whether an event's fields, read by the caller (a parsed object's, or {@link scanEventLineInto}'s), make a plain
 * valid event ({@link plainEvent}); when they do, its type code and time are left in `checked`.
 */
function checkEvent(
  id: unknown,
  delivery: unknown,
  recipient: unknown,
  type: unknown,
  t: unknown,
  url: unknown,
  href: unknown,
  userAgent: unknown,
  ip: unknown,
  person: unknown,
  machine: unknown,
  proxy: unknown,
): boolean {
  if (typeof id !== 'string' || id.length === 0 || id.length > FEED_LIMITS.id) return false;
  if (typeof delivery !== 'string' || delivery.length === 0 || delivery.length > FEED_LIMITS.id) return false;
  if (typeof recipient !== 'string' || recipient.length === 0 || recipient.length > FEED_LIMITS.recipient) {
    return false;
  }
  let code: EventTypeCode | undefined;
  if (typeof type === 'string') code = TYPE_CODES.get(type);
  else if (type === 1 || type === 2 || type === 3 || type === 4 || type === 5 || type === 6) code = type;
  if (code === undefined) return false;
  let time: number;
  if (typeof t === 'string') {
    if (!ISO_DATETIME.test(t)) return false;
    time = isoToMs(t);
  } else if (typeof t === 'number' && Number.isSafeInteger(t)) time = t;
  else return false;
  if (!(time >= FEED_MIN_TIME && time <= FEED_MAX_TIME)) return false;
  if (url !== undefined && (typeof url !== 'string' || url.length === 0 || url.length > FEED_LIMITS.id)) {
    return false;
  }
  if (
    !optString(href, FEED_LIMITS.url) ||
    !optString(userAgent, FEED_LIMITS.userAgent) ||
    !optString(ip, FEED_LIMITS.ip) ||
    !optString(person, FEED_LIMITS.person) ||
    !optBoolean(machine) ||
    !optBoolean(proxy)
  ) {
    return false;
  }
  checked.code = code;
  checked.time = time;
  return true;
}

/**
 * Reads the event on `body[start, end)` without JSON.parse and adds it to the page's columns `sink` (true) when the
 * line is a flat JSON object that {@link plainEvent} would accept; else false, and the caller goes the general way
 * (JSON.parse, then PageCollector.add), which decides and words any rejection. A quote is taken to end a string, so
 * no string may hold an escape: every string it keeps or skips is checked to hold no backslash and no control
 * character (`plainJsonText`: a raw one is invalid JSON), and those it only compares whole (known keys, the kind, the
 * type name, a time) cannot hold one and match. A repeated agent, URL or delivery is checked once per page
 * (packed-events.ts). This replaced a search of the whole body for such characters (~0.2 µs per event); with the
 * strings kept as spans of the body until they are stored, and UTC times read in place (plainUtcIsoAt), a page of the
 * bench's events parsed in ~1.2 µs per event instead of ~1.35 in Node (alternating runs of a bundled build).
 *
 * Why: JSON.parse builds an object per line (a fresh copy of every string, a property lookup per field) that dies
 * young. Reading the fields straight into an EventInput took ~20 % off the worker's time to read a page in a
 * profiled 1 M-event ingest (~1.5 s → ~1.2 s, the check for special characters included), and ingest went from
 * ~192 000 to ~202 000 events/s in alternating runs, with JSON.parse still the judge of every line this does not
 * take. The fields go into the columns as they are, with no event object (./packed-events.ts).
 *
 * It takes only what it fully understands: `{`, then `"key":value` pairs separated by `,` with no whitespace, values
 * that are strings, integers of at most 15 digits (no sign, fraction or exponent), `true` or `false`, then `}` at the
 * line's end. Anything else, including `null`, a nested value or trailing text, is left to JSON.parse. Keys it does
 * not know are ignored, as the format says; of a key given twice the last value counts, as in JSON.parse.
 * test/unit/lib/sources/feed-format.test.ts checks that both ways agree, line by line.
 *
 * The strings are slices of `body`: in V8 they keep the whole body alive while they live. The store copies any it
 * keeps past the page (lib/workflow/strings.ts `detached`).
 */
export function scanEventLineInto(body: string, start: number, end: number, sink: PackedEventsBuilder): boolean {
  if (body.charCodeAt(start) !== 0x7b /* { */) return false;
  // String fields as spans of `body` (SPAN_AT[f] -1: absent, -2: given but not a string); the rest by kind.
  const at = SPAN_AT;
  const to = SPAN_TO;
  for (let f = 0; f < SPAN_FIELDS; f++) at[f] = -1;
  let kindOk = false;
  let typeKind = NONE;
  let typeAt = 0;
  let typeTo = 0;
  let typeNum = 0;
  let timeKind = NONE;
  let timeAt = 0;
  let timeTo = 0;
  let timeNum = 0;
  let machine = NONE;
  let proxy = NONE;
  let i = start + 1;
  for (;;) {
    if (body.charCodeAt(i) !== 0x22 /* " */) return false;
    const keyStart = i + 1;
    const keyEnd = body.indexOf('"', keyStart);
    if (keyEnd < 0 || keyEnd >= end) return false;
    i = keyEnd + 1;
    if (body.charCodeAt(i) !== 0x3a /* : */) return false;
    i++;
    const c = body.charCodeAt(i);
    // The value: a string's span [vs, ve), or a number, true or false.
    let kind: number;
    let vs = 0;
    let ve = 0;
    let n = 0;
    if (c === 0x22) {
      const valueEnd = body.indexOf('"', i + 1);
      if (valueEnd < 0 || valueEnd >= end) return false;
      kind = STRING;
      vs = i + 1;
      ve = valueEnd;
      i = valueEnd + 1;
    } else if (c >= 0x31 && c <= 0x39 /* 1-9: no leading zero, no sign */) {
      n = c - 0x30;
      let j = i + 1;
      for (let d = body.charCodeAt(j); d >= 0x30 && d <= 0x39; d = body.charCodeAt(++j)) n = n * 10 + d - 0x30;
      // Exact up to 15 digits. A fraction or an exponent fails the `,` / `}` check below.
      if (j - i > 15) return false;
      kind = NUMBER;
      i = j;
    } else if (c === 0x74 && body.startsWith('true', i)) {
      kind = TRUE;
      i += 4;
    } else if (c === 0x66 && body.startsWith('false', i)) {
      kind = FALSE;
      i += 5;
    } else {
      return false;
    }
    // A key given twice: the last value wins, as in JSON.parse.
    const slot = fieldSlot(body, keyStart, keyEnd - keyStart);
    if (slot >= 0) {
      at[slot] = kind === STRING ? vs : -2;
      to[slot] = ve;
    } else if (slot === KIND) {
      kindOk = kind === STRING && ve - vs === 5 && body.startsWith('event', vs);
    } else if (slot === TYPE) {
      typeKind = kind;
      typeAt = vs;
      typeTo = ve;
      typeNum = n;
    } else if (slot === TIME) {
      timeKind = kind;
      timeAt = vs;
      timeTo = ve;
      timeNum = n;
    } else if (slot === MACHINE_FIELD) {
      machine = kind;
    } else if (slot === PROXY_FIELD) {
      proxy = kind;
    } else if (!plainJsonText(body, keyStart, keyEnd) || (kind === STRING && !plainJsonText(body, vs, ve))) {
      // A key the format ignores: an escape could still spell a known one ("\u0069d"), or hide a quote.
      return false;
    }
    const d = body.charCodeAt(i);
    if (d === 0x2c /* , */) {
      i++;
      continue;
    }
    if (d !== 0x7d /* } */ || i + 1 !== end) return false;
    break;
  }
  // The checks of checkEvent, on the spans.
  if (!kindOk) return false;
  const idLen = to[SPAN_ID]! - at[SPAN_ID]!;
  const deliveryLen = to[SPAN_DELIVERY]! - at[SPAN_DELIVERY]!;
  const recipientLen = to[SPAN_RECIPIENT]! - at[SPAN_RECIPIENT]!;
  if (at[SPAN_ID]! < 0 || idLen === 0 || idLen > FEED_LIMITS.id) return false;
  if (at[SPAN_DELIVERY]! < 0 || deliveryLen === 0 || deliveryLen > FEED_LIMITS.id) return false;
  if (at[SPAN_RECIPIENT]! < 0 || recipientLen === 0 || recipientLen > FEED_LIMITS.recipient) return false;
  const urlAt = at[SPAN_URL]!;
  if (urlAt !== -1 && (urlAt < 0 || to[SPAN_URL] === urlAt || to[SPAN_URL]! - urlAt > FEED_LIMITS.id)) return false;
  if (
    !optSpan(SPAN_HREF, FEED_LIMITS.url) ||
    !optSpan(SPAN_USER_AGENT, FEED_LIMITS.userAgent) ||
    !optSpan(SPAN_IP, FEED_LIMITS.ip) ||
    !optSpan(SPAN_PERSON, FEED_LIMITS.person)
  ) {
    return false;
  }
  let code = 0;
  if (typeKind === STRING) code = typeCodeAt(body, typeAt, typeTo);
  else if (typeKind === NUMBER && typeNum <= 6) code = typeNum;
  if (code === 0) return false;
  let time: number;
  if (timeKind === STRING) {
    time = plainUtcIsoAt(body, timeAt, timeTo);
    if (Number.isNaN(time)) {
      const t = body.slice(timeAt, timeTo);
      if (!ISO_DATETIME.test(t)) return false;
      time = isoToMs(t);
    }
  } else if (timeKind === NUMBER) time = timeNum;
  else return false;
  if (!(time >= FEED_MIN_TIME && time <= FEED_MAX_TIME)) return false;
  let flags = 0;
  if (machine === TRUE) flags |= MACHINE | MACHINE_GIVEN;
  else if (machine === FALSE) flags |= MACHINE_GIVEN;
  else if (machine !== NONE) return false;
  if (proxy === TRUE) flags |= PROXY | PROXY_GIVEN;
  else if (proxy === FALSE) flags |= PROXY_GIVEN;
  else if (proxy !== NONE) return false;
  return sink.pushSpans(body, at, to, code as EventTypeCode, time, flags);
}

// What a scanned value is.
const NONE = 0;
const STRING = 1;
const NUMBER = 2;
const TRUE = 3;
const FALSE = 4;
/** Spans of the line being scanned (one line at a time, so shared). */
const SPAN_AT = new Int32Array(SPAN_FIELDS);
const SPAN_TO = new Int32Array(SPAN_FIELDS);

/** Whether optional string field `f` of the scanned line is absent or a string of at most `max` code units. */
function optSpan(f: number, max: number): boolean {
  const from = SPAN_AT[f]!;
  return from === -1 || (from >= 0 && SPAN_TO[f]! - from <= max);
}

/** The code of the event type named by `body[from, to)`, 0 when it names none. */
function typeCodeAt(body: string, from: number, to: number): number {
  const len = to - from;
  for (let k = 0; k < FEED_TYPE_NAMES.length; k++) {
    const name = FEED_TYPE_NAMES[k]!;
    if (name.length === len && body.startsWith(name, from)) return k + 1;
  }
  return 0;
}

/** {@link scanEventLineInto} returning the event as an object (tests compare it with the general way's). */
export function scanEventLine(body: string, start: number, end: number): EventInput | undefined {
  const columns = new PackedEventsBuilder();
  return scanEventLineInto(body, start, end, columns) ? unpackEvents(columns.finish())[0] : undefined;
}


// The fields of an event that are not SPAN_* slots, as fieldSlot names them (negative; IGNORED for unknown keys).
const KIND = -1;
const TYPE = -2;
const TIME = -3;
const MACHINE_FIELD = -4;
const PROXY_FIELD = -5;
const IGNORED = -6;

/** The slot of the event field named by `body[at, at + length)`: a SPAN_* slot, or one of KIND … IGNORED. */
function fieldSlot(body: string, at: number, length: number): number {
  switch (length) {
    case 2:
      return body.startsWith('id', at) ? SPAN_ID : body.startsWith('ip', at) ? SPAN_IP : IGNORED;
    case 3:
      return body.startsWith('url', at) ? SPAN_URL : IGNORED;
    case 4:
      return body.startsWith('kind', at) ? KIND : body.startsWith('type', at) ? TYPE : body.startsWith('time', at) ? TIME
        : body.startsWith('href', at) ? SPAN_HREF : IGNORED;
    case 5:
      return body.startsWith('proxy', at) ? PROXY_FIELD : IGNORED;
    case 6:
      return body.startsWith('person', at) ? SPAN_PERSON : IGNORED;
    case 7:
      return body.startsWith('machine', at) ? MACHINE_FIELD : IGNORED;
    case 8:
      return body.startsWith('delivery', at) ? SPAN_DELIVERY : IGNORED;
    case 9:
      return body.startsWith('recipient', at) ? SPAN_RECIPIENT : body.startsWith('userAgent', at) ? SPAN_USER_AGENT : IGNORED;
    default:
      return IGNORED;
  }
}

export function eventFromSchema(o: unknown): EventInput | string {
  const r = feedEventSchema.safeParse(o, PARSE_PARAMS);
  return r.success ? toEventInput(r.data) : reasonOf(r.error);
}

/** Short, untranslated reasons for the run log ("time: not a date", "recipient: required"). */
function shortMessage(iss: $ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return 'required';
      const got = iss.input === null ? 'null' : Array.isArray(iss.input) ? 'array' : typeof iss.input;
      const expected = iss.expected === 'int' ? 'whole number' : iss.expected;
      return `expected ${expected}, got ${got}`;
    }
    case 'too_big':
      return iss.origin === 'string' ? `too long (max ${String(iss.maximum)} characters)` : `too large (max ${String(iss.maximum)})`;
    case 'too_small':
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? 'empty' : `too short (min ${String(iss.minimum)})`;
      return `too small (min ${String(iss.minimum)})`;
    case 'invalid_value':
      return `expected ${iss.values.map((v) => String(v)).join(', ')}`;
    default:
      return undefined;
  }
}
const PARSE_PARAMS = { error: shortMessage } as const;

function reasonOf(error: z.ZodError): string {
  const iss = error.issues[0];
  if (!iss) return 'invalid record';
  const path = iss.path.map(String).join('.');
  return path ? `${path}: ${iss.message}` : iss.message;
}

/** Most distinct user agents a page shares ({@link PageCollector}); past it, each event keeps its own string. */
const MAX_SHARED_AGENTS = 4096;

/**
 * Collects one page's records: validates, normalises, counts rejections and keeps a few samples.
 * {@link PageCollector.add} returns undefined when the record went in, else the reason to pass to `reject`.
 */
export class PageCollector {
  readonly deliveries: DeliveryInput[] = [];
  readonly urls: TrackedUrlInput[] = [];
  /** The events, when collected as objects (an import's batches); empty when collected in columns. */
  readonly events: EventInput[] = [];
  /**
   * The events in columns, when the collector was made so (the HTTP feed's pages and imports: ./packed-events.ts).
   * The line scanner ({@link scanEventLineInto}) adds to them directly.
   */
  readonly packed: PackedEventsBuilder | undefined;
  readonly rejected: Rejection[] = [];
  rejectedCount = 0;
  /**
   * One string object per distinct user agent of the page: each parsed line brings its own copy of a ~100-character
   * string that would otherwise be kept for every event until the page is stored (~100 MB per million events).
   * With one copy kept, the parsed copies die young, and the store's agent lookup is mostly a pointer compare.
   */
  private readonly agents = new Map<string, string>();

  constructor(
    private readonly maxSamples: number = MAX_REJECTED_SAMPLES_PER_PAGE,
    { packed = false }: { packed?: boolean } = {},
  ) {
    this.packed = packed ? new PackedEventsBuilder() : undefined;
  }

  /** Events collected so far. */
  get eventCount(): number {
    return this.packed ? this.packed.n : this.events.length;
  }

  private agent(ua: string): string {
    const kept = this.agents.get(ua);
    if (kept !== undefined) return kept;
    if (this.agents.size < MAX_SHARED_AGENTS) this.agents.set(ua, ua);
    return ua;
  }

  add(rec: unknown): string | undefined {
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return 'not a JSON object';
    const o = rec as Record<string, unknown>;
    const kind = o.kind;
    if (kind === 'event') {
      const e = plainEvent(o) ?? eventFromSchema(o);
      if (typeof e === 'string') return e;
      this.addEvent(e);
      return undefined;
    }
    if (kind === 'url') {
      const r = feedUrlSchema.safeParse(o, PARSE_PARAMS);
      if (!r.success) return reasonOf(r.error);
      this.urls.push(toUrlInput(r.data));
      return undefined;
    }
    if (kind === 'delivery') {
      const r = feedDeliverySchema.safeParse(o, PARSE_PARAMS);
      if (!r.success) return reasonOf(r.error);
      const d = toDeliveryInput(r.data);
      if (typeof d === 'string') return d;
      this.deliveries.push(d);
      return undefined;
    }
    return kind === undefined || kind === null ? 'kind: required' : 'kind: expected event, url or delivery';
  }

  /** Adds an event already validated ({@link plainEvent}, {@link eventFromSchema} or {@link scanEventLine}). */
  addEvent(e: EventInput): void {
    if (this.packed) {
      // The agent column keeps one string per distinct agent by itself.
      this.packed.pushEvent(e);
      return;
    }
    if (e.userAgent !== undefined) e.userAgent = this.agent(e.userAgent);
    this.events.push(e);
  }

  reject(reason: string, sample: string): void {
    this.rejectedCount++;
    // A copy: a sample cut from the body would keep the whole body alive as long as the run log holds it.
    if (this.rejected.length < this.maxSamples) this.rejected.push({ reason, sample: detached(sample.slice(0, SAMPLE_CHARS)) });
  }

  get records(): PageRecords {
    return { deliveries: this.deliveries, urls: this.urls, events: this.packed ? this.packed.finish() : this.events };
  }
}

/** What a body holds once parsed. `fetched` counts records (non-blank lines / rows), valid and rejected. */
export interface ParsedBody {
  records: PageRecords;
  rejected: Rejection[];
  rejectedCount: number;
  fetched: number;
}

function finish(c: PageCollector, fetched: number): ParsedBody {
  return { records: c.records, rejected: c.rejected, rejectedCount: c.rejectedCount, fetched };
}

/** Index of the first character that is not whitespace or a BOM. */
function firstContent(body: string): number {
  let i = 0;
  while (i < body.length) {
    const ch = body.charCodeAt(i);
    if (ch !== 0x20 && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d && ch !== 0xfeff) break;
    i++;
  }
  return i;
}

/** Throws 'unparseable' when the body is HTML (an error or login page) rather than a feed. */
function refuseHtml(body: string, start: number): void {
  if (body.charCodeAt(start) === 0x3c /* < */) {
    throw new SourceError('unparseable', { detail: 'an HTML page, not a feed' }, 'unparseable: HTML body');
  }
}

/** Lines an NDJSON body is read in between two turns of the event loop ({@link parseNdjsonAsync}). */
export const NDJSON_LINES_PER_TURN = 8192;

/**
 * Reads an NDJSON body a slice of lines at a time (or a body that is one JSON array of records, at once).
 *
 * Lines are parsed one by one: on V8 that beats `JSON.parse('[' + lines joined with ',' + ']')` by ~2× (no
 * giant joined string to build and flatten), and a bad line costs nothing extra. More than half of the non-blank
 * lines not being JSON means the body is not a feed at all: SourceError 'unparseable'.
 */
class NdjsonReader {
  private readonly c: PageCollector;
  /** The collector's columns, which scanned lines go straight into. */
  private readonly columns: PackedEventsBuilder;
  private p: number;
  private lines = 0;
  private notJson = 0;
  private whole: unknown[] | undefined;

  constructor(
    private readonly body: string,
    maxSamples: number,
  ) {
    this.c = new PageCollector(maxSamples, { packed: true });
    this.columns = this.c.packed!;
    this.p = firstContent(body);
    if (this.p >= body.length) return;
    refuseHtml(body, this.p);
    if (body.charCodeAt(this.p) === 0x5b /* [ */) {
      this.whole = parseJsonArray(body);
      if (this.whole) {
        for (const rec of this.whole) {
          const why = this.c.add(rec);
          if (why !== undefined) this.c.reject(why, JSON.stringify(rec) ?? String(rec));
        }
        this.p = body.length;
      }
    }
  }

  /** Reads up to `maxLines` more lines; true when the body is read to its end. */
  step(maxLines: number): boolean {
    const { body, c } = this;
    const n = body.length;
    let p = this.p;
    for (let k = 0; k < maxLines && p < n; k++) {
      let e = body.indexOf('\n', p);
      if (e < 0) e = n;
      // A plain event line is read without JSON.parse (scanEventLine); anything else goes the general way below.
      if (scanEventLineInto(body, p, e, this.columns)) {
        this.lines++;
        p = e + 1;
        continue;
      }
      const ch = body.charCodeAt(p);
      // Blank lines (and a lone \r) are skipped; trim() only runs when the line starts with whitespace.
      if (e === p || ((ch === 0x20 || ch === 0x09 || ch === 0x0d) && body.slice(p, e).trim() === '')) {
        p = e + 1;
        continue;
      }
      this.lines++;
      const line = body.slice(p, e);
      p = e + 1;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        this.notJson++;
        c.reject('not valid JSON', line);
        continue;
      }
      const why = c.add(rec);
      if (why !== undefined) c.reject(why, line);
    }
    this.p = p;
    return p >= n;
  }

  result(): ParsedBody {
    if (this.whole) return finish(this.c, this.whole.length);
    if (this.notJson * 2 > this.lines) {
      throw new SourceError(
        'unparseable',
        { detail: `${this.notJson} of ${this.lines} lines are not JSON` },
        'unparseable: not NDJSON',
      );
    }
    return finish(this.c, this.lines);
  }
}

/** Parses an NDJSON body at once (see {@link NdjsonReader}). */
export function parseNdjson(body: string, maxSamples: number = MAX_REJECTED_SAMPLES_PER_PAGE): ParsedBody {
  const reader = new NdjsonReader(body, maxSamples);
  reader.step(Number.POSITIVE_INFINITY);
  return reader.result();
}

/**
 * Parses an NDJSON body, giving the event loop a turn every {@link NDJSON_LINES_PER_TURN} lines: the tracking
 * workflow parses the next page while the previous one is being written, and that write (and the reads queued
 * behind it) needs turns of the same thread to finish.
 */
export async function parseNdjsonAsync(
  body: string,
  maxSamples: number = MAX_REJECTED_SAMPLES_PER_PAGE,
): Promise<ParsedBody> {
  const reader = new NdjsonReader(body, maxSamples);
  while (!reader.step(NDJSON_LINES_PER_TURN)) await yieldToEventLoop();
  return reader.result();
}

function parseJsonArray(body: string): unknown[] | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

/**
 * How CSV cells become JSON values, by column (the column names are the JSON field names). Cells of other columns
 * stay strings; an empty cell is an absent field. A cell that does not convert stays a string, so the record is
 * rejected with the schema's reason (e.g. `toDeliver: expected number, got string`).
 */
const CSV_CELL: Readonly<Record<string, 'number' | 'boolean' | 'numberOrString'>> = {
  toDeliver: 'number',
  delivered: 'number',
  textOnly: 'number',
  occurrence: 'number',
  tracking: 'boolean',
  machine: 'boolean',
  proxy: 'boolean',
  sentAt: 'numberOrString',
  time: 'numberOrString',
  type: 'numberOrString',
};
const CSV_NUMBER = /^\s*-?\d+(?:\.\d+)?\s*$/;
const CSV_DIGITS = /^\s*\d+\s*$/;

function csvCell(column: string, cell: string): unknown {
  const how = CSV_CELL[column];
  if (how === undefined) return cell;
  if (how === 'boolean') {
    const v = cell.trim().toLowerCase();
    return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : cell;
  }
  if (how === 'number') return CSV_NUMBER.test(cell) ? Number(cell) : cell;
  return CSV_DIGITS.test(cell) ? Number(cell) : cell;
}

/** The delimiter of a CSV body, from its header line: comma, else semicolon or tab when the header uses those. */
function csvDelimiter(header: string): string {
  let best = ',';
  let bestCount = header.split(',').length - 1;
  for (const d of [';', '\t']) {
    const k = header.split(d).length - 1;
    if (k > bestCount) {
      best = d;
      bestCount = k;
    }
  }
  return best;
}

/**
 * Parses a CSV body: a header row, then one record per row. Columns are named as the JSON fields (camelCase) and
 * must include `kind`; unknown columns are ignored; an empty cell is an absent field; booleans are
 * `true`/`false`/`1`/`0`; numbers and epoch-ms times are plain digits. Quoting follows RFC 4180. The delimiter is
 * a comma, or a semicolon or tab when the header row uses that instead.
 */
export function parseCsv(body: string, maxSamples: number = MAX_REJECTED_SAMPLES_PER_PAGE): ParsedBody {
  const c = new PageCollector(maxSamples, { packed: true });
  const start = firstContent(body);
  if (start >= body.length) return finish(c, 0);
  refuseHtml(body, start);
  const text = start > 0 ? body.slice(start) : body;
  const headerEnd = text.indexOf('\n');
  const delimiter = csvDelimiter(headerEnd < 0 ? text : text.slice(0, headerEnd));
  const parsed = Papa.parse<Record<string, string | string[]>>(text, {
    header: true,
    skipEmptyLines: 'greedy',
    delimiter,
    transformHeader: (h) => h.trim(),
  });
  const columns = parsed.meta.fields ?? [];
  if (!columns.includes('kind')) {
    throw new SourceError('unparseable', { detail: 'no kind column in the CSV header' }, 'unparseable: CSV without kind');
  }
  const badRows = new Set<number>();
  for (const err of parsed.errors) if (err.type === 'FieldMismatch' && err.row !== undefined) badRows.add(err.row);
  const rows = parsed.data;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (badRows.has(i)) {
      c.reject('wrong number of cells for the header', csvSample(row, columns, delimiter));
      continue;
    }
    const rec: Record<string, unknown> = {};
    for (const column of columns) {
      const cell = row[column];
      if (typeof cell === 'string' && cell !== '') rec[column] = csvCell(column, cell);
    }
    const why = c.add(rec);
    if (why !== undefined) c.reject(why, csvSample(row, columns, delimiter));
  }
  if (badRows.size * 2 > rows.length) {
    throw new SourceError(
      'unparseable',
      { detail: `${badRows.size} of ${rows.length} CSV rows do not match the header` },
      'unparseable: CSV rows',
    );
  }
  return finish(c, rows.length);
}

function csvSample(row: Record<string, string | string[]>, columns: string[], delimiter: string): string {
  const cells: string[] = columns.map((col) => {
    const v = row[col];
    return typeof v === 'string' ? v : '';
  });
  const extra = row.__parsed_extra;
  if (Array.isArray(extra)) cells.push(...extra);
  return Papa.unparse([cells], { delimiter });
}
