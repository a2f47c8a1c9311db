import type { JSX } from 'preact';
import { RunNowButton } from '../../../../components/RunNowButton';
import { useLiveQuery } from '../../../../components/use-live-query';
import { db } from '../../../../lib/db/instance';
import { runsForVerify, type DeliveryListItem } from '../../../../lib/db/queries';
import { t, type MessageKey } from '../../../../lib/i18n';
import { overallState, verifyTracking, type Check, type CheckState } from '../../../../lib/indicators/verify';
import { hrefFor } from '../../../../lib/routes';
import type { ViewContext } from '../../context';

const MARK: Record<CheckState, string> = { ok: '✓', warn: '!', fail: '✗' };

function CheckItem({ check, ctx, sourceId }: { check: Check; ctx: ViewContext; sourceId: string }): JSX.Element {
  const state = t(`verify_state_${check.state}`);
  const hint =
    check.state === 'ok'
      ? undefined
      : check.cause === 'tracking-off'
        ? (`verify_${check.id}_tracking_off` as MessageKey)
        : check.cause === 'no-pixel'
          ? 'verify_opens_no_pixel'
          : (`verify_${check.id}_${check.state}` as MessageKey);
  return (
    <li class={`check check--${check.state}`}>
      <span class="check__mark" aria-hidden="true">
        {MARK[check.state]}
      </span>
      <span class="visually-hidden">{state}: </span>
      <span class="check__text">
        <strong>{t(`verify_${check.id}`)}</strong>
        {hint !== undefined && <span class="check__hint">{t(hint)}</span>}
        {check.runId !== undefined && (check.id === 'errors' || check.state !== 'ok') && (
          <a href={hrefFor({ name: 'run', id: check.runId })}>{t('verify_open_run_log')}</a>
        )}
        {check.id === 'ran' && check.state !== 'ok' && (
          <span class="check__actions">
            <RunNowButton running={ctx.running} />
            <a href={hrefFor({ name: 'source-edit', id: sourceId })}>{t('verify_check_source')}</a>
          </span>
        )}
      </span>
    </li>
  );
}

/**
 * The "Verify tracking data collection" checklist: open by itself when something fails, a one-line summary when all
 * is well.
 */
export function VerifyTracking({ item, ctx }: { item: DeliveryListItem; ctx: ViewContext }): JSX.Element | null {
  const { delivery, totals } = item;
  const runs = useLiveQuery(
    () => runsForVerify(db, delivery.sourceId, delivery.sentAt ?? 0),
    [delivery.sourceId, delivery.sentAt],
  );
  if (runs.status !== 'ready') return null;
  const checks = verifyTracking({ delivery, totals, runs: runs.value });
  const overall = overallState(checks);
  return (
    <details class={`verify verify--${overall}`} open={overall === 'fail'}>
      <summary>
        <span class="verify__title">{t('verify_title')}</span>{' '}
        <span class={`pill pill--${overall}`}>{t(`verify_overall_${overall}`)}</span>
      </summary>
      <ul class="checks">
        {checks.map((c) => (
          <CheckItem key={c.id} check={c} ctx={ctx} sourceId={delivery.sourceId} />
        ))}
      </ul>
    </details>
  );
}
