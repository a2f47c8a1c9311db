import { describe, expect, it } from 'vitest';
import { AGGREGATE_VERSION } from '../../../../lib/workflow/aggregate';
import { runWorkflow } from '../../../../lib/workflow/run';
import { addFeed, deps, freshDb, makeEvents, pagedAdapter, snapshot } from './helpers';

describe('aggregates of an older shape', () => {
  it('are rebuilt from the segments at the next run, per-agent counts included', async () => {
    const all = makeEvents(600);
    const clean = freshDb();
    await addFeed(clean);
    await runWorkflow(deps(clean, pagedAdapter(all, 300)), 'manual');
    const want = (await clean.aggregates.toArray())[0]!;
    expect(want.v).toBe(AGGREGATE_VERSION);
    const light = (await clean.totals.toArray())[0]!;
    expect(light.v).toBe(AGGREGATE_VERSION);
    // The light row carries the per-hour series the charts draw from.
    expect(Array.from(light.series!.hours)).toEqual(Array.from(want.hours));
    expect(Array.from(light.series!.opens)).toEqual(Array.from(want.hourOpens));
    expect(Array.from(light.series!.clicks)).toEqual(Array.from(want.hourClicks));
    // makeEvents: 7 agents ("UA 0" … "UA 6"), every 5th event a click, the rest opens 61 s apart (none repeated).
    expect(want.agentIds).toHaveLength(7);
    expect(Array.from(want.agentClicks!).reduce((a, b) => a + b, 0)).toBe(120);
    expect(Array.from(want.agentOpens!).reduce((a, b) => a + b, 0)).toBe(want.totals.totalRecipientOpen);

    // The same store as a v1 build wrote it: no version, no per-agent parts, and (to prove the rebuild really
    // re-reads the segments) totals that a continued aggregate would carry on from.
    const db = freshDb();
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(all, 300)), 'manual');
    const row = (await db.aggregates.toArray())[0]!;
    const { v: _v, agentIds: _i, agentOpens: _o, agentClicks: _c, ...v1 } = row;
    await db.aggregates.put({ ...v1, totals: { ...v1.totals, events: 1 } });
    const totalsRow = (await db.totals.toArray())[0]!;
    const { v: _tv, series: _s, ...v1Totals } = totalsRow;
    await db.totals.put({ ...v1Totals, totals: { ...v1Totals.totals, events: 1 } });

    // A run that fetches nothing: reconcile finds the old shape by its totals row alone.
    await runWorkflow(deps(db, pagedAdapter([], 300)), 'alarm');
    const got = (await db.aggregates.toArray())[0]!;
    expect(got.v).toBe(AGGREGATE_VERSION);
    expect(got.totals).toEqual(want.totals);
    expect(Array.from(got.agentIds!)).toEqual(Array.from(want.agentIds!));
    expect(Array.from(got.agentOpens!)).toEqual(Array.from(want.agentOpens!));
    expect(Array.from(got.agentClicks!)).toEqual(Array.from(want.agentClicks!));
    expect((await db.totals.toArray())[0]).toMatchObject({ v: AGGREGATE_VERSION, totals: want.totals });
    const { cursor: _a, ...s1 } = (await snapshot(db)) as Record<string, unknown>;
    const { cursor: _b, ...s2 } = (await snapshot(clean)) as Record<string, unknown>;
    expect(s1).toEqual(s2);
  });

  it('are rebuilt, not continued, when new events arrive for the delivery', async () => {
    const all = makeEvents(600);
    const db = freshDb();
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(all.slice(0, 300), 300)), 'manual');
    const row = (await db.aggregates.toArray())[0]!;
    const { v: _v, agentIds: _i, agentOpens: _o, agentClicks: _c, ...v1 } = row;
    await db.aggregates.put(v1);
    // Keep the light totals row current, so only loading the aggregate for the new page can notice the old shape.
    await db.sources.update('src-1', { cursor: null });
    await runWorkflow(deps(db, pagedAdapter(all, 300)), 'manual');
    const got = (await db.aggregates.toArray())[0]!;
    expect(got.v).toBe(AGGREGATE_VERSION);
    expect(got.totals.events).toBe(600);
    expect(Array.from(got.agentClicks!).reduce((a, b) => a + b, 0)).toBe(120);
  });
});
