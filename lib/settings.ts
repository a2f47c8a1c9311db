import { z } from 'zod';

/** User settings, stored in chrome.storage.local (key `settings`), validated on every read. */
export const settingsSchema = z.object({
  /** Tracking workflow period: 5 minutes to 24 hours, hourly by default like Adobe's `tracking` workflow. */
  periodMinutes: z.number().int().min(5).max(1440).default(60),
  /** IANA time zone for dates and charts; empty = the browser's own. */
  timeZone: z.string().max(100).default(''),
  /**
   * The link-scanner rule of the human-or-machine classification (lib/indicators/machine.ts): clicks on at least
   * `burstLinks` different links, each at most `burstGapSeconds` after the one before. Classified on read, so a change
   * applies to every stored event at once. The defaults are BURST_GAP_S and BURST_LINKS of that module, written out
   * here so the service worker's bundle does not take in the classification (test/unit/lib/settings.test.ts).
   */
  burstGapSeconds: z.number().int().min(0).max(60).default(1),
  burstLinks: z.number().int().min(2).max(50).default(3),
});
export type Settings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export function parseSettings(raw: unknown): Settings {
  const result = settingsSchema.safeParse(raw ?? {});
  return result.success ? result.data : DEFAULT_SETTINGS;
}

/**
 * The browser's own time zone, read once per page: the tracking view's shell asked for it at each of its renders, a
 * new `Intl.DateTimeFormat` each time (~0.2 ms timed in the page), and the zone does not change under a page.
 */
let browserZone: string | undefined;
export function browserTimeZone(): string {
  return (browserZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone);
}

/** Zones checked against Intl already: whether it knows each. */
const knownZones = new Map<string, boolean>();

/** The browser's time zone when the setting is empty or not a zone Intl knows. */
export function effectiveTimeZone(settings: Settings): string {
  const zone = settings.timeZone;
  if (zone) {
    let known = knownZones.get(zone);
    if (known === undefined) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        known = true;
      } catch {
        known = false; // an unknown zone falls back to the browser's
      }
      knownZones.set(zone, known);
    }
    if (known) return zone;
  }
  return browserTimeZone();
}

/** The classification rules the settings set (lib/indicators/machine.ts). */
export function machineRules(settings: Settings): { burstGapS: number; burstLinks: number } {
  return { burstGapS: settings.burstGapSeconds, burstLinks: settings.burstLinks };
}
