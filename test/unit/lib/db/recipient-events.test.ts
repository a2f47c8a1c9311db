import { describe, expect, it } from 'vitest';
import { dictionaryKeys } from '../../../../lib/db/dictionary';
import { loadDeliveryEvents } from '../../../../lib/db/events';
import {
  loadRecipientData,
  loadRecipientEvents,
  planRecipientLookup,
  recipientBatches,
  type RecipientData,
} from '../../../../lib/db/recipient-events';
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

  it('reads candidate segments newest first in growing batches, each yield holding all found so far', async () => {
    const db = freshDb();
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(events(), 10_000)), 'manual');
    const keys = await dictionaryKeys(db, 'recipients');
    const common = keys.indexOf('r7@example.com');
    const plan = await planRecipientLookup(db, common);
    expect(plan.key).toBe('r7@example.com');
    // r7 (events 7, 2007, …) is in 4 of the 6 segments (each page: 4 096 + 4 096 + 1 808 events); a filter false
    // positive could add one. Listed newest first.
    const total = plan.candidates.length;
    expect(total).toBeGreaterThanOrEqual(4);
    expect([...plan.candidates]).toEqual([...plan.candidates].sort((a, b) => b - a));
    const yields: RecipientData[] = [];
    for await (const d of recipientBatches(db, plan, { first: 1, max: 2 })) yields.push(d);
    // Batches of 1, 2, 2, … segments.
    const expected: number[] = [];
    for (let read = 1, size = 2; ; read += size) {
      expected.push(Math.min(read, total));
      if (read >= total) break;
    }
    expect(yields.map((d) => d.events.stats.segmentsRead)).toEqual(expected);
    expect(yields.map((d) => d.complete)).toEqual(expected.map((r) => r === total));
    expect(yields.every((d) => d.events.stats.segmentsTotal === total)).toBe(true);
    // The first batch is the newest segment: its events are the latest ones of the recipient.
    const full = await loadRecipientEvents(db, common);
    const first = yields[0]!.events;
    expect(first.n).toBeGreaterThan(0);
    expect(first.n).toBeLessThan(full.n);
    expect(Array.from(first.t)).toEqual(Array.from(full.t.slice(full.n - first.n)));
    // Counts only grow, every yield is in time order, and the last one is the whole lookup.
    for (let k = 1; k < yields.length; k++) expect(yields[k]!.events.n).toBeGreaterThanOrEqual(yields[k - 1]!.events.n);
    for (const d of yields) for (let i = 1; i < d.events.n; i++) expect(d.events.t[i]! >= d.events.t[i - 1]!).toBe(true);
    const last = yields.at(-1)!.events;
    expect(last.n).toBe(10);
    for (const col of ['t', 'url', 'type', 'ua', 'delivery'] as const) expect(Array.from(last[col])).toEqual(Array.from(full[col]));
    expect(yields.at(-1)!.urls.size).toBe(yields.at(-1)!.events.url.some((u) => u !== 0) ? 1 : 0);
  });

  it('yields one complete, empty result for a recipient in no segment', async () => {
    const db = freshDb();
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(events(), 10_000)), 'manual');
    const plan = await planRecipientLookup(db, 99_999);
    const yields: RecipientData[] = [];
    for await (const d of recipientBatches(db, plan)) yields.push(d);
    expect(yields.length).toBe(1);
    expect(yields[0]!.complete).toBe(true);
    expect(yields[0]!.events.n).toBe(0);
    expect(yields[0]!.key).toBeUndefined();
  });
});
