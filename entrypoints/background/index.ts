import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { TRACKING_ALARM } from '../../lib/workflow/schedule';
import { registerMessageHandlers } from './messages';
import { registerOverlay } from './overlay';
import { createBackgroundWorkflow } from './workflow';

export default defineBackground(() => {
  // Every listener is registered synchronously, first: an MV3 worker woken by an event only delivers it to
  // listeners that exist when the script's first turn ends.
  const workflow = createBackgroundWorkflow();
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === TRACKING_ALARM) void workflow.start('alarm');
  });
  browser.runtime.onInstalled.addListener((details) => {
    void workflow.ensureAlarm();
    // A new user lands on the tracking view, whose empty state offers sample data or adding a source.
    if (details.reason === 'install') void browser.runtime.openOptionsPage();
  });
  browser.runtime.onStartup.addListener(() => void workflow.ensureAlarm());
  registerMessageHandlers(workflow);
  registerOverlay();
  // Each wake: keep the alarm, mark runs a stopped worker left behind as interrupted, start an overdue run.
  void workflow.wake();
});
