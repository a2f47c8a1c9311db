import type { JSX } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import { sendMessage } from '../lib/messaging';

type Phase = 'idle' | 'starting' | 'started' | 'already' | 'failed';

/**
 * "Run now": asks the background to start the tracking workflow. Disabled while a run is going (the run itself is
 * watched through the store, not through this button). Says so when a run was already in progress or when the
 * background did not answer.
 */
export function RunNowButton({ running, primary = false }: { running: boolean; primary?: boolean }): JSX.Element {
  const [phase, setPhase] = useState<Phase>('idle');
  const messageId = useId();

  // Once the run shows up in the store (or a few seconds pass), the button goes back to following `running`.
  useEffect(() => {
    if (phase !== 'started') return;
    if (running) {
      setPhase('idle');
      return;
    }
    const timer = setTimeout(() => setPhase('idle'), 5_000);
    return () => clearTimeout(timer);
  }, [phase, running]);

  async function onClick(): Promise<void> {
    setPhase('starting');
    try {
      const result = await sendMessage('runNow', {});
      setPhase(result.started ? 'started' : 'already');
    } catch (error) {
      console.error('Tracking Logs: runNow failed', error);
      setPhase('failed');
    }
  }

  const busy = running || phase === 'starting' || phase === 'started';
  return (
    <span class="run-now">
      <button
        type="button"
        class={primary ? 'button button--primary' : 'button'}
        onClick={() => void onClick()}
        disabled={busy}
        aria-describedby={phase === 'already' || phase === 'failed' ? messageId : undefined}
      >
        {busy ? t('run_now_running') : t('run_now')}
      </button>
      <span id={messageId} class="run-now__message" role="status">
        {phase === 'already' && t('run_now_already')}
        {phase === 'failed' && <span class="text-error">{t('run_now_failed')}</span>}
      </span>
    </span>
  );
}
