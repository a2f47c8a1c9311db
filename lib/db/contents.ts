import type { TrackingDb } from './schema';

/**
 * The email HTML of a delivery the user supplied by dropping its file on the hot-clicks view, for deliveries whose
 * source sent none. Kept in `contents` like the source's own copy (untrusted, shown only sanitised), marked
 * `dropped` so it can be removed again without touching what a source stored; `deliveries.hasHtml` follows.
 * A later source run that brings HTML replaces it (lib/workflow/store-writer.ts puts its copy over it).
 */

export async function storeDroppedHtml(db: TrackingDb, deliveryId: number, html: string): Promise<void> {
  await db.transaction('rw', db.deliveries, db.contents, async () => {
    const delivery = await db.deliveries.get(deliveryId);
    if (!delivery) throw new Error(`no delivery ${deliveryId}`);
    const existing = await db.contents.get(deliveryId);
    if (existing && !existing.dropped) throw new Error('the delivery already has the HTML its source sent');
    await db.contents.put({ deliveryId, html, dropped: true });
    await db.deliveries.update(deliveryId, { hasHtml: true });
  });
}

/** Removes HTML the user dropped (never a source's own copy), and its sanitised copy; returns whether there was one. */
export async function removeDroppedHtml(db: TrackingDb, deliveryId: number): Promise<boolean> {
  return db.transaction('rw', db.deliveries, db.contents, db.safeEmails, async () => {
    const existing = await db.contents.get(deliveryId);
    if (!existing?.dropped) return false;
    await db.contents.delete(deliveryId);
    await db.safeEmails.delete(deliveryId);
    await db.deliveries.update(deliveryId, { hasHtml: false });
    return true;
  });
}
