import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { TrackingDb } from '../../../../lib/db/schema';
import { createWorkflowController } from '../../../../lib/workflow/controller';
import { isRunLocked } from '../../../../lib/workflow/lock';
import { addFeed, deps, freshDb, makeEvents, pagedAdapter } from './helpers';

function controller(db: TrackingDb) {
  return createWorkflowController({
    ...deps(db, pagedAdapter(makeEvents(50), 50)),
    alarms: fakeBrowser.alarms,
    periodMinutes: async () => 60,
    setBadge: async () => undefined,
  });
}

/** Holds the wake's look for runs left 'running' until `release` is called. */
function gateStaleRunQuery(db: TrackingDb): () => void {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const where = db.runs.where.bind(db.runs);
  vi.spyOn(db.runs, 'where').mockImplementationOnce(((index: string) => {
    const clause = where(index);
    return { equals: (value: string) => ({ toArray: async () => (await gate, clause.equals(value).toArray()) }) };
  }) as never);
  return release;
}

const until = async (check: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 1));
};

describe('workflow controller', () => {
  beforeEach(() => fakeBrowser.reset());

  it('runs a "Run now" that wakes the worker, though the wake still holds the lock to mark stopped runs', async () => {
    const db = freshDb();
    await addFeed(db);
    const release = gateStaleRunQuery(db);
    const workflow = controller(db);
    // The worker starts: its wake takes the run lock to mark runs a stopped worker left behind...
    const waking = workflow.wake();
    await until(isRunLocked);
    expect(await isRunLocked()).toBe(true);
    // ...and the message that woke it arrives meanwhile.
    const started = workflow.start('manual');
    release();
    expect(await started).toEqual({ started: true });
    await waking;
    await until(async () => (await db.runs.toArray()).some((r) => r.status !== 'running'));
    const runs = await db.runs.toArray();
    expect(runs.map((r) => [r.trigger, r.status])).toEqual([['manual', 'ok']]);
    expect(runs[0]!.sources[0]!.stored).toBe(50);
  });

  it('marks a run a stopped worker left running as interrupted on wake, and then starts the run it was to do', async () => {
    const db = freshDb();
    await addFeed(db);
    const before = Date.UTC(2026, 10, 27, 8);
    await db.runs.add({ trigger: 'alarm', startedAt: before, heartbeat: before + 5_000, status: 'running', sources: [], log: [], rejectedSamples: [] });
    const workflow = controller(db);
    await workflow.wake();
    await until(async () => (await db.runs.count()) === 2 && (await db.runs.toArray()).every((r) => r.status !== 'running'));
    const runs = await db.runs.orderBy('startedAt').toArray();
    expect(runs.map((r) => [r.trigger, r.status])).toEqual([
      ['alarm', 'interrupted'],
      ['startup', 'ok'],
    ]);
    expect(runs[0]!.endedAt).toBe(before + 5_000);
  });
});
