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
  /**
   * Why the check fails when the cause is known: no open or click can be recorded while tracking is off; clicks came in
   * but not one open, so the open pixel looks missing.
   */
  cause?: 'tracking-off' | 'no-pixel' | undefined;
}

/** Fewest events before a delivery's share of machine events is worth a warning. */
export const MACHINE_WAVE_MIN_EVENTS = 50;
/** Share of a delivery's events flagged as a machine's by the source from which the popup warns of a scanner wave. */
export const MACHINE_WAVE_SHARE = 0.5;

type PixelInput = Pick<DeliveryRow, 'trackingEnabled' | 'delivered' | 'textOnly'>;

/** Every message was sent as text only: no pixel, so no open can ever be seen (expected, not a fault). */
function allTextOnly(delivery: PixelInput): boolean {
  return delivery.textOnly !== undefined && delivery.delivered !== undefined && delivery.delivered > 0 && delivery.textOnly >= delivery.delivered;
}

/**
 * Clicks were recorded but not one open event, though tracking is on and not every message was text-only: the open
 * pixel looks missing from the email, blocked, or left out by the source (product.md, popup anomalies: "zero opens
 * but clicks = missing pixel"). Opens here are open events (`rawOpens`), not `recipientOpen`, which a click also makes.
 */
export function missingPixel(delivery: PixelInput, totals: AggregateTotals | undefined): boolean {
  if (!delivery.trackingEnabled || !totals) return false;
  return totals.rawOpens === 0 && totals.totalRecipientClick > 0 && !allTextOnly(delivery);
}

/**
 * The share of the delivery's events its source flagged as a machine's, when that is most of them (a wave of security
 * scanners: product.md, popup anomalies); undefined otherwise.
 */
export function machineWave(totals: AggregateTotals | undefined): number | undefined {
  if (!totals || totals.events < MACHINE_WAVE_MIN_EVENTS) return undefined;
  const share = totals.machine / totals.events;
  return share >= MACHINE_WAVE_SHARE ? share : undefined;
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
  // Tracking off: nothing can be recorded, so the hint names that cause rather than the general advice.
  const cause = delivery.trackingEnabled ? undefined : 'tracking-off';
  if (missingPixel(delivery, totals)) {
    // A click makes its recipient an opener (recipientOpen), so "opens" would pass: the open events say otherwise.
    checks.push({ id: 'opens', state: 'warn', cause: 'no-pixel' });
  } else {
    checks.push({ id: 'opens', state: opens > 0 ? 'ok' : allTextOnly(delivery) ? 'warn' : 'fail', cause: opens > 0 ? undefined : cause });
  }
  checks.push({ id: 'clicks', state: clicks > 0 ? 'ok' : opens > 0 ? 'warn' : 'fail', cause: clicks > 0 ? undefined : cause });
  return checks;
}

/** Overall state: the worst of the checks. */
export function overallState(checks: readonly Check[]): CheckState {
  if (checks.some((c) => c.state === 'fail')) return 'fail';
  if (checks.some((c) => c.state === 'warn')) return 'warn';
  return 'ok';
}
