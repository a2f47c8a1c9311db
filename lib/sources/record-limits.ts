/**
 * Limits and times shared by every source format (the feed in feed-format.ts, the provider adapters through
 * provider-kit.ts): string caps, the accepted time range, rejected-record samples, and a fast exact ISO parser.
 * Kept free of imports so any page can use them without pulling in a parser library.
 */

/** Longest accepted string per field, in UTF-16 code units. A longer value rejects the record. */
export const FEED_LIMITS = {
  id: 200,
  label: 500,
  subject: 1000,
  category: 200,
  url: 8000,
  recipient: 320,
  userAgent: 2000,
  ip: 100,
  person: 200,
  html: 5_000_000,
} as const;

/** Accepted times, epoch ms: from 2000-01-01T00:00:00Z up to (not including) 2100-01-01T00:00:00Z. */
export const FEED_MIN_TIME = 946_684_800_000;
export const FEED_MAX_TIME = 4_102_444_800_000 - 1;

/** Samples of rejected records kept per page (all are counted). */
export const MAX_REJECTED_SAMPLES_PER_PAGE = 20;
/** Characters of a rejected record kept as its sample. */
export const SAMPLE_CHARS = 300;

/** Two decimal digits at `i`. */
function d2(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
}

/** Two ASCII digits at `i`, as a number; -1 when either is not a digit. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days in month `m` (1-12) of year `y`, by the Gregorian rule (as ISO_DATETIME's date part has it). */
function daysIn(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Epoch ms of `s[from, to)` when it is a UTC date-time in the commonest shape, `YYYY-MM-DDTHH:MM:SSZ` or with a
 * fraction (`…SS.f+Z`), and a valid one (month, day of that month, hour, minute, second in range); NaN otherwise,
 * meaning "ask the regular expression" (other shapes, offsets, anything invalid). Whatever it accepts, zod's
 * datetime({ offset: true }) accepts too, with the same value: the feed's line scanner reads times so, without
 * cutting the string out or running the expression (lib/sources/feed-format.ts).
 */
export function plainUtcIsoAt(s: string, from: number, to: number): number {
  const len = to - from;
  if (len < 20 || s.charCodeAt(to - 1) !== 0x5a /* Z */) return Number.NaN;
  if (
    s.charCodeAt(from + 4) !== 0x2d ||
    s.charCodeAt(from + 7) !== 0x2d ||
    s.charCodeAt(from + 10) !== 0x54 /* T */ ||
    s.charCodeAt(from + 13) !== 0x3a ||
    s.charCodeAt(from + 16) !== 0x3a
  ) {
    return Number.NaN;
  }
  const hi = digits2(s, from);
  const lo = digits2(s, from + 2);
  const m = digits2(s, from + 5);
  const d = digits2(s, from + 8);
  const h = digits2(s, from + 11);
  const min = digits2(s, from + 14);
  const sec = digits2(s, from + 17);
  if (hi < 0 || lo < 0 || m < 1 || m > 12 || d < 1 || h < 0 || h > 23 || min < 0 || min > 59 || sec < 0 || sec > 59) {
    return Number.NaN;
  }
  if (d > daysIn(hi * 100 + lo, m)) return Number.NaN;
  if (len > 20) {
    // `.` and at least one digit, only digits up to the Z.
    if (s.charCodeAt(from + 19) !== 0x2e || len < 22) return Number.NaN;
    for (let i = from + 20; i < to - 1; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return Number.NaN;
    }
  }
  return isoToMsAt(s, from);
}

/**
 * Epoch ms of a string that ISO_DATETIME accepted (`YYYY-MM-DDTHH:MM:SS(.f+)?(Z|±HH:MM)`), as Date.parse gives it
 * (fraction truncated to ms), without Date.parse's general parser: ~5× faster. Days from the civil date by
 * H. Hinnant's algorithm.
 */
export function isoToMs(s: string): number {
  return isoToMsAt(s, 0);
}

/** {@link isoToMs} of the date-time that starts at `s[o]`. */
function isoToMsAt(s: string, o: number): number {
  let y = d2(s, o) * 100 + d2(s, o + 2);
  const m = d2(s, o + 5);
  const d = d2(s, o + 8);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const days = era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
  let ms = days * 86_400_000 + d2(s, o + 11) * 3_600_000 + d2(s, o + 14) * 60_000 + d2(s, o + 17) * 1000;
  let i = o + 19;
  if (s.charCodeAt(i) === 0x2e /* . */) {
    i++;
    // The fraction is summed on its own and floored before it meets the epoch: added to a ~1.8e12 ms value, whose
    // spacing is ~0.0002 ms, 7 digits of 9s (`.9999999`, Postmark) rounded up into the next second.
    let scale = 100;
    let fraction = 0;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) {
      fraction += (c - 48) * scale;
      scale /= 10;
    }
    ms += Math.floor(fraction);
  }
  const sign = s.charCodeAt(i);
  if (sign === 0x2b /* + */ || sign === 0x2d /* - */) {
    const offset = d2(s, i + 1) * 3_600_000 + d2(s, i + 4) * 60_000;
    ms += sign === 0x2b ? -offset : offset;
  }
  return ms;
}

