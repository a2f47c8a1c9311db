import { browser } from 'wxt/browser';
import { parseSettings, settingsSchema, type Settings } from './settings';

/**
 * Settings live in browser.storage.local under `settings` and are validated on every read and write (lib/settings.ts):
 * a hand-edited or older value falls back to the defaults instead of breaking a page.
 */
export const SETTINGS_KEY = 'settings';

export async function loadSettings(): Promise<Settings> {
  const got = await browser.storage.local.get(SETTINGS_KEY);
  return parseSettings(got[SETTINGS_KEY]);
}

/** Validates and saves; throws a ZodError (nothing written) when `settings` is out of range. */
export async function saveSettings(settings: Settings): Promise<Settings> {
  const valid = settingsSchema.parse(settings);
  await browser.storage.local.set({ [SETTINGS_KEY]: valid });
  return valid;
}

/** Calls `listener` with the new settings whenever they change (from any page). Returns the unsubscribe. */
export function watchSettings(listener: (settings: Settings) => void): () => void {
  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string): void => {
    if (area === 'local' && SETTINGS_KEY in changes) listener(parseSettings(changes[SETTINGS_KEY]?.newValue));
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}

/** The bounds of the workflow period, in minutes (settingsSchema). */
export const MIN_PERIOD = 5;
export const MAX_PERIOD = 1440;

/** The period typed in a form, or undefined when it is not a whole number of minutes from 5 to 1440. */
export function parsePeriodInput(text: string): number | undefined {
  return parseWholeInput(text, MIN_PERIOD, MAX_PERIOD);
}

/** A whole number typed in a form, within [min, max], or undefined. */
export function parseWholeInput(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return n >= min && n <= max ? n : undefined;
}

/** The bounds of the link-scanner rule's thresholds (settingsSchema). */
export const BURST_LINKS_RANGE = [2, 50] as const;
export const BURST_GAP_RANGE = [0, 60] as const;
