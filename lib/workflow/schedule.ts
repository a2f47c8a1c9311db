import type { Browser } from 'wxt/browser';

/** The tracking workflow's alarm. Like Adobe's `tracking` technical workflow it runs hourly by default. */
export const TRACKING_ALARM = 'tracking';

type Alarms = Pick<Browser['alarms'], 'get' | 'create'>;

/**
 * Get-then-create: creating the alarm every time the worker wakes would push its next firing back each time,
 * and Chrome may drop alarms across browser restarts, so it is checked on install, startup and every wake.
 * A changed period re-creates it.
 */
export async function ensureTrackingAlarm(alarms: Alarms, periodMinutes: number): Promise<'kept' | 'created'> {
  const existing = await alarms.get(TRACKING_ALARM);
  if (existing && existing.periodInMinutes === periodMinutes) return 'kept';
  await alarms.create(TRACKING_ALARM, { periodInMinutes: periodMinutes, delayInMinutes: periodMinutes });
  return 'created';
}

/** A run is overdue when the last one started more than one period ago (alarms lost or the browser was closed). */
export function isOverdue(lastStartedAt: number | undefined, periodMinutes: number, now: number): boolean {
  if (lastStartedAt === undefined) return false;
  return now - lastStartedAt > periodMinutes * 60_000;
}
