import type { ImportBatch, ImportState } from './batch';

/**
 * Our own feed format (lib/sources/feed-format.ts, README "Tracking log feed") saved to a file: NDJSON or one JSON
 * array of `delivery`, `url` and `event` records. Validated by the very code the HTTP feed uses (PageCollector), so
 * a file and a feed accept and reject the same records; event ids are the feed's own `id`.
 */
export function mapFeedRecord(rec: unknown, raw: string, batch: ImportBatch, state: ImportState): void {
  const why = batch.add(rec);
  if (why !== undefined) return batch.reject(why, raw);
  // An event went in (the batch may keep it in columns): its delivery, as the record names it, is touched.
  const { kind, delivery } = rec as { kind?: unknown; delivery?: unknown };
  if (kind === 'event' && typeof delivery === 'string') state.touched.add(delivery);
}
