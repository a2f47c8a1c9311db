import type { AggregateRow, AggregateTotals, SegmentRow } from '../db/schema';
import { EventFlag, EventType } from '../event-types';
import { HashSet53 } from './hash-set';
import { RecipientState } from './recipient-state';

/**
 * Per-delivery aggregates kept incrementally as events are committed, so no view scans raw events for a number.
 * Definitions: Adobe Campaign "Tracking indicators" (../shared/reference/adobe-tracking.md §1.2):
 * - recipientOpen = Countdistinct(broadLog-id) over ALL tracking logs: a click implies an open.
 * - totalRecipientOpen = count of open (type 2) logs, repeat opens within `dedupOpenPeriodMin` = 1 min dropped.
 * - recipientClick = Countdistinct(broadLog-id) of type 1; personClick = Countdistinct(source-id) of type 1.
 * - totalRecipientClick = count of type 1 (opt-out and mirror excluded); optOut = type 3; mirrorPage = type 6.
 */

/**
 * The shape version of stored aggregates. A row of an older version lacks parts the views need (v1 had no per-agent
 * counts), so it is not continued but rebuilt from the delivery's segments (lib/workflow/store-writer.ts
 * `loadAggregate`, found at the start of a run by `reconcile`). Bump it whenever a part is added or its meaning changes.
 */
export const AGGREGATE_VERSION = 2;

/** Whether a stored aggregate can be continued as is (else it is rebuilt from segments). */
export function isCurrentAggregate(row: Pick<AggregateRow, 'v'> | undefined): boolean {
  return row?.v === AGGREGATE_VERSION;
}

/** Repeat opens closer than this to the recipient's previous open are not counted (Adobe `dedupOpenPeriodMin`). */
export const REPEAT_OPEN_SECONDS = 60;

export interface WorkingAggregate {
  deliveryId: number;
  /** Highest segment id included (AggregateRow.through). */
  through: number;
  totals: AggregateTotals;
  /** Per recipient: the bitmask of types seen (1 << type) and the time (s) of the latest counted open. */
  recipients: RecipientState;
  clickPersons: HashSet53;
  links: Map<number, number>;
  linkClickers: HashSet53;
  /**
   * user-agent id (agents dictionary, 0 = none) → [opens counted, email clicks]: the device / OS / browser
   * breakdowns (Adobe "Breakdown of opens", "Browsers", "Operating systems", adobe-tracking.md §1.4) map the ids
   * to names at view time, so a better parser or rule never needs a re-ingest.
   */
  agents: Map<number, [number, number]>;
  /**
   * url id → distinct recipients with a click on it (email click, opt-out or mirror page; linkClickers counted per
   * link), kept as events come so the hot-clicks view can read it from the light totals row, not the whole aggregate.
   */
  linkClickerCounts: Map<number, number>;
  /** epoch hour → [opens, clicks, optOuts, mirror]. */
  hours: Map<number, [number, number, number, number]>;
  /** The last hour bucket used: events come in time order, so most events hit it (not stored). */
  lastHour: number;
  lastBucket: [number, number, number, number] | undefined;
}

export function emptyTotals(): AggregateTotals {
  return {
    events: 0,
    recipientOpen: 0,
    totalRecipientOpen: 0,
    rawOpens: 0,
    recipientClick: 0,
    personClick: 0,
    totalRecipientClick: 0,
    optOut: 0,
    mirrorPage: 0,
    web: 0,
    transaction: 0,
    machine: 0,
    proxy: 0,
    firstEvent: 0,
    lastEvent: 0,
  };
}

export function newAggregate(deliveryId: number): WorkingAggregate {
  return {
    deliveryId,
    through: 0,
    totals: emptyTotals(),
    recipients: new RecipientState(),
    clickPersons: new HashSet53(),
    links: new Map(),
    linkClickers: new HashSet53(),
    agents: new Map(),
    linkClickerCounts: new Map(),
    hours: new Map(),
    lastHour: -1,
    lastBucket: undefined,
  };
}

/** Records that recipient `rcp` clicked link `url` (the distinct pair and the link's count of distinct clickers). */
function addLinkClicker(agg: WorkingAggregate, url: number, rcp: number): void {
  if (agg.linkClickers.add(url * 4294967296 + rcp)) agg.linkClickerCounts.set(url, (agg.linkClickerCounts.get(url) ?? 0) + 1);
}

export function fromRow(row: AggregateRow): WorkingAggregate {
  const agg = newAggregate(row.deliveryId);
  agg.through = row.through ?? 0;
  agg.totals = { ...row.totals };
  agg.recipients = RecipientState.fromArrays(row.rcpIds, row.rcpTypes, row.rcpLastOpen);
  agg.clickPersons = HashSet53.from(row.clickPersons);
  for (let i = 0; i < row.linkIds.length; i++) agg.links.set(row.linkIds[i]!, row.linkCounts[i]!);
  agg.linkClickers = HashSet53.from(row.linkClickers);
  const { agentIds, agentOpens, agentClicks } = row;
  if (agentIds && agentOpens && agentClicks) {
    for (let i = 0; i < agentIds.length; i++) agg.agents.set(agentIds[i]!, [agentOpens[i]!, agentClicks[i]!]);
  }
  // Rebuilt from the pairs (the truth) rather than read from the row: rows saved before the field existed have none.
  for (let i = 0; i < row.linkClickers.length; i++) {
    const url = Math.floor(row.linkClickers[i]! / 4294967296);
    agg.linkClickerCounts.set(url, (agg.linkClickerCounts.get(url) ?? 0) + 1);
  }
  for (let i = 0; i < row.hours.length; i++) {
    agg.hours.set(row.hours[i]!, [row.hourOpens[i]!, row.hourClicks[i]!, row.hourOptOuts[i]!, row.hourMirror[i]!]);
  }
  return agg;
}

export function toRow(agg: WorkingAggregate): AggregateRow {
  const { rcpIds, rcpTypes, rcpLastOpen } = agg.recipients.toArrays();
  const linkIds = new Uint32Array(agg.links.size);
  const linkCounts = new Uint32Array(agg.links.size);
  const linkClickerCounts = new Uint32Array(agg.links.size);
  let i = 0;
  for (const [id, count] of agg.links) {
    linkIds[i] = id;
    linkCounts[i] = count;
    linkClickerCounts[i] = agg.linkClickerCounts.get(id) ?? 0;
    i++;
  }
  const agentIds = new Uint32Array(agg.agents.size);
  const agentOpens = new Uint32Array(agg.agents.size);
  const agentClicks = new Uint32Array(agg.agents.size);
  i = 0;
  for (const [id, [opens, clicks]] of agg.agents) {
    agentIds[i] = id;
    agentOpens[i] = opens;
    agentClicks[i] = clicks;
    i++;
  }
  const hourKeys = [...agg.hours.keys()].sort((a, b) => a - b);
  const hours = new Uint32Array(hourKeys);
  const hourOpens = new Uint32Array(hourKeys.length);
  const hourClicks = new Uint32Array(hourKeys.length);
  const hourOptOuts = new Uint32Array(hourKeys.length);
  const hourMirror = new Uint32Array(hourKeys.length);
  hourKeys.forEach((h, j) => {
    const c = agg.hours.get(h)!;
    hourOpens[j] = c[0];
    hourClicks[j] = c[1];
    hourOptOuts[j] = c[2];
    hourMirror[j] = c[3];
  });
  return {
    deliveryId: agg.deliveryId,
    v: AGGREGATE_VERSION,
    through: agg.through,
    totals: { ...agg.totals },
    rcpIds,
    rcpTypes,
    rcpLastOpen,
    clickPersons: agg.clickPersons.values(),
    linkIds,
    linkCounts,
    linkClickers: agg.linkClickers.values(),
    linkClickerCounts,
    hours,
    hourOpens,
    hourClicks,
    hourOptOuts,
    hourMirror,
    agentIds,
    agentOpens,
    agentClicks,
  };
}

function agentBucket(agg: WorkingAggregate, ua: number): [number, number] {
  let bucket = agg.agents.get(ua);
  if (!bucket) {
    bucket = [0, 0];
    agg.agents.set(ua, bucket);
  }
  return bucket;
}

/**
 * The person behind an event (`@source-id`): the source's browser/visitor id when it has one, else the recipient
 * and user agent together (product.md: "source id; fall back to recipient+user agent"). Person ids are stored
 * negated so the two kinds never meet; recipient × 2^20 + agent stays below 2^53.
 */
export function personKey(rcp: number, ua: number, person: number): number {
  return person ? -person : rcp * 1048576 + (ua & 0xfffff);
}

/**
 * Adds one event. Returns the flags to store with it (the repeat-open bit is decided here, in time order, which
 * the caller guarantees within a page by sorting).
 */
export function addEvent(
  agg: WorkingAggregate,
  t: number,
  rcp: number,
  url: number,
  type: number,
  ua: number,
  person: number,
  flags: number,
): number {
  const tot = agg.totals;
  tot.events++;
  if (tot.firstEvent === 0 || t < tot.firstEvent) tot.firstEvent = t;
  if (t > tot.lastEvent) tot.lastEvent = t;
  if (flags & EventFlag.machine) tot.machine++;
  if (flags & EventFlag.proxy) tot.proxy++;

  const state = agg.recipients;
  let slot = state.claim(rcp);
  const before = slot < 0 ? undefined : state.types(slot);
  const bit = 1 << type;
  if (before === undefined) {
    slot = -slot;
    state.setTypes(slot, bit);
    tot.recipientOpen++; // any tracking log makes the recipient an opener
  } else if ((before & bit) === 0) {
    state.setTypes(slot, before | bit);
  }
  if (url) agg.links.set(url, (agg.links.get(url) ?? 0) + 1);

  const hour = Math.floor(t / 3600);
  let bucket = hour === agg.lastHour ? agg.lastBucket : agg.hours.get(hour);
  if (!bucket) {
    bucket = [0, 0, 0, 0];
    agg.hours.set(hour, bucket);
  }
  agg.lastHour = hour;
  agg.lastBucket = bucket;

  switch (type) {
    case EventType.open: {
      tot.rawOpens++;
      const last = state.lastOpen(slot);
      // Out-of-order arrivals are compared by distance, so an earlier open arriving late is still caught.
      if (last !== undefined && Math.abs(t - last) < REPEAT_OPEN_SECONDS) {
        flags |= EventFlag.repeatOpen;
      } else {
        tot.totalRecipientOpen++;
        bucket[0]++;
        agentBucket(agg, ua)[0]++;
        if (last === undefined || t > last) state.setLastOpen(slot, t);
      }
      break;
    }
    case EventType.click: {
      tot.totalRecipientClick++;
      bucket[1]++;
      agentBucket(agg, ua)[1]++;
      if (before === undefined || (before & bit) === 0) tot.recipientClick++;
      const pk = personKey(rcp, ua, person);
      if (agg.clickPersons.add(pk)) tot.personClick++;
      if (url) addLinkClicker(agg, url, rcp);
      break;
    }
    // Opt-out and mirror-page links keep their distinct clickers too: hot clicks count them in the denominator on
    // both bases (lib/hotclicks/shares.ts).
    case EventType.optOut:
      tot.optOut++;
      bucket[2]++;
      if (url) addLinkClicker(agg, url, rcp);
      break;
    case EventType.mirror:
      tot.mirrorPage++;
      bucket[3]++;
      if (url) addLinkClicker(agg, url, rcp);
      break;
    case EventType.web:
      tot.web++;
      break;
    case EventType.transaction:
      tot.web++; // Adobe's "visited pages" counts web and transaction logs (type 4 or 5)
      tot.transaction++;
      break;
  }
  return flags;
}

/** Adds a stored segment's events (replay after a cut-off run), as the ingest added them. */
export function addSegment(agg: WorkingAggregate, seg: SegmentRow & { id: number }): void {
  const keep = EventFlag.machine | EventFlag.proxy;
  for (let i = 0; i < seg.n; i++) {
    addEvent(agg, seg.t[i]!, seg.rcp[i]!, seg.url[i]!, seg.type[i]!, seg.ua[i]!, seg.person[i]!, seg.flags[i]! & keep);
  }
  if (seg.id > agg.through) agg.through = seg.id;
}
