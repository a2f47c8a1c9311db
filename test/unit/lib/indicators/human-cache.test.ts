import { describe, expect, it } from 'vitest';
import { loadHumanAggregate } from '../../../../lib/indicators/human';
import { runWorkflow } from '../../../../lib/workflow/run';
import { addFeed, deps, freshDb, makeEvents, pagedAdapter } from '../workflow/helpers';

describe('loadHumanAggregate', () => {
  it('gives the one it built while the delivery and the rules stay the same, and builds anew when either changes', async () => {
    const db = freshDb();
    await addFeed(db);
    const events = makeEvents(300);
    await runWorkflow(deps(db, pagedAdapter(events.slice(0, 200), 100)), 'manual');
    const id = (await db.deliveries.toArray())[0]!.id!;

    const first = await loadHumanAggregate(db, id);
    expect(first.row.totals.events).toBeGreaterThan(0);
    expect(await loadHumanAggregate(db, id)).toBe(first);

    // Other rules: another aggregate; the first is still kept.
    const strict = await loadHumanAggregate(db, id, { burstLinks: 2, burstGapS: 60 });
    expect(strict).not.toBe(first);
    expect(await loadHumanAggregate(db, id)).toBe(first);

    // New events for the delivery: built again, with them.
    await runWorkflow(deps(db, pagedAdapter(events, 100)), 'manual');
    const after = await loadHumanAggregate(db, id);
    expect(after).not.toBe(first);
    expect(after.row.totals.events).toBeGreaterThan(first.row.totals.events);
  });
});
