import { EventType, type EventTypeCode } from '../event-types';
import type { EventInput } from '../sources/source';
import { FEED_LIMITS, fromUnixSeconds, optText, text, timeReason, type ImportBatch, type ImportState } from './batch';

/**
 * Mailjet Event API records (../shared/reference/esp-formats.md §8.1): the arrays Mailjet POSTs (grouped per
 * second), saved as they came, or one object per line.
 *
 * - Type (`event`): open → open, click → email click, unsub → opt-out; sent, bounce, blocked and spam are
 *   counted as skipped.
 * - 64-bit ids: `MessageID`, `mj_contact_id`, … exceed JS's safe integers (19421777396190490 would become
 *   19421777396190488), so records are parsed with {@link parseKeepingBigInts}, which keeps them as their digits.
 * - Event id: Mailjet has none. Derived as `mj:{MessageID}:{event}:{time}:{url}` (§8.3), time in UNIX seconds as
 *   sent: the same record imported twice gets the same id.
 * - Delivery: `mj_campaign_id` when not 0 (`campaign:<id>`, labelled with `customcampaign` when set), else one
 *   delivery per imported file.
 */
const TYPES: Record<string, EventTypeCode> = { open: EventType.open, click: EventType.click, unsub: EventType.optOut };
const NOT_TRACKING = new Set(['sent', 'bounce', 'blocked', 'spam']);

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/**
 * JSON.parse that keeps integers beyond ±2^53 as strings of their digits (JSON.parse source text access, in V8
 * since Chrome 114 / Node 21). Without that API the digits are lost; the import then derives ids from the rounded
 * number, which is still stable between two imports of the same file.
 */
export function parseKeepingBigInts(textOf: string): unknown {
  const reviver: Reviver = (_key, value, context) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source
      ? context.source
      : value;
  return JSON.parse(textOf, reviver as (key: string, value: unknown) => unknown);
}

function idPart(v: unknown): string | undefined {
  if (typeof v === 'string' && v.length > 0 && v.length <= 40) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function mapMailjet(rec: unknown, raw: string, batch: ImportBatch, state: ImportState): void {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return batch.reject('not a JSON object', raw);
  const o = rec as Record<string, unknown>;
  const event = o.event;
  if (typeof event !== 'string') return batch.reject('event: required', raw);
  const type = TYPES[event];
  if (type === undefined) {
    if (NOT_TRACKING.has(event)) return batch.skip(event);
    return batch.reject(`event: not a Mailjet event type (${event.slice(0, 40)})`, raw);
  }
  const recipient = text(o.email, FEED_LIMITS.recipient);
  if (recipient === undefined) return batch.reject(o.email === undefined ? 'email: required' : 'email: not an address', raw);
  const time = fromUnixSeconds(o.time);
  if (Number.isNaN(time)) return batch.reject(timeReason('time', o.time, 'UNIX seconds'), raw);
  const messageId = idPart(o.MessageID);
  if (messageId === undefined) return batch.reject('MessageID: required', raw);
  const url = optText(o.url, FEED_LIMITS.url);
  if (url === false) return batch.reject('url: not a string', raw);

  const campaign = idPart(o.mj_campaign_id);
  let deliveryExtId: string;
  if (campaign !== undefined && campaign !== '0') {
    deliveryExtId = `campaign:${campaign}`;
    state.delivery(batch, deliveryExtId, text(o.customcampaign, FEED_LIMITS.label) ?? `Campaign ${campaign}`);
  } else {
    deliveryExtId = state.fallbackDelivery.extId;
    state.delivery(batch, deliveryExtId, state.fallbackDelivery.label);
  }

  const agent = optText(o.agent, FEED_LIMITS.userAgent);
  const e: EventInput = {
    id: `mj:${messageId}:${event}:${String(o.time)}:${url ?? ''}`,
    deliveryExtId,
    recipient,
    type,
    time,
    url: url || undefined,
    userAgent: agent || undefined,
    ip: optText(o.ip, FEED_LIMITS.ip) || undefined,
  };
  batch.addEvent(e);
}
