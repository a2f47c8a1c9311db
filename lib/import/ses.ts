import { EventType, type EventTypeCode } from '../event-types';
import type { EventInput } from '../sources/source';
import { FEED_LIMITS, fromIso, optText, text, timeReason, type ImportBatch, type ImportState } from './batch';

/**
 * Amazon SES event publishing records (../shared/reference/esp-formats.md §5): JSON lines from Firehose → S3
 * (possibly back to back with no newline), arrays, or SNS notifications whose `Message` holds the record.
 *
 * - Type (`eventType`): Open → open, Click → email click, Subscription → opt-out. Send, Delivery, Bounce,
 *   Complaint, Reject, DeliveryDelay, Rendering Failure are counted as skipped; identity-level feedback
 *   notifications (`notificationType`) carry no opens or clicks and are skipped too.
 * - Recipient: Open and Click records name none. The message's `mail.destination` is used when it has exactly
 *   one address; a message sent to several recipients cannot say who opened, so the record is rejected with that
 *   reason rather than guessed.
 * - Event id: SES has none. Derived as `ses:{mail.messageId}:{eventType}:{time in ms}:{link}` (§5.5, §10.1): the
 *   same record imported twice gets the same id.
 * - Delivery: SES has no campaign id; events are grouped by configuration set and subject
 *   (`ses:{configuration set}:{subject}`), labelled with the subject.
 */
const TYPES: Record<string, { type: EventTypeCode; detail: string }> = {
  Open: { type: EventType.open, detail: 'open' },
  Click: { type: EventType.click, detail: 'click' },
  Subscription: { type: EventType.optOut, detail: 'subscription' },
};

function unwrapSns(o: Record<string, unknown>): Record<string, unknown> | string {
  if (o.Type !== 'Notification' || typeof o.Message !== 'string') return o;
  try {
    const inner: unknown = JSON.parse(o.Message);
    return typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? (inner as Record<string, unknown>)
      : 'Message: not a JSON object';
  } catch {
    return 'Message: not valid JSON';
  }
}

function firstTag(tags: unknown, name: string): string | undefined {
  if (typeof tags !== 'object' || tags === null) return undefined;
  const v = (tags as Record<string, unknown>)[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}

export function mapSes(rec: unknown, raw: string, batch: ImportBatch, state: ImportState): void {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return batch.reject('not a JSON object', raw);
  const o = unwrapSns(rec as Record<string, unknown>);
  if (typeof o === 'string') return batch.reject(o, raw);
  const eventType = o.eventType;
  if (typeof eventType !== 'string') {
    if (typeof o.notificationType === 'string') return batch.skip(o.notificationType);
    return batch.reject('eventType: required', raw);
  }
  const kind = TYPES[eventType];
  if (!kind) return batch.skip(eventType);
  const mail = o.mail as Record<string, unknown> | undefined;
  if (typeof mail !== 'object' || mail === null) return batch.reject('mail: required', raw);
  const messageId = text(mail.messageId, FEED_LIMITS.id);
  if (messageId === undefined) return batch.reject('mail.messageId: required', raw);
  const detail = o[kind.detail] as Record<string, unknown> | undefined;
  if (typeof detail !== 'object' || detail === null) return batch.reject(`${kind.detail}: required`, raw);
  const time = fromIso(detail.timestamp);
  if (Number.isNaN(time)) return batch.reject(timeReason(`${kind.detail}.timestamp`, detail.timestamp, 'ISO 8601'), raw);

  const destination = Array.isArray(mail.destination) ? mail.destination : [];
  if (destination.length !== 1) {
    return batch.reject(
      destination.length === 0
        ? 'no recipient: the record names none and mail.destination is empty'
        : `no recipient: ${eventType} records name none and the message went to ${destination.length} recipients`,
      raw,
    );
  }
  const recipient = text(destination[0], FEED_LIMITS.recipient);
  if (recipient === undefined) return batch.reject('mail.destination: not an address', raw);
  const link = optText(detail.link, FEED_LIMITS.url);
  if (link === false) return batch.reject('click.link: not a string', raw);

  const common = mail.commonHeaders as Record<string, unknown> | undefined;
  const subject = typeof common === 'object' && common !== null ? text(common.subject, FEED_LIMITS.label) : undefined;
  const configSet = firstTag(mail.tags, 'ses:configuration-set');
  let deliveryExtId: string;
  if (subject === undefined && configSet === undefined) {
    deliveryExtId = state.fallbackDelivery.extId;
    state.delivery(batch, deliveryExtId, state.fallbackDelivery.label);
  } else {
    deliveryExtId = `ses:${configSet ?? ''}:${subject ?? ''}`.slice(0, FEED_LIMITS.id);
    state.delivery(batch, deliveryExtId, subject ?? configSet ?? '');
  }

  const e: EventInput = {
    id: `ses:${messageId}:${eventType}:${time}:${link ?? ''}`,
    deliveryExtId,
    recipient,
    type: kind.type,
    time,
    url: link || undefined,
    userAgent: optText(detail.userAgent, FEED_LIMITS.userAgent) || undefined,
    ip: optText(detail.ipAddress, FEED_LIMITS.ip) || undefined,
  };
  batch.addEvent(e);
}
