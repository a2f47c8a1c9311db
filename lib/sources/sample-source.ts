import type { SourceRow, TrackingDb } from '../db/schema';

/**
 * Turning sample data on, apart from the rest of the registry: the popup's "Try with sample data" needs only this,
 * and the registry pulls in every provider adapter, which the popup must not load (its first paint is measured).
 */

/** The one sample source has a fixed id, so turning sample data on twice can never make two. */
export const SAMPLE_SOURCE_ID = 'sample';
export const SAMPLE_SOURCE_LABEL = 'Sample data';

/**
 * Turns sample data on: creates the sample source, or re-enables it when it exists. Its `anchor` (the time the sample
 * deliveries are laid out around) is set once, so re-enabling keeps the same deliveries rather than making new ones.
 */
export async function addSampleSource(db: TrackingDb, now: number): Promise<SourceRow> {
  return db.transaction('rw', db.sources, async () => {
    const existing = await db.sources.where('kind').equals('sample').first();
    if (existing) {
      if (!existing.enabled) await db.sources.update(existing.id, { enabled: true });
      return { ...existing, enabled: true };
    }
    const row: SourceRow = {
      id: SAMPLE_SOURCE_ID,
      kind: 'sample',
      label: SAMPLE_SOURCE_LABEL,
      enabled: true,
      config: { anchor: now },
      cursor: null,
      createdAt: now,
    };
    await db.sources.add(row);
    return row;
  });
}
