import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryWithAggregate, listDeliveriesWithAggregates, runsForVerify } from '../../../../lib/db/queries';
import { openDb, type RunRow, type TrackingDb } from '../../../../lib/db/schema';
import { verifyTracking, type VerifyInput } from '../../../../lib/indicators/verify';
import { emptyTotals } from '../../../../lib/workflow/aggregate';

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

describe('the newest deliveries (the popup’s few)', () => {
  it('come in the full list’s order, read through the send-date index, undated ones last', async () => {
    // Equal send dates, undated rows, ids out of date order: the few must be the full list's first few.
    const sent = [5, 9, 9, undefined, 1, 9, undefined, 7, 3, 9];
    await db.deliveries.bulkAdd(
      sent.map((s, i) => ({ id: 10 + i, sourceId: 'a', extId: `D${i}`, label: `D${i}`, trackingEnabled: true, hasHtml: false, ...(s === undefined ? {} : { sentAt: s * 1000 }) })),
    );
    const all = (await listDeliveriesWithAggregates(db)).map((x) => x.delivery.id);
    expect(all.slice(0, 5)).toEqual([19, 15, 12, 11, 17]);
    for (const limit of [1, 3, 8, 10, 11, 12, 20]) {
      expect((await listDeliveriesWithAggregates(db, limit)).map((x) => x.delivery.id)).toEqual(all.slice(0, limit));
    }
    // Its source, as in the full list.
    expect((await listDeliveriesWithAggregates(db, 1))[0]).toMatchObject({ sourceKind: 'feed', sourceLabel: 'Feed A' });
  });
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

describe('the runs the "Verify tracking data collection" checklist reads', () => {
  const SENT = 10_000;
  /** A run (hour `h`, so startedAt h × 1 000) that reached `sourceId` with `ok`, or reached no source (`null`). */
  const run = (h: number, status: RunRow['status'], ok: boolean | null, sourceId = 'a'): RunRow => ({
    trigger: 'alarm',
    startedAt: h * 1000,
    heartbeat: h * 1000,
    endedAt: status === 'running' ? undefined : h * 1000 + 500,
    status,
    sources:
      ok === null
        ? []
        : [{ sourceId, label: sourceId, kind: 'feed', pages: 1, fetched: 1, stored: 1, duplicates: 0, rejected: 0, ok, done: true }],
    log: [],
    rejectedSamples: [],
  });
  const delivery: VerifyInput['delivery'] = { trackingEnabled: true, sentAt: SENT, sourceId: 'a', delivered: 10, textOnly: 0 };
  const totals = { ...emptyTotals(), events: 3, recipientOpen: 2, rawOpens: 2, totalRecipientClick: 1 };
  /** The checklist from the runs read, and from every run in the store (newest first): they must agree. */
  const both = async (): Promise<{ read: RunRow[]; fromRead: unknown; fromAll: unknown }> => {
    const read = await runsForVerify(db, 'a', SENT);
    const all = (await db.runs.orderBy('startedAt').reverse().toArray()).filter((r) => r.status !== 'running');
    return { read, fromRead: verifyTracking({ delivery, totals, runs: read }), fromAll: verifyTracking({ delivery, totals, runs: all }) };
  };

  it('reads only the newest run when it went well for the source, however many runs came before', async () => {
    await db.runs.bulkAdd([...Array.from({ length: 300 }, (_, k) => run(11 + k, k % 7 === 0 ? 'warning' : 'ok', true)), run(400, 'ok', true)]);
    const { read, fromRead, fromAll } = await both();
    expect(read.map((r) => r.startedAt)).toEqual([400_000]);
    expect(fromRead).toEqual(fromAll);
  });

  it('goes back past failed runs, running ones and other sources\' to the newest that went well since the send', async () => {
    await db.runs.bulkAdd([
      run(5, 'ok', true), // before the send
      run(12, 'ok', true),
      run(13, 'warning', true),
      run(14, 'ok', true, 'b'),
      run(15, 'error', false),
      run(16, 'ok', null), // reached no source (all off)
      run(17, 'warning', false),
      run(18, 'running', true),
    ]);
    const { read, fromRead, fromAll } = await both();
    expect(read.map((r) => r.startedAt)).toEqual([17_000, 15_000, 13_000]);
    expect(fromRead).toEqual(fromAll);
    expect(verifyTracking({ delivery, totals, runs: read }).find((c) => c.id === 'ran')?.runId).toBe(read[2]!.id);
  });

  it('stops at the first run before the send when none since went well, and has none when nothing reached the source', async () => {
    await db.runs.bulkAdd([run(2, 'ok', true), run(4, 'error', false), run(8, 'ok', true), run(11, 'error', false), run(12, 'ok', true, 'b')]);
    const { read, fromRead, fromAll } = await both();
    expect(read.map((r) => r.startedAt)).toEqual([11_000, 8_000]);
    expect(fromRead).toEqual(fromAll);
    expect(await runsForVerify(db, 'nowhere', SENT)).toEqual([]);
  });

  it('reads at most `max` runs', async () => {
    await db.runs.bulkAdd(Array.from({ length: 30 }, (_, k) => run(11 + k, 'error', false)));
    expect(await runsForVerify(db, 'a', SENT, 10)).toHaveLength(10);
  });
});
