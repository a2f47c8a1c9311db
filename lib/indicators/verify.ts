import type { AggregateTotals, DeliveryRow, RunRow } from '../db/schema';

/**
 * "Verify tracking data collection" for one delivery: the reference page's troubleshooting list
 * (../shared/reference/adobe-tracking.md §5, "tracking not activated" caution and the Testing tracking steps),
 * checked live against the store. Pure: the view passes in the delivery, its totals and the runs that reached its
 * source since it was sent.
 */
export type CheckId = 'tracking' | 'ran' | 'errors' | 'opens' | 'clicks';
export type CheckState = 'ok' | 'warn' | 'fail';

export interface Check {
  id: CheckId;
  state: CheckState;
  /** The run to link to (the last one that reached the source), when there is one. */
  runId?: number | undefined;
  /** Why the check fails when the cause is known: no open or click can be recorded while tracking is off. */
  cause?: 'tracking-off' | undefined;
}

export interface VerifyInput {
  delivery: Pick<DeliveryRow, 'trackingEnabled' | 'sentAt' | 'sourceId' | 'delivered' | 'textOnly'>;
  totals: AggregateTotals | undefined;
  /** Ended runs that reached the delivery's source, newest first (any age; those before the send are ignored). */
  runs: readonly RunRow[];
}

/** The delivery's source outcome in `run`, when the run reached it. */
function outcome(run: RunRow, sourceId: string): RunRow['sources'][number] | undefined {
  return run.sources.find((s) => s.sourceId === sourceId);
}

export function verifyTracking({ delivery, totals, runs }: VerifyInput): Check[] {
  const checks: Check[] = [{ id: 'tracking', state: delivery.trackingEnabled ? 'ok' : 'fail' }];
  const reached = runs.filter((r) => r.status !== 'running' && outcome(r, delivery.sourceId) !== undefined);
  const sent = delivery.sentAt ?? 0;
  const since = reached.filter((r) => r.startedAt >= sent);
  const okSince = since.find((r) => outcome(r, delivery.sourceId)?.ok);
  checks.push({ id: 'ran', state: okSince ? 'ok' : 'fail', runId: okSince?.id });

  const last = reached[0];
  const lastOk = last !== undefined && last.status !== 'error' && last.status !== 'interrupted' && outcome(last, delivery.sourceId)!.ok;
  // A run with warnings (rejected records, retries) still collected data: a warning, not a failure.
  checks.push({
    id: 'errors',
    state: last === undefined ? 'fail' : !lastOk ? 'fail' : last.status === 'warning' ? 'warn' : 'ok',
    runId: last?.id,
  });

  const opens = totals?.recipientOpen ?? 0;
  const clicks = totals?.totalRecipientClick ?? 0;
  // All messages text-only: no pixel, so no open can ever be seen; that is expected, not a fault.
  const allText = delivery.textOnly !== undefined && delivery.delivered !== undefined && delivery.delivered > 0 && delivery.textOnly >= delivery.delivered;
  // Tracking off: nothing can be recorded, so the hint names that cause rather than the general advice.
  const cause = delivery.trackingEnabled ? undefined : 'tracking-off';
  checks.push({ id: 'opens', state: opens > 0 ? 'ok' : allText ? 'warn' : 'fail', cause: opens > 0 ? undefined : cause });
  checks.push({ id: 'clicks', state: clicks > 0 ? 'ok' : opens > 0 ? 'warn' : 'fail', cause: clicks > 0 ? undefined : cause });
  return checks;
}

/** Overall state: the worst of the checks. */
export function overallState(checks: readonly Check[]): CheckState {
  if (checks.some((c) => c.state === 'fail')) return 'fail';
  if (checks.some((c) => c.state === 'warn')) return 'warn';
  return 'ok';
}
