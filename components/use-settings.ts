import { useEffect, useMemo, useState } from 'preact/hooks';
import type { MachineRules } from '../lib/indicators/machine';
import { browserTimeZone, DEFAULT_SETTINGS, effectiveTimeZone, machineRules, type Settings } from '../lib/settings';
import { loadSettings, watchSettings } from '../lib/settings-store';

/** The stored settings (undefined while loading), kept current when another page saves them. */
/** `initial`: the settings read just before (the popup's first render), shown until they are read here. */
export function useSettings(initial?: Settings): Settings | undefined {
  const [settings, setSettings] = useState<Settings | undefined>(initial);
  useEffect(() => {
    let alive = true;
    const unwatch = watchSettings((s) => setSettings(s));
    loadSettings().then(
      (s) => alive && setSettings((current) => current ?? s),
      (error: unknown) => {
        // Unreadable storage: show the defaults rather than waiting forever.
        console.error('Tracking Logs: could not read settings', error);
        if (alive) setSettings((current) => current ?? DEFAULT_SETTINGS);
      },
    );
    return () => {
      alive = false;
      unwatch();
    };
  }, []);
  return settings;
}

/**
 * What the tracking view's pages take from the settings, read once for all: the time zone dates are shown in (the
 * chosen one, else the browser's), and the human-or-machine rules (the defaults until the settings are read; the same
 * object while their values stay the same, so views can key their classification on it).
 */
export function useViewSettings(): { timeZone: string; rules: MachineRules } {
  const settings = useSettings();
  const timeZone = settings ? effectiveTimeZone(settings) : browserTimeZone();
  const { burstGapS, burstLinks } = machineRules(settings ?? DEFAULT_SETTINGS);
  const rules = useMemo(() => ({ burstGapS, burstLinks }), [burstGapS, burstLinks]);
  return { timeZone, rules };
}
