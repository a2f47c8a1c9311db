import type { JSX } from 'preact';
import type { RunRow } from '../../../lib/db/schema';
import { t, type MessageKey } from '../../../lib/i18n';
import { isLive } from '../../../lib/workflow/health';

const STATUS: Record<RunRow['status'], MessageKey> = {
  running: 'run_status_running',
  ok: 'run_status_ok',
  warning: 'run_status_warning',
  error: 'run_status_error',
  interrupted: 'run_status_interrupted',
};

const TRIGGERS: Record<RunRow['trigger'], MessageKey> = {
  alarm: 'run_trigger_alarm',
  manual: 'run_trigger_manual',
  startup: 'run_trigger_startup',
  import: 'run_trigger_import',
};

export function triggerName(trigger: RunRow['trigger']): string {
  return t(TRIGGERS[trigger]);
}

/** A run's status as a word with its colour; a 'running' row whose heartbeat stopped shows as stopped. */
export function RunStatus({ run, now }: { run: RunRow; now: number }): JSX.Element {
  const dead = run.status === 'running' && !isLive(run, now);
  const key = dead ? 'run_status_stopped' : STATUS[run.status];
  const tone = dead ? 'interrupted' : run.status;
  return <span class={`run-status run-status--${tone}`}>{t(key)}</span>;
}
