import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryWithAggregate } from '../../../../lib/db/queries';
import { openDb, type TrackingDb } from '../../../../lib/db/schema';

let db: TrackingDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`queries-test-${n++}`);
  await db.sources.bulkAdd([
    { id: 'a', kind: 'feed', label: 'Feed A', enabled: true, config: {}, cursor: null, createdAt: 0 },
    { id: 'b', kind: 'mailgun', label: 'Mailgun B', enabled: true, config: {}, cursor: null, createdAt: 0 },
  ]);
  await db.deliveries.bulkAdd([
    { id: 1, sourceId: 'b', extId: 'X', label: 'Spring', trackingEnabled: true, hasHtml: false },
    { id: 2, sourceId: 'gone', extId: 'Y', label: 'Orphan', trackingEnabled: true, hasHtml: false },
  ]);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('a delivery with its totals and source', () => {
  it('names its own source, among several', async () => {
    const item = await deliveryWithAggregate(db, 1);
    expect(item?.delivery.label).toBe('Spring');
    expect(item?.sourceKind).toBe('mailgun');
    expect(item?.sourceLabel).toBe('Mailgun B');
    expect(item?.totals).toBeUndefined(); // nothing ingested yet
  });

  it('has no source when its source is gone, and nothing for an unknown id', async () => {
    const orphan = await deliveryWithAggregate(db, 2);
    expect(orphan?.delivery.label).toBe('Orphan');
    expect(orphan?.sourceKind).toBeUndefined();
    expect(await deliveryWithAggregate(db, 99)).toBeUndefined();
  });
});
