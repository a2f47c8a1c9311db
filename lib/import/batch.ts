import type { EventTypeCode } from '../event-types';
import { FEED_LIMITS, FEED_MAX_TIME, FEED_MIN_TIME, PageCollector } from '../sources/feed-format';

/**
 * One batch of an import: the records mapped so far, the rejected ones (counted, a few kept with their reason) and
 * the provider events that are not tracking events (delivered, bounce, …), counted by name and left out.
 * A PageCollector underneath, so our own feed format validates exactly as the HTTP feed does.
 */
export class ImportBatch extends PageCollector {
  /** Records seen in this batch (mapped, skipped or rejected). */
  seen = 0;
  readonly skipped = new Map<string, number>();

  skip(what: string): void {
    this.skipped.set(what, (this.skipped.get(what) ?? 0) + 1);
  }
}

/**
 * What lasts across the batches of one import: which deliveries and tracked links were already described (each is
 * sent to the store once per import) and the delivery used when a record names none.
 */
export class ImportState {
  /** Delivery ext ids that received events (each described once), for the summary's "deliveries touched". */
  readonly touched = new Set<string>();
  private readonly urls = new Map<string, Set<string>>();
  /** Per-format memo of derived keys (a category → its delivery ext id, …), so the hot path builds no strings. */
  readonly memo = new Map<string, string>();

  constructor(
    /** The delivery of records that name none: one per imported file (`file:<name>`), labelled with the name. */
    readonly fallbackDelivery: { extId: string; label: string },
  ) {}

  /**
   * Describes a delivery once per import (its label), so the store shows a name rather than an id; call it for
   * each event the delivery gets (it also counts the delivery as touched).
   */
  delivery(batch: ImportBatch, extId: string, label: string): void {
    if (this.touched.has(extId)) return;
    this.touched.add(extId);
    batch.deliveries.push({ extId, label: label.slice(0, FEED_LIMITS.label), trackingEnabled: true });
  }

  /** Describes a tracked link (with its occurrence in the email) once per import. */
  url(batch: ImportBatch, deliveryExtId: string, extId: string, url: string, type: EventTypeCode, occurrence?: number): void {
    let seen = this.urls.get(deliveryExtId);
    if (!seen) this.urls.set(deliveryExtId, (seen = new Set()));
    if (seen.has(extId)) return;
    seen.add(extId);
    batch.urls.push({ deliveryExtId, extId, type, url, ...(occurrence === undefined ? {} : { occurrence }) });
  }
}

/** A string of 1..max characters, else undefined. */
export function text(v: unknown, max: number): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined;
}

/** An optional string field: undefined when absent or empty, `false` when present but unusable. */
export function optText(v: unknown, max: number): string | undefined | false {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' && v.length <= max ? v : false;
}

/** Epoch ms from UNIX seconds (number or digit string; fractions kept to the ms), NaN when not a time in range. */
export function fromUnixSeconds(v: unknown): number {
  const s = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN;
  return inRange(Math.floor(s * 1000));
}

/** Epoch ms of an ISO 8601 date-time with a zone (`Z` or ±hh:mm), NaN when not one or out of range. */
export function fromIso(v: unknown): number {
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(v)) return Number.NaN;
  return inRange(Date.parse(v));
}

export function inRange(ms: number): number {
  return ms >= FEED_MIN_TIME && ms <= FEED_MAX_TIME ? ms : Number.NaN;
}

/** The reason for a bad time, with what the format expects. */
export function timeReason(field: string, v: unknown, expected: string): string {
  return v === undefined || v === null ? `${field}: required` : `${field}: not a date (${expected}, 2000-2099)`;
}

export { FEED_LIMITS };
