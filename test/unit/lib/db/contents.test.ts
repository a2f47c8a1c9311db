import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeDroppedHtml, storeDroppedHtml } from '../../../../lib/db/contents';
import { openDb, type TrackingDb } from '../../../../lib/db/schema';

let db: TrackingDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`contents-test-${n++}`);
  await db.deliveries.bulkAdd([
    { id: 1, sourceId: 's', extId: 'A', label: 'No HTML', trackingEnabled: true, hasHtml: false },
    { id: 2, sourceId: 's', extId: 'B', label: 'Sent with HTML', trackingEnabled: true, hasHtml: true },
  ]);
  await db.contents.put({ deliveryId: 2, html: '<p>from the source</p>' });
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('HTML dropped by the user', () => {
  it('is stored, marked as dropped, and the delivery then has HTML', async () => {
    await storeDroppedHtml(db, 1, '<p>dropped</p>');
    expect(await db.contents.get(1)).toEqual({ deliveryId: 1, html: '<p>dropped</p>', dropped: true });
    expect((await db.deliveries.get(1))?.hasHtml).toBe(true);
  });

  it('can be removed again, leaving no HTML and no sanitised copy of it', async () => {
    await storeDroppedHtml(db, 1, '<p>dropped</p>');
    const copy = { deliveryId: 1, sanitizer: 's', html: '<p>dropped</p>', markup: '<div class="tl-email-body"><p>dropped</p></div>' };
    await db.safeEmails.put({ ...copy, anchors: [], blockedImages: 0, removedTracking: 0, trackingHosts: [] });
    expect(await removeDroppedHtml(db, 1)).toBe(true);
    expect(await db.contents.get(1)).toBeUndefined();
    expect(await db.safeEmails.get(1)).toBeUndefined();
    expect((await db.deliveries.get(1))?.hasHtml).toBe(false);
  });

  it('never replaces or removes the HTML a source sent', async () => {
    await expect(storeDroppedHtml(db, 2, '<p>other</p>')).rejects.toThrow(/already has/);
    expect(await removeDroppedHtml(db, 2)).toBe(false);
    expect((await db.contents.get(2))?.html).toBe('<p>from the source</p>');
    await expect(storeDroppedHtml(db, 99, '<p>x</p>')).rejects.toThrow(/no delivery/);
  });
});
