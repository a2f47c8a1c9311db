import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionHandle } from './harness';

/** The hourly tracking alarm in the real browser: created on install, kept on wake, re-created by a new period. */
describe('tracking workflow schedule', () => {
  let ext: ExtensionHandle;
  beforeAll(async () => {
    ext = await launchExtension({ locale: 'en' });
  });
  afterAll(async () => ext?.close());

  const alarm = (): Promise<{ periodInMinutes?: number; scheduledTime: number } | undefined> =>
    ext.evalInWorker(() => chrome.alarms.get('tracking'), null);

  it('runs every 60 minutes by default, and a worker restart keeps the schedule as it was', async () => {
    await expect.poll(async () => (await alarm())?.periodInMinutes, { timeout: 10_000 }).toBe(60);
    const before = (await alarm())!.scheduledTime;
    await ext.stopServiceWorker();
    await ext.startServiceWorker();
    await new Promise((r) => setTimeout(r, 500));
    expect((await alarm())?.scheduledTime).toBe(before);
  });

  it('follows the period set in Settings, and refuses a period out of range with a clear message', async () => {
    const page = await ext.openPage('/options.html#/settings');
    const period = page.getByLabel('Interval between runs');
    await period.fill('2');
    await page.getByRole('button', { name: /save/i }).click();
    await page.getByText('Enter a whole number of minutes from 5 to 1,440 (24 hours).').waitFor();
    expect((await alarm())?.periodInMinutes).toBe(60);
    await period.fill('15');
    await page.getByRole('button', { name: /save/i }).click();
    await page.getByText(/^Settings saved/).waitFor();
    await expect.poll(async () => (await alarm())?.periodInMinutes, { timeout: 10_000 }).toBe(15);
  });
});
