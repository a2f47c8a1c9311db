import { describe, expect, it } from 'vitest';
import { DEFAULT_MACHINE_RULES } from '../../../lib/indicators/machine';
import { browserTimeZone, DEFAULT_SETTINGS, effectiveTimeZone, machineRules, parseSettings } from '../../../lib/settings';
import { parseWholeInput } from '../../../lib/settings-store';

describe('settings', () => {
  it('show dates in the chosen zone, or the browser’s when none is chosen or the zone is unknown', () => {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(browserTimeZone()).toBe(browser);
    expect(effectiveTimeZone({ ...DEFAULT_SETTINGS, timeZone: '' })).toBe(browser);
    // Asked twice: the second answer comes from what the first found out, and is the same.
    for (let i = 0; i < 2; i++) {
      expect(effectiveTimeZone({ ...DEFAULT_SETTINGS, timeZone: 'Europe/Stockholm' })).toBe('Europe/Stockholm');
      expect(effectiveTimeZone({ ...DEFAULT_SETTINGS, timeZone: 'Mars/Olympus_Mons' })).toBe(browser);
    }
  });

  it('default to the classification’s own link-scanner rule', () => {
    expect(machineRules(DEFAULT_SETTINGS)).toEqual(DEFAULT_MACHINE_RULES);
  });

  it('keep stored values in range, and fall back to the defaults for anything else', () => {
    expect(machineRules(parseSettings({ burstLinks: 5, burstGapSeconds: 10 }))).toEqual({ burstLinks: 5, burstGapS: 10 });
    // Settings saved before the rule existed: the defaults.
    expect(parseSettings({ periodMinutes: 30, timeZone: '' })).toEqual({ ...DEFAULT_SETTINGS, periodMinutes: 30 });
    expect(parseSettings({ burstLinks: 1 })).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ burstGapSeconds: 61 })).toEqual(DEFAULT_SETTINGS);
  });

  it('read a typed whole number within its bounds, nothing else', () => {
    expect(parseWholeInput(' 7 ', 2, 50)).toBe(7);
    expect(parseWholeInput('0', 0, 60)).toBe(0);
    for (const bad of ['', '1', '51', '3.5', '-3', '1e1', 'abc']) expect(parseWholeInput(bad, 2, 50)).toBeUndefined();
  });
});
