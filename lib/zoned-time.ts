/**
 * Wall-clock times in an explicit IANA zone (the view's zone setting, not the browser's), for the time-range filters
 * of the logs, the recipient tab and the URLs tab: the hash keeps `from=2026-10-01T09:00` as the user typed it in a
 * datetime-local input, and the filter needs the instant. Intl gives zone offsets only from
 * instant to wall clock, so the reverse is solved by iterating (twice is enough: offsets change at most once
 * around any instant we care about).
 */

const parts = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = parts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    parts.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `ms` in `timeZone` as UTC-based epoch ms (i.e. ms + the zone's offset at `ms`). */
function wallClock(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const { type, value } of partsFormat(timeZone).formatToParts(ms)) p[type] = Number(value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `2026-10-01T09:00` (as a datetime-local input gives it) in `timeZone` → epoch ms; undefined when malformed. */
export function parseZonedDateTime(text: string, timeZone: string): number | undefined {
  const m = LOCAL.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const target = Date.UTC(y, mo - 1, d, h, mi, s);
  try {
    let guess = target;
    for (let i = 0; i < 2; i++) guess = target - (wallClock(guess, timeZone) - guess);
    return guess;
  } catch {
    return undefined; // an unknown zone
  }
}

/** Epoch ms → `2026-10-01T09:00` in `timeZone`, for a datetime-local input. */
export function formatZonedInput(ms: number, timeZone: string): string {
  const w = new Date(wallClock(ms, timeZone)).toISOString();
  return w.slice(0, 16);
}

/**
 * A fast `YYYY-MM-DD HH:mm:ss` formatter of epoch seconds in `timeZone`, for exports of a million rows: the zone's
 * offset is looked up once per quarter hour (zone transitions fall on quarter hours) instead of asking Intl per row.
 */
export function wallClockFormatter(timeZone: string): (seconds: number) => string {
  const offsets = new Map<number, number>();
  return (seconds) => {
    const bucket = Math.floor(seconds / 900);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      try {
        offset = wallClock(bucket * 900_000, timeZone) - bucket * 900_000;
      } catch {
        offset = 0;
      }
      offsets.set(bucket, offset);
    }
    return new Date(seconds * 1000 + offset).toISOString().slice(0, 19).replace('T', ' ');
  };
}
