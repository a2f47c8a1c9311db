import { describe, expect, it } from 'vitest';
import type { RunRow, SourceRow } from '../../../../lib/db/schema';
import { badgeFor, computeHealth, HEARTBEAT_TIMEOUT_MS } from '../../../../lib/workflow/health';

const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 15, 12);
const PERIOD = 60;

function source(over: Partial<SourceRow> = {}): SourceRow {
  return { id: 's1', kind: 'feed', label: 'ESP', enabled: true, config: {}, cursor: null, createdAt: 0, ...over };
}

let nextId = 100;
function run(over: Partial<RunRow> & { ago?: number; took?: number } = {}): RunRow {
  const { ago = 10 * MIN, took = 5_000, ...rest } = over;
  const startedAt = NOW - ago;
  return {
    id: nextId++,
    trigger: 'alarm',
    startedAt,
    heartbeat: startedAt + took,
    endedAt: startedAt + took,
    status: 'ok',
    sources: [
      { sourceId: 's1', label: 'ESP', kind: 'feed', pages: 1, fetched: 10, stored: 8, duplicates: 2, rejected: 0, ok: true, done: true },
    ],
    log: [],
    rejectedSamples: [],
    ...rest,
  };
}

const health = (
  runs: RunRow[],
  sources: SourceRow[] = [source()],
  extra: { nextRunAt?: number; runLockHeld?: boolean } = {},
) =>
  computeHealth({ runs, sources, periodMinutes: PERIOD, now: NOW, ...extra });

describe('computeHealth', () => {
  it('is "never" with no run, and flags the empty state when there is no source', () => {
    expect(health([]).state).toBe('never');
    expect(health([]).empty).toBe(false);
    const empty = health([], []);
    expect(empty.state).toBe('never');
    expect(empty.empty).toBe(true);
    expect(health([run()], []).state).toBe('never');
  });

  it('is "running" while the run has a fresh heartbeat, with its progress', () => {
    const live = run({
      status: 'running',
      endedAt: undefined,
      heartbeat: NOW - 30_000,
      sources: [
        { sourceId: 's1', label: 'ESP', kind: 'feed', pages: 3, fetched: 900, stored: 850, duplicates: 0, rejected: 0, ok: true, done: true },
        { sourceId: 's2', label: 'Other', kind: 'feed', pages: 1, fetched: 100, stored: 100, duplicates: 0, rejected: 0, ok: true, done: false },
      ],
    });
    const h = health([live, run({ ago: 70 * MIN, status: 'error' })], [source(), source({ id: 's2', label: 'Other' })]);
    expect(h.state).toBe('running');
    expect(h.progress).toMatchObject({ events: 950, currentSource: 'Other', sourcesDone: 1, sourcesTotal: 2 });
    // The last finished run is still reported (the popup shows its date and errors).
    expect(h.lastRun?.status).toBe('error');
  });

  it('does not call a run with a dead heartbeat running: it falls back to the last finished run', () => {
    const dead = run({ status: 'running', endedAt: undefined, heartbeat: NOW - HEARTBEAT_TIMEOUT_MS - 1 });
    expect(health([dead, run({ ago: 20 * MIN })]).state).toBe('healthy');
    expect(health([dead]).state).toBe('never');
  });

  it('calls a fresh "running" row dead at once when no worker holds the run lock (the worker was stopped)', () => {
    const orphan = run({ status: 'running', endedAt: undefined, heartbeat: NOW - 5_000 });
    expect(health([orphan, run({ ago: 20 * MIN })], [source()], { runLockHeld: true }).state).toBe('running');
    expect(health([orphan, run({ ago: 20 * MIN })], [source()], { runLockHeld: false }).state).toBe('healthy');
  });

  it('is "failing" when the last finished run failed, even if an older one succeeded', () => {
    const h = health([run({ status: 'error', ago: 5 * MIN }), run({ ago: 65 * MIN })]);
    expect(h.state).toBe('failing');
    expect(h.lastSuccessAt).toBe(NOW - 65 * MIN + 5_000);
  });

  it('is "stale" when the last success is older than two periods', () => {
    expect(health([run({ ago: 2 * PERIOD * MIN + 10 * MIN })]).state).toBe('stale');
    expect(health([run({ ago: 2 * PERIOD * MIN - 10 * MIN })]).state).toBe('healthy');
    // An old success found beyond the latest runs counts too.
    const h = computeHealth({
      runs: [run({ status: 'interrupted', ago: 5 * MIN })],
      lastSuccess: run({ ago: 3 * PERIOD * MIN }),
      sources: [source()],
      periodMinutes: PERIOD,
      now: NOW,
    });
    expect(h.state).toBe('stale');
  });

  it('is "warning" after a run with warnings or an interrupted run, else "healthy"', () => {
    expect(health([run({ status: 'warning' })]).state).toBe('warning');
    expect(health([run({ status: 'interrupted' }), run({ ago: 30 * MIN })]).state).toBe('warning');
    expect(health([run()]).state).toBe('healthy');
  });

  it('reports the last run: duration, events added, errors and warnings newest first', () => {
    const last = run({
      took: 3_500,
      log: [
        { level: 'info', code: 'retrying', params: {}, at: 1 },
        { level: 'warning', code: 'rejected', params: { count: 2 }, at: 2 },
        { level: 'error', code: 'network', params: {}, at: 3 },
      ],
    });
    const h = health([last]);
    expect(h.lastRunDurationMs).toBe(3_500);
    expect(h.lastRunAdded).toBe(8);
    expect(h.lastIssues.map((i) => i.code)).toEqual(['network', 'rejected']);
  });

  it('lists enabled sources whose latest outcome failed, and counts enabled sources', () => {
    const failing = source({ id: 'bad', last: { runId: 1, at: NOW, ok: false, added: 0 } });
    const off = source({ id: 'off', enabled: false, last: { runId: 1, at: NOW, ok: false, added: 0 } });
    const h = health([run()], [source(), failing, off]);
    expect(h.failingSources.map((s) => s.id)).toEqual(['bad']);
    expect(h.enabledSources).toBe(2);
  });

  it('judges the workflow by its own runs: a file import neither fails nor refreshes it, but shows while it runs', () => {
    const files = source({ id: 'file-sendgrid', kind: 'file', last: { runId: 9, at: NOW, ok: false, added: 0 } });
    const failedImport = run({ trigger: 'import', status: 'error', ago: MIN });
    const h = health([failedImport, run({ ago: 10 * MIN })], [source(), files]);
    expect(h.state).toBe('healthy');
    expect(h.lastRun?.trigger).toBe('alarm');
    expect(h.failingSources).toEqual([]);
    expect(h.enabledSources).toBe(1);
    // Only imports, long after the last workflow run: the data is stale all the same.
    expect(health([run({ trigger: 'import', ago: MIN }), run({ ago: 3 * PERIOD * MIN })]).state).toBe('stale');
    const importing = run({ trigger: 'import', status: 'running', ago: 1000, took: 500, endedAt: undefined });
    expect(health([importing, run()], [source()], { runLockHeld: true }).state).toBe('running');
  });

  it('passes the alarm time through and says when the schedule is behind', () => {
    expect(health([run()], [source()], { nextRunAt: NOW + 50 * MIN })).toMatchObject({ nextRunAt: NOW + 50 * MIN, overdue: false });
    expect(health([run()], [source()], { nextRunAt: NOW - 61 * MIN }).overdue).toBe(true);
  });
});

describe('badgeFor', () => {
  it('marks failing and stale only', () => {
    expect(badgeFor({ state: 'failing' })).toEqual({ text: '!', color: expect.stringMatching(/^#/) });
    expect(badgeFor({ state: 'stale' })?.text).toBe('…');
    for (const state of ['never', 'running', 'healthy', 'warning'] as const) expect(badgeFor({ state })).toBeNull();
  });
});
