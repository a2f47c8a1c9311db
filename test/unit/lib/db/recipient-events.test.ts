import { describe, expect, it } from 'vitest';
import { dictionaryKeys } from '../../../../lib/db/dictionary';
import { loadDeliveryEvents } from '../../../../lib/db/events';
import { loadRecipientData, loadRecipientEvents } from '../../../../lib/db/recipient-events';
import type { EventInput } from '../../../../lib/sources/source';
import { runWorkflow } from '../../../../lib/workflow/run';
import { SEGMENT_EVENTS } from '../../../../lib/workflow/store-writer';
import { addFeed, deps, freshDb, pagedAdapter } from '../workflow/helpers';

/** 20 000 events of one delivery: recipients 1…2000 in turn (each in every segment), plus one rare recipient. */
function events(): EventInput[] {
  const out: EventInput[] = [];
  const start = Date.UTC(2026, 10, 20, 9);
  for (let i = 0; i < 20_000; i++) {
    out.push({
      id: `e${i}`,
      deliveryExtId: 'D1',
      recipient: i === 12_345 ? 'rare@example.se' : `r${i % 2000}@example.com`,
      type: i % 4 === 0 ? 1 : 2,
      time: start + i * 1000,
      urlExtId: i % 4 === 0 ? 'U1' : undefined,
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)',
      ip: i === 12_345 ? '198.51.100.7' : undefined,
    });
  }
  return out;
}

describe('a recipient across the store', () => {
  it('stores pages as segments of at most SEGMENT_EVENTS, each with its recipient filter', async () => {
    const db = freshDb();
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(events(), 10_000)), 'manual');
    const segments = await db.segments.toArray();
    expect(segments.every((s) => s.n <= SEGMENT_EVENTS)).toBe(true);
    expect(segments.reduce((n, s) => n + s.n, 0)).toBe(20_000);
    expect(segments.length).toBe(2 * Math.ceil(10_000 / SEGMENT_EVENTS));
    expect((await db.rcpFilters.toCollection().primaryKeys()).sort()).toEqual(segments.map((s) => s.id).sort());
    const cols = await loadDeliveryEvents(db, 1);
    expect(cols.n).toBe(20_000);
    for (let i = 1; i < cols.n; i++) expect(cols.t[i]! >= cols.t[i - 1]!).toBe(true);
    expect((await db.totals.get(1))!.totals.events).toBe(20_000);
  });

  it('reads only the segments whose filter may hold the recipient, and finds every event', async () => {
    const db = freshDb();
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(events(), 10_000)), 'manual');
    const keys = await dictionaryKeys(db, 'recipients');
    const rare = keys.indexOf('rare@example.se');
    const r = await loadRecipientEvents(db, rare);
    expect(r.n).toBe(1);
    expect(r.stats.segmentsMatched).toBe(1);
    // One true segment, plus at most a false positive or two among the six.
    expect(r.stats.segmentsRead).toBeLessThanOrEqual(2);
    const common = keys.indexOf('r7@example.com');
    const c = await loadRecipientEvents(db, common);
    expect(c.n).toBe(10);
    expect(Array.from(c.delivery).every((d) => d === 1)).toBe(true);
    const data = await loadRecipientData(db, rare);
    expect(data.key).toBe('rare@example.se');
    expect(data.ips.get(data.events.ip[0]!)).toBe('198.51.100.7');
    expect(data.deliveries.get(1)?.label).toBe('November');
    expect((await loadRecipientData(db, 99_999)).key).toBeUndefined();
  });
});
