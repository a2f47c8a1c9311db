import { describe, expect, it } from 'vitest';
import type { RunRow } from '../../../../lib/db/schema';
import { overallState, verifyTracking, type VerifyInput } from '../../../../lib/indicators/verify';
import { emptyTotals } from '../../../../lib/workflow/aggregate';

const run = (id: number, startedAt: number, status: RunRow['status'], ok = true, sourceId = 's'): RunRow => ({
  id,
  trigger: 'alarm',
  startedAt,
  heartbeat: startedAt,
  endedAt: startedAt + 1,
  status,
  sources: [{ sourceId, label: 'x', kind: 'feed', pages: 1, fetched: 1, stored: 1, duplicates: 0, rejected: 0, ok, done: true }],
  log: [],
  rejectedSamples: [],
});

const base: VerifyInput = {
  delivery: { trackingEnabled: true, sentAt: 1000, sourceId: 's', delivered: 100, textOnly: 0 },
  totals: { ...emptyTotals(), recipientOpen: 5, totalRecipientClick: 2 },
  runs: [run(3, 2000, 'ok')],
};
const states = (input: VerifyInput): Record<string, string> =>
  Object.fromEntries(verifyTracking(input).map((c) => [c.id, c.state]));

describe('verify tracking data collection', () => {
  it('passes every check for a tracked delivery with a clean run after the send and events', () => {
    expect(states(base)).toEqual({ tracking: 'ok', ran: 'ok', errors: 'ok', opens: 'ok', clicks: 'ok' });
    expect(overallState(verifyTracking(base))).toBe('ok');
  });

  it('fails "tracking" when tracking was not activated', () => {
    expect(states({ ...base, delivery: { ...base.delivery, trackingEnabled: false } }).tracking).toBe('fail');
  });

  it('names tracking being off as the cause of no opens and no clicks, not the general advice', () => {
    const off = { ...base, delivery: { ...base.delivery, trackingEnabled: false }, totals: emptyTotals() };
    const causes = Object.fromEntries(verifyTracking(off).map((c) => [c.id, c.cause]));
    expect(causes).toMatchObject({ opens: 'tracking-off', clicks: 'tracking-off', ran: undefined });
    expect(verifyTracking({ ...base, totals: emptyTotals() }).every((c) => c.cause === undefined)).toBe(true);
  });

  it('fails "ran" when the only successful run predates the send, or when runs since failed for this source', () => {
    expect(states({ ...base, runs: [run(1, 500, 'ok')] }).ran).toBe('fail');
    expect(states({ ...base, runs: [run(4, 3000, 'error', false), run(1, 500, 'ok')] })).toMatchObject({ ran: 'fail', errors: 'fail' });
    expect(states({ ...base, runs: [] })).toMatchObject({ ran: 'fail', errors: 'fail' });
  });

  it('links the last run, warns on a run with warnings, ignores runs of other sources', () => {
    const checks = verifyTracking({ ...base, runs: [run(9, 5000, 'warning'), run(3, 2000, 'ok')] });
    expect(checks.find((c) => c.id === 'errors')).toEqual({ id: 'errors', state: 'warn', runId: 9 });
    expect(checks.find((c) => c.id === 'ran')?.runId).toBe(9);
    expect(states({ ...base, runs: [run(5, 5000, 'ok', true, 'other')] })).toMatchObject({ ran: 'fail', errors: 'fail' });
  });

  it('an errored last run fails "errors" even when an earlier run since the send succeeded', () => {
    expect(states({ ...base, runs: [run(5, 5000, 'error', false), run(3, 2000, 'ok')] })).toMatchObject({ ran: 'ok', errors: 'fail' });
  });

  it('no opens fails, except when every message was text-only (a warning); opens without clicks warns', () => {
    expect(states({ ...base, totals: undefined })).toMatchObject({ opens: 'fail', clicks: 'fail' });
    expect(states({ ...base, totals: undefined, delivery: { ...base.delivery, textOnly: 100 } }).opens).toBe('warn');
    expect(states({ ...base, totals: { ...emptyTotals(), recipientOpen: 3 } })).toMatchObject({ opens: 'ok', clicks: 'warn' });
    expect(overallState(verifyTracking({ ...base, totals: { ...emptyTotals(), recipientOpen: 3 } }))).toBe('warn');
  });
});
