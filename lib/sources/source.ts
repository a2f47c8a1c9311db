import { z } from 'zod';
import type { EventTypeCode } from '../event-types';
import type { RunIssue } from '../workflow/issues';
import type { PackedEvents } from './packed-events';

/**
 * What every source hands the workflow: records already validated and normalised. A source never writes to the
 * store; the workflow dedupes, interns and commits each page together with the source's next cursor.
 */

/** A delivery (one send of one email) as a source describes it. `extId` is the source's own id. */
export const deliveryInputSchema = z.object({
  extId: z.string().min(1).max(200),
  label: z.string().max(500),
  subject: z.string().max(1000).optional(),
  /** Send date, epoch milliseconds. */
  sentAt: z.number().int().nonnegative().optional(),
  trackingEnabled: z.boolean(),
  /** Messages to deliver (`@toDeliver`). */
  toDeliver: z.number().int().nonnegative().optional(),
  /** Messages delivered (`@success`). */
  delivered: z.number().int().nonnegative().optional(),
  /** Text-only messages (`@text`): no pixel, so no opens can be seen for them. */
  textOnly: z.number().int().nonnegative().optional(),
  /**
   * Messages delivered per recipient domain (`gmail.com` → 1 234), when the source knows it: the base of the
   * per-domain open and click-through rates (adobe-tracking.md §1.2, "Open and click-through rate" per domain).
   */
  deliveredByDomain: z
    .record(z.string().min(1).max(253), z.number().int().nonnegative())
    .refine((r) => Object.keys(r).length <= 10_000, 'too many domains')
    .optional(),
  /** The HTML as sent, when the source has it (hot clicks). Untrusted: never rendered outside a sandbox. */
  html: z.string().max(5_000_000).optional(),
});
export type DeliveryInput = z.infer<typeof deliveryInputSchema>;

/** A tracked URL of a delivery (`nms:trackingUrl`). */
export const trackedUrlInputSchema = z.object({
  deliveryExtId: z.string().min(1).max(200),
  extId: z.string().min(1).max(200),
  type: z.number().int().min(1).max(6),
  url: z.string().max(8000),
  label: z.string().max(500).optional(),
  category: z.string().max(200).optional(),
  /** 0-based index of this link among the links of the HTML, when known. */
  occurrence: z.number().int().nonnegative().optional(),
});
export type TrackedUrlInput = z.infer<typeof trackedUrlInputSchema>;

/**
 * One tracking event. Kept as a plain object type rather than a zod schema: sources validate their own wire format
 * with zod and produce these; building them is the hot path of ingest.
 */
export interface EventInput {
  /** The source's event id, or a derived one documented by the source. Dedupe key within the source. */
  id: string;
  deliveryExtId: string;
  /** Recipient key: an email address or the provider's recipient id. */
  recipient: string;
  type: EventTypeCode;
  /** Epoch milliseconds. */
  time: number;
  /** The source's tracked-URL id, when it has one. */
  urlExtId?: string | undefined;
  /** The clicked URL, when the source gives the URL rather than (or as well as) an id. */
  url?: string | undefined;
  userAgent?: string | undefined;
  ip?: string | undefined;
  /** Browser/visitor identity (`@source-id`), used for distinct persons. */
  person?: string | undefined;
  /** Provider flags: see EventFlag. */
  machine?: boolean | undefined;
  proxy?: boolean | undefined;
}

export interface PageRecords {
  deliveries: DeliveryInput[];
  urls: TrackedUrlInput[];
  /**
   * The page's events: objects, or columns (./packed-events.ts) where the source reads many of them — the feed
   * parser, whose pages cross from its thread to the service worker, and the store reads columns anyway.
   */
  events: EventInput[] | PackedEvents;
}

/** A record that failed validation: counted, a few kept as samples in the run log. */
export interface Rejection {
  reason: string;
  /** A short excerpt of the record (≤ 300 chars), never a secret. */
  sample: string;
}

export interface Page {
  records: PageRecords;
  rejected: Rejection[];
  /** Total rejected on this page (samples may be fewer). */
  rejectedCount: number;
  /** Cursor to persist with this page; the next fetch starts from it. */
  nextCursor: string | null;
  /** True when the source has nothing more for now. */
  done: boolean;
  /** Raw records received on this page (valid + rejected). */
  fetched: number;
  /** Bytes received, for progress and benchmarks. */
  bytes?: number;
}

export interface FetchContext {
  config: unknown;
  /** The secret (token, key) from chrome.storage.local, or undefined. */
  secret: string | undefined;
  /**
   * All secret fields of a provider source (API key, server token …) by field name, from chrome.storage.local.
   * Optional: a source with one secret may read `secret` alone (for a provider it is the first secret field).
   */
  secrets?: Readonly<Record<string, string>> | undefined;
  cursor: string | null;
  fetch: typeof fetch;
  signal: AbortSignal;
  /** Clock, epoch ms. */
  now: () => number;
  /** Sleep used for back-off; tests pass an instant one. */
  sleep: (ms: number) => Promise<void>;
  /** Logs a note in the run log (retries, rate limits). */
  note: (issue: RunIssue) => void;
}

export interface SourceAdapter {
  kind: string;
  /** Fetches the page after `cursor`. Throws a SourceError with a code on failure. */
  fetchPage(ctx: FetchContext): Promise<Page>;
}

/** A failure a marketer can act on; `code` maps to a translated message, `params` fill it in. */
export class SourceError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'SourceError';
  }
}
