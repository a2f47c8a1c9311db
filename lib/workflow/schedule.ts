import { browser } from 'wxt/browser';

/** The name of the tracking workflow's periodic alarm (browser.alarms), shared by the background and the views. */
export const TRACKING_ALARM = 'tracking';

type Alarms = Pick<typeof browser.alarms, 'get' | 'create'>;

/**
 * Makes sure the tracking alarm exists with `periodMinutes`: get-then-create, so a worker wake never resets the
 * schedule (alarms.create with an existing name replaces it), and a changed period re-creates it. Alarms can vanish
 * across browser restarts (Chrome alarms docs, "Persistence"), hence called on install, startup and every wake.
 */
export async function ensureTrackingAlarm(alarms: Alarms, periodMinutes: number): Promise<'created' | 'kept'> {
  const existing = await alarms.get(TRACKING_ALARM);
  if (existing && existing.periodInMinutes === periodMinutes) return 'kept';
  await alarms.create(TRACKING_ALARM, { periodInMinutes: periodMinutes, delayInMinutes: periodMinutes });
  return 'created';
}

/** A run is overdue when the last one started more than a whole period ago (never run: not overdue by this rule). */
export function isOverdue(lastStartedAt: number | undefined, periodMinutes: number, now: number): boolean {
  return lastStartedAt !== undefined && now - lastStartedAt > periodMinutes * 60_000;
}

/** When the tracking workflow runs next, from its alarm; undefined when no alarm is set (yet). For the views. */
export async function nextScheduledRun(): Promise<number | undefined> {
  try {
    const alarm = await browser.alarms.get(TRACKING_ALARM);
    return alarm?.scheduledTime;
  } catch {
    return undefined;
  }
}
