import { dictionaryStrings } from './dictionary';
import { emptyColumns, type EventColumns } from './events';
import { mayContain } from './recipient-filter';
import type { DeliveryRow, SegmentRow, TrackingDb, UrlRow } from './schema';

/** One recipient's events across deliveries, in time order, with the delivery of each event. */
export interface RecipientEvents extends EventColumns {
  delivery: Uint32Array;
  /** How the lookup went, for the benchmark and tests: filter rows read, segments read, segments that matched. */
  stats: { filters: number; segmentsRead: number; segmentsMatched: number };
}

/**
 * Every event of recipient `rcpId` (recipients dictionary id), across every delivery still in the store (the
 * reference's recipient Tracking tab: "the accumulation of all URLs tracked in the deliveries that are still
 * present"). Reads the small per-segment recipient filters, then only the segments that may hold the recipient
 * (lib/db/recipient-filter.ts), and keeps that recipient's rows. Segments without a filter (none after the version 2
 * upgrade, but a guard costs one key scan) are read too. Dexie calls only, so it runs inside liveQuery.
 */
export async function loadRecipientEvents(db: TrackingDb, rcpId: number): Promise<RecipientEvents> {
  const [filters, segmentKeys] = await Promise.all([
    db.rcpFilters.toArray(),
    db.segments.toCollection().primaryKeys() as Promise<number[]>,
  ]);
  const covered = new Set<number>();
  const candidates: number[] = [];
  for (const f of filters) {
    covered.add(f.id);
    if (mayContain(f, rcpId)) candidates.push(f.id);
  }
  for (const key of segmentKeys) if (!covered.has(key)) candidates.push(key);
  candidates.sort((a, b) => a - b);
  const segments = (await db.segments.bulkGet(candidates)).filter((s): s is SegmentRow => s !== undefined);

  // First pass counts, second copies: no growing arrays.
  let n = 0;
  let matched = 0;
  for (const seg of segments) {
    let here = 0;
    for (let i = 0; i < seg.n; i++) if (seg.rcp[i] === rcpId) here++;
    if (here) matched++;
    n += here;
  }
  const cols = emptyColumns(n);
  const delivery = new Uint32Array(n);
  let j = 0;
  for (const seg of segments) {
    for (let i = 0; i < seg.n; i++) {
      if (seg.rcp[i] !== rcpId) continue;
      cols.t[j] = seg.t[i]!;
      cols.rcp[j] = rcpId;
      cols.url[j] = seg.url[i]!;
      cols.type[j] = seg.type[i]!;
      cols.ua[j] = seg.ua[i]!;
      cols.person[j] = seg.person[i]!;
      cols.flags[j] = seg.flags[i]!;
      cols.ip[j] = seg.ip?.[i] ?? 0;
      delivery[j] = seg.deliveryId;
      j++;
    }
  }
  // Time order, stable (segments were read in id order, i.e. the order they were stored).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cols.t[a]! - cols.t[b]! || a - b);
  const out = emptyColumns(n);
  const outDelivery = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    out.t[k] = cols.t[i]!;
    out.rcp[k] = rcpId;
    out.url[k] = cols.url[i]!;
    out.type[k] = cols.type[i]!;
    out.ua[k] = cols.ua[i]!;
    out.person[k] = cols.person[i]!;
    out.flags[k] = cols.flags[i]!;
    out.ip[k] = cols.ip[i]!;
    outDelivery[k] = delivery[i]!;
  }
  return {
    ...out,
    delivery: outDelivery,
    stats: { filters: filters.length, segmentsRead: segments.length, segmentsMatched: matched },
  };
}

/** Everything the recipient tracking tab shows: the recipient's address, events, and the strings their ids name. */
export interface RecipientData {
  /** The address (or provider id); undefined when no such recipient exists. */
  key: string | undefined;
  events: RecipientEvents;
  deliveries: Map<number, DeliveryRow>;
  urls: Map<number, UrlRow>;
  agents: Map<number, string>;
  ips: Map<number, string>;
}

function distinctIds(col: Uint32Array): number[] {
  return [...new Set(col)].filter((id) => id !== 0);
}

/** Dexie calls only (runs in liveQuery). */
export async function loadRecipientData(db: TrackingDb, rcpId: number): Promise<RecipientData> {
  const [keys, events] = await Promise.all([dictionaryStrings(db, 'recipients', [rcpId]), loadRecipientEvents(db, rcpId)]);
  const deliveryIds = distinctIds(events.delivery);
  const urlIds = distinctIds(events.url);
  const [deliveries, urls, agents, ips] = await Promise.all([
    db.deliveries.bulkGet(deliveryIds),
    db.urls.bulkGet(urlIds),
    dictionaryStrings(db, 'agents', distinctIds(events.ua)),
    dictionaryStrings(db, 'ips', distinctIds(events.ip)),
  ]);
  return {
    key: keys.get(rcpId),
    events,
    deliveries: new Map(deliveries.filter((d): d is DeliveryRow => d !== undefined).map((d) => [d.id!, d])),
    urls: new Map(urls.filter((u): u is UrlRow => u !== undefined).map((u) => [u.id!, u])),
    agents,
    ips,
  };
}
