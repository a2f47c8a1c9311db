import type { ImportBatch, ImportState } from './batch';

/**
 * Our own feed format (lib/sources/feed-format.ts, README "Tracking log feed") saved to a file: NDJSON or one JSON
 * array of `delivery`, `url` and `event` records. Validated by the very code the HTTP feed uses (PageCollector), so
 * a file and a feed accept and reject the same records; event ids are the feed's own `id`.
 */
export function mapFeedRecord(rec: unknown, raw: string, batch: ImportBatch, state: ImportState): void {
  const before = batch.events.length;
  const why = batch.add(rec);
  if (why !== undefined) return batch.reject(why, raw);
  const e = batch.events[before];
  if (e) state.touched.add(e.deliveryExtId);
}
