import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openDb, type TrackingDb } from '../../../../lib/db/schema';
import { countDeliveriesOfSource, listSources } from '../../../../lib/db/queries';
import {
  addFeedSource,
  addSampleSource,
  originPattern,
  removeSource,
  SAMPLE_SOURCE_ID,
  setSourceEnabled,
  updateSource,
  validateFeedInput,
} from '../../../../lib/sources/registry';
import { getSecret, hasSecret } from '../../../../lib/sources/secrets';
import { emptyTotals, newAggregate, toRow } from '../../../../lib/workflow/aggregate';

let db: TrackingDb;
let n = 0;

beforeEach(() => {
  fakeBrowser.reset();
  db = openDb(`registry-test-${++n}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

/** Puts a delivery with a link, content, a segment and an aggregate for `sourceId`; returns its id. */
async function seedDelivery(sourceId: string, extId: string): Promise<number> {
  const deliveryId = (await db.deliveries.add({ sourceId, extId, label: extId, trackingEnabled: true, hasHtml: true })) as number;
  await db.urls.add({ deliveryId, extId: 'u1', type: 1, url: 'https://shop.example/' });
  await db.contents.add({ deliveryId, html: '<p>hi</p>' });
  const markup = '<div class="tl-email-body"><p>hi</p></div>';
  await db.safeEmails.add({ deliveryId, sanitizer: 's', html: '<p>hi</p>', markup, anchors: [], blockedImages: 0, removedTracking: 0, trackingHosts: [] });
  await db.segments.add({
    sourceId,
    deliveryId,
    n: 1,
    tMin: 1,
    tMax: 1,
    t: new Uint32Array([1]),
    rcp: new Uint32Array([1]),
    url: new Uint32Array([0]),
    type: new Uint8Array([2]),
    ua: new Uint32Array([0]),
    person: new Uint32Array([0]),
    flags: new Uint8Array([0]),
    h: new Float64Array([1]),
  });
  await db.aggregates.put({ ...toRow(newAggregate(deliveryId)), totals: { ...emptyTotals(), events: 1 } });
  return deliveryId;
}

describe('sample source', () => {
  it('is created once, enabled, with its anchor; adding it again re-enables the same source', async () => {
    const first = await addSampleSource(db, 1_000);
    expect(first).toMatchObject({ id: SAMPLE_SOURCE_ID, kind: 'sample', label: 'Sample data', enabled: true, config: { anchor: 1_000 } });
    await setSourceEnabled(db, first.id, false);
    expect((await db.sources.get(first.id))?.enabled).toBe(false);
    const again = await addSampleSource(db, 9_000);
    expect(again.enabled).toBe(true);
    expect(await db.sources.count()).toBe(1);
    // The anchor is kept: re-enabling shows the same sample deliveries, not a second set.
    expect((await db.sources.get(first.id))?.config).toEqual({ anchor: 1_000 });
  });
});

describe('feed sources', () => {
  it('adds a feed with a generated id, its config, and the token in browser.storage only', async () => {
    const row = await addFeedSource(db, { label: '  Newsletter ESP ', url: ' https://esp.example/feed ', secret: 'tok' }, 5);
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await db.sources.get(row.id);
    expect(stored).toMatchObject({ kind: 'feed', label: 'Newsletter ESP', enabled: true, cursor: null, createdAt: 5 });
    expect(stored?.config).toEqual({ url: 'https://esp.example/feed', format: 'auto' });
    expect(JSON.stringify(stored)).not.toContain('tok');
    expect(await getSecret(row.id)).toBe('tok');
  });

  it('refuses an empty label or a non-http URL and stores nothing', async () => {
    await expect(addFeedSource(db, { label: ' ', url: 'https://esp.example/' })).rejects.toThrow();
    await expect(addFeedSource(db, { label: 'x', url: 'javascript:alert(1)' })).rejects.toThrow();
    await expect(addFeedSource(db, { label: 'x', url: 'ftp://esp.example/' })).rejects.toThrow();
    expect(await db.sources.count()).toBe(0);
  });

  it('validates form input field by field', () => {
    expect(validateFeedInput({ label: 'A', url: 'https://a.example/x' })).toEqual({});
    expect(validateFeedInput({ label: '', url: '' })).toEqual({ label: 'required', url: 'required' });
    expect(validateFeedInput({ label: 'A', url: 'esp.example/feed' })).toEqual({ url: 'invalid' });
    expect(validateFeedInput({ label: 'A', url: 'file:///etc/passwd' })).toEqual({ url: 'invalid' });
    expect(originPattern('http://127.0.0.1:8080/feed?x=1')).toBe('http://127.0.0.1:8080/*');
    expect(originPattern('nope')).toBeUndefined();
  });

  it('updates label and format, keeps the token unless replaced or removed, and restarts the cursor on a new URL', async () => {
    const row = await addFeedSource(db, { label: 'ESP', url: 'https://esp.example/feed', secret: 'tok' });
    await db.sources.update(row.id, { cursor: 'c-42' });

    await updateSource(db, row.id, { label: 'ESP 2', format: 'csv' });
    let stored = await db.sources.get(row.id);
    expect(stored).toMatchObject({ label: 'ESP 2', cursor: 'c-42', config: { url: 'https://esp.example/feed', format: 'csv' } });
    expect(await getSecret(row.id)).toBe('tok');

    await updateSource(db, row.id, { url: 'https://esp.example/feed', secret: 'new' });
    expect((await db.sources.get(row.id))?.cursor).toBe('c-42');
    expect(await getSecret(row.id)).toBe('new');

    await updateSource(db, row.id, { url: 'https://other.example/feed', secret: null });
    stored = await db.sources.get(row.id);
    expect(stored?.cursor).toBeNull();
    expect(await hasSecret(row.id)).toBe(false);

    await expect(updateSource(db, row.id, { url: 'not a url' })).rejects.toThrow();
    expect((await db.sources.get(row.id))?.config).toMatchObject({ url: 'https://other.example/feed' });
    await expect(updateSource(db, 'missing', { label: 'x' })).rejects.toThrow();
  });

  it('lists sources in the order they were added', async () => {
    await addFeedSource(db, { label: 'B', url: 'https://b.example/' }, 20);
    await addSampleSource(db, 10);
    await addFeedSource(db, { label: 'C', url: 'https://c.example/' }, 30);
    expect((await listSources(db)).map((s) => s.label)).toEqual(['Sample data', 'B', 'C']);
  });
});

describe('removing a source', () => {
  it('deletes the source and its token but keeps its data by default', async () => {
    const row = await addFeedSource(db, { label: 'ESP', url: 'https://esp.example/', secret: 'tok' });
    await seedDelivery(row.id, 'D1');
    await removeSource(db, row.id);
    expect(await db.sources.get(row.id)).toBeUndefined();
    expect(await hasSecret(row.id)).toBe(false);
    expect(await db.deliveries.count()).toBe(1);
    expect(await db.segments.count()).toBe(1);
  });

  it('with its data: deletes its deliveries, links, contents, segments and aggregates, and nothing of other sources', async () => {
    const a = await addFeedSource(db, { label: 'A', url: 'https://a.example/' });
    const b = await addFeedSource(db, { label: 'B', url: 'https://b.example/' });
    await seedDelivery(a.id, 'D1');
    await seedDelivery(a.id, 'D2');
    const kept = await seedDelivery(b.id, 'D1');
    expect(await countDeliveriesOfSource(db, a.id)).toBe(2);

    await removeSource(db, a.id, { withData: true });

    expect(await db.sources.get(a.id)).toBeUndefined();
    expect((await db.deliveries.toArray()).map((d) => d.id)).toEqual([kept]);
    expect((await db.urls.toArray()).map((u) => u.deliveryId)).toEqual([kept]);
    expect((await db.contents.toArray()).map((c) => c.deliveryId)).toEqual([kept]);
    expect((await db.safeEmails.toArray()).map((c) => c.deliveryId)).toEqual([kept]);
    expect((await db.segments.toArray()).map((s) => s.deliveryId)).toEqual([kept]);
    expect((await db.aggregates.toArray()).map((g) => g.deliveryId)).toEqual([kept]);
    expect(await countDeliveriesOfSource(db, a.id)).toBe(0);
  });
});
