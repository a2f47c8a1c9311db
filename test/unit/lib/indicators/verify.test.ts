import { describe, expect, it } from 'vitest';
import type { RunRow } from '../../../../lib/db/schema';
import { machineWave, missingPixel, overallState, verifyTracking, type VerifyInput } from '../../../../lib/indicators/verify';
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
  totals: { ...emptyTotals(), events: 9, recipientOpen: 5, rawOpens: 7, totalRecipientClick: 2 },
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
    expect(states({ ...base, totals: { ...emptyTotals(), recipientOpen: 3, rawOpens: 3 } })).toMatchObject({ opens: 'ok', clicks: 'warn' });
    expect(overallState(verifyTracking({ ...base, totals: { ...emptyTotals(), recipientOpen: 3, rawOpens: 3 } }))).toBe('warn');
  });

  it('warns of a missing open pixel when clicks came in but not one open event', () => {
    // Every clicker counts as an opener (recipientOpen), so only the open events tell the pixel never fired.
    const clicksOnly = { ...emptyTotals(), events: 40, recipientOpen: 30, totalRecipientClick: 40, recipientClick: 30 };
    const checks = verifyTracking({ ...base, totals: clicksOnly });
    expect(checks.find((c) => c.id === 'opens')).toEqual({ id: 'opens', state: 'warn', cause: 'no-pixel' });
    expect(overallState(checks)).toBe('warn');
    expect(missingPixel(base.delivery, clicksOnly)).toBe(true);
    // One open event is enough; an all-text send has no pixel to miss; with tracking off, that is the cause.
    expect(missingPixel(base.delivery, { ...clicksOnly, rawOpens: 1 })).toBe(false);
    expect(missingPixel({ ...base.delivery, textOnly: 100 }, clicksOnly)).toBe(false);
    expect(missingPixel({ ...base.delivery, trackingEnabled: false }, clicksOnly)).toBe(false);
    expect(missingPixel(base.delivery, { ...emptyTotals() })).toBe(false);
    expect(missingPixel(base.delivery, undefined)).toBe(false);
  });

  it('names a wave of machines when the source flags most of a delivery’s events, given enough of them', () => {
    expect(machineWave({ ...emptyTotals(), events: 100, machine: 62 })).toBe(0.62);
    expect(machineWave({ ...emptyTotals(), events: 100, machine: 50 })).toBe(0.5);
    expect(machineWave({ ...emptyTotals(), events: 100, machine: 49 })).toBeUndefined();
    expect(machineWave({ ...emptyTotals(), events: 49, machine: 49 })).toBeUndefined(); // too few to say
    expect(machineWave(undefined)).toBeUndefined();
  });
});
