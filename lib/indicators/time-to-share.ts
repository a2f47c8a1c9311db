/**
 * How long after the send a delivery reached 50 %, 80 % and 90 % of all its opens (or clicks) so far, from the
 * per-hour counts of the aggregate (lib/workflow/aggregate.ts; opens after the 1-minute repeat-open rule of Adobe's
 * `dedupOpenPeriodMin`, clicks = email clicks, type 1).
 *
 * The aggregate keeps calendar hours, not event times, so within the hour where the share is crossed the events are
 * taken as evenly spread, and the crossing time is interpolated linearly. In the hour of the send they are spread
 * from the send itself (nothing can happen before it) to the end of the hour. Example: send at 10:30, 40 opens
 * 10:00–11:00 and 60 opens 11:00–12:00; 50 % = 50 opens is crossed 10/60 into the second hour, at 11:10, i.e. 40 min
 * after the send.
 */

/** The shares the statistics tab shows. */
export const SHARES = [0.5, 0.8, 0.9] as const;

export interface ShareTime {
  share: number;
  /** When the share was reached, epoch seconds. */
  at: number;
  /** Seconds from the send to `at` (undefined when the send time is unknown). */
  afterSend: number | undefined;
}

/**
 * The time the running total of `counts` (parallel to ascending epoch `hours`) reached `share` of its total, or
 * undefined when there is nothing to count.
 */
export function timeToShare(
  hours: ArrayLike<number>,
  counts: ArrayLike<number>,
  share: number,
  sentAtMs?: number,
): ShareTime | undefined {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0 || !(share > 0) || share > 1) return undefined;
  const target = share * total;
  const sent = sentAtMs === undefined ? undefined : sentAtMs / 1000;
  let before = 0;
  for (let i = 0; i < hours.length; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    if (before + c >= target) {
      const hourStart = hours[i]! * 3600;
      const end = hourStart + 3600;
      const start = sent !== undefined && sent > hourStart && sent < end ? sent : hourStart;
      const at = start + ((target - before) / c) * (end - start);
      return { share, at, afterSend: sent === undefined ? undefined : Math.max(0, at - sent) };
    }
    before += c;
  }
  return undefined; // unreachable: the last non-empty hour always crosses
}

/** {@link timeToShare} for each of {@link SHARES}. */
export function timesToShares(
  hours: ArrayLike<number>,
  counts: ArrayLike<number>,
  sentAtMs?: number,
  shares: readonly number[] = SHARES,
): (ShareTime | undefined)[] {
  return shares.map((s) => timeToShare(hours, counts, s, sentAtMs));
}
