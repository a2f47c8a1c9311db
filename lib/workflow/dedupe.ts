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
  private readonly seen = new HashSet53();
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
        const h = seg.h;
        for (let i = 0; i < h.length; i++) this.seen.add(h[i]!);
      });
    this.from = tMin;
  }

  has(h: number): boolean {
    return this.seen.has(h);
  }

  /** Adds `h`; false when it was already there (a duplicate). */
  add(h: number): boolean {
    return this.seen.add(h);
  }

  get size(): number {
    return this.seen.size;
  }
}
