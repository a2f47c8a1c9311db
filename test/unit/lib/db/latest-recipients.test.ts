import { describe, expect, it } from 'vitest';
import { dictionaryKeys } from '../../../../lib/db/dictionary';
import { latestRecipients } from '../../../../lib/db/queries';
import { runWorkflow } from '../../../../lib/workflow/run';
import { addFeed, deps, freshDb, makeEvents, pagedAdapter } from '../workflow/helpers';

describe('latest tracked recipients (the recipients page before a search)', () => {
  it('lists the recipients of the newest events, newest first, each once with the time of their newest event', async () => {
    const db = freshDb();
    await addFeed(db);
    // 300 events a minute apart over 97 recipients in turn (event i is r(i mod 97)): the newest, 299, is r8's.
    const events = makeEvents(300);
    await runWorkflow(deps(db, pagedAdapter(events, 100)), 'manual');
    const keys = await dictionaryKeys(db, 'recipients');
    const latest = await latestRecipients(db, 4);
    expect(latest.map((r) => keys[r.id])).toEqual(['r8@example.com', 'r7@example.com', 'r6@example.com', 'r5@example.com']);
    expect(latest[0]!.t).toBe(Math.floor(events[299]!.time / 1000));
    expect(new Set(latest.map((r) => r.id)).size).toBe(4);
  });

  it('is empty for an empty store', async () => {
    expect(await latestRecipients(freshDb(), 10)).toEqual([]);
  });
});
