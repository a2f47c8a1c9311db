import { describe, expect, it } from 'vitest';
import { hotClicks, linkStats, linkStatsFromTotals, mergeHotClicks } from '../../../../lib/hotclicks/shares';
import { runWorkflow } from '../../../../lib/workflow/run';
import { addEvent, fromRow, newAggregate, toRow } from '../../../../lib/workflow/aggregate';
import { addFeed, deps, freshDb, makeEvents, pagedAdapter } from '../workflow/helpers';

/**
 * Per-link counts ride on the light totals row so the hot clicks of a delivery need not read its whole aggregate:
 * they must always equal what the aggregate itself says.
 */
describe('per-link stats in the totals row', () => {
  it('counts distinct clickers per link as events come, and rebuilds them from the pairs', () => {
    const agg = newAggregate(1);
    const rows: [number, number, number][] = [
      [1, 10, 1],
      [1, 10, 1], // same recipient again: one clicker
      [2, 10, 1],
      [2, 11, 1],
      [3, 12, 3], // opt-out: its link has a clicker too (hot clicks count it in the denominator)
      [4, 0, 2],
    ];
    rows.forEach(([rcp, url, type], i) => addEvent(agg, 1000 + i, rcp, url, type, 0, 0, 0));
    const row = toRow(agg);
    const fromTotals = linkStatsFromTotals({ ids: row.linkIds, counts: row.linkCounts, clickers: row.linkClickerCounts! })!;
    expect(fromTotals).toEqual(linkStats(row));
    expect(fromTotals.get(10)).toEqual({ clicks: 3, clickers: 2 });
    expect(fromTotals.get(12)).toEqual({ clicks: 1, clickers: 1 });
    // A row saved before the field existed: loading it rebuilds the counts.
    const old = { ...row, linkClickerCounts: undefined };
    expect(Array.from(toRow(fromRow(old)).linkClickerCounts!)).toEqual(Array.from(row.linkClickerCounts!));
    expect(linkStatsFromTotals(undefined)).toBeUndefined();
  });

  it('is written with the totals by a workflow run and agrees with the aggregate', async () => {
    const db = freshDb();
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(makeEvents(2000), 300)), 'manual');
    const [agg] = await db.aggregates.toArray();
    const totals = await db.totals.get(agg!.deliveryId);
    expect(totals?.links).toBeDefined();
    const fromTotals = linkStatsFromTotals(totals!.links)!;
    expect(fromTotals.size).toBeGreaterThan(0);
    expect(fromTotals).toEqual(linkStats(agg));
  });
});

describe('merging hot clicks by URL or label', () => {
  const url = (id: number, u: string, label?: string, type = 1) => ({ id, deliveryId: 1, extId: String(id), type, url: u, label, occurrence: id });
  const urls = [url(1, 'https://x/a', 'Shop'), url(2, 'https://x/a', 'Image'), url(3, 'https://x/b', 'Shop'), url(4, 'https://x/c'), url(5, 'https://x/u', 'Unsub', 3)];
  const stats = new Map([
    [1, { clicks: 10, clickers: 8 }],
    [2, { clicks: 5, clickers: 5 }],
    [3, { clicks: 3, clickers: 3 }],
    [4, { clicks: 2, clickers: 2 }],
    [5, { clicks: 20, clickers: 20 }],
  ]);
  const hot = hotClicks(urls, stats);

  it('keeps each occurrence apart by default', () => {
    expect(mergeHotClicks(hot, 'link').map((l) => [l.url.id, l.clicks, l.merged])).toEqual([
      [1, 10, 1],
      [2, 5, 1],
      [3, 3, 1],
      [4, 2, 1],
      [5, 20, 1],
    ]);
  });

  it('adds same-URL links together, shares over the same total', () => {
    const m = mergeHotClicks(hot, 'url');
    expect(m.map((l) => [l.url.id, l.clicks, l.clickers, l.merged])).toEqual([
      [1, 15, 13, 2],
      [2, 15, 13, 2],
      [3, 3, 3, 1],
      [4, 2, 2, 1],
      [5, 20, 20, 1],
    ]);
    expect(m[0]!.shareClicks).toBeCloseTo(15 / 40);
  });

  it('adds same-label links together; unlabelled links stay apart', () => {
    const m = mergeHotClicks(hot, 'label');
    expect(m.map((l) => [l.url.id, l.clicks, l.merged])).toEqual([
      [1, 13, 2],
      [2, 5, 1],
      [3, 13, 2],
      [4, 2, 1],
      [5, 20, 1],
    ]);
  });
});
