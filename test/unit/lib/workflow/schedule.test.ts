import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ensureTrackingAlarm, isOverdue, TRACKING_ALARM } from '../../../../lib/workflow/schedule';
import { withRunLock } from '../../../../lib/workflow/lock';

describe('tracking alarm', () => {
  beforeEach(() => fakeBrowser.reset());

  it('creates the alarm once, keeps it on later wakes, and re-creates it when the period changes', async () => {
    expect(await ensureTrackingAlarm(fakeBrowser.alarms, 60)).toBe('created');
    const first = await fakeBrowser.alarms.get(TRACKING_ALARM);
    expect(first?.periodInMinutes).toBe(60);
    expect(await ensureTrackingAlarm(fakeBrowser.alarms, 60)).toBe('kept');
    expect((await fakeBrowser.alarms.get(TRACKING_ALARM))?.scheduledTime).toBe(first?.scheduledTime);
    expect(await ensureTrackingAlarm(fakeBrowser.alarms, 15)).toBe('created');
    expect((await fakeBrowser.alarms.get(TRACKING_ALARM))?.periodInMinutes).toBe(15);
    expect(await fakeBrowser.alarms.getAll()).toHaveLength(1);
  });

  it('says a run is overdue only after a whole period', () => {
    expect(isOverdue(undefined, 60, 0)).toBe(false);
    expect(isOverdue(0, 60, 59 * 60_000)).toBe(false);
    expect(isOverdue(0, 60, 61 * 60_000)).toBe(true);
  });
});

describe('run lock', () => {
  it('lets one run in at a time', async () => {
    let release!: () => void;
    const first = withRunLock(() => new Promise<void>((r) => (release = r)));
    const second = await withRunLock(async () => 'ran');
    expect(second).toEqual({ ran: false });
    release();
    expect(await first).toEqual({ ran: true, value: undefined });
    expect(await withRunLock(async () => 'again')).toEqual({ ran: true, value: 'again' });
  });
});
