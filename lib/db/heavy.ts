import { copyEvent, emptyColumns, type EventColumns } from './events';
import type { SegmentRow, TrackingDb } from './schema';

/**
 * # Heavy recipients: a bound on the recipient tracking tab's worst case
 *
 * The recipient tab finds a recipient's events through per-segment filters (./recipient-filter.ts) and reads the
 * segments that may hold them. That is cheap while a recipient has a few events, but the cost follows the number of
 * segments the recipient appears in: a seed address, a shared inbox or a link scanner that reacts to every send is
 * in nearly every segment, and reading them all (the bench: ~1 900 events across ~1 300 segments of a 5 M-event
 * store) took about a second.
 *
 * So the store writer counts stored events per recipient, and once a recipient reaches {@link HEAVY_EVENTS} it
 * becomes *heavy*: from then on (`from`, the first segment id of that page) its events are ALSO written, in the
 * same transaction as their segments. Each page writes at most {@link HEAVY_BUCKETS} such rows: the heavy events of
 * the page, split by recipient bucket and sorted by recipient. A lookup then reads its bucket's rows (1/64 of the
 * heavy events) and cuts its recipient's run out of each, plus, through the filters, only the segments older than
 * `from`, which hold at most HEAVY_EVENTS of its events. Whatever a recipient's activity, the tab reads at most
 * about HEAVY_EVENTS segments (and the filters' false positives). (A row per recipient and segment was the first
 * design: on data where most events are heavy recipients' it wrote hundreds of thousands of one-event rows, and a
 * file import fell from ~150 000 to ~12 000 events/s.)
 *
 * The invariant, kept by every writer and every delete: for a heavy recipient, each stored segment with
 * `id >= from` has all of that recipient's events in the heavy rows of its page. A page is one source's, so
 * removing a source's data removes its heavy rows by `sourceId`. The counts only decide when a recipient is
 * promoted; counts that lag (a run cut off before they were saved) promote later, which costs time, never
 * correctness. The cost in space: the events of recipients past their first HEAVY_EVENTS, stored twice (0.1–0.5 %
 * of the events in the bench's feed data; more where a few recipients make most events).
 */
export const HEAVY_EVENTS = 64;

/**
 * Heavy rows are split by recipient into this many buckets (dictionary id modulo): a lookup reads the rows of one
 * bucket, and a page writes at most this many rows however many heavy recipients it has.
 */
export const HEAVY_BUCKETS = 64;

export function heavyBucket(rcp: number): number {
  return rcp % HEAVY_BUCKETS;
}

/**
 * The events of the heavy recipients of one bucket in the segments written together (one page of one source),
 * ordered by recipient, then segment, then row: a recipient's events are one run, found by binary search.
 */
export interface HeavyRow extends EventColumns {
  id?: number;
  sourceId: string;
  bucket: number;
  /** The first segment id of the page (its segments have consecutive ids). */
  seg: number;
  deliveryId: Uint32Array;
}

/** A heavy recipient: every segment with `id >= from` has this recipient's events in heavy rows. */
export interface HeavyRecipientRow {
  rcp: number;
  from: number;
}

/** Stored events per recipient dictionary id (index = id), as a writer last saved them. One row, id 1. */
export interface RecipientCountsRow {
  id: 1;
  counts: Uint32Array;
}

/**
 * The heavy rows of segments written together (ids ascending, one source), for the recipients `isHeavy` says yes
 * to: at most one row per bucket.
 */
export function heavyRowsOf(
  sourceId: string,
  segments: readonly (SegmentRow & { id: number })[],
  isHeavy: (rcp: number) => boolean,
): HeavyRow[] {
  // Where each heavy event is: segment index and row, in segment then row order.
  const at: number[] = [];
  for (let s = 0; s < segments.length; s++) {
    const rcp = segments[s]!.rcp;
    for (let i = 0; i < rcp.length; i++) if (isHeavy(rcp[i]!)) at.push(s, i);
  }
  const total = at.length / 2;
  if (total === 0) return [];
  const rcpOf = (k: number): number => segments[at[2 * k]!]!.rcp[at[2 * k + 1]!]!;
  // By bucket, then recipient; stable, so each recipient's events keep segment and row order.
  const order = Array.from({ length: total }, (_, k) => k).sort((a, b) => {
    const ra = rcpOf(a);
    const rb = rcpOf(b);
    return heavyBucket(ra) - heavyBucket(rb) || ra - rb || a - b;
  });
  const rows: HeavyRow[] = [];
  for (let from = 0; from < total; ) {
    const bucket = heavyBucket(rcpOf(order[from]!));
    let to = from + 1;
    while (to < total && heavyBucket(rcpOf(order[to]!)) === bucket) to++;
    const n = to - from;
    const row: HeavyRow = { sourceId, bucket, seg: segments[0]!.id, ...emptyColumns(n), deliveryId: new Uint32Array(n) };
    for (let j = 0; j < n; j++) {
      const k = order[from + j]!;
      const seg = segments[at[2 * k]!]!;
      copyEvent(row, j, seg, at[2 * k + 1]!);
      row.deliveryId[j] = seg.deliveryId;
    }
    rows.push(row);
    from = to;
  }
  return rows;
}

/** The index range [lo, hi) of recipient `rcp` in a heavy row (its `rcp` column is sorted). */
export function heavyRange(row: HeavyRow, rcp: number): [number, number] {
  const col = row.rcp;
  let lo = 0;
  let hi = row.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (col[mid]! < rcp) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < row.n && col[end] === rcp) end++;
  return [lo, end];
}

/**
 * The store writer's side: per-recipient counts, the heavy set, and the heavy rows of each page. Loaded once per
 * run (the counts are one typed array: 4 bytes per recipient).
 */
export class HeavyTracker {
  private counts: Uint32Array;
  /** 1 for heavy recipients, by dictionary id. */
  private heavy: Uint8Array;
  private countsChanged = false;

  private constructor(
    counts: Uint32Array,
    heavy: Iterable<number>,
    private readonly threshold: number,
  ) {
    this.counts = counts;
    let max = counts.length;
    for (const r of heavy) max = Math.max(max, r + 1);
    this.heavy = new Uint8Array(max);
    for (const r of heavy) this.heavy[r] = 1;
  }

  static async load(db: TrackingDb, threshold: number = HEAVY_EVENTS): Promise<HeavyTracker> {
    const [row, heavy] = await Promise.all([db.rcpCounts.get(1), db.heavyRcps.toCollection().primaryKeys()]);
    return new HeavyTracker(row ? row.counts.slice() : new Uint32Array(0), heavy as number[], threshold);
  }

  private grow(r: number): void {
    const size = Math.max(r + 1, this.counts.length * 2, 1024);
    if (r >= this.counts.length) {
      const c = new Uint32Array(size);
      c.set(this.counts);
      this.counts = c;
    }
    if (r >= this.heavy.length) {
      const h = new Uint8Array(size);
      h.set(this.heavy);
      this.heavy = h;
    }
  }

  /**
   * Counts a page's segments (ids given, in id order: they are written together), promotes the recipients that
   * reach the threshold (from = the page's first segment id), and returns what goes into the page's transaction.
   */
  page(
    sourceId: string,
    segments: readonly (SegmentRow & { id: number })[],
  ): { rows: HeavyRow[]; promoted: HeavyRecipientRow[] } {
    const promoted: HeavyRecipientRow[] = [];
    if (!segments.length) return { rows: [], promoted };
    const from = segments[0]!.id;
    for (const seg of segments) {
      const rcp = seg.rcp;
      for (let i = 0; i < seg.n; i++) {
        const r = rcp[i]!;
        if (r >= this.counts.length || r >= this.heavy.length) this.grow(r);
        const c = ++this.counts[r]!;
        if (c >= this.threshold && this.heavy[r] === 0) {
          this.heavy[r] = 1;
          promoted.push({ rcp: r, from });
        }
      }
    }
    this.countsChanged = true;
    const heavy = this.heavy;
    const isHeavy = (r: number): boolean => heavy[r] === 1;
    return { rows: heavyRowsOf(sourceId, segments, isHeavy), promoted };
  }

  /** A copy of the counts to save, when they changed since the last call. */
  takeCounts(): RecipientCountsRow | undefined {
    if (!this.countsChanged) return undefined;
    this.countsChanged = false;
    return { id: 1, counts: this.counts.slice() };
  }
}

/** Events per group of stored segments that the upgrade writes heavy rows for together (like one page). */
const BUILD_GROUP_EVENTS = 50_000;

/**
 * Builds counts, heavy recipients and heavy rows from every stored segment (the schema upgrade that introduced
 * them). Recipients already past the threshold are heavy from the first segment on.
 */
export async function buildHeavy(
  segments: { each(fn: (seg: SegmentRow) => void): Promise<unknown> },
  write: (counts: RecipientCountsRow, heavy: HeavyRecipientRow[], rows: HeavyRow[]) => Promise<unknown>,
  threshold: number = HEAVY_EVENTS,
): Promise<void> {
  let counts = new Uint32Array(1024);
  await segments.each((seg) => {
    for (let i = 0; i < seg.n; i++) {
      const r = seg.rcp[i]!;
      if (r >= counts.length) {
        const c = new Uint32Array(Math.max(r + 1, counts.length * 2));
        c.set(counts);
        counts = c;
      }
      counts[r]!++;
    }
  });
  const heavy: HeavyRecipientRow[] = [];
  for (let r = 1; r < counts.length; r++) if (counts[r]! >= threshold) heavy.push({ rcp: r, from: 0 });
  const rows: HeavyRow[] = [];
  if (heavy.length) {
    const isHeavy = (r: number): boolean => r < counts.length && counts[r]! >= threshold;
    let group: (SegmentRow & { id: number })[] = [];
    let events = 0;
    const flush = (): void => {
      if (group.length) rows.push(...heavyRowsOf(group[0]!.sourceId, group, isHeavy));
      group = [];
      events = 0;
    };
    await segments.each((seg) => {
      if (group.length && (group[0]!.sourceId !== seg.sourceId || events + seg.n > BUILD_GROUP_EVENTS)) flush();
      group.push(seg as SegmentRow & { id: number });
      events += seg.n;
    });
    flush();
  }
  await write({ id: 1, counts }, heavy, rows);
}
