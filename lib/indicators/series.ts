/**
 * Opens and clicks over time, from a delivery's per-hour counts (lib/workflow/aggregate.ts keeps them per calendar
 * hour in epoch hours), never from raw events. Adobe's "User activities" report draws opens and clicks per hour or per
 * day (`@opens` = open-URL logs, `@clicks` = email clicks without opt-out and mirror page; adobe-tracking.md §1.4), and
 * product.md asks for hours since send as well as calendar time, in an explicit time zone.
 *
 * Resolution is the calendar hour the aggregate keeps, so:
 * - "hours since send": hour k is the k-th calendar hour counted from the one the send fell in (hour 0 holds the
 *   events from the send to the end of that hour);
 * - calendar days start at local midnight in the chosen zone; in a zone whose offset is not whole hours an hour
 *   belongs to the day it starts in.
 */

export type TimeUnit = 'hour' | 'day';
export type TimeAxis = 'calendar' | 'since';

export interface SeriesInput {
  /** Epoch hours, ascending (AggregateRow.hours). */
  hours: ArrayLike<number>;
  /** One count column per series, parallel to `hours` (hourOpens, hourClicks …). */
  columns: readonly ArrayLike<number>[];
  unit: TimeUnit;
  axis: TimeAxis;
  /** Send time, epoch ms; needed for the since-send axis. */
  sentAt?: number | undefined;
  /** IANA zone for calendar days. */
  timeZone: string;
  cumulative: boolean;
}

export interface Series {
  /** Calendar axis: bucket start, epoch seconds. Since-send axis: hours (or days) since the send. */
  x: number[];
  /** One row per input column, parallel to `x`; empty buckets are 0, so the time scale has no holes. */
  ys: number[][];
  /** The axis actually used: since-send falls back to calendar time when the send time is unknown. */
  axis: TimeAxis;
}

/** More buckets than this are never drawn (a stray event years away must not allocate millions of points). */
export const MAX_BUCKETS = 50_000;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `sec` (epoch seconds), in seconds (Stockholm in winter: 3600). */
export function zoneOffsetSeconds(sec: number, timeZone: string): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    }
    offsetFormats.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(sec * 1000)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) / 1000;
  return local - sec;
}

/** Local midnight (as epoch seconds) of the day `sec` falls in, in `timeZone`. */
export function dayStart(sec: number, timeZone: string): number {
  const off = zoneOffsetSeconds(sec, timeZone);
  const local = sec + off;
  const midnightLocal = local - (((local % 86400) + 86400) % 86400);
  // The offset at midnight can differ from the one at `sec` (a DST change that night): correct once.
  return midnightLocal - zoneOffsetSeconds(midnightLocal - off, timeZone);
}

function fill(n: number, columns: number): number[][] {
  return Array.from({ length: columns }, () => new Array<number>(n).fill(0));
}

/** Opens/clicks per hour or per day, on calendar time or since the send, optionally cumulative. */
export function buildSeries(input: SeriesInput): Series {
  const { hours, columns, unit, timeZone } = input;
  const axis: TimeAxis = input.axis === 'since' && input.sentAt !== undefined ? 'since' : 'calendar';
  const n = hours.length;
  if (n === 0) return { x: [], ys: columns.map(() => []), axis };
  let x: number[];
  let ys: number[][];

  if (axis === 'since') {
    const sendHour = Math.floor(input.sentAt! / 3_600_000);
    const per = unit === 'day' ? 24 : 1;
    const bucketOf = (h: number): number => Math.floor((h - sendHour) / per);
    const first = Math.min(0, bucketOf(hours[0]!));
    const last = Math.min(bucketOf(hours[n - 1]!), first + MAX_BUCKETS - 1);
    x = [];
    for (let b = first; b <= last; b++) x.push(b);
    ys = fill(x.length, columns.length);
    for (let i = 0; i < n; i++) {
      const b = bucketOf(hours[i]!) - first;
      if (b >= x.length) break;
      for (let c = 0; c < columns.length; c++) ys[c]![b]! += columns[c]![i]!;
    }
  } else if (unit === 'hour') {
    const first = hours[0]!;
    const last = Math.min(hours[n - 1]!, first + MAX_BUCKETS - 1);
    x = [];
    for (let h = first; h <= last; h++) x.push(h * 3600);
    ys = fill(x.length, columns.length);
    for (let i = 0; i < n; i++) {
      const b = hours[i]! - first;
      if (b >= x.length) break;
      for (let c = 0; c < columns.length; c++) ys[c]![b]! += columns[c]![i]!;
    }
  } else {
    // Calendar days in the zone: local midnights from the first event's day to the last one's.
    const firstDay = dayStart(hours[0]! * 3600, timeZone);
    const lastDay = dayStart(hours[n - 1]! * 3600, timeZone);
    x = [];
    for (let d = firstDay; d <= lastDay && x.length < MAX_BUCKETS; d = dayStart(d + 36 * 3600, timeZone)) x.push(d);
    ys = fill(x.length, columns.length);
    let b = 0;
    for (let i = 0; i < n; i++) {
      const t = hours[i]! * 3600;
      while (b + 1 < x.length && x[b + 1]! <= t) b++;
      if (b + 1 >= x.length && t >= (x[b] ?? 0) + 26 * 3600) break; // past the last drawn day (bucket cap)
      for (let c = 0; c < columns.length; c++) ys[c]![b]! += columns[c]![i]!;
    }
  }

  if (input.cumulative) {
    for (const y of ys) for (let i = 1; i < y.length; i++) y[i]! += y[i - 1]!;
  }
  return { x, ys, axis };
}

/** Why a chart's last bucket holds less than a whole bucket's events. */
export type IncompleteBucket = 'now' | 'window';

/**
 * When the bucket starting at `x` (a value of `Series.x`) ends, in epoch seconds. `axis` is the one the series actually
 * used (`Series.axis`).
 */
export function bucketEnd(
  x: number,
  { unit, axis, sentAt, timeZone }: Pick<SeriesInput, 'unit' | 'sentAt' | 'timeZone'> & { axis: TimeAxis },
): number {
  if (axis === 'since' && sentAt !== undefined) {
    const sendHour = Math.floor(sentAt / 3_600_000);
    return (sendHour + (x + 1) * (unit === 'day' ? 24 : 1)) * 3600;
  }
  return unit === 'hour' ? x + 3600 : dayStart(x + 36 * 3600, timeZone);
}

/**
 * Whether the series' last bucket is only part of one: the hour (or day) still under way at `nowMs`, or one that a
 * time window ending at `windowEnd` (epoch seconds) cuts. Drawn as a plain count it reads as a sudden drop at the end
 * of the chart, so the chart marks it (components/TimeChart.tsx).
 */
export function incompleteLast(
  series: Pick<Series, 'x' | 'axis'>,
  input: Pick<SeriesInput, 'unit' | 'sentAt' | 'timeZone'>,
  nowMs: number,
  windowEnd = Infinity,
): IncompleteBucket | undefined {
  const last = series.x.at(-1);
  if (last === undefined) return undefined;
  const end = bucketEnd(last, { ...input, axis: series.axis });
  if (end * 1000 > nowMs) return 'now';
  if (end > windowEnd) return 'window';
  return undefined;
}

/** Whether two stored hourly series hold the same counts for the same hours (a re-read that changed nothing). */
export function sameHourlySeries(
  a: { hours: ArrayLike<number>; opens: ArrayLike<number>; clicks: ArrayLike<number> },
  b: { hours: ArrayLike<number>; opens: ArrayLike<number>; clicks: ArrayLike<number> },
): boolean {
  if (a === b) return true;
  const n = a.hours.length;
  if (b.hours.length !== n || a.opens.length !== n || b.opens.length !== n || a.clicks.length !== n || b.clicks.length !== n) return false;
  for (let i = 0; i < n; i++) {
    if (a.hours[i] !== b.hours[i] || a.opens[i] !== b.opens[i] || a.clicks[i] !== b.clicks[i]) return false;
  }
  return true;
}
