import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, effectiveTimeZone, type Settings } from '../lib/settings';
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
