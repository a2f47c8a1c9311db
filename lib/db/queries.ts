import { Dexie } from 'dexie';
import type { AggregateTotals, DeliveryRow, RunRow, SourceKind, SourceRow, TrackingDb } from './schema';

/**
 * Read-only queries the views run (inside Dexie liveQuery, so only Dexie calls here: no other async API).
 * Writes belong to the workflow (lib/workflow) and to the source registry (lib/sources/registry.ts).
 */

/** The latest `n` runs, newest first (index `startedAt`). Small on purpose: the popup's first paint waits on it. */
export function latestRuns(db: TrackingDb, n: number): Promise<RunRow[]> {
  return db.runs.orderBy('startedAt').reverse().limit(n).toArray();
}

/** The latest workflow run (not a file import) that ended ok or with warnings, however far back. */
export function lastSuccessfulRun(db: TrackingDb): Promise<RunRow | undefined> {
  return db.runs
    .orderBy('startedAt')
    .reverse()
    .filter((r) => (r.status === 'ok' || r.status === 'warning') && r.trigger !== 'import')
    .first();
}

export function runById(db: TrackingDb, id: number): Promise<RunRow | undefined> {
  return db.runs.get(id);
}

/** All sources, oldest first (the order the user added them). */
export async function listSources(db: TrackingDb): Promise<SourceRow[]> {
  const rows = await db.sources.toArray();
  return rows.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function sourceById(db: TrackingDb, id: string): Promise<SourceRow | undefined> {
  return db.sources.get(id);
}

/** The sample source, if the user turned it on once (index `kind`). */
export function sampleSource(db: TrackingDb): Promise<SourceRow | undefined> {
  return db.sources.where('kind').equals('sample').first();
}

export interface DeliveryListItem {
  delivery: DeliveryRow & { id: number };
  /** Undefined until the workflow has stored an event for the delivery. */
  totals: AggregateTotals | undefined;
  sourceKind: SourceKind | undefined;
  sourceLabel: string | undefined;
}

/**
 * Deliveries with their aggregate totals and their source, newest send first (deliveries without a send date last).
 * Totals come from the light `totals` table, never the whole aggregates with their per-recipient arrays.
 */
export async function listDeliveriesWithAggregates(db: TrackingDb, limit?: number): Promise<DeliveryListItem[]> {
  const [deliveries, sources] = await Promise.all([
    limit === undefined ? db.deliveries.toArray() : newestDeliveries(db, limit),
    db.sources.toArray(),
  ]);
  deliveries.sort(newestFirst);
  const rows = (limit === undefined ? deliveries : deliveries.slice(0, limit)).filter(
    (d): d is DeliveryRow & { id: number } => d.id !== undefined,
  );
  const aggregates = await db.totals.bulkGet(rows.map((d) => d.id));
  const byId = new Map(sources.map((s) => [s.id, s]));
  return rows.map((delivery, i) => {
    const source = byId.get(delivery.sourceId);
    return {
      delivery,
      totals: aggregates[i]?.totals,
      sourceKind: source?.kind,
      sourceLabel: source?.label,
    };
  });
}

/** Newest send first, deliveries without a send date last; the newer row first among equals. */
const newestFirst = (a: DeliveryRow, b: DeliveryRow): number =>
  (b.sentAt ?? Number.NEGATIVE_INFINITY) - (a.sentAt ?? Number.NEGATIVE_INFINITY) || (b.id ?? 0) - (a.id ?? 0);

/**
 * The `limit` first deliveries in `newestFirst` order, read through the send-date index rather than every row (the
 * popup's three, on each open and each change, in a store of thousands of deliveries). Rows without a send date are
 * not in the index: read, by a scan, only when fewer than `limit` have one. Equal send dates come newest row first
 * in the reversed index, as in `newestFirst`.
 */
async function newestDeliveries(db: TrackingDb, limit: number): Promise<DeliveryRow[]> {
  const dated = await db.deliveries.orderBy('sentAt').reverse().limit(limit).toArray();
  if (dated.length >= limit) return dated;
  const undated = await db.deliveries.filter((d) => d.sentAt === undefined || d.sentAt === null).toArray();
  return dated.concat(undated);
}

/** One delivery with its totals and source, or undefined when it does not exist (a stale link). */
export async function deliveryWithAggregate(db: TrackingDb, id: number): Promise<DeliveryListItem | undefined> {
  // One round trip to the store, not two: the sources (a handful of rows) are read with the delivery instead of after
  // it, by its source id. The statistics page waits on this read before anything of the delivery shows.
  const [delivery, aggregate, sources] = await Promise.all([db.deliveries.get(id), db.totals.get(id), db.sources.toArray()]);
  if (!delivery || delivery.id === undefined) return undefined;
  const source = sources.find((s) => s.id === delivery.sourceId);
  return {
    delivery: delivery as DeliveryRow & { id: number },
    totals: aggregate?.totals,
    sourceKind: source?.kind,
    sourceLabel: source?.label,
  };
}

/** How many deliveries a source has in the store, for the "remove with its data" confirmation. */
export function countDeliveriesOfSource(db: TrackingDb, sourceId: string): Promise<number> {
  return db.deliveries.where('[sourceId+extId]').between([sourceId, Dexie.minKey], [sourceId, Dexie.maxKey]).count();
}

/**
 * The runs the "Verify tracking data collection" checklist needs (lib/indicators/verify.ts), newest first: ended runs
 * that reached `sourceId`, from the newest back to the newest one that went well for that source since `since` (epoch
 * ms, the delivery's send), or back to the first one before `since` when none did; at most `max`. Usually that is the
 * newest run alone. The checklist draws the same from these as from every run in the store.
 *
 * Not every run since the send: runs are kept (one an hour is ~8 800 a year) and each is read whole, with its log and
 * up to 20 rejected records, when a delivery's page opens and again after each write to the runs (live). With 500
 * hourly runs after the send, reading 200 of them by cursor took 11.5–15 ms against ~1 ms for the newest one or two
 * (2026-11-29). The statistics did not draw sooner for it (builds alternating, 15 loads each: medians 163 / 167 / 165
 * against 163 / 168 / 172 ms): the checklist is not on their path; this is work a page no longer does.
 */
export async function runsForVerify(db: TrackingDb, sourceId: string, since: number, max = 200): Promise<RunRow[]> {
  const out: RunRow[] = [];
  let enough = false;
  await db.runs
    .orderBy('startedAt')
    .reverse()
    .until(() => enough) // asked before each run is read: stops at the one after the last needed
    .each((r) => {
      const outcome = r.status === 'running' ? undefined : r.sources.find((s) => s.sourceId === sourceId);
      if (!outcome) return;
      out.push(r);
      // Newest first: a run that went well is the newest such since the send (if it is since); a run before the send
      // means no later one can be since it.
      enough = outcome.ok || r.startedAt < since || out.length >= max;
    });
  return out;
}

/** How many of the newest segments {@link latestRecipients} reads: a few thousand events each. */
const LATEST_SEGMENTS = 8;

/**
 * The recipients of the newest tracked events, newest first, each once with the time of their newest event (epoch
 * s): what the recipients page shows before anything is typed. Read from the last segments written (the latest
 * runs' events), not the whole store, so it stays a small read however big the store grows.
 */
export async function latestRecipients(db: TrackingDb, limit: number): Promise<{ id: number; t: number }[]> {
  const segments = await db.segments.orderBy(':id').reverse().limit(LATEST_SEGMENTS).toArray();
  const newest = new Map<number, number>();
  for (const seg of segments) {
    for (let i = 0; i < seg.n; i++) {
      const r = seg.rcp[i]!;
      const t = seg.t[i]!;
      if (t > (newest.get(r) ?? -1)) newest.set(r, t);
    }
  }
  return [...newest]
    .map(([id, t]) => ({ id, t }))
    .sort((a, b) => b.t - a.t || a.id - b.id)
    .slice(0, limit);
}
