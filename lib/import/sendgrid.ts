import { EventType, type EventTypeCode } from '../event-types';
import type { EventInput } from '../sources/source';
import { FEED_LIMITS, fromUnixSeconds, optText, text, timeReason, type ImportBatch, type ImportState } from './batch';

/**
 * SendGrid Event Webhook records (../shared/reference/esp-formats.md §4.1): the JSON arrays SendGrid POSTs, saved
 * as they came (arrays, one per line or concatenated) or as NDJSON.
 *
 * - Event id: `sg_event_id` ("a unique ID to this event that you can use for deduplication purposes"). Records
 *   without one (old exports) get `sg:{sg_message_id}:{event}:{timestamp}:{url}` (§10.1's derived key).
 * - Type: open → open, click → email click, unsubscribe / group_unsubscribe → opt-out. Delivery events
 *   (processed, delivered, deferred, bounce, dropped, spamreport, group_resubscribe) are counted as skipped.
 * - Delivery: SendGrid has no delivery id. Events are grouped by `marketing_campaign_id` (Marketing Campaigns),
 *   else by their first `category`, else into one delivery per imported file.
 * - `sg_machine_open: true` (Apple Mail Privacy Protection opened it) → the event's machine flag.
 * - `url_offset` {index, type} tells which of several identical links was clicked: the click's tracked link is
 *   that occurrence (`html:0:https://…`), recorded with `occurrence = index` for HTML links, so hot clicks can
 *   count two links to the same URL separately (product.md "Hot clicks").
 */
const TYPES: Record<string, EventTypeCode> = {
  open: EventType.open,
  click: EventType.click,
  unsubscribe: EventType.optOut,
  group_unsubscribe: EventType.optOut,
};
const NOT_TRACKING = new Set([
  'processed',
  'delivered',
  'deferred',
  'bounce',
  'blocked',
  'dropped',
  'spamreport',
  'group_resubscribe',
]);

export function mapSendGrid(rec: unknown, raw: string, batch: ImportBatch, state: ImportState): void {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return batch.reject('not a JSON object', raw);
  const o = rec as Record<string, unknown>;
  const event = o.event;
  if (typeof event !== 'string') return batch.reject('event: required', raw);
  const type = TYPES[event];
  if (type === undefined) {
    if (NOT_TRACKING.has(event)) return batch.skip(event);
    return batch.reject(`event: not a SendGrid event type (${event.slice(0, 40)})`, raw);
  }
  const recipient = text(o.email, FEED_LIMITS.recipient);
  if (recipient === undefined) return batch.reject(o.email === undefined ? 'email: required' : 'email: not an address', raw);
  const time = fromUnixSeconds(o.timestamp);
  if (Number.isNaN(time)) return batch.reject(timeReason('timestamp', o.timestamp, 'UNIX seconds'), raw);
  const url = optText(o.url, FEED_LIMITS.url);
  if (url === false) return batch.reject('url: not a string', raw);
  const userAgent = optText(o.useragent, FEED_LIMITS.userAgent);
  const ip = optText(o.ip, FEED_LIMITS.ip);

  let id = text(o.sg_event_id, FEED_LIMITS.id);
  if (id === undefined) {
    const messageId = text(o.sg_message_id, FEED_LIMITS.id);
    if (messageId === undefined) return batch.reject('sg_event_id: required (and no sg_message_id to derive one)', raw);
    id = `sg:${messageId}:${event}:${time}:${url ?? ''}`;
  }

  // The delivery: campaign, else first category, else the file's own delivery.
  let deliveryExtId: string;
  const campaign = o.marketing_campaign_id;
  const category = Array.isArray(o.category) ? o.category[0] : o.category;
  if ((typeof campaign === 'string' && campaign) || typeof campaign === 'number') {
    deliveryExtId = `campaign:${String(campaign)}`;
    const name = text(o.marketing_campaign_name, FEED_LIMITS.label);
    state.delivery(batch, deliveryExtId, name ?? `Campaign ${String(campaign)}`);
  } else if (typeof category === 'string' && category) {
    let extId = state.memo.get(category);
    if (extId === undefined) state.memo.set(category, (extId = `category:${category.slice(0, 180)}`));
    deliveryExtId = extId;
    state.delivery(batch, deliveryExtId, category);
  } else {
    deliveryExtId = state.fallbackDelivery.extId;
    state.delivery(batch, deliveryExtId, state.fallbackDelivery.label);
  }

  const e: EventInput = {
    id,
    deliveryExtId,
    recipient,
    type,
    time,
    url: url || undefined,
    userAgent: userAgent || undefined,
    ip: ip || undefined,
    machine: o.sg_machine_open === true ? true : undefined,
  };
  const offset = o.url_offset as { index?: unknown; type?: unknown } | undefined;
  if (url && offset && typeof offset === 'object' && Number.isSafeInteger(offset.index) && (offset.index as number) >= 0) {
    const part = offset.type === 'text' ? 'text' : 'html';
    const index = offset.index as number;
    const urlExtId = `${part}:${index}:${url}`;
    state.url(batch, deliveryExtId, urlExtId, url, type, part === 'html' ? index : undefined);
    e.urlExtId = urlExtId;
  }
  batch.addEvent(e);
}
