import { useEffect, useMemo, useState } from 'preact/hooks';
import type { MachineRules } from '../lib/indicators/machine';
import { DEFAULT_SETTINGS, effectiveTimeZone, machineRules, type Settings } from '../lib/settings';
import { loadSettings, watchSettings } from '../lib/settings-store';

/** The stored settings (undefined while loading), kept current when another page saves them. */
export function useSettings(): Settings | undefined {
  const [settings, setSettings] = useState<Settings>();
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

/** The time zone dates are shown in: the chosen one, else the browser's. */
export function useTimeZone(): string {
  const settings = useSettings();
  return settings ? effectiveTimeZone(settings) : Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The human-or-machine rules the settings set (the defaults until they are read). The same object while its values
 * stay the same, so views can key their classification on it.
 */
export function useMachineRules(): MachineRules {
  const { burstGapS, burstLinks } = machineRules(useSettings() ?? DEFAULT_SETTINGS);
  return useMemo(() => ({ burstGapS, burstLinks }), [burstGapS, burstLinks]);
}
