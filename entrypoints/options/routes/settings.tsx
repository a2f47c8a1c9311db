import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Spinner } from '../../../components/Spinner';
import { usePageTitle } from '../../../components/use-page-title';
import { formatDate, formatDuration, t } from '../../../lib/i18n';
import { sendMessage } from '../../../lib/messaging';
import { effectiveTimeZone, settingsSchema, type Settings } from '../../../lib/settings';
import {
  MAX_PERIOD,
  MIN_PERIOD,
  loadSettings,
  parsePeriodInput,
  saveSettings,
} from '../../../lib/settings-store';
import type { ViewContext } from '../context';

function timeZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // Older engines: the select still offers the browser default and the saved zone.
  }
  const all = new Set(zones);
  all.add('UTC');
  if (current) all.add(current);
  return [...all].sort((a, b) => a.localeCompare(b));
}

type SaveState = 'idle' | 'saving' | 'saved' | 'saved-pending' | 'failed';

export function SettingsRoute({ ctx }: { ctx: ViewContext }): JSX.Element {
  usePageTitle(t('settings_title'));
  const [loaded, setLoaded] = useState<Settings>();
  const [period, setPeriod] = useState('');
  const [zone, setZone] = useState('');
  const [periodError, setPeriodError] = useState(false);
  const [state, setState] = useState<SaveState>('idle');
  const periodInput = useRef<HTMLInputElement>(null);
  const browserZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const zones = useMemo(() => timeZones(zone), [zone]);

  useEffect(() => {
    let alive = true;
    void loadSettings().then((s) => {
      if (!alive) return;
      setLoaded(s);
      setPeriod(String(s.periodMinutes));
      setZone(s.timeZone);
    });
    return () => {
      alive = false;
    };
  }, []);

  async function onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    const minutes = parsePeriodInput(period);
    if (minutes === undefined) {
      setPeriodError(true);
      periodInput.current?.focus();
      return;
    }
    const parsed = settingsSchema.safeParse({ periodMinutes: minutes, timeZone: zone });
    if (!parsed.success) {
      setState('failed');
      return;
    }
    setState('saving');
    try {
      const saved = await saveSettings(parsed.data);
      setLoaded(saved);
      try {
        await sendMessage('settingsChanged', {});
        setState('saved');
      } catch (error) {
        console.warn('Tracking Logs: could not notify the background', error);
        setState('saved-pending');
      }
    } catch (error) {
      console.error('Tracking Logs: could not save settings', error);
      setState('failed');
    }
  }

  const previewZone = effectiveTimeZone({ periodMinutes: 60, timeZone: zone });
  const minutes = parsePeriodInput(period);

  return (
    <>
      <h1>{t('settings_title')}</h1>
      {!loaded ? (
        <Spinner />
      ) : (
        <form class="form" onSubmit={(e) => void onSubmit(e)} noValidate>
          <div class="field">
            <label for="settings-period">{t('settings_period')}</label>
            <div class="input-with-unit">
              <input
                id="settings-period"
                ref={periodInput}
                type="number"
                inputMode="numeric"
                min={MIN_PERIOD}
                max={MAX_PERIOD}
                step={1}
                value={period}
                aria-invalid={periodError ? true : undefined}
                aria-describedby={periodError ? 'settings-period-error' : 'settings-period-hint'}
                onInput={(e) => {
                  setPeriod(e.currentTarget.value);
                  setPeriodError(false);
                  setState('idle');
                }}
              />
              <span class="input-with-unit__unit">{t('unit_minutes')}</span>
            </div>
            {periodError ? (
              <p id="settings-period-error" class="field__error">
                {t('settings_period_error')}
              </p>
            ) : (
              <p id="settings-period-hint" class="field__hint">
                {minutes !== undefined
                  ? t('settings_period_hint', formatDuration(minutes * 60_000))
                  : t('settings_period_range')}
              </p>
            )}
          </div>

          <div class="field">
            <label for="settings-zone">{t('settings_zone')}</label>
            <select
              id="settings-zone"
              value={zone}
              aria-describedby="settings-zone-hint"
              onChange={(e) => {
                setZone(e.currentTarget.value);
                setState('idle');
              }}
            >
              <option value="">{t('settings_zone_default', browserZone)}</option>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
            <p id="settings-zone-hint" class="field__hint">
              {t('settings_zone_preview', formatDate(ctx.now, previewZone))}
            </p>
          </div>

          <div class="button-row">
            <button type="submit" class="button button--primary" disabled={state === 'saving'}>
              {state === 'saving' ? t('saving') : t('save')}
            </button>
          </div>
          <p role="status" class="form__feedback">
            {state === 'saved' && <span class="text-ok">{t('settings_saved')}</span>}
            {state === 'saved-pending' && <span class="text-ok">{t('settings_saved_pending')}</span>}
            {state === 'failed' && <span class="text-error">{t('save_failed')}</span>}
          </p>
        </form>
      )}
    </>
  );
}
