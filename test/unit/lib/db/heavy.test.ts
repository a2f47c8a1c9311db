import { describe, expect, it } from 'vitest';
import { dictionaryKeys } from '../../../../lib/db/dictionary';
import { buildHeavy, HEAVY_BUCKETS, heavyRowsOf, type HeavyRow } from '../../../../lib/db/heavy';
import { loadRecipientEvents, planRecipientLookup, recipientBatches } from '../../../../lib/db/recipient-events';
import type { TrackingDb } from '../../../../lib/db/schema';
import { removeSource } from '../../../../lib/sources/registry';
import type { EventInput } from '../../../../lib/sources/source';
import { StoreWriter } from '../../../../lib/workflow/store-writer';
import { addFeed, commitInPages, freshDb } from '../workflow/helpers';

const BUSY = 'busy@example.se';

/** 3 000 events over two deliveries: every third one is BUSY's (1 000), the rest 500 recipients with 4 each. */
function events(prefix = 'e'): EventInput[] {
  const start = Date.UTC(2026, 10, 20, 9);
  return Array.from({ length: 3000 }, (_, i) => ({
    id: `${prefix}${i}`,
    deliveryExtId: i % 2 ? 'D2' : 'D1',
    recipient: i % 3 === 0 ? BUSY : `r${i % 500}@example.com`,
    type: i % 5 === 0 ? 1 : 2,
    time: start + i * 60_000,
    url: i % 5 === 0 ? `https://shop.example/${i % 7}` : undefined,
    userAgent: `Agent ${i % 4}`,
    ip: i % 11 === 0 ? `192.0.2.${i % 9}` : undefined,
  }));
}

/** Writes `evts` in pages of 500 through StoreWriters (a new one from each index in `splits`). */
async function ingest(db: TrackingDb, sourceId: string, evts: EventInput[], heavyEvents: number, splits: number[] = []): Promise<void> {
  let writer = new StoreWriter(db, { heavyEvents });
  await commitInPages(db, sourceId, evts, 500, async (page) => {
    if (splits.includes(page)) {
      await writer.finish();
      writer = new StoreWriter(db, { heavyEvents });
    }
    return writer;
  });
  await writer.finish();
}

async function store(heavyEvents: number, splits: number[] = []): Promise<TrackingDb> {
  const db = freshDb();
  await addFeed(db);
  await ingest(db, 'src-1', events(), heavyEvents, splits);
  return db;
}

/** A recipient's events as the tab shows them, in a form comparable across stores. */
async function recipientView(db: TrackingDb, address: string): Promise<string[]> {
  const rcp = (await dictionaryKeys(db, 'recipients')).indexOf(address);
  const r = await loadRecipientEvents(db, rcp);
  const deliveries = new Map((await db.deliveries.toArray()).map((d) => [d.id!, d.extId]));
  const urls = new Map((await db.urls.toArray()).map((u) => [u.id!, u.url]));
  return Array.from({ length: r.n }, (_, i) =>
    [r.t[i], deliveries.get(r.delivery[i]!), r.type[i], urls.get(r.url[i]!) ?? '-', r.ua[i], r.ip[i], r.flags[i]].join('|'),
  );
}

async function rcpId(db: TrackingDb, address: string): Promise<number> {
  return (await dictionaryKeys(db, 'recipients')).indexOf(address);
}

describe('heavy recipients', () => {
  it('copies a recipient past the threshold into heavy rows from the page it got there, and the tab reads those', async () => {
    const baseline = await store(Number.POSITIVE_INFINITY);
    const db = await store(200);
    const busy = await rcpId(db, BUSY);
    // BUSY's 200th event (index 597) is in the second page (events 500–999): heavy from that page's first segment.
    const pageTwoFirst = (await db.segments.toArray()).filter((s) => s.t[0]! >= Math.floor((Date.UTC(2026, 10, 20, 9) + 500 * 60_000) / 1000))[0]!.id!;
    expect(await db.heavyRcps.toArray()).toEqual([{ rcp: busy, from: pageTwoFirst }]);
    const rows = await db.heavyEvents.toArray();
    // One row per page from then on (one heavy recipient: one bucket), holding only BUSY's events.
    expect(rows.map((r) => r.seg)).toEqual([...new Set(rows.map((r) => r.seg))]);
    expect(rows.length).toBe(5);
    expect(rows.every((r: HeavyRow) => r.rcp.every((x) => x === busy) && r.seg >= pageTwoFirst && r.bucket === busy % HEAVY_BUCKETS)).toBe(true);
    expect(rows.reduce((n, r) => n + r.n, 0)).toBe(1000 - 167); // all but the first page's 167
    expect((await db.rcpCounts.get(1))!.counts[busy]).toBe(1000);
    expect(await baseline.heavyRcps.count()).toBe(0);

    // Same answer as without heavy rows; only the first page's segments are read.
    expect(await recipientView(db, BUSY)).toEqual(await recipientView(baseline, BUSY));
    const r = await loadRecipientEvents(db, busy);
    expect(r.n).toBe(1000);
    expect(r.stats.heavyRows).toBe(rows.length);
    expect(r.stats.segmentsRead).toBeLessThanOrEqual(2);
    const full = await loadRecipientEvents(baseline, await rcpId(baseline, BUSY));
    expect(full.stats.segmentsRead).toBe(await baseline.segments.count());
    // A recipient below the threshold is found through the filters as before.
    expect(await recipientView(db, 'r7@example.com')).toEqual(await recipientView(baseline, 'r7@example.com'));

    // Progressively: the heavy rows (the newest events) come with the first batch.
    const plan = await planRecipientLookup(db, busy);
    expect(plan.heavyFrom).toBe(pageTwoFirst);
    const first = await recipientBatches(db, plan, { first: 1, max: 1 }).next();
    expect(first.value!.events.n).toBeGreaterThanOrEqual(833);
  });

  it('promotes across runs from the saved counts, as one writer would', async () => {
    // BUSY reaches 600 in the fourth page; the second writer starts at the third page with the counts saved.
    const one = await store(600);
    const two = await store(600, [2]);
    const busy = await rcpId(one, BUSY);
    expect(await two.heavyRcps.toArray()).toEqual(await one.heavyRcps.toArray());
    const rows = (db: TrackingDb) => db.heavyEvents.toArray().then((rs) => rs.map(({ id: _, ...r }) => r));
    expect(await rows(two)).toEqual(await rows(one));
    expect((await one.heavyRcps.get(busy))!.from).toBeGreaterThan(1);
  });

  it('removing a source with its data takes its segments’ heavy rows along', async () => {
    const db = await store(200);
    await db.sources.add({ id: 'src-2', kind: 'feed', label: 'Second', enabled: true, config: { url: 'http://127.0.0.1/b' }, cursor: null, createdAt: 0 });
    await ingest(db, 'src-2', events('x').map((e) => ({ ...e, deliveryExtId: `B-${e.deliveryExtId}` })), 200);
    expect((await loadRecipientEvents(db, await rcpId(db, BUSY))).n).toBe(2000);
    await removeSource(db, 'src-2', { withData: true });
    const segmentIds = new Set((await db.segments.toCollection().primaryKeys()) as number[]);
    expect((await db.heavyEvents.toArray()).every((r) => segmentIds.has(r.seg))).toBe(true);
    const baseline = await store(Number.POSITIVE_INFINITY);
    expect(await recipientView(db, BUSY)).toEqual(await recipientView(baseline, BUSY));
  });

  it('writes at most one row per bucket for a page, each recipient one sorted run in segment and row order', () => {
    const seg = (id: number, rcp: number[]) => ({
      id, sourceId: 's', deliveryId: id * 10, n: rcp.length, tMin: 0, tMax: 0,
      t: Uint32Array.from(rcp, (_, i) => id * 100 + i), rcp: Uint32Array.from(rcp), url: new Uint32Array(rcp.length),
      type: new Uint8Array(rcp.length), ua: new Uint32Array(rcp.length), person: new Uint32Array(rcp.length),
      flags: new Uint8Array(rcp.length), ip: new Uint32Array(rcp.length), h: new Float64Array(rcp.length),
    });
    const heavy = new Set([5, 5 + HEAVY_BUCKETS, 7]);
    const rows = heavyRowsOf('s', [seg(3, [5, 1, 7, 5 + HEAVY_BUCKETS, 5]), seg(4, [7, 5, 2, 5 + HEAVY_BUCKETS])], (r) => heavy.has(r));
    expect(rows.map((r) => [r.bucket, r.seg, Array.from(r.rcp), Array.from(r.t), Array.from(r.deliveryId)])).toEqual([
      [5, 3, [5, 5, 5, 69, 69], [300, 304, 401, 303, 403], [30, 30, 40, 30, 40]],
      [7, 3, [7, 7], [302, 400], [30, 40]],
    ]);
  });

  it('builds heavy rows for a store written before they existed (the schema upgrade)', async () => {
    const db = await store(Number.POSITIVE_INFINITY);
    const before = await recipientView(db, BUSY);
    await db.transaction('rw', [db.segments, db.rcpCounts, db.heavyRcps, db.heavyEvents], () =>
      buildHeavy(db.segments.toCollection(), (counts, heavy, rows) =>
        Promise.all([db.rcpCounts.put(counts), db.heavyRcps.bulkPut(heavy), db.heavyEvents.bulkAdd(rows)]),
        200,
      ),
    );
    const busy = await rcpId(db, BUSY);
    expect(await db.heavyRcps.toArray()).toEqual([{ rcp: busy, from: 0 }]);
    const r = await loadRecipientEvents(db, busy);
    expect(r.stats.segmentsRead).toBe(0);
    expect(await recipientView(db, BUSY)).toEqual(before);
    expect((await db.rcpCounts.get(1))!.counts[busy]).toBe(1000);
  });
});
