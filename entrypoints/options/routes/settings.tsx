import type { JSX, RefObject } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Spinner } from '../../../components/Spinner';
import { usePageTitle } from '../../../components/use-page-title';
import { formatDate, formatDuration, t } from '../../../lib/i18n';
import { sendMessage } from '../../../lib/messaging';
import { browserTimeZone, DEFAULT_SETTINGS, effectiveTimeZone, settingsSchema, type Settings } from '../../../lib/settings';
import {
  BURST_GAP_RANGE,
  BURST_LINKS_RANGE,
  MAX_PERIOD,
  MIN_PERIOD,
  loadSettings,
  parsePeriodInput,
  parseWholeInput,
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
  const [burstLinks, setBurstLinks] = useState('');
  const [burstGap, setBurstGap] = useState('');
  const [burstLinksError, setBurstLinksError] = useState(false);
  const [burstGapError, setBurstGapError] = useState(false);
  const burstLinksInput = useRef<HTMLInputElement>(null);
  const burstGapInput = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<SaveState>('idle');
  const periodInput = useRef<HTMLInputElement>(null);
  const browserZone = browserTimeZone();
  const zones = useMemo(() => timeZones(zone), [zone]);

  useEffect(() => {
    let alive = true;
    void loadSettings().then((s) => {
      if (!alive) return;
      setLoaded(s);
      setPeriod(String(s.periodMinutes));
      setZone(s.timeZone);
      setBurstLinks(String(s.burstLinks));
      setBurstGap(String(s.burstGapSeconds));
    });
    return () => {
      alive = false;
    };
  }, []);

  async function onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    const minutes = parsePeriodInput(period);
    const links = parseWholeInput(burstLinks, ...BURST_LINKS_RANGE);
    const gap = parseWholeInput(burstGap, ...BURST_GAP_RANGE);
    setPeriodError(minutes === undefined);
    setBurstLinksError(links === undefined);
    setBurstGapError(gap === undefined);
    if (minutes === undefined || links === undefined || gap === undefined) {
      // Focus goes to the first field in error.
      (minutes === undefined ? periodInput : links === undefined ? burstLinksInput : burstGapInput).current?.focus();
      return;
    }
    const parsed = settingsSchema.safeParse({ periodMinutes: minutes, timeZone: zone, burstLinks: links, burstGapSeconds: gap });
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

  const previewZone = effectiveTimeZone({ ...DEFAULT_SETTINGS, timeZone: zone });
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

          <fieldset class="field settings-rule">
            <legend>{t('settings_machine_title')}</legend>
            <p class="field__hint">{t('settings_machine_intro')}</p>
            <RuleNumber
              id="settings-burst-links"
              label={t('settings_burst_links')}
              unit={t('settings_burst_links_unit')}
              range={BURST_LINKS_RANGE}
              value={burstLinks}
              error={burstLinksError ? t('settings_burst_links_error') : undefined}
              inputRef={burstLinksInput}
              onInput={(v) => {
                setBurstLinks(v);
                setBurstLinksError(false);
                setState('idle');
              }}
            />
            <RuleNumber
              id="settings-burst-gap"
              label={t('settings_burst_gap')}
              unit={t('settings_burst_gap_unit')}
              range={BURST_GAP_RANGE}
              value={burstGap}
              error={burstGapError ? t('settings_burst_gap_error') : undefined}
              inputRef={burstGapInput}
              onInput={(v) => {
                setBurstGap(v);
                setBurstGapError(false);
                setState('idle');
              }}
            />
            <p id="settings-burst-hint" class="field__hint">
              {t('settings_burst_hint')}
            </p>
          </fieldset>

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

/** One threshold of the link-scanner rule: "<label> [n] <unit>", on a line of its own, its error under it. */
function RuleNumber({
  id,
  label,
  unit,
  range,
  value,
  error,
  inputRef,
  onInput,
}: {
  id: string;
  label: string;
  unit: string;
  range: readonly [number, number];
  value: string;
  error: string | undefined;
  inputRef: RefObject<HTMLInputElement>;
  onInput: (value: string) => void;
}): JSX.Element {
  return (
    <>
      <div class="settings-rule__line">
        <label for={id}>{label}</label>
        <div class="input-with-unit">
          <input
            id={id}
            ref={inputRef}
            type="number"
            inputMode="numeric"
            min={range[0]}
            max={range[1]}
            step={1}
            value={value}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : 'settings-burst-hint'}
            onInput={(e) => onInput(e.currentTarget.value)}
          />
          <span class="input-with-unit__unit">{unit}</span>
        </div>
      </div>
      {error && (
        <p id={`${id}-error`} class="field__error">
          {error}
        </p>
      )}
    </>
  );
}
