import { Dexie } from 'dexie';
import { dictionaryStrings } from './dictionary';
import { heavyBucket, heavyRange, type HeavyRow } from './heavy';
import { copyEvent, emptyColumns, type EventColumns } from './events';
import { mayContain } from './recipient-filter';
import type { DeliveryRow, SegmentRow, TrackingDb, UrlRow } from './schema';

/** One recipient's events across deliveries, in time order, with the delivery of each event. */
export interface RecipientEvents extends EventColumns {
  delivery: Uint32Array;
  /**
   * How the lookup went, for the benchmark, the progress shown and tests: filter rows read, candidate segments (the
   * filters' "maybe"), candidate segments read so far, and those that held the recipient.
   */
  stats: { filters: number; segmentsTotal: number; segmentsRead: number; segmentsMatched: number; heavyRows: number };
}

/**
 * What a recipient lookup will read: the recipient's address, and the segments that may hold their events (filter
 * matches, plus any segment without a filter: none after the version 2 upgrade, but the guard costs one key scan),
 * NEWEST FIRST. Small reads only (the filters are ~1.25 bytes per distinct recipient per segment), so the tracking
 * tab runs this inside liveQuery and re-plans whenever a run stores segments; the segments themselves are then read
 * in batches outside it (recipientBatches).
 */
export interface RecipientPlan {
  rcpId: number;
  /** The address (or provider id); undefined when no such recipient exists. */
  key: string | undefined;
  filters: number;
  /**
   * Candidate segment ids, highest (newest) first. For a heavy recipient (./heavy.ts) only segments older than
   * `heavyFrom`: the newer ones' events are in the recipient's heavy rows.
   */
  candidates: number[];
  /** For a heavy recipient, the first segment id its heavy rows cover. */
  heavyFrom: number | undefined;
  /** Every delivery in the store (a few hundred rows at most), so label changes re-run the live plan. */
  deliveries: Map<number, DeliveryRow>;
}

/** Dexie calls only (runs in liveQuery). */
export async function planRecipientLookup(db: TrackingDb, rcpId: number): Promise<RecipientPlan> {
  const [keys, filters, segmentKeys, deliveries, heavy] = await Promise.all([
    dictionaryStrings(db, 'recipients', [rcpId]),
    db.rcpFilters.toArray(),
    db.segments.toCollection().primaryKeys() as Promise<number[]>,
    db.deliveries.toArray(),
    db.heavyRcps.get(rcpId),
  ]);
  const before = heavy?.from ?? Number.POSITIVE_INFINITY;
  const covered = new Set<number>();
  const candidates: number[] = [];
  for (const f of filters) {
    covered.add(f.id);
    if (f.id < before && mayContain(f, rcpId)) candidates.push(f.id);
  }
  for (const key of segmentKeys) if (!covered.has(key) && key < before) candidates.push(key);
  candidates.sort((a, b) => b - a);
  return {
    rcpId,
    key: keys.get(rcpId),
    filters: filters.length,
    candidates,
    heavyFrom: heavy?.from,
    deliveries: new Map(deliveries.map((d) => [d.id!, d])),
  };
}

/** The recipient's rows of some segments, in segment-id then row order. */
interface Chunk extends EventColumns {
  delivery: Uint32Array;
  matched: number;
}

function extract(segments: readonly SegmentRow[], rcpId: number): Chunk {
  // First pass counts, second copies: no growing arrays.
  let n = 0;
  let matched = 0;
  for (const seg of segments) {
    let here = 0;
    const rcp = seg.rcp;
    for (let i = 0; i < seg.n; i++) if (rcp[i] === rcpId) here++;
    if (here) matched++;
    n += here;
  }
  const cols = emptyColumns(n);
  const delivery = new Uint32Array(n);
  let j = 0;
  for (const seg of segments) {
    const rcp = seg.rcp;
    for (let i = 0; i < seg.n; i++) {
      if (rcp[i] !== rcpId) continue;
      copyEvent(cols, j, seg, i);
      delivery[j] = seg.deliveryId;
      j++;
    }
  }
  return { ...cols, delivery, matched };
}

/**
 * A heavy recipient's events from their bucket's rows (./heavy.ts; rows in segment order, the recipient's run in
 * each), as one chunk. Events of a delivery no longer in the store are left out (a guard: deleting a source's data
 * deletes its heavy rows too).
 */
function heavyChunk(rows: readonly HeavyRow[], rcpId: number, deliveries: ReadonlyMap<number, unknown>): Chunk {
  const ranges = rows.map((row) => heavyRange(row, rcpId));
  let n = 0;
  for (let r = 0; r < rows.length; r++) {
    const [lo, hi] = ranges[r]!;
    for (let i = lo; i < hi; i++) if (deliveries.has(rows[r]!.deliveryId[i]!)) n++;
  }
  const cols = emptyColumns(n);
  const delivery = new Uint32Array(n);
  let j = 0;
  let matched = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const [lo, hi] = ranges[r]!;
    if (hi > lo) matched++;
    for (let i = lo; i < hi; i++) {
      if (!deliveries.has(row.deliveryId[i]!)) continue;
      copyEvent(cols, j, row, i);
      delivery[j] = row.deliveryId[i]!;
      j++;
    }
  }
  return { ...cols, delivery, matched };
}

/**
 * The chunks' rows in time order. Chunks come in the order they were read (newest segments first), so they are
 * walked in reverse: ties in time then keep segment-id order, the order a single full read gives.
 */
function merge(chunks: readonly Chunk[]): Omit<RecipientEvents, 'stats'> {
  let n = 0;
  for (const c of chunks) n += c.n;
  const t = new Uint32Array(n);
  const src: [Chunk, number][] = [];
  let j = 0;
  for (let c = chunks.length - 1; c >= 0; c--) {
    const chunk = chunks[c]!;
    for (let i = 0; i < chunk.n; i++, j++) {
      t[j] = chunk.t[i]!;
      src.push([chunk, i]);
    }
  }
  // Stable (Array.prototype.sort is): equal times keep segment order.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a]! - t[b]!);
  const out = emptyColumns(n);
  const delivery = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const [chunk, i] = src[order[k]!]!;
    copyEvent(out, k, chunk, i);
    delivery[k] = chunk.delivery[i]!;
  }
  return { ...out, delivery };
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
  /** False while older candidate segments are still to be read (events.stats says how many of how many). */
  complete: boolean;
}

/**
 * Segments per read: a small first batch so the newest events show fast, then doubling up to a cap. Why progressive
 * (the trade-off): the per-segment filters cannot help a recipient present in nearly every segment (the most active
 * one in the bench: ~1 900 events over ~1 300 of 1 323 segments), and reading all those segments whole (~130 KB each)
 * takes about a second. Reading newest first in batches shows the latest events after the first batch (tens of ms)
 * and fills the rest in; the cost is that until the state says complete, counts, sorting and filters apply to the
 * events read so far (the tab says so with its progress line), and the total time grows a little (one transaction
 * and one re-merge per batch; the merge is of this recipient's rows only). A store of the recipient column apart from
 * the other columns would cut the bytes of non-matching segments only, which this recipient hardly has.
 */
export const FIRST_BATCH = 16;
export const MAX_BATCH = 128;

function* batchSizes(first: number, max: number): Generator<number> {
  for (let size = first; ; size = Math.min(max, size * 2)) yield size;
}

/** Ids in these chunks' column not yet in `known` (nor 0), each once. */
function distinctNew(chunks: readonly Chunk[], column: 'url' | 'ua' | 'ip', known: Map<number, unknown>): number[] {
  const ids = new Set<number>();
  for (const chunk of chunks) for (const id of chunk[column]) if (id !== 0 && !known.has(id)) ids.add(id);
  return [...ids];
}

/**
 * Reads the plan's candidate segments newest first in batches, yielding after each batch everything found so far
 * (in time order, with the strings its ids name); the last value has `complete: true`. Each yield is a fresh object
 * (its maps may be shared with the previous one, only ever added to). A segment deleted meanwhile is skipped.
 */
export async function* recipientBatches(
  db: TrackingDb,
  plan: RecipientPlan,
  sizes: { first?: number; max?: number } = {},
): AsyncGenerator<RecipientData> {
  const { rcpId, candidates } = plan;
  const chunks: Chunk[] = [];
  const urls = new Map<number, UrlRow>();
  const agents = new Map<number, string>();
  const ips = new Map<number, string>();
  let read = 0;
  let segmentsRead = 0;
  let matched = 0;
  let heavyRows = 0;
  /** Chunks whose URL, agent and IP ids still have to be looked up. */
  const fresh: Chunk[] = [];
  if (plan.heavyFrom !== undefined) {
    // The newest part of a heavy recipient's events, in small rows (in segment order, by the index), shown with
    // the first batch of older segments.
    const bucket = heavyBucket(rcpId);
    const rows = await db.heavyEvents.where('[bucket+seg]').between([bucket, Dexie.minKey], [bucket, Dexie.maxKey]).toArray();
    heavyRows = rows.length;
    const chunk = heavyChunk(rows, rcpId, plan.deliveries);
    matched += chunk.matched;
    if (chunk.n) {
      chunks.push(chunk);
      fresh.push(chunk);
    }
  }
  const sizer = batchSizes(sizes.first ?? FIRST_BATCH, sizes.max ?? MAX_BATCH);
  do {
    const ids = candidates.slice(read, read + sizer.next().value!);
    read += ids.length;
    // Extracted in ascending id order within the batch (see merge).
    ids.reverse();
    const segments = (await db.segments.bulkGet(ids)).filter((s): s is SegmentRow => s !== undefined);
    segmentsRead += segments.length;
    const chunk = extract(segments, rcpId);
    matched += chunk.matched;
    if (chunk.n) chunks.push(chunk);
    fresh.push(chunk);
    const [urlRows, newAgents, newIps] = await Promise.all([
      db.urls.bulkGet(distinctNew(fresh, 'url', urls)),
      dictionaryStrings(db, 'agents', distinctNew(fresh, 'ua', agents)),
      dictionaryStrings(db, 'ips', distinctNew(fresh, 'ip', ips)),
    ]);
    fresh.length = 0;
    for (const u of urlRows) if (u) urls.set(u.id!, u);
    for (const [id, s] of newAgents) agents.set(id, s);
    for (const [id, s] of newIps) ips.set(id, s);
    const events: RecipientEvents = {
      ...merge(chunks),
      stats: { filters: plan.filters, segmentsTotal: candidates.length, segmentsRead, segmentsMatched: matched, heavyRows },
    };
    yield { key: plan.key, events, deliveries: plan.deliveries, urls, agents, ips, complete: read >= candidates.length };
  } while (read < candidates.length);
}

/** The whole lookup at once (tests, exports): the last value of recipientBatches read in one batch. */
export async function loadRecipientData(db: TrackingDb, rcpId: number): Promise<RecipientData> {
  const plan = await planRecipientLookup(db, rcpId);
  let last: RecipientData | undefined;
  const all = Math.max(1, plan.candidates.length);
  for await (const data of recipientBatches(db, plan, { first: all, max: all })) last = data;
  return last!;
}

/**
 * Every event of recipient `rcpId` (recipients dictionary id), across every delivery still in the store (the
 * reference's recipient Tracking tab: "the accumulation of all URLs tracked in the deliveries that are still
 * present"). Reads the small per-segment recipient filters, then only the segments that may hold the recipient
 * (lib/db/recipient-filter.ts), and keeps that recipient's rows.
 */
export async function loadRecipientEvents(db: TrackingDb, rcpId: number): Promise<RecipientEvents> {
  return (await loadRecipientData(db, rcpId)).events;
}
