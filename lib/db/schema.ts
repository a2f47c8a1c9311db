import { Dexie, type EntityTable, type Transaction } from 'dexie';
import { recipientFilterRow } from './recipient-filter';
import { buildHeavy, type HeavyRecipientRow, type HeavyRow, type RecipientCountsRow } from './heavy';
import type { RunIssue } from '../workflow/issues';
import type { AnchorRef } from '../email/match-links';

/**
 * The store. Dexie owns the schema as a version history (see `versions` below); row types live here.
 *
 * Events are NOT a row each: a row per event caps ingest near 7 000 events/s on these machines
 * (../shared/architecture.md, "Storage"). They live in columnar segments (typed arrays, one segment per delivery
 * per committed page), with repeated strings interned into dictionary tables, and every view reads the
 * per-delivery incremental aggregates instead of scanning events.
 */

/** Email providers with a pull adapter (lib/sources/providers.ts describes each). */
export type ProviderKind = 'mailgun' | 'postmark' | 'sparkpost' | 'mailchimp' | 'brevo' | 'adobe-campaign';
/**
 * `file`: events imported from files by the tracking view (lib/import). One source per file format, so re-importing
 * a file, or two files that overlap, stores each event once (dedupe is per source). The workflow never fetches it.
 */
export type SourceKind = 'sample' | 'feed' | 'file' | ProviderKind;

export interface SourceRow {
  id: string;
  kind: SourceKind;
  label: string;
  enabled: boolean;
  /** Non-secret settings (the feed URL, …). Secrets live in chrome.storage.local, see lib/sources/secrets.ts. */
  config: Record<string, unknown>;
  /** Where the next fetch starts; written in the same transaction as the page it follows. */
  cursor: string | null;
  createdAt: number;
  /** Outcome of this source in the latest run that reached it. */
  last?: SourceOutcome | undefined;
}

export interface SourceOutcome {
  runId: number;
  at: number;
  ok: boolean;
  added: number;
  error?: RunIssue | undefined;
}

export interface DeliveryRow {
  id?: number;
  sourceId: string;
  extId: string;
  label: string;
  subject?: string | undefined;
  sentAt?: number | undefined;
  trackingEnabled: boolean;
  toDeliver?: number | undefined;
  delivered?: number | undefined;
  textOnly?: number | undefined;
  /**
   * Messages delivered per recipient domain (lower-case domain → count), when the source knows it: the base of the
   * per-domain open and click-through rates (Adobe's rates per Internet domain use the messages sent on that domain).
   */
  deliveredByDomain?: Record<string, number> | undefined;
  hasHtml: boolean;
}

/** The HTML as sent, apart from the delivery row so lists stay light. Untrusted. */
export interface ContentRow {
  deliveryId: number;
  html: string;
  /** The user dropped this HTML on the hot-clicks view (lib/db/contents.ts); absent when the source sent it. */
  dropped?: boolean | undefined;
}

/**
 * A delivery's email as the hot-clicks view shows it (lib/email/safe-email.ts): the sanitiser's output for the
 * default policy (remote images held back), kept so the next view need not sanitise again. Valid only for the HTML
 * it was made from and the sanitiser whose fingerprint it names; otherwise sanitised again and replaced.
 */
export interface SafeEmailRow {
  deliveryId: number;
  /** lib/email/sanitize.ts sanitizerFingerprint() of the sanitiser that made it (its code, some 10 KB). */
  sanitizer: string;
  /** The HTML it was made from (untrusted; compared with the delivery's, never shown). */
  html: string;
  /** The sanitised wrapper element's markup. */
  markup: string;
  anchors: AnchorRef[];
  blockedImages: number;
  removedTracking: number;
  trackingHosts: string[];
}

export interface UrlRow {
  id?: number;
  deliveryId: number;
  extId: string;
  type: number;
  url: string;
  label?: string | undefined;
  category?: string | undefined;
  occurrence?: number | undefined;
}

export type DictName = 'recipients' | 'agents' | 'persons' | 'ips';

/**
 * A chunk of an interning dictionary (lib/db/dictionary.ts): recipients, user agents, persons (source ids) or client
 * IP addresses.
 * The strings have the ids `firstId`, `firstId + 1`, … in order.
 */
export interface DictChunkRow {
  id?: number;
  name: DictName;
  firstId: number;
  keys: string[];
}

/**
/** A column of dictionary or row ids: 32-bit, or 16-bit when all of a segment's ids fit. */
export type IdColumn = Uint32Array | Uint16Array;

/**
 * A columnar segment: `n` events of one delivery from one source, sorted by time. Every column has length `n`.
 * Ids index the dictionaries (0 = none).
 */
export interface SegmentRow {
  id?: number;
  sourceId: string;
  deliveryId: number;
  n: number;
  /** Earliest and latest event time in the segment, epoch seconds. */
  tMin: number;
  tMax: number;
  /** Event time, epoch seconds. */
  t: Uint32Array;
  rcp: Uint32Array;
  /**
   * Tracked URL id (urls table), 0 when the event has none (most opens). This column, `ua` and `ip` are stored as
   * Uint16Array when every id of the segment fits (lib/workflow/store-writer.ts `narrow`): 2 bytes per event each.
   */
  url: IdColumn;
  /** EventTypeCode. */
  type: Uint8Array;
  ua: IdColumn;
  person: Uint32Array;
  /** EventFlag bits. */
  flags: Uint8Array;
  /**
   * Client IP address id (`ips` dictionary), 0 = none. Added in schema version 2: segments stored before have no
   * such column, and readers take that as 0 for every event (lib/db/events.ts). A segment none of whose events has
   * an IP does not store the column either.
   */
  ip?: IdColumn | undefined;
  /** 53-bit hash of the source's event id, for dedupe (lib/workflow/dedupe.ts). */
  h: Float64Array;
}

/**
 * Which recipients a segment has, as a Bloom filter, apart from the segment so the recipient tracking tab can find a
 * recipient's segments by reading these small rows instead of every segment (lib/db/recipient-filter.ts says why a
 * filter and not an index row per recipient). Keyed by the segment's id; written in the segment's transaction.
 */
export interface RecipientFilterRow {
  /** The segment's id. */
  id: number;
  deliveryId: number;
  /** Filter bits (length a multiple of 32) and the number of hash probes. */
  bits: Uint32Array;
  k: number;
}

/**
 * Incremental per-delivery aggregates; see lib/workflow/aggregate.ts for how each part is kept. They are a cache
 * of the delivery's segments up to segment id `through`: a newer segment (stored by a run cut off before it saved
 * its aggregates) is replayed when the aggregate is next loaded, so segments stay the single truth.
 */
export interface AggregateRow {
  deliveryId: number;
  /**
   * Shape version (AGGREGATE_VERSION in lib/workflow/aggregate.ts); missing on rows written before versioning (v1).
   * An older row is rebuilt from segments rather than continued.
   */
  v?: number | undefined;
  /** Highest segment id included. */
  through: number;
  totals: AggregateTotals;
  /** Distinct recipient state: parallel arrays, one entry per recipient with any event. */
  rcpIds: Uint32Array;
  /** Bit (1 << type) set for each event type the recipient has. */
  rcpTypes: Uint8Array;
  /** Time of the recipient's latest counted open (epoch s), for the 1-minute repeat-open rule. */
  rcpLastOpen: Uint32Array;
  /** Person keys with an email click (distinct persons, `@personClick`). */
  clickPersons: Float64Array;
  /** Per tracked URL: id and event count. */
  linkIds: Uint32Array;
  linkCounts: Uint32Array;
  /** Distinct (url, recipient) pairs with a click on any click-type link (email click, opt-out, mirror page), as urlId * 2^32 + recipientId. */
  linkClickers: Float64Array;
  /** Per tracked URL (aligned with linkIds): distinct recipients with an email click, i.e. linkClickers per link. */
  linkClickerCounts?: Uint32Array | undefined;
  /** Per calendar hour (epoch hours): counts of opens (after repeat-open dedupe), clicks, opt-outs, mirror pages. */
  hours: Uint32Array;
  hourOpens: Uint32Array;
  hourClicks: Uint32Array;
  hourOptOuts: Uint32Array;
  hourMirror: Uint32Array;
  /**
   * Per user-agent id (agents dictionary; 0 = no user agent): counted opens and email clicks, for the device / OS /
   * browser breakdowns. Absent on v1 rows.
   */
  agentIds?: Uint32Array | undefined;
  agentOpens?: Uint32Array | undefined;
  agentClicks?: Uint32Array | undefined;
}

export interface AggregateTotals {
  events: number;
  /** Distinct recipients with any tracking log (`@recipientOpen`: a click implies an open). */
  recipientOpen: number;
  /** Open (type 2) events, repeat opens within 1 minute removed (`@totalRecipientOpen`). */
  totalRecipientOpen: number;
  /** Open events as received, repeats included. */
  rawOpens: number;
  /** Distinct recipients with an email click (`@recipientClick`). */
  recipientClick: number;
  /** Distinct persons with an email click (`@personClick`). */
  personClick: number;
  /** Email-click (type 1) events (`@totalRecipientClick`). */
  totalRecipientClick: number;
  optOut: number;
  mirrorPage: number;
  web: number;
  transaction: number;
  /** Events the provider flagged as machine-made / as fetched by a privacy proxy. */
  machine: number;
  proxy: number;
  firstEvent: number;
  lastEvent: number;
}

/** Just the totals of a delivery's aggregate, apart so lists never load the per-recipient arrays. */
export interface TotalsRow {
  deliveryId: number;
  totals: AggregateTotals;
  /** The aggregate's `through`: tells, without loading the aggregate, whether newer segments exist. */
  through: number;
  /** The aggregate's shape version (AggregateRow.v): tells, without loading it, whether it must be rebuilt. */
  v?: number | undefined;
  /**
   * A copy of the aggregate's per-hour opens and clicks (a few KB), so the statistics charts draw without loading the
   * aggregate's per-recipient arrays (megabytes for a large send). Absent on rows written before it existed.
   */
  series?: HourlySeries | undefined;
  /**
   * Per tracked URL: events and distinct clickers (the aggregate's linkIds, linkCounts, linkClickerCounts), so the
   * hot clicks of a delivery need not load its whole aggregate. Absent in rows saved before it existed.
   */
  links?: { ids: Uint32Array; counts: Uint32Array; clickers: Uint32Array } | undefined;
}

/** Per calendar hour (epoch hours, ascending): opens counted and email clicks. */
export interface HourlySeries {
  hours: Uint32Array;
  opens: Uint32Array;
  clicks: Uint32Array;
}

/** `import`: a file imported from the tracking view (lib/import/run-import.ts), recorded as a run of its own. */
export type RunTrigger = 'alarm' | 'manual' | 'startup' | 'import';
export type RunStatus = 'running' | 'ok' | 'warning' | 'error' | 'interrupted';

export interface SourceRunCounts {
  sourceId: string;
  label: string;
  kind: SourceKind;
  pages: number;
  fetched: number;
  stored: number;
  duplicates: number;
  rejected: number;
  ok: boolean;
  done: boolean;
}

export interface RunRow {
  id?: number;
  trigger: RunTrigger;
  startedAt: number;
  /** Last time the run wrote progress; tells a live run from a dead one. */
  heartbeat: number;
  endedAt?: number | undefined;
  status: RunStatus;
  sources: SourceRunCounts[];
  /** Errors, warnings and notes, newest last. */
  log: RunIssue[];
  /** Up to 20 rejected records with their reasons. */
  rejectedSamples: { sourceId: string; reason: string; sample: string }[];
}

export type TrackingDb = Dexie & {
  sources: EntityTable<SourceRow, 'id'>;
  deliveries: EntityTable<DeliveryRow, 'id'>;
  contents: EntityTable<ContentRow, 'deliveryId'>;
  safeEmails: EntityTable<SafeEmailRow, 'deliveryId'>;
  urls: EntityTable<UrlRow, 'id'>;
  dicts: EntityTable<DictChunkRow, 'id'>;
  segments: EntityTable<SegmentRow, 'id'>;
  rcpFilters: EntityTable<RecipientFilterRow, 'id'>;
  heavyEvents: EntityTable<HeavyRow, 'id'>;
  heavyRcps: EntityTable<HeavyRecipientRow, 'rcp'>;
  rcpCounts: EntityTable<RecipientCountsRow, 'id'>;
  aggregates: EntityTable<AggregateRow, 'deliveryId'>;
  totals: EntityTable<TotalsRow, 'deliveryId'>;
  runs: EntityTable<RunRow, 'id'>;
};

/**
 * The schema's history. Never edit a released version: add a new one, with an upgrade when rows change shape.
 * Each index is listed because a query uses it (lib/db/queries.ts).
 */
export const versions: { version: number; stores: Record<string, string | null> }[] = [
  {
    version: 1,
    stores: {
      sources: 'id, kind',
      deliveries: '++id, &[sourceId+extId], sentAt',
      contents: 'deliveryId',
      urls: '++id, &[deliveryId+extId], deliveryId',
      dicts: '++id, &[name+firstId]',
      segments: '++id, [deliveryId+id], [sourceId+tMax]',
      aggregates: 'deliveryId',
      totals: 'deliveryId',
      runs: '++id, startedAt, status',
    },
  },
  {
    // Version 2: a recipient filter per segment (the recipient tracking tab). Segments also gain an optional `ip`
    // column and dictionaries an `ips` name, neither of which needs an index. Filters of segments stored before are
    // built by `upgradeToV2`.
    version: 2,
    stores: { rcpFilters: 'id' },
  },
  {
    // Version 3: heavy recipients (lib/db/heavy.ts): their events again, by recipient bucket and page; which
    // recipients are heavy from which segment on; and the stored events per recipient. Built from the stored segments
    // by the upgrade.
    version: 3,
    stores: { heavyEvents: '++id, [bucket+seg], sourceId', heavyRcps: 'rcp', rcpCounts: 'id' },
  },
  {
    // Version 4: each delivery's email as the hot-clicks view last sanitised it (lib/email/safe-email.ts). Starts
    // empty: each email is sanitised at its first view, as before.
    version: 4,
    stores: { safeEmails: 'deliveryId' },
  },
];

export const DB_NAME = 'tracking-logs';

/** Upgrades that rewrite or derive rows, by the version they lead to. */
const upgrades: Record<number, (tx: Transaction) => Promise<void>> = {
  2: async (tx) => {
    // One pass over the stored segments (a one-time cost at the first open after the update): their filters.
    const filters = tx.table<RecipientFilterRow, number>('rcpFilters');
    await tx
      .table<SegmentRow, number>('segments')
      .toCollection()
      .each((seg) => {
        void filters.put(recipientFilterRow(seg as SegmentRow & { id: number }));
      });
  },
  3: async (tx) => {
    // Two passes over the stored segments (count, then copy the heavy recipients' events): a one-time cost.
    await buildHeavy(tx.table<SegmentRow, number>('segments').toCollection(), (counts, heavy, rows) =>
      Promise.all([
        tx.table<RecipientCountsRow, number>('rcpCounts').put(counts),
        tx.table<HeavyRecipientRow, number>('heavyRcps').bulkPut(heavy),
        tx.table<HeavyRow, number>('heavyEvents').bulkAdd(rows),
      ]),
    );
  },
};

export function openDb(name: string = DB_NAME): TrackingDb {
  const db = new Dexie(name) as TrackingDb;
  for (const v of versions) {
    const version = db.version(v.version).stores(v.stores);
    const upgrade = upgrades[v.version];
    if (upgrade) version.upgrade(upgrade);
  }
  return db;
}
