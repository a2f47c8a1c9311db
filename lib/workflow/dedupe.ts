import type { TrackingDb } from '../db/schema';
import { HashSet53 } from './hash-set';

/**
 * Which events of one source the store already holds, by the hash of their event id, over a time window.
 *
 * A re-fetched page, an overlapping window or a trailing re-read brings back events with the times they had the
 * first time, so a duplicate of an event at time t can only sit in a segment whose tMax ≥ t. The window therefore
 * loads the hashes of the source's segments with tMax ≥ the earliest time seen this run, once, and widens only
 * when an older event arrives; events committed during the run are added as they go. Cost follows the new
 * events' time span, not the history (../shared/architecture.md: "cost follows new events").
 */
export class DedupeWindow {
  /**
   * The hashes by the hour of their event's time. A duplicate has its original's time (above), so it meets it in the
   * same hour's set. One set of a million hashes missed the cache on nearly every add and was rehashed as it grew
   * (a third of a second of the service worker's time per million events in a profile); a page's events, in time
   * order, fall in one or two hours, whose sets stay small enough to be cached.
   */
  private readonly hours = new Map<number, HashSet53>();
  private lastHour = Number.NaN;
  private lastSet: HashSet53 | undefined;
  private count = 0;
  /** Every stored segment with tMax ≥ `from` (epoch s) has been loaded. */
  private from = Number.POSITIVE_INFINITY;

  constructor(
    private readonly db: TrackingDb,
    private readonly sourceId: string,
  ) {}

  /** Makes sure stored events at or after `tMin` (epoch s) are known. */
  async cover(tMin: number): Promise<void> {
    if (tMin >= this.from) return;
    const upper = this.from;
    await this.db.segments
      .where('[sourceId+tMax]')
      .between([this.sourceId, tMin], [this.sourceId, upper === Number.POSITIVE_INFINITY ? Infinity : upper], true, false)
      .each((seg) => {
        const { h, t } = seg;
        this.reserve(t);
        for (let i = 0; i < h.length; i++) this.add(h[i]!, t[i]!);
      });
    this.from = tMin;
  }

  private setOf(tS: number): HashSet53 {
    const hour = Math.floor(tS / 3600);
    if (hour === this.lastHour) return this.lastSet!;
    let set = this.hours.get(hour);
    if (!set) {
      set = new HashSet53(16);
      this.hours.set(hour, set);
    }
    this.lastHour = hour;
    this.lastSet = set;
    return set;
  }

  /**
   * Makes room for events at these times (epoch s, best in time order) before they are added, so each hour's set is
   * made or grown once, to size, rather than doubled step by step (the doublings took ~0.2 s of the worker's time
   * per million events in a profile).
   */
  reserve(times: ArrayLike<number>): void {
    let hour = Number.NaN;
    let run = 0;
    const flush = (): void => {
      if (run === 0) return;
      const set = this.hours.get(hour);
      if (set) set.reserve(run);
      else this.hours.set(hour, new HashSet53(run));
    };
    for (let i = 0; i < times.length; i++) {
      const h = Math.floor(times[i]! / 3600);
      if (h !== hour) {
        flush();
        hour = h;
        run = 0;
      }
      run++;
    }
    flush();
  }

  /** Whether the event of id hash `h` at `tS` (epoch s) is known. */
  has(h: number, tS: number): boolean {
    return this.setOf(tS).has(h);
  }

  /** Adds the event of id hash `h` at `tS` (epoch s); false when it was already there (a duplicate). */
  add(h: number, tS: number): boolean {
    if (!this.setOf(tS).add(h)) return false;
    this.count++;
    return true;
  }

  get size(): number {
    return this.count;
  }
}
