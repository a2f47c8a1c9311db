import { describe, expect, it } from 'vitest';
import { formatZonedInput, parseZonedDateTime, wallClockFormatter } from '../../../lib/zoned-time';

describe('wall-clock times in a zone', () => {
  it('reads a datetime-local value in the zone, across daylight saving', () => {
    expect(parseZonedDateTime('2026-10-01T11:00', 'Europe/Stockholm')).toBe(Date.UTC(2026, 9, 1, 9));
    expect(parseZonedDateTime('2026-12-01T11:00', 'Europe/Stockholm')).toBe(Date.UTC(2026, 11, 1, 10));
    expect(parseZonedDateTime('2026-12-01T11:00:30', 'America/New_York')).toBe(Date.UTC(2026, 11, 1, 16, 0, 30));
    expect(parseZonedDateTime('2026-12-01T11:00', 'UTC')).toBe(Date.UTC(2026, 11, 1, 11));
  });
  it('rejects malformed input and unknown zones', () => {
    expect(parseZonedDateTime('yesterday', 'UTC')).toBeUndefined();
    expect(parseZonedDateTime('2026-13-01T11:00', 'UTC')).toBeUndefined();
    expect(parseZonedDateTime('2026-12-01T11:00', 'Mars/Olympus')).toBeUndefined();
  });
  it('round-trips through the input format', () => {
    const ms = Date.UTC(2026, 2, 29, 0, 30);
    expect(formatZonedInput(ms, 'Europe/Stockholm')).toBe('2026-03-29T01:30');
    expect(parseZonedDateTime(formatZonedInput(ms, 'Europe/Stockholm'), 'Europe/Stockholm')).toBe(ms);
  });
});

describe('export wall clock', () => {
  it('matches Intl across a daylight-saving change', () => {
    const f = wallClockFormatter('Europe/Stockholm');
    expect(f(Date.UTC(2026, 2, 29, 0, 59, 59) / 1000)).toBe('2026-03-29 01:59:59');
    expect(f(Date.UTC(2026, 2, 29, 1, 0, 0) / 1000)).toBe('2026-03-29 03:00:00');
    expect(f(Date.UTC(2026, 9, 1, 9, 5, 7) / 1000)).toBe('2026-10-01 11:05:07');
  });
});
